"""`newsmon schedule` and `newsmon backfill`: crawls run by the scheduler, one process each."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Optional

import typer

from index.article import iso
from monitor.cli.session import LOOPBACK_HELP, Session, err, fail, out, parse_day, select_sources, session


def _scheduler(s: Session, sources: Optional[Path], loopback: bool, setting: list[str], crawl_timeout: float, store,
               lease_seconds: float = 120.0):
    from monitor.schedule import Scheduler

    args = (["--loopback"] if loopback else []) + [a for item in setting for a in ("--set", item)]
    return Scheduler(store, s.store_url, select_sources(sources, []), sources, args, crawl_timeout,
                     lease_seconds=lease_seconds, report=lambda line: err.print(line, highlight=False, markup=False))


def _serve_metrics(s: Session, store, host: str, port: int) -> None:
    """monitor/metrics.py's registry on its own port, in a thread of this process."""
    from prometheus_client import start_http_server

    from monitor.metrics import registry

    config = s.config()
    try:
        start_http_server(port, addr=host, registry=registry(lambda: store, config.outbox_path, config.spool_path)[0])
    except OSError as exc:
        fail(f"--metrics-port {port}: cannot listen on {host}:{port} ({exc.strerror or exc})")
    err.print(f"metrics on http://{host}:{port}/metrics")


def schedule(
    ctx: typer.Context,
    sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file (default: the packaged one)."),
    loopback: bool = typer.Option(False, "--loopback", help=LOOPBACK_HELP),
    setting: list[str] = typer.Option([], "--set", help="A Scrapy setting for every crawl."),
    crawl_timeout: float = typer.Option(3600, "--crawl-timeout", min=1, help="Seconds before a crawl is stopped."),
    cycles: Optional[int] = typer.Option(None, "--cycles", help="Stop after this many crawls (default: never)."),
    lease_seconds: float = typer.Option(120.0, "--lease-seconds", min=2,
                                        help="How long a source's lease lasts unrenewed: the longest another "
                                             "scheduler waits to take over from one that died or stalled."),
    metrics_port: Optional[int] = typer.Option(None, "--metrics-port", min=1, max=65535,
                                               help="Serve Prometheus metrics (GET /metrics) on this port."),
    metrics_host: str = typer.Option("127.0.0.1", "--metrics-host", help="The address the metrics listen on."),
):
    """Crawl each source at its crawl_interval until stopped (SIGTERM or Ctrl-C), one crawl per process."""
    s = session(ctx)
    with s.opened_store() as store:
        if metrics_port:
            _serve_metrics(s, store, metrics_host, metrics_port)
        scheduler = _scheduler(s, sources, loopback, setting, crawl_timeout, store, lease_seconds)
        err.print(f"scheduling {len(scheduler.sources)} source(s) into {s.store_url} as {scheduler.holder}")
        done = scheduler.serve(cycles=cycles)
    err.print(f"scheduler stopped after {done} crawl(s)")


def backfill(
    ctx: typer.Context,
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
    s = session(ctx)
    with s.opened_store() as store:
        scheduler = _scheduler(s, sources, loopback, setting, 24 * 3600, store)
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
