"""`newsmon crawl`: crawl the configured outlets into the store, with a progress line and a summary."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from index.store import StoreUnavailable, open_store
from monitor.cli.session import LOOPBACK_HELP, Session, err, fail, home, opened, out, select_sources, session


def crawl(
    ctx: typer.Context,
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

    s = session(ctx)
    chosen = select_sources(sources, source)
    state_path = str(state or s.config().state_path)
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

    with alerts_during(s.store_url, wait=alerts_wait) as alerts:  # matches after every batch written
        summaries = run_with_progress(s, chosen, state_path, overrides, verbose, trigger, lease_holder,
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


def run_with_progress(s: Session, chosen, state_path: str, overrides: dict | None, verbose: bool = False,
                      trigger: str = "manual", holder: str = "", on_batch=None):
    """Crawl with a progress line; every crawl is recorded as a run of each source (`newsmon runs`)."""
    from rich.logging import RichHandler

    from monitor.crawl import crawl_log_path, failure_lines, run_crawl
    from monitor.schedule import record_runs

    with opened(s.store_url):  # an unknown or unusable store fails here, before Scrapy starts
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
        summaries = run_crawl(chosen, s.store_url, state_path, overrides, on_event, live_log=live_log,
                              store_options=s.config().store_options(), on_batch=on_batch)
        # recorded before anything is printed: a crawl whose scheduler died (its terminal gone)
        # still leaves its runs, and how they ended
        try:
            with open_store(s.store_url, **s.config().store_options()) as store:
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
        err.print(f"[yellow]warning:[/yellow] {spooled} article(s) went to the spool {s.config().spool_path}: the store "
                  f"{s.store_url} is not answering; `newsmon index replay` (or the next crawl) sends them once it is back",
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


