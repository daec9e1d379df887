"""The CPU-bound stages in worker processes: the reactor keeps downloading, and a page has a time budget.

One pool per crawl process, shared by every spider (like the writer): the process's runner owns
it (monitor/crawl.py sets it as `crawler.newsmon_stages`), else the pipeline starts its own. A page that takes longer
than its budget has its worker killed and replaced (pebble does both), and comes back as
`StageTimeout`; a worker that dies mid-page is retried once, then `WorkerDied`.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from pebble import ProcessExpired, ProcessPool

from crawler.discovery import Candidate
from crawler.stages import DEFAULT_STAGES, StageOptions, StageResult, build_article


class StageTimeout(Exception):
    """The stages took longer than the page's time budget."""


class WorkerDied(Exception):
    """The worker process died on this page twice."""


WARM_UP_PAGE = ("<html><body><article><h1>Türkiye ve Azərbaycan</h1>"
                + "<p>Prezident İlham Əliyev Bakıda Türkiyə nümayəndə heyətini qəbul edib.</p>" * 5
                + "<p>Президент Азербайджана принял делегацию Турции в Баку.</p>" * 5 + "</article></body></html>")


def warm_up() -> None:
    """Load the stages' models before a worker takes pages, so no page's time budget pays for it."""
    build_article(WARM_UP_PAGE, "http://warm-up.invalid/news/1")


class StagePool:
    def __init__(self, workers: int):
        self.workers = workers
        self._starting: threading.Thread | None = None  # start_soon's thread, while it starts the workers
        self.in_flight = 0  # pages handed to the workers and not back yet
        # forkserver: workers do not inherit the reactor's threads and sockets
        self.pool = self._start() if workers > 0 else None

    def _start(self) -> ProcessPool:
        context = multiprocessing.get_context("forkserver")
        # the fork server imports the stages once; each worker (and each replacement of a killed
        # one) is forked from it with trafilatura, lxml and the language models' code loaded
        context.set_forkserver_preload(["__main__", "crawler.stages", "datasketch"])
        return ProcessPool(max_workers=self.workers, context=context, initializer=warm_up)

    def start_soon(self) -> None:
        """Start the workers now, on a thread: pebble starts them on first use, and the fork
        server's imports and each worker's warm-up (a second or two) would hold the first page."""
        if self.pool is not None:
            self._starting = threading.Thread(target=lambda: self.pool.active, daemon=True, name="newsmon-stages-start")
            self._starting.start()

    async def build(self, html: str, url: str, source_id: str, country: str, discovery: Candidate | None,
                    canonical_url: str | None, timeout: float, options: StageOptions = DEFAULT_STAGES) -> StageResult:
        """build_article in a worker; with 0 workers, inline (no time budget).

        The options travel with each page (a few hundred bytes pickled), so spiders of one
        process may differ in them while sharing the pool.
        """
        args = (html, url, source_id, country, discovery, canonical_url, options)
        if self.pool is None:
            return build_article(*args)
        for attempt in (1, 2):
            try:
                future = self.pool.schedule(build_article, args=args, timeout=timeout)
                self.in_flight += 1
                try:
                    return await asyncio.wrap_future(future)
                finally:
                    self.in_flight -= 1
            except FutureTimeout:
                raise StageTimeout(f"stages took over {timeout:g} s") from None
            except (ProcessExpired, BrokenProcessPool) as exc:
                if isinstance(exc, BrokenProcessPool):  # every worker died (one while starting): start anew
                    self.pool.stop()
                    self.pool = self._start()
                if attempt == 2:
                    raise WorkerDied("the worker died on this page twice") from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.pool is not None:
            # a crawl over in a second (nothing new) may end while its workers are still being
            # started: stopping the pool then removes what a starting worker is about to read,
            # and the fork server prints that worker's traceback
            if self._starting is not None:
                self._starting.join(timeout=30)
            if self.in_flight:
                self.pool.stop()  # stop, not close: a crawl being shut down does not wait on pages
            else:  # nothing to wait on: workers still starting (a busy machine) finish, then leave
                self.pool.close()
            try:
                self.pool.join(timeout=10)
            except TimeoutError:
                self.pool.stop()
                self.pool.join(timeout=10)


def workers_setting(value) -> int:
    """NEWSMON_WORKERS as a count; unset (None or "") means one per core."""
    return (os.cpu_count() or 1) if value in (None, "") else int(value)
