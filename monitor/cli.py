"""The `newsmon` command line: crawl, search, extract, sources, stats, demo."""
from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
import sys
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import NoReturn, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from crawler.sources import load_sources
from crawler.state import state_path_for
from index.article import iso
from index.store import StoreUnavailable, check_store_url, open_store, sqlite_path
from monitor import errors
from monitor.config import Config, load_config, newsmon_home
from monitor.errors import UserError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Monitor news coverage of Turkey–Azerbaijan relations.")
# Typer labels a flag `<bool>` in help, which reads as if `--json true` were expected: show flags bare.
_display_type = typer.core.TyperOption.display_type_rich
typer.core.TyperOption.display_type_rich = lambda self, ctx: None if self.is_flag else _display_type(self, ctx)
# wide enough for the summary table when piped (Rich assumes 80 columns off a terminal)
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)


def home() -> Path:
    """Where newsmon keeps its default store and crawl state."""
    return newsmon_home()


def config() -> Config:
    """The configuration of the current store (see monitor/config.py)."""
    return load_config(ctx.store_url)


def default_state() -> Path:
    """The crawl state of the current store (each store keeps its own)."""
    return state_path_for(ctx.store_url, home())


class Context:
    store_url: str = ""
    store_given: bool = False  # by --store or NEWSMON_STORE, not the default


ctx = Context()


@app.callback()
def main_options(
    store: Optional[str] = typer.Option(
        None, "--store", envvar="NEWSMON_STORE",
        help="Store URL: sqlite:////absolute/path.db, sqlite:///relative/path.db (default: "
             "$NEWSMON_HOME/newsmon.db) or http://host:9200.",
    ),
):
    ctx.store_url = store or sqlite_url(home() / "newsmon.db")
    ctx.store_given = bool(store)
    try:  # one answer for every command, before any of them opens (or serves) anything
        check_store_url(ctx.store_url)
    except ValueError as exc:
        fail(f"{exc} (--store or NEWSMON_STORE)")


def sqlite_url(path: Path) -> str:
    """sqlite:/// followed by the path: four slashes for an absolute one."""
    return f"sqlite:///{path}"


def demo_store_path() -> Path:
    return home() / "demo.db"


def _is_empty_sqlite(path: Path) -> bool:
    if not path.exists():
        return True
    with _opened(sqlite_url(path)) as store:
        return store.count() == 0


def use_demo_store_if_default_is_empty() -> None:
    """Read commands use the demo's store until a crawl has filled the default one (said on stderr)."""
    default = sqlite_path(ctx.store_url)
    if ctx.store_given or default is None or not demo_store_path().exists() or not _is_empty_sqlite(default):
        return
    ctx.store_url = sqlite_url(demo_store_path())
    err.print(f"[dim]{default} holds no articles yet, so this is the demo's store {demo_store_path()} "
              f"(`newsmon crawl` fills {default.name}; --store picks any store)[/dim]")


def require_existing_store() -> None:
    """Reading commands and serve never create a SQLite store: one that is missing is an error."""
    path = sqlite_path(ctx.store_url)
    if path is not None and not path.exists():
        fail(_missing_store_message(ctx.store_url, path))


def _missing_store_message(url: str, path: Path) -> str:
    message = f"no store at {path.absolute()}"
    if url.startswith("sqlite:///") and not path.is_absolute():
        message += (f" (sqlite:///{path} is relative to the current folder; "
                    f"write sqlite:////{path} for /{path})")
    return message + ": run `newsmon crawl` or `newsmon demo` first, or pass --store URL"


@contextmanager
def opened_store(read_only: bool = False):
    """The store of --store; a read-only command never creates one (a missing store is an error)."""
    if read_only:
        require_existing_store()
    with _opened(ctx.store_url) as store:
        yield store


@contextmanager
def _opened(url: str):
    import sqlite3

    try:
        store = open_store(url, **load_config(url).store_options())  # the spool and credentials
    except ValueError as exc:  # an unknown scheme or a path that is not a store
        fail(f"{exc} (--store or NEWSMON_STORE)")
    except (sqlite3.Error, OSError) as exc:
        fail(f"cannot open the SQLite store {sqlite_path(url)}: {exc}")
    except RuntimeError as exc:
        fail(str(exc))
    with store:
        yield store


def parse_day(value: Optional[str], name: str) -> Optional[datetime]:
    """A --since/--until day (or ISO time), UTC when no zone is given."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        fail(f"--{name} {value!r} is not a date like 2025-03-01")
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def fail(message: str) -> NoReturn:
    """Stop with a user error: one line on stderr, exit code 2."""
    raise UserError(message)


# --- crawl -------------------------------------------------------------------------------
LOOPBACK_HELP = ("Crawl servers on this machine (127.0.0.0/8, e.g. `python -m sampleweb`), which are "
                 "refused otherwise, with no politeness delays.")
@app.command()
def crawl(
    source: list[str] = typer.Option([], "--source", "-s", help="Crawl only these source ids."),
    sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file (default: the packaged one)."),
    state: Optional[Path] = typer.Option(None, "--state", help="Crawl state file (default: the store's own)."),
    loopback: bool = typer.Option(False, "--loopback", help=LOOPBACK_HELP),
    setting: list[str] = typer.Option([], "--set", help="A Scrapy setting, e.g. --set DOWNLOAD_DELAY=2."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show the crawl log live (it is always in a file)."),
    workers: Optional[int] = typer.Option(None, "--workers", min=0,
                                          help="Stage worker processes (default: one per core; 0: none)."),
    alerts_wait: float = typer.Option(10.0, "--alerts-wait", min=0,
                                      help="Seconds to keep retrying failed alert deliveries after the crawl."),
    trigger: str = typer.Option("manual", "--trigger", hidden=True, help="Why this crawl runs (its run record)."),
    lease_holder: str = typer.Option("", "--lease-holder", hidden=True,
                                     help="Hold the sources' leases as this scheduler (set by `newsmon schedule`)."),
    lease_seconds: float = typer.Option(120.0, "--lease-seconds", hidden=True, min=1),
):
    """Crawl the configured outlets into the store; each source's run is kept in its history (`newsmon runs`)."""
    from monitor.crawl import LOOPBACK_SETTINGS

    chosen = _select_sources(sources, source)
    state_path = str(state or default_state())
    try:
        Path(state_path).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"cannot keep the crawl state at {state_path}: {exc.strerror or exc} (--state)")
    state_path = str(state or "")  # none named: the store's own (in the cluster, for Elasticsearch)
    overrides = dict(LOOPBACK_SETTINGS) if loopback else {}
    for item in setting:
        key, sep, value = item.partition("=")
        if not sep or not key.isupper():
            fail(f"--set {item!r}: use NAME=VALUE with a Scrapy setting name, e.g. DOWNLOAD_DELAY=2")
        overrides[key] = _setting_value(key, value)
    if workers is not None:
        overrides["NEWSMON_WORKERS"] = str(workers)
    if lease_holder:
        overrides.update(NEWSMON_LEASE_HOLDER=lease_holder, NEWSMON_LEASE_SECONDS=lease_seconds)
    from monitor.alerts.runner import alerts_during

    with alerts_during(ctx.store_url, wait=alerts_wait) as alerts:  # matches after every batch written
        summaries = _run_with_progress(chosen, state_path, overrides, verbose, trigger, lease_holder,
                                       on_batch=alerts.on_flush if alerts is not None else None)
    if alerts is not None:
        err.print(alerts.summary())
    if as_json:
        out.print_json(json.dumps([s.__dict__ for s in summaries]))
    else:
        print_summary(summaries)
    stopped = sorted({s.unwritable for s in summaries if s.unwritable})
    for why in stopped:  # a full or read-only disk: what was not written is due for the next crawl
        err.print(f"error: the crawl stopped: {why}; what was not written is fetched by the next crawl",
                  highlight=False)
    if stopped:
        raise typer.Exit(1)
    if summaries and not any(s.pages for s in summaries):  # the warnings above say why, per source
        err.print("error: nothing was fetched from any source", highlight=False)
        raise typer.Exit(1)


def _setting_value(key: str, value: str):
    """A --set value checked against the setting's default, so a typo fails here and not inside Scrapy."""
    from scrapy.settings import default_settings

    from crawler import settings as ours

    missing = object()
    default = getattr(ours, key, getattr(default_settings, key, missing))
    if default is missing:
        fail(f"--set {key}: no such Scrapy or newsmon setting (see https://docs.scrapy.org/en/latest/topics/settings.html)")
    if key in ours.UNUSED_SETTINGS:
        fail(f"--set {key}: {ours.UNUSED_SETTINGS[key]}")
    kind = type(default)
    try:
        if kind is bool:
            if value.lower() not in ("true", "false", "1", "0"):
                raise ValueError
            return value.lower() in ("true", "1")
        if kind in (int, float):
            number = float(value)
            return int(number) if number.is_integer() and "." not in value else number
    except ValueError:
        what = "true or false" if kind is bool else "a number"
        fail(f"--set {key}={value}: {key} takes {what} (its default is {default!r})")
    if key == "NEWSMON_STAGE_OPTIONS":
        from crawler.stages import StageOptions

        try:
            parsed = json.loads(value)
            StageOptions.from_dict(parsed)
        except (ValueError, TypeError, AttributeError) as exc:
            fail(f"--set {key}: {exc} (a JSON object like {{\"relevance\": {{\"threshold\": 4.0}}}})")
        return parsed
    return value


def _select_sources(sources_file: Optional[Path], ids: list[str]):
    all_sources = load_sources(sources_file)  # a SourcesError is a user error (monitor.errors)
    if not ids:
        return all_sources
    unknown = set(ids) - {s.id for s in all_sources}
    if unknown:
        fail(f"unknown source(s) {', '.join(sorted(unknown))}; run `newsmon sources` to list them")
    return [s for s in all_sources if s.id in ids]


def _run_with_progress(chosen, state_path: str, overrides: dict | None, verbose: bool = False,
                       trigger: str = "manual", holder: str = "", on_batch=None):
    """Crawl with a progress line; every crawl is recorded as a run of each source (`newsmon runs`)."""
    from rich.logging import RichHandler

    from monitor.crawl import crawl_log_path, failure_lines, run_crawl
    from monitor.schedule import record_runs

    with _opened(ctx.store_url):  # an unknown or unusable store fails here, before Scrapy starts
        pass
    log_file = crawl_log_path(home() / "logs")
    overrides = {"LOG_FILE": str(log_file), "LOG_LEVEL": "INFO", **(overrides or {})}
    live_log = RichHandler(console=err, show_path=False) if verbose else None
    err.print(f"crawl log: {log_file}")
    counts = {"page": 0, "on_topic": 0, "off_topic": 0, "empty": 0}
    with Progress(SpinnerColumn(), TextColumn("[bold]crawling {task.fields[n]} source(s)"), BarColumn(),
                  TextColumn("{task.fields[line]}"), TimeElapsedColumn(), console=err, transient=False) as progress:
        task = progress.add_task("crawl", total=None, n=len(chosen), line="")

        def on_event(source_id: str, kind: str) -> None:
            counts[kind] = counts.get(kind, 0) + 1
            progress.update(task, line=f"{counts['page']} pages, {counts['on_topic']} on the beat, "
                                       f"{counts['off_topic']} off-topic, {counts['empty']} empty")

        started = datetime.now(timezone.utc)
        summaries = run_crawl(chosen, ctx.store_url, state_path, overrides, on_event, live_log=live_log,
                              store_options=config().store_options(), on_batch=on_batch)
        # recorded before anything is printed: a crawl whose scheduler died (its terminal gone)
        # still leaves its runs, and how they ended
        try:
            with open_store(ctx.store_url, **config().store_options()) as store:
                record_runs(store, chosen, [s.__dict__ for s in summaries], trigger, started,
                            exit_code=1 if any(s.unwritable for s in summaries) else 0, holder=holder)
                for s in summaries if holder else ():
                    if s.finish_reason == "shutdown":  # stopped from outside (its scheduler stopped or
                        # died): free for another scheduler now, not only once the lease runs out
                        store.release_lock(f"crawl:{s.source}", holder)
        except (OSError, sqlite3.Error, StoreUnavailable) as exc:  # a full disk: the crawl's own error says it
            err.print(f"[yellow]warning:[/yellow] the crawl's runs could not be recorded: {exc}", highlight=False)
        progress.update(task, total=1, completed=1)
    never_ran = [s.source for s in summaries if not s.finish_reason]
    if never_ran:
        err.print(f"error: the crawl of {', '.join(never_ran)} did not start; the log says why: {log_file}",
                  highlight=False)
        raise typer.Exit(1)
    for line in failure_lines(summaries):
        err.print(f"[yellow]warning:[/yellow] {line}", highlight=False)
    spooled = sum(s.outcomes.get("spooled", 0) for s in summaries)
    if spooled:  # safe on disk, not yet searchable: never reported as stored
        err.print(f"[yellow]warning:[/yellow] {spooled} article(s) went to the spool {config().spool_path}: the store "
                  f"{ctx.store_url} is not answering; `newsmon index replay` (or the next crawl) sends them once it is back",
                  highlight=False)
    return summaries


def print_summary(summaries) -> None:
    table = Table(title="Crawl summary")
    # one column per article outcome: each article page answered is counted in exactly one
    spooling = any(s.outcomes.get("spooled") for s in summaries)  # only while Elasticsearch is away
    columns = ("source", "pages", "articles", "stored", *(("spooled",) if spooling else ()), "duplicate", "updated",
               "unchanged", "off-topic", "empty", "alias", "robots", "errors", "skipped", "legacy charset")
    for column in columns:
        table.add_column(column, justify="left" if column in ("source", "errors", "legacy charset") else "right")

    def listing(counts: dict[str, int]) -> str:
        return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "-"

    # a source that fetched nothing is a row of zeros: its warning lines above say why
    answered = [s for s in summaries if s.pages]
    for s in answered:
        o = s.outcomes
        article_errors = {k[len("error:"):]: v for k, v in o.items() if k.startswith("error:")}
        discovery_errors = {k: v - article_errors.get(k, 0) for k, v in s.errors.items() if v > article_errors.get(k, 0)}
        errors = listing(article_errors) + ("" if not discovery_errors else f" (discovery: {listing(discovery_errors)})")
        table.add_row(s.source, str(s.pages), str(s.article_responses),
                      *(str(o.get(k, 0)) for k in ("stored", *(("spooled",) if spooling else ()), "duplicate",
                                                   "updated", "unchanged", "off_topic", "empty", "alias",
                                                   "robots_forbidden")),
                      errors, str(s.skipped), listing(s.encodings))
    if answered:
        out.print(table)
    silent = [s.source for s in summaries if not s.pages]
    if summaries and not answered and all(set(s.errors) <= NETWORK_ERRORS for s in summaries):
        err.print("[yellow]No outlet could be reached: is this machine online? "
                  "`newsmon sources check` probes each source.[/yellow]")
    elif silent:
        err.print(f"[yellow]Nothing fetched from {len(silent)} of {len(summaries)} sources "
                  f"({', '.join(silent)}): see the warnings above.[/yellow]", highlight=False)


NETWORK_ERRORS = {"dns", "connection_refused", "timeout", "download_failed"}


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

    misspelt = [word for word in query or [] if word.startswith("--")]
    if misspelt:
        fail(f"no such option: {misspelt[0]} (see `newsmon search --help`)")
    # `-football` leaves out a word, but `-lang en` is a missed dash, not a search without "lang"
    options = {"lang", "since", "until", "source", "entity", "interval", "sort", "page", "size", "json"}
    one_dash = [word[1:] for word in query or [] if word[:1] == "-" and word[1:].lower() in options]
    if one_dash:
        fail(f"-{one_dash[0]} would leave out the word {one_dash[0]!r}: the option is --{one_dash[0].lower()} "
             f"(to leave out the word, write NOT {one_dash[0]})")
    params = {"q": " ".join(query or []), "since": since, "until": until, "lang": lang, "source": source,
              "entity": entity, "interval": interval, "sort": sort, "page": page, "size": size}
    try:
        request = SearchRequest.from_params({k: v for k, v in params.items() if v is not None})
    except RequestError as exc:
        fail(_request_error(exc))
    use_demo_store_if_default_is_empty()
    require_existing_store()
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
        ctx.store_url, ctx.store_given = load_config(store).store_url, True
        try:
            check_store_url(ctx.store_url)
        except ValueError as exc:
            fail(f"{exc} (--store)")
    # the one rule of every reading command: the demo's store until a crawl fills the default,
    # and a missing SQLite file is an error, never created (a typo would serve an empty store)
    use_demo_store_if_default_is_empty()
    require_existing_store()
    _check_port_free(host, port)
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


def _check_port_free(host: str, port: int) -> None:
    """Fail in one line before saying "serving" when the address is taken or cannot be had.

    uvicorn would print its own error and exit 3 after our banner; binding once here (as uvicorn
    will, with SO_REUSEADDR) answers first. The port may still be taken in the moment between.
    """
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        fail(f"--host {host}: {exc.strerror}")
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            taken = exc.errno == errno.EADDRINUSE
            fail(f"cannot serve on {host}:{port}: " + ("the port is in use (another `newsmon serve`?); pick one with --port"
                                                       if taken else exc.strerror or str(exc)))


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
    country: str = typer.Option("", "--country", help="Outlet country (TR, AZ, RU) for zone-less times "
                                "(default: that of the configured source the URL belongs to)."),
    file: Optional[Path] = typer.Argument(None, help="Saved page (default: standard input)."),
    sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file (default: the packaged one)."),
):
    """Run extraction, language and relevance on one saved page; print the record as JSON.

    The status is what a crawl would do with the page: on_topic (stored), off_topic or empty.
    """
    from crawler.stages.extract import decode
    from crawler.stages import build_article

    try:
        raw = file.read_bytes() if file else sys.stdin.buffer.read()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}")
    owner = next((s for s in _select_sources(sources, []) if s.is_article_url(url)), None)
    encoding, html = decode(raw)
    outcome = build_article(html, url, source_id=owner.id if owner else "",
                            country=country or (owner.country if owner else ""))
    reason = outcome.reason
    if outcome.status == "off_topic":  # a crawl would drop it
        reason = f"{reason}: not about both countries"
    record = {"status": outcome.status, "reason": reason, "encoding": encoding}
    if outcome.article is not None:
        data = outcome.article.to_dict()
        data.pop("signature")
        record.update(data)
        record["relevant"] = outcome.relevant
        record["relevance_reasons"] = outcome.relevance_reasons
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
    from monitor.health import crawl_health, crawl_health_table, never_crawled

    chosen = _select_sources(sources, [])
    configured = [s.id for s in chosen]
    use_demo_store_if_default_is_empty()
    from monitor.schedule import health_table

    with opened_store(read_only=True) as store:
        data = store.stats()
        data["schedule_health"] = [h.__dict__ for h in health_table(store, chosen)]
    health = crawl_health(state or default_state(), configured, data.get("by_source", {}),
                          store_url=None if state else ctx.store_url, store_options=config().store_options())
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
    if data.get("spooled"):  # only while (or just after) Elasticsearch was away
        out.print(f"spooled, not yet searchable: {data['spooled']}")
    out.print(crawl_health_table(health))
    flagged = [h for h in data["schedule_health"] if h["flags"]]
    for h in flagged:
        err.print(f"[yellow]{h['source']}: {', '.join(h['flags'])}[/yellow] (last ok run {h['last_ok_run'] or 'never'}, "
                  f"last new article {h['last_new_article'] or 'never'})")
    unseen = never_crawled(health)
    if unseen:
        out.print(f"never crawled into this store: {len(unseen)} source(s) ({', '.join(unseen)}); "
                  "`newsmon crawl` crawls them", highlight=False)


# --- schedule, runs, backfill ------------------------------------------------------------
def _scheduler(sources: Optional[Path], loopback: bool, setting: list[str], crawl_timeout: float, store,
               lease_seconds: float = 120.0):
    from monitor.schedule import Scheduler

    args = (["--loopback"] if loopback else []) + [a for item in setting for a in ("--set", item)]
    return Scheduler(store, ctx.store_url, _select_sources(sources, []), sources, args, crawl_timeout,
                     lease_seconds=lease_seconds, report=lambda line: err.print(line, highlight=False, markup=False))


@app.command()
def schedule(
    sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file (default: the packaged one)."),
    loopback: bool = typer.Option(False, "--loopback", help=LOOPBACK_HELP),
    setting: list[str] = typer.Option([], "--set", help="A Scrapy setting for every crawl."),
    crawl_timeout: float = typer.Option(3600, "--crawl-timeout", min=1, help="Seconds before a crawl is stopped."),
    cycles: Optional[int] = typer.Option(None, "--cycles", help="Stop after this many crawls (default: never)."),
    lease_seconds: float = typer.Option(120.0, "--lease-seconds", min=2,
                                        help="How long a source's lease lasts unrenewed: the longest another "
                                             "scheduler waits to take over from one that died or stalled."),
):
    """Crawl each source at its crawl_interval until stopped (SIGTERM or Ctrl-C), one crawl per process."""
    with opened_store() as store:
        scheduler = _scheduler(sources, loopback, setting, crawl_timeout, store, lease_seconds)
        err.print(f"scheduling {len(scheduler.sources)} source(s) into {ctx.store_url} as {scheduler.holder}")
        done = scheduler.serve(cycles=cycles)
    err.print(f"scheduler stopped after {done} crawl(s)")


@app.command()
def runs(
    source: Optional[str] = typer.Option(None, "--source", help="Only this source."),
    since: Optional[str] = typer.Option(None, "--since", help="Runs started on or after this date."),
    limit: int = typer.Option(50, "--limit"),
    as_json: bool = typer.Option(False, "--json"),
):
    """The crawl history: when each source ran, why, and what came of it."""
    started = parse_day(since, "since")
    with opened_store(read_only=True) as store:
        history = store.runs(source=source, since=iso(started) if started else None, limit=limit)
    if as_json:
        print(json.dumps(history, ensure_ascii=False, indent=2))
        return
    table = Table(title="Crawl runs")
    for column in ("started", "source", "trigger", "seconds", "pages", "articles", "new", "outcomes", "errors", "end"):
        table.add_column(column, justify="right" if column in ("seconds", "pages", "articles", "new") else "left")
    for r in history:
        o = r.get("outcomes", {})
        table.add_row(r["started_at"], r["source"], r.get("trigger", ""), str(r.get("duration", "")), str(r.get("pages", 0)),
                      str(r.get("article_responses", 0)), str(o.get("stored", 0) + o.get("duplicate", 0)),
                      ", ".join(f"{k} {v}" for k, v in sorted(o.items())) or "-",
                      ", ".join(f"{k} {v}" for k, v in sorted(r.get("errors", {}).items())) or "-",
                      r.get("finish_reason", ""))
    out.print(table)


@app.command()
def backfill(
    source: str = typer.Option(..., "--source", help="The source to reach back into."),
    since: str = typer.Option(..., "--since", help="Oldest date wanted, e.g. 2021-06-01."),
    until: Optional[str] = typer.Option(None, "--until", help="Newest date wanted (default: today)."),
    sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file (default: the packaged one)."),
    loopback: bool = typer.Option(False, "--loopback", help=LOOPBACK_HELP),
    setting: list[str] = typer.Option([], "--set", help="A Scrapy setting for the crawl."),
):
    """Reach older articles through sitemap archives and section pagination; run it again to resume."""
    first, last = parse_day(since, "since"), parse_day(until, "until")
    if last is not None and not re.search(r"[T ]\d", until):
        last += timedelta(days=1) - timedelta(microseconds=1)  # a day given: the whole of it
    if last is not None and last < first:
        fail(f"--until {until} is before --since {since}")
    with opened_store() as store:
        scheduler = _scheduler(sources, loopback, setting, 24 * 3600, store)
        chosen = [s for s in scheduler.sources if s.id == source]
        if not chosen:
            fail(f"unknown source {source!r}; run `newsmon sources` to list them")
        scheduler.handle_signals()  # Ctrl-C stops the crawl gracefully; run again to resume
        if not store.acquire_lock(f"crawl:{source}", scheduler.holder, 120):
            fail(f"{source} is being crawled by another process right now; try again when it is done")
        try:
            window = [f"NEWSMON_BACKFILL_SINCE={iso(first)}"] + ([f"NEWSMON_BACKFILL_UNTIL={iso(last)}"] if last else [])
            (run,) = scheduler.crawl(chosen, "backfill", [a for item in window for a in ("--set", item)],
                                     show_progress=True)
        finally:
            store.release_lock(f"crawl:{source}", scheduler.holder)
    if run["finish_reason"] in ("crashed", "timeout"):
        fail(f"backfill of {source} {run['finish_reason']}: {' '.join(run.get('error', [])) or 'see the crawl log'}")
    o = run["outcomes"]
    outside = f", {o['outside_window']} outside the window" if o.get("outside_window") else ""
    out.print(f"backfill of {source}: {run['pages']} pages, {o.get('stored', 0) + o.get('duplicate', 0)} new articles"
              f"{outside}, {run['not_done']} not done ({run['finish_reason']}); run it again to continue")


# --- index management (Elasticsearch) ----------------------------------------------------
index_app = typer.Typer(help="Manage the Elasticsearch index (versioned indices behind an alias).")
app.add_typer(index_app, name="index")


def _require_elastic(store) -> None:
    if not hasattr(store, "migrate"):
        fail("index commands need an Elasticsearch store: --store http://host:9200")


@index_app.command("migrate")
def index_migrate():
    """Copy every article into a new versioned index, then switch the alias to it atomically."""
    with opened_store(read_only=True) as store:
        _require_elastic(store)
        old, new, count = store.migrate()
    out.print(f"migrated {count} articles: {old} → {new}; alias {store.alias} now points at {new}")


@index_app.command("replay")
def index_replay():
    """Send articles spooled while Elasticsearch was away."""
    with opened_store(read_only=True) as store:
        _require_elastic(store)
        store.replay_spool()  # opening the store already replays when the cluster answers: count both
        out.print(f"replayed {store.replayed} spooled articles")


# --- demo --------------------------------------------------------------------------------
@app.command()
def demo(
    query: str = typer.Option("Shusha", help="What to search for after the crawl."),
    seed: int = typer.Option(7, help="Seed of the sample news web."),
    port: int = typer.Option(8765, help="Port of the sample news web (a free one when taken)."),
):
    """Serve the sample news web on loopback, crawl it into the demo store, search it.

    The store is $NEWSMON_HOME/demo.db, made afresh each time (or --store, crawled into as it
    is); until a crawl fills the default store, `search` and `stats` read the demo's.
    """
    import tempfile

    from monitor.crawl import LOOPBACK_SETTINGS
    from sampleweb import SampleWeb, SampleWebServer

    if not ctx.store_given:
        ctx.store_url = sqlite_url(demo_store_path())
        _remove_demo_store()
    try:  # one known port, so `python -m sampleweb --port 8765` serves the stored articles' links again
        server = SampleWebServer(SampleWeb(seed=seed), port=port).start()
    except OSError:
        server = SampleWebServer(SampleWeb(seed=seed)).start()
    with server, tempfile.TemporaryDirectory() as scratch:
        # the outlets' ports change with every run, so their sources file lives only as long as the server
        sources_file = Path(scratch) / "sources.toml"
        sources_file.write_text(server.sources_toml(), encoding="utf-8")
        chosen = load_sources(sources_file)
        err.print(f"sample news web: {len(chosen)} outlets on 127.0.0.x; store {ctx.store_url}")
        summaries = _run_with_progress(chosen, "", LOOPBACK_SETTINGS)
    print_summary(summaries)
    out.print(f"\n[bold]newsmon search {query!r}[/bold]")
    from monitor.service import SearchRequest, SearchService

    service = SearchService(config())
    try:
        doc = service.search(SearchRequest.from_params({"q": query, "size": "5"}))
    finally:
        service.close()
    print_hits(doc)
    print_histogram([(b["key"], b["count"]) for b in doc["facets"].get("date", [])], "month")
    store_flag = f"--store {ctx.store_url} " if ctx.store_given else ""
    out.print(f"\nNext: newsmon {store_flag}search 'Erdogan lang:ru' --interval week   ·   "
              f"newsmon {store_flag}stats")
    seed_flag = f" --seed {seed}" if seed != 7 else ""
    out.print(f"The sample web stopped with the demo; the articles' links work again while "
              f"`python -m sampleweb --port {server.port}{seed_flag}` runs.", highlight=False)


def _remove_demo_store() -> None:
    db = demo_store_path()
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"),
                 state_path_for(sqlite_url(db), home())):
        path.unlink(missing_ok=True)
    for path in db.parent.glob(f"{db.stem}.crawlstate.db-*"):
        path.unlink()


from monitor.alerts.commands import build_app as _alerts_app  # noqa: E402

app.add_typer(_alerts_app(lambda: ctx.store_url, fail, out, err), name="alerts")


def main() -> None:
    sys.exit(errors.run(app, log_dir=lambda: home() / "logs"))


if __name__ == "__main__":
    main()
