"""The `newsmon` command line: crawl, search, extract, sources, stats, demo."""
from __future__ import annotations

import json
import os
import re
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional
from urllib.parse import parse_qs, urlsplit

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from crawler.sources import SourcesError, load_sources
from index.article import iso
from index.query import QueryError
from index.store import Filters, StoreUnavailable, open_store

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Monitor news coverage of Turkey–Azerbaijan relations.")
# wide enough for the summary table when piped (Rich assumes 80 columns off a terminal)
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True)


def home() -> Path:
    """Where newsmon keeps its default store and crawl state."""
    return Path(os.environ.get("NEWSMON_HOME", Path.home() / ".newsmon"))


def default_state() -> Path:
    """The crawl state of the current store.

    Each store keeps its own: a state shared between stores would make a crawl into a new
    (say, Elasticsearch) store skip every article the old one already has.
    """
    url = ctx.store_url
    if url.startswith("sqlite:///"):
        db = Path(url[len("sqlite:///"):])
        return db.with_name(f"{db.stem}.crawlstate.db")
    parts = urlsplit(url)
    index = parse_qs(parts.query).get("index", ["newsmon-articles"])[0]
    return home() / f"crawlstate-{parts.hostname}_{parts.port or 9200}_{index}.db"


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
    ctx.store_url = store or f"sqlite:///{home() / 'newsmon.db'}"


@contextmanager
def opened_store():
    """The store of --store, with an unreachable one reported as a clear error."""
    try:
        with open_store(ctx.store_url) as store:
            yield store
    except StoreUnavailable as exc:
        fail(str(exc))


def fail(message: str) -> None:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


def parse_day(value: Optional[str], name: str) -> Optional[datetime]:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        fail(f"--{name} {value!r} is not a date like 2025-03-01")
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


# --- crawl -------------------------------------------------------------------------------
@app.command()
def crawl(
    source: list[str] = typer.Option([], "--source", "-s", help="Crawl only these source ids."),
    sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file (default: the packaged one)."),
    state: Optional[Path] = typer.Option(None, "--state", help="Crawl state file (default: the store's own)."),
    loopback: bool = typer.Option(False, "--loopback", help="No politeness delays (for local test servers)."),
    setting: list[str] = typer.Option([], "--set", help="A Scrapy setting, e.g. --set DOWNLOAD_DELAY=2."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    alerts_wait: float = typer.Option(10.0, "--alerts-wait", min=0,
                                      help="Seconds to keep retrying failed alert deliveries after the crawl."),
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
    from monitor.alerts.runner import alerts_during

    with alerts_during(ctx.store_url, wait=alerts_wait) as alerts:  # matches after every batch written
        summaries = _run_with_progress(chosen, state_path, overrides)
    if alerts is not None:
        err.print(alerts.summary())
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
    counts = {"page": 0, "on_topic": 0, "off_topic": 0, "empty": 0}
    with Progress(SpinnerColumn(), TextColumn("[bold]crawling {task.fields[n]} source(s)"), BarColumn(),
                  TextColumn("{task.fields[line]}"), TimeElapsedColumn(), console=err, transient=False) as progress:
        task = progress.add_task("crawl", total=None, n=len(chosen), line="")

        def on_event(source_id: str, kind: str) -> None:
            counts[kind] = counts.get(kind, 0) + 1
            progress.update(task, line=f"{counts['page']} pages, {counts['on_topic']} on the beat, "
                                       f"{counts['off_topic']} off-topic, {counts['empty']} empty")

        summaries = run_crawl(chosen, ctx.store_url, state_path, overrides, on_event)
        progress.update(task, total=1, completed=1)
    return summaries


def print_summary(summaries) -> None:
    table = Table(title="Crawl summary")
    # one column per article outcome: each article page answered is counted in exactly one
    columns = ("source", "pages", "articles", "stored", "duplicate", "updated", "unchanged", "off-topic", "empty",
               "alias", "robots", "errors", "skipped", "legacy charset")
    for column in columns:
        table.add_column(column, justify="left" if column in ("source", "errors", "legacy charset") else "right")

    def listing(counts: dict[str, int]) -> str:
        return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "-"

    for s in summaries:
        o = s.outcomes
        article_errors = {k[len("error:"):]: v for k, v in o.items() if k.startswith("error:")}
        discovery_errors = {k: v - article_errors.get(k, 0) for k, v in s.errors.items() if v > article_errors.get(k, 0)}
        errors = listing(article_errors) + ("" if not discovery_errors else f" (discovery: {listing(discovery_errors)})")
        table.add_row(s.source, str(s.pages), str(s.article_responses),
                      *(str(o.get(k, 0)) for k in ("stored", "duplicate", "updated", "unchanged", "off_topic",
                                                   "empty", "alias", "robots_forbidden")),
                      errors, str(s.skipped), listing(s.encodings))
    out.print(table)
    if summaries and all(s.pages == 0 and set(s.errors) <= {"dns", "connection_refused", "timeout"} for s in summaries):
        err.print("[yellow]No outlet could be reached: is this machine online? "
                  "`newsmon sources check` probes each source.[/yellow]")


# --- search ------------------------------------------------------------------------------
@app.command()
def search(
    query: str = typer.Argument("", help='e.g. Shusha "energy deal" -football lang:tr'),
    since: Optional[str] = typer.Option(None, help="First day, e.g. 2025-01-01."),
    until: Optional[str] = typer.Option(None, help="Last day (inclusive)."),
    lang: list[str] = typer.Option([], "--lang", help="Only these languages (en, tr, az, ru)."),
    source: list[str] = typer.Option([], "--source", help="Only these source ids."),
    interval: str = typer.Option("month", help="Histogram buckets: day, week, month or year."),
    page: int = typer.Option(1, min=1),
    size: int = typer.Option(10, min=1, max=100),
    sort: str = typer.Option("relevance", help="relevance or date."),
    as_json: bool = typer.Option(False, "--json", help="Hits and facets as JSON."),
):
    """Search stored articles and show a coverage histogram."""
    until_dt = parse_day(until, "until")
    if until_dt is not None and len(until) <= 10:
        until_dt = until_dt.replace(hour=23, minute=59, second=59)
    filters = Filters(since=parse_day(since, "since"), until=until_dt, languages=lang, sources=source)
    if interval not in ("day", "week", "month", "year"):
        fail(f"--interval {interval!r}: use day, week, month or year")
    with opened_store() as store:
        try:
            result = store.search(query, filters=filters, interval=interval, page=page, size=size, sort=sort)
        except QueryError as exc:
            fail(f"bad query: {exc}")
    if as_json:
        print(json.dumps(result_json(result), ensure_ascii=False, indent=2))
        return
    print_hits(result)
    print_histogram(result.facets.get("date", []), interval)


def result_json(result) -> dict:
    return {
        "total": result.total,
        "page": result.page,
        "size": result.size,
        "hits": [
            {
                "id": h.article.id, "url": h.article.url, "title": h.article.title, "source": h.article.source,
                "language": h.article.language, "published_at": iso(h.article.published_at),
                "matched": h.article.matched, "duplicate_of": h.article.duplicate_of,
                "score": h.score, "highlights": h.highlights,
            }
            for h in result.hits
        ],
        "facets": {name: [{"key": k, "count": c} for k, c in buckets] for name, buckets in result.facets.items()},
    }


def _marks(text: str) -> str:
    """Turn <mark> highlights into terminal emphasis."""
    import html

    text = text.replace("[", r"\[")
    text = re.sub(r"<mark>(.*?)</mark>", r"[bold yellow]\1[/bold yellow]", text)
    return html.unescape(text)


def print_hits(result) -> None:
    first = (result.page - 1) * result.size + 1
    out.print(f"[bold]{result.total}[/bold] matching articles" +
              (f", showing {first}–{first + len(result.hits) - 1}" if result.hits else ""))
    for n, hit in enumerate(result.hits, first):
        a = hit.article
        title = hit.highlights.get("title", [a.title])[0] if hit.highlights.get("title") else a.title
        day = a.published_at.strftime("%Y-%m-%d") if a.published_at else "undated"
        dup = " [dim](copy)[/dim]" if a.duplicate_of else ""
        out.print(f"\n[bold]{n}. {_marks(title)}[/bold]{dup}")
        out.print(f"   [cyan]{a.source}[/cyan] · {a.language} · {day} · [dim]{a.url}[/dim]")
        for snippet in hit.highlights.get("body", [])[:2]:
            out.print(f"   {_marks(snippet)}")


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
    outcome = build_article(html, url, country=country)
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
    with opened_store() as store:
        result = store.search(query, interval="month", size=5)
    print_hits(result)
    print_histogram(result.facets.get("date", []), "month")
    out.print(f"\nTry: newsmon --store {ctx.store_url} search 'Erdogan lang:ru' --interval month")


from monitor.alerts.commands import build_app as _alerts_app  # noqa: E402

app.add_typer(_alerts_app(lambda: ctx.store_url, fail, out, err), name="alerts")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
