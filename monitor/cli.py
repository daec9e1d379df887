"""The `newsmon` command line: crawl, search, extract, sources, stats, demo."""
from __future__ import annotations

import json
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from crawler.sources import SourcesError, load_sources
from index.store import StoreUnavailable
from monitor.config import Config, load_config, newsmon_home

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Monitor news coverage of Turkey–Azerbaijan relations.")
# wide enough for the summary table when piped (Rich assumes 80 columns off a terminal)
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True)


def home() -> Path:
    """Where newsmon keeps its default store and crawl state."""
    return newsmon_home()


def config() -> Config:
    """The configuration of the current store (see monitor/config.py)."""
    return load_config(ctx.store_url)


def default_state() -> Path:
    """The crawl state of the current store (each store keeps its own)."""
    return config().state_path


class Context:
    store_url: str = ""


ctx = Context()


@app.callback()
def main_options(
    store: Optional[str] = typer.Option(
        None, "--store", envvar="NEWSMON_STORE",
        help="Store URL: sqlite:///path.db (default under $NEWSMON_HOME) or http://host:9200.",
    ),
):
    ctx.store_url = load_config(store).store_url


@contextmanager
def opened_store():
    """The store of --store, with an unreachable one reported as a clear error."""
    try:
        with config().open_store() as store:
            yield store
    except StoreUnavailable as exc:
        fail(str(exc))


def fail(message: str) -> None:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


# --- crawl -------------------------------------------------------------------------------
@app.command()
def crawl(
    source: list[str] = typer.Option([], "--source", "-s", help="Crawl only these source ids."),
    sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file (default: the packaged one)."),
    state: Optional[Path] = typer.Option(None, "--state", help="Crawl state file (default: the store's own)."),
    loopback: bool = typer.Option(False, "--loopback", help="No politeness delays (for local test servers)."),
    setting: list[str] = typer.Option([], "--set", help="A Scrapy setting, e.g. --set DOWNLOAD_DELAY=2."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
):
    """Crawl the configured outlets into the store."""
    from monitor.crawl import LOOPBACK_SETTINGS

    chosen = _select_sources(sources, source)
    state_path = str(state or default_state())
    overrides = dict(LOOPBACK_SETTINGS) if loopback else {}
    for item in setting:
        key, sep, value = item.partition("=")
        if not sep or not key.isupper():
            fail(f"--set {item!r}: use NAME=VALUE with a Scrapy setting name, e.g. DOWNLOAD_DELAY=2")
        overrides[key] = value
    summaries = _run_with_progress(chosen, state_path, overrides)
    if as_json:
        out.print_json(json.dumps([s.__dict__ for s in summaries]))
    else:
        print_summary(summaries)


def _select_sources(sources_file: Optional[Path], ids: list[str]):
    try:
        all_sources = load_sources(sources_file)
    except SourcesError as exc:
        fail(str(exc))
    if not ids:
        return all_sources
    unknown = set(ids) - {s.id for s in all_sources}
    if unknown:
        fail(f"unknown source(s) {', '.join(sorted(unknown))}; run `newsmon sources` to list them")
    return [s for s in all_sources if s.id in ids]


def _run_with_progress(chosen, state_path: str, overrides: dict | None):
    from monitor.crawl import run_crawl

    if ctx.store_url.startswith("sqlite:///"):
        Path(ctx.store_url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    counts = {"page": 0, "stored": 0, "off_topic": 0, "empty": 0}
    with Progress(SpinnerColumn(), TextColumn("[bold]crawling {task.fields[n]} source(s)"), BarColumn(),
                  TextColumn("{task.fields[line]}"), TimeElapsedColumn(), console=err, transient=False) as progress:
        task = progress.add_task("crawl", total=None, n=len(chosen), line="")

        def on_event(source_id: str, kind: str) -> None:
            counts[kind] = counts.get(kind, 0) + 1
            progress.update(task, line=f"{counts['page']} pages, {counts['stored']} stored, "
                                       f"{counts['off_topic']} off-topic, {counts['empty']} empty")

        summaries = run_crawl(chosen, ctx.store_url, state_path, overrides, on_event,
                              store_options=config().store_options())
        progress.update(task, total=1, completed=1)
    return summaries


def print_summary(summaries) -> None:
    table = Table(title="Crawl summary")
    columns = ("source", "pages", "stored", "duplicates", "off-topic", "unchanged", "empty", "robots-blocked",
               "errors", "legacy charset")
    for column in columns:
        table.add_column(column, justify="left" if column in ("source", "errors", "legacy charset") else "right")

    def listing(counts: dict[str, int]) -> str:
        return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "-"

    for s in summaries:
        table.add_row(s.source, str(s.pages), str(s.stored), str(s.duplicates), str(s.off_topic),
                      str(s.unchanged), str(s.empty), str(s.robots_forbidden), listing(s.errors), listing(s.encodings))
    out.print(table)
    if summaries and all(s.pages == 0 and set(s.errors) <= {"dns", "connection_refused", "timeout"} for s in summaries):
        err.print("[yellow]No outlet could be reached: is this machine online? "
                  "`newsmon sources check` probes each source.[/yellow]")


# --- search and serve ---------------------------------------------------------------------
# Unknown "options" are query words: `newsmon search -football Shusha` excludes football.
@app.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": True})
def search(
    query: list[str] = typer.Argument(None, help='e.g. Shusha "energy deal" -football lang:tr'),
    since: Optional[str] = typer.Option(None, help="First day, e.g. 2025-01-01."),
    until: Optional[str] = typer.Option(None, help="Last day (inclusive)."),
    lang: list[str] = typer.Option([], "--lang", help="Only these languages (en, tr, az, ru)."),
    source: list[str] = typer.Option([], "--source", help="Only these source ids."),
    entity: list[str] = typer.Option([], "--entity", help="Only articles naming these entities (e.g. shusha)."),
    interval: str = typer.Option("month", help="Histogram buckets: day, week, month or year."),
    page: str = typer.Option("1", help="Page number, from 1."),
    size: str = typer.Option("10", help="Hits per page, 0 to 100."),
    sort: str = typer.Option("relevance", help="relevance or date."),
    as_json: bool = typer.Option(False, "--json", help="The response document, as GET /api/search returns it."),
):
    """Search stored articles and show a coverage histogram."""
    from monitor.service import RequestError, SearchRequest, SearchService

    params = {"q": " ".join(query or []), "since": since, "until": until, "lang": lang, "source": source,
              "entity": entity, "interval": interval, "sort": sort, "page": page, "size": size}
    try:
        request = SearchRequest.from_params({k: v for k, v in params.items() if v is not None})
    except RequestError as exc:
        fail(_request_error(exc))
    service = SearchService(config())
    try:
        doc = service.search(request)
    except RequestError as exc:
        fail(_request_error(exc))
    except StoreUnavailable as exc:
        fail(str(exc))
    finally:
        service.close()
    if as_json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    print_hits(doc)
    print_histogram([(b["key"], b["count"]) for b in doc["facets"].get("date", [])], request.interval)


def _request_error(exc) -> str:
    if exc.param == "q":
        return f"bad query: {exc.message}"
    return f"--{ {'q': 'query', 'lang': 'lang'}.get(exc.param, exc.param)} {exc.message}"


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (loopback by default)."),
    port: int = typer.Option(8000, help="TCP port."),
    workers: int = typer.Option(1, min=1, help="Worker processes (each opens the store once)."),
    store: Optional[str] = typer.Option(None, "--store", help="Store URL (as the global --store)."),
):
    """Serve the search page at / and the JSON API at /api (OpenAPI schema at /docs)."""
    import logging

    import uvicorn

    if store:
        ctx.store_url = load_config(store).store_url
    cfg = config()
    # request errors (their traces never reach clients) go to the log file and to stderr
    cfg.log_path.parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s",
                        handlers=[logging.FileHandler(cfg.log_path), logging.StreamHandler()])
    if host not in ("127.0.0.1", "localhost", "::1") and not cfg.api_key:
        err.print(f"[yellow]listening on {host}: reading endpoints are open to whoever can reach it; "
                  "write endpoints stay off until NEWSMON_API_KEY is set[/yellow]")
    err.print(f"newsmon serving {cfg.store_url} at http://{host}:{port}/  (API docs: /docs; log: {cfg.log_path})")
    if workers > 1:
        os.environ["NEWSMON_STORE"] = cfg.store_url
        uvicorn.run("monitor.web.app:app", host=host, port=port, workers=workers, log_level="warning")
    else:
        from monitor.web import create_app

        uvicorn.run(create_app(cfg), host=host, port=port, log_level="warning")


def _marks(text: str) -> str:
    """Turn <mark> highlights into terminal emphasis."""
    import html

    text = text.replace("[", r"\[")
    text = re.sub(r"<mark>(.*?)</mark>", r"[bold yellow]\1[/bold yellow]", text)
    return html.unescape(text)


def print_hits(doc: dict) -> None:
    """Hits of a response document (monitor.service.result_json) for the terminal."""
    first = (doc["page"] - 1) * doc["size"] + 1
    out.print(f"[bold]{doc['total']}[/bold] matching articles" +
              (f", showing {first}–{first + len(doc['hits']) - 1}" if doc["hits"] else ""))
    for n, hit in enumerate(doc["hits"], first):
        title = hit["highlights"]["title"][0] if hit["highlights"].get("title") else hit["title"]
        day = hit["published_at"][:10] if hit["published_at"] else "undated"
        dup = " [dim](copy)[/dim]" if hit["duplicate_of"] else ""
        out.print(f"\n[bold]{n}. {_marks(title)}[/bold]{dup}")
        out.print(f"   [cyan]{hit['source']}[/cyan] · {hit['language']} · {day} · [dim]{_plain(hit['url'])}[/dim]")
        for snippet in hit["highlights"].get("body", [])[:2]:
            out.print(f"   {_marks(snippet)}")


def _plain(text: str) -> str:
    return text.replace("[", r"\[")


def print_histogram(buckets: list[tuple[str, int]], interval: str, width: int = 40) -> None:
    if not buckets:
        return
    peak = max(c for _, c in buckets) or 1
    out.print(f"\n[bold]Coverage by {interval}[/bold]")
    for key, count in buckets:
        label = {"month": key[:7], "year": key[:4]}.get(interval, key)
        bar = "█" * max(1 if count else 0, round(width * count / peak))
        out.print(f"{label:>10} {bar} {count}")


# --- extract -----------------------------------------------------------------------------
@app.command()
def extract(
    url: str = typer.Option("http://localhost/page", "--url", help="The page's URL (for links and dates)."),
    country: str = typer.Option("", "--country", help="Outlet country (TR, AZ, RU) for zone-less times."),
    file: Optional[Path] = typer.Argument(None, help="Saved page (default: standard input)."),
):
    """Run extraction, language and relevance on one saved page; print the record as JSON."""
    from crawler.extract import decode
    from crawler.process import build_article

    raw = file.read_bytes() if file else sys.stdin.buffer.read()
    encoding, html = decode(raw)
    outcome = build_article(html, url, country=country, keep_off_topic=True)
    record = {"status": outcome.status, "reason": outcome.reason, "encoding": encoding}
    if outcome.article is not None:
        data = outcome.article.to_dict()
        data.pop("signature")
        record.update(data)
        record["relevant"] = outcome.relevant
    print(json.dumps(record, ensure_ascii=False, indent=2))
    if outcome.article is None:
        raise typer.Exit(1)


# --- sources and stats -------------------------------------------------------------------
sources_app = typer.Typer(help="The configured outlets: list them, or check that they answer.")
app.add_typer(sources_app, name="sources")


@sources_app.callback(invoke_without_command=True)
def list_sources(typer_ctx: typer.Context,
                 sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file.")):
    """List the configured outlets (`newsmon sources check` probes them)."""
    if typer_ctx.invoked_subcommand is not None:
        return
    table = Table(title="Sources")
    for column in ("id", "name", "country", "languages", "feeds", "sitemaps", "sections", "every"):
        table.add_column(column)
    for s in _select_sources(sources, []):
        table.add_row(s.id, s.name, s.country, ",".join(s.languages), str(len(s.feeds)),
                      str(len(s.sitemaps)) + (" +robots" if s.robots_sitemaps else ""), str(len(s.sections)),
                      s.crawl_interval)
    out.print(table)


@sources_app.command("check")
def check_sources(
    source: list[str] = typer.Option([], "--source", "-s", help="Check only these source ids."),
    sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file (default: the packaged one)."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Seconds allowed per request."),
    as_json: bool = typer.Option(False, "--json", help="Print the probes as JSON."),
):
    """Probe every source now: robots.txt, feeds and sitemaps (fallbacks too), one article.

    Exit status: 0 all sources ok, 1 some source is not ok, 3 no network at all.
    """
    from collections import Counter

    from monitor import health

    chosen = _select_sources(sources, source)
    try:
        health.preflight(chosen, timeout=min(timeout, health.PREFLIGHT_TIMEOUT))
    except health.NoNetwork as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(3)
    report = health.check_sources(chosen, timeout=timeout)
    if as_json:
        print(json.dumps([h.to_dict() for h in report], ensure_ascii=False, indent=2))
    else:
        for h in report:
            out.print(health.health_table(h))
        verdicts = Counter(h.verdict for h in report)
        out.print("sources: " + ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items())))
    if any(h.verdict != "ok" for h in report):
        raise typer.Exit(1)


@app.command()
def stats(
    as_json: bool = typer.Option(False, "--json"),
    sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file (default: the packaged one)."),
    state: Optional[Path] = typer.Option(None, "--state", help="Crawl state file (default: the store's own)."),
):
    """What the store holds (totals by language and source, date range) and each source's crawl health."""
    from monitor.health import crawl_health, crawl_health_table

    with opened_store() as store:
        data = store.stats()
    health = crawl_health(state or default_state(), [s.id for s in _select_sources(sources, [])])
    data["sources_health"] = health
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    out.print(f"[bold]{data.get('total', 0)}[/bold] articles in {ctx.store_url}")
    for key in ("by_language", "by_source"):
        table = Table(title=key.replace("_", " "))
        table.add_column("key")
        table.add_column("articles", justify="right")
        for k, v in sorted(data.get(key, {}).items(), key=lambda kv: -kv[1]):
            table.add_row(str(k), str(v))
        out.print(table)
    for key in ("duplicates", "first_published", "last_published", "last_crawled"):
        if key in data:
            out.print(f"{key.replace('_', ' ')}: {data[key]}")
    out.print(crawl_health_table(health))


# --- index management (Elasticsearch) ----------------------------------------------------
index_app = typer.Typer(help="Manage the Elasticsearch index (versioned indices behind an alias).")
app.add_typer(index_app, name="index")


def _require_elastic(store) -> None:
    if not hasattr(store, "migrate"):
        fail("index commands need an Elasticsearch store: --store http://host:9200")


@index_app.command("migrate")
def index_migrate():
    """Copy every article into a new versioned index, then switch the alias to it atomically."""
    with opened_store() as store:
        _require_elastic(store)
        old, new, count = store.migrate()
    out.print(f"migrated {count} articles: {old} → {new}; alias {store.alias} now points at {new}")


@index_app.command("replay")
def index_replay():
    """Send articles spooled while Elasticsearch was away."""
    with opened_store() as store:
        _require_elastic(store)
        out.print(f"replayed {store.replay_spool()} spooled articles")


# --- demo --------------------------------------------------------------------------------
@app.command()
def demo(
    query: str = typer.Option("Shusha", help="What to search for after the crawl."),
    seed: int = typer.Option(7, help="Seed of the sample news web."),
    keep: Optional[Path] = typer.Option(None, help="Keep the demo store and state in this folder."),
):
    """Serve the sample news web on loopback, crawl it into a fresh store, search it."""
    import tempfile

    from monitor.crawl import LOOPBACK_SETTINGS
    from sampleweb import SampleWeb, SampleWebServer

    folder = keep or Path(tempfile.mkdtemp(prefix="newsmon-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    ctx.store_url = f"sqlite:///{folder / 'demo.db'}"
    with SampleWebServer(SampleWeb(seed=seed)) as server:
        sources_file = folder / "sources.toml"
        sources_file.write_text(server.sources_toml(), encoding="utf-8")
        err.print(f"sample news web: {len(load_sources(sources_file))} outlets on 127.0.0.x; store {ctx.store_url}")
        summaries = _run_with_progress(load_sources(sources_file), str(folder / "crawlstate.db"), LOOPBACK_SETTINGS)
    print_summary(summaries)
    out.print(f"\n[bold]newsmon search {query!r}[/bold]")
    from monitor.service import SearchRequest, SearchService

    service = SearchService(config())
    try:
        doc = service.search(SearchRequest(query=query, size=5))
    finally:
        service.close()
    print_hits(doc)
    print_histogram([(b["key"], b["count"]) for b in doc["facets"].get("date", [])], "month")
    out.print(f"\nTry: newsmon --store {ctx.store_url} search 'Erdogan lang:ru' --interval month")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
