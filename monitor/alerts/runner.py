"""Alerts alongside a crawl: match after every batch the writer commits, deliver at once.

A background thread with its own store connection does the work, so the crawl never waits on
a slow receiver; the writer's batch_written signal (crawler.signals) only wakes it.
"""
from __future__ import annotations

import logging
import threading
from collections import Counter
from contextlib import contextmanager
from typing import Iterator

from index.article import Article
from monitor.alerts.matcher import MatchReport
from monitor.alerts.model import channel_label
from monitor.alerts.service import AlertsService

POLL_SECONDS = 1.0  # retries that fall due are sent within this, even with no new batch
log = logging.getLogger(__name__)


class AlertsRunner(threading.Thread):
    def __init__(self, store_url: str, outbox: str | None = None):
        super().__init__(name="newsmon-alerts", daemon=True)
        self.store_url = store_url
        self.outbox = outbox
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.sent: Counter = Counter()
        self.matched = MatchReport()
        self.rounds = 0
        self.pending = self.dead = 0
        self.failing: list[tuple] = []  # the outbox's commonest failure, after the crawl

    def on_flush(self, store_url: str, articles: list[Article]) -> None:
        """A receiver of batch_written: connect it to each crawler writing into the store."""
        if store_url == self.store_url:
            self.wake.set()

    def run(self) -> None:
        with AlertsService(self.store_url, outbox=self.outbox) as service:
            while not self.stopping.is_set():
                self.wake.wait(POLL_SECONDS)
                if self.stopping.is_set():
                    break
                matched = self.wake.is_set()
                self.wake.clear()
                self._round(service, match=matched)

    def _round(self, service: AlertsService, match: bool, wait: float = 0.0, close_backlog: bool = False) -> None:
        try:
            if match:
                report = service.match()
                self.matched.queued += report.queued
                self.matched.backlog += report.backlog
                self.matched.suppressed += report.suppressed
                self.matched.errors.update(report.errors)
            self.sent.update(service.deliver(wait=wait, close_backlog=close_backlog))
            self.rounds += 1
        except Exception as exc:  # the next batch or poll tries again; the outbox keeps everything
            log.error("alerts round failed: %s", exc, exc_info=True)

    def finish(self, wait: float) -> None:
        """Stop the thread, then match once more and deliver, retrying for up to `wait` seconds; the
        backlog this crawl found goes out as one digest per (alert, channel)."""
        self.stopping.set()
        self.wake.set()
        self.join()
        with AlertsService(self.store_url, outbox=self.outbox) as service:
            self._round(service, match=True, wait=wait, close_backlog=True)
            counts = service.outbox.counts()
            self.pending, self.dead = counts.get("pending", 0), counts.get("dead", 0)
            self.failing = service.outbox.failures(limit=1)

    def summary(self) -> str:
        """One line for the crawl's output."""
        errors = "".join(f"; alert {n}: {r}" for n, r in self.matched.errors.items())
        errors += "".join(f"; {channel_label(channel)} ({alert}): {error}"  # an apprise URL's secrets masked
                          for alert, channel, _, error, _ in self.failing)
        backlog = f"{self.matched.backlog} backlog (one digest per channel, or skipped), " if self.matched.backlog else ""
        return (f"alerts: {self.matched.queued} queued, {backlog}{self.matched.suppressed} copies not sent again, "
                f"{self.sent.get('sent', 0)} sent, {self.pending} pending, {self.dead} dead{errors}")


@contextmanager
def alerts_during(store_url: str, wait: float = 10.0, outbox: str | None = None) -> Iterator[AlertsRunner | None]:
    """Run alert matching and delivery while the body (a crawl) writes to the store; the body
    connects the runner's `on_flush` to its crawlers' batch_written (monitor.crawl.run_crawl's on_batch).

    Yields None, doing nothing, when the store has no alerts or cannot be asked now (a cluster
    that is away: the crawl spools, and the next crawl or `alerts deliver` matches).
    """
    try:
        with AlertsService(store_url, outbox=outbox) as service:
            any_alert = bool(service.alerts.all())
    except Exception as exc:
        log.warning("alerts not run during this crawl: %s", exc)
        any_alert = False
    if not any_alert:
        yield None
        return
    runner = AlertsRunner(store_url, outbox)
    runner.start()
    try:
        yield runner
    finally:
        runner.finish(wait)
