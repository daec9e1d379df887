"""What newsmon tells Prometheus: GET /metrics on `newsmon serve`, and `newsmon schedule --metrics-port`.

Crawls are counted from the store's run history, not from the process: the crawls the scheduler
or `newsmon crawl` ran, in whatever process, are what `serve` shows. Counters start when the
process starts (a run is counted when it ended after that, read once), as Prometheus expects of
a counter that restarts with its process. The outbox's rows are gauges by status and channel kind
(never a channel's target: webhook URLs and addresses carry secrets); the wait from queued to
sent is a histogram of the rows sent since the process started; the spool is its size in bytes.
"""
from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, SummaryMetricFamily

from index.article import iso
from index.store import Store, StoreUnavailable

# a run is read from the history while it started within this of the newest one counted: longer
# than any crawl (the scheduler stops one after --crawl-timeout, an hour by default)
RUN_WINDOW = timedelta(hours=6)
SEND_BOUNDS = [1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0, 86400.0]
SEARCH_BOUNDS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class RunTally:
    """Totals over the runs recorded in the store that ended after `started`, each read once."""

    def __init__(self, started: datetime):
        self.started = started
        self.seen: dict[tuple, str] = {}  # a counted run's key -> its started_at (to forget it later)
        self.newest = started - RUN_WINDOW
        self.runs, self.failed, self.pages = Counter(), Counter(), Counter()
        self.articles, self.errors, self.seconds = Counter(), Counter(), Counter()
        self.lock = threading.Lock()

    def update(self, store: Store) -> None:
        with self.lock:
            since = iso(self.newest - RUN_WINDOW)
            for run in store.runs(since=since, limit=100_000):
                key = (run.get("source"), run.get("started_at"), run.get("holder"), run.get("ended_at"))
                if key in self.seen or (run.get("ended_at") or "") < iso(self.started):
                    continue
                self.seen[key] = run["started_at"]
                self._count(run)
                self.newest = max(self.newest, datetime.fromisoformat(run["started_at"].replace("Z", "+00:00")))
            self.seen = {k: at for k, at in self.seen.items() if at >= since}

    def _count(self, run: dict) -> None:
        source, reason = run["source"], run.get("finish_reason") or "unknown"
        self.runs[(source, reason)] += 1
        self.failed[source] += reason != "finished"
        self.pages[source] += run.get("pages", 0)
        self.seconds[source] += run.get("duration", 0.0)
        for outcome, n in run.get("outcomes", {}).items():
            self.articles[(source, outcome)] += n
        for kind, n in run.get("errors", {}).items():
            self.errors[(source, kind)] += n


def _counter(name: str, help_text: str, labels: list[str], values: Counter) -> CounterMetricFamily:
    family = CounterMetricFamily(name, help_text, labels=labels)
    for key, value in sorted(values.items()):
        family.add_metric(list(key) if isinstance(key, tuple) else [key], value)
    return family


class NewsmonCollector:
    """Read at each scrape: the run history, the outbox, the spool."""

    def __init__(self, store: Callable[[], Store], outbox_path: Path, spool_path: Path | None,
                 started: datetime | None = None):
        self.store, self.outbox_path, self.spool_path = store, Path(outbox_path), spool_path
        self.tally = RunTally(started or datetime.now(timezone.utc))

    def collect(self):
        up = GaugeMetricFamily("newsmon_store_up", "1 when the store answered this scrape, 0 when it is away")
        try:
            self.tally.update(self.store())
            up.add_metric([], 1)
        except StoreUnavailable:  # the outbox and the spool still tell, and the spool grows just then
            up.add_metric([], 0)
        yield up
        t = self.tally
        yield _counter("newsmon_crawl_runs", "Crawl runs by source and how they ended", ["source", "finish_reason"],
                       t.runs)
        yield _counter("newsmon_crawl_failed_runs", "Crawl runs that did not finish", ["source"], t.failed)
        yield _counter("newsmon_crawl_pages", "Pages fetched by crawls", ["source"], t.pages)
        yield _counter("newsmon_crawl_articles", "Article pages by what they were to the store (stored, "
                       "duplicate, updated, unchanged, off_topic, ...)", ["source", "outcome"], t.articles)
        yield _counter("newsmon_crawl_errors", "Crawl errors by kind", ["source", "kind"], t.errors)
        runs = Counter()
        for (source, _), n in t.runs.items():
            runs[source] += n
        seconds = SummaryMetricFamily("newsmon_crawl_run_seconds", "How long crawl runs took", labels=["source"])
        for source in sorted(runs):
            seconds.add_metric([source], count_value=runs[source], sum_value=t.seconds[source])
        yield seconds
        yield from self._outbox()
        spool = GaugeMetricFamily("newsmon_spool_bytes", "Articles kept on disk while Elasticsearch is away")
        spool.add_metric([], self.spool_path.stat().st_size if self.spool_path and self.spool_path.exists() else 0)
        yield spool

    def _outbox(self):
        rows = GaugeMetricFamily("newsmon_outbox_deliveries", "Alert deliveries by status and channel kind",
                                 labels=["status", "channel"])
        waits = HistogramMetricFamily("newsmon_alert_send_seconds", "From queued to sent, for the deliveries "
                                      "sent since this process started")
        counts, total, n = [0] * len(SEND_BOUNDS), 0.0, 0
        if self.outbox_path.exists():  # an outbox is made by the first alert, not by a scrape
            from monitor.alerts.outbox import Outbox

            outbox = Outbox(self.outbox_path)
            try:
                for (status, kind), count in sorted(outbox.counts_by_channel().items()):
                    rows.add_metric([status, kind], count)
                counts, total, n = outbox.send_delays(self.tally.started.timestamp(), SEND_BOUNDS)
            finally:
                outbox.close()
        waits.add_metric([], [(str(b), c) for b, c in zip(SEND_BOUNDS, counts)] + [("+Inf", n)], sum_value=total)
        yield rows
        yield waits


def registry(store: Callable[[], Store], outbox_path: Path,
             spool_path: Path | None) -> tuple[CollectorRegistry, Histogram]:
    """A registry with the collector (`store` gives the store, opened when first asked) and a
    search-latency histogram the web app observes."""
    reg = CollectorRegistry()
    reg.register(NewsmonCollector(store, outbox_path, spool_path))
    search = Histogram("newsmon_search_seconds", "Time to answer a search (API, page, feeds, stories)",
                       ["route"], buckets=SEARCH_BOUNDS, registry=reg)
    return reg, search

