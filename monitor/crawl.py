"""Run crawls of several sources in one Scrapy process and summarise what happened."""
from __future__ import annotations

import logging
import os
import signal
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as default_settings
from crawler.outcomes import NEW, Outcome
from crawler.signals import batch_written
from crawler.sources import Source
from crawler.workers import StagePool, workers_setting
from crawler.writer import WriterPool
from monitor.config import load_config
from spiders.news import NewsSpider

# Settings for crawling loopback servers (the sample web, tests): no politeness delay needed.
LOOPBACK_SETTINGS = {
    "AUTOTHROTTLE_START_DELAY": 0.0,
    "AUTOTHROTTLE_MAX_DELAY": 0.5,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "RETRY_TIMES": 1,
    "DOWNLOAD_TIMEOUT": 10,
    "NEWSMON_ALLOW_LOOPBACK": True,
}


@dataclass
class SourceSummary:
    """What one crawl did for one source. Every article request ends in one outcome, so
    `sum(outcomes.values()) == article_responses == article_requests` for a finished crawl."""

    source: str
    pages: int = 0
    article_requests: int = 0
    article_responses: int = 0  # article requests answered: a page, an error, or robots.txt's no
    not_done: int = 0  # article requests a stopped crawl never got an answer to (fetched next time)
    outcomes: dict[str, int] = field(default_factory=dict)
    stored: int = 0  # new articles written (duplicates included)
    updated: int = 0
    duplicates: int = 0
    off_topic: int = 0
    unchanged: int = 0
    skipped: int = 0  # discovered again, settled by an earlier crawl: not requested
    empty: int = 0
    errors: dict[str, int] = field(default_factory=dict)  # article and discovery failures by kind
    encodings: dict[str, int] = field(default_factory=dict)  # pages decoded from a legacy charset
    robots_forbidden: int = 0
    finish_reason: str = ""
    unwritable: str = ""  # why a crawl stopped early because its store or crawl state could not be written
    # when its spider closed (UTC, ISO): the end of its run, which its lease covered to the last
    # write; what the process does after (stopping the stage pool, recording) holds no lease
    finished_at: str = ""

    @classmethod
    def from_stats(cls, source: str, stats: dict) -> "SourceSummary":
        get = lambda key: int(stats.get(key, 0))  # noqa: E731
        def prefixed(prefix: str) -> dict[str, int]:
            return {k[len(prefix):]: int(v) for k, v in stats.items() if k.startswith(prefix)}

        outcomes = prefixed("newsmon/outcomes/")
        return cls(
            source=source,
            pages=get("response_received_count"),
            article_requests=get("newsmon/article_requests"),
            article_responses=get("newsmon/article_responses"),
            not_done=get("newsmon/article_requests") - get("newsmon/article_responses"),
            outcomes=dict(sorted(outcomes.items())),
            stored=sum(outcomes.get(k, 0) for k in NEW),
            updated=outcomes.get(Outcome.UPDATED, 0),
            duplicates=outcomes.get(Outcome.DUPLICATE, 0),
            off_topic=outcomes.get(Outcome.OFF_TOPIC, 0),
            unchanged=outcomes.get(Outcome.UNCHANGED, 0),
            skipped=get("newsmon/articles/skipped"),
            empty=outcomes.get(Outcome.EMPTY, 0),
            errors=prefixed("newsmon/errors/"),
            encodings=prefixed("newsmon/encoding/"),
            robots_forbidden=outcomes.get(Outcome.ROBOTS_FORBIDDEN, 0),
            finish_reason=str(stats.get("finish_reason", "")),
            unwritable=str(stats.get("newsmon/unwritable", "")),
            finished_at=stats["finish_time"].isoformat() if stats.get("finish_time") else "",
        )


def run_crawl(
    sources: list[Source],
    store_url: str,
    state_path: str,
    overrides: dict | None = None,
    on_event: Callable[[str, str], None] | None = None,
    live_log: logging.Handler | None = None,
    store_options: dict | None = None,
    on_batch: Callable[[str, list], None] | None = None,
) -> list[SourceSummary]:
    """Crawl the sources into the store; `on_event(source_id, kind)` reports progress, and
    `on_batch(store_url, articles)` hears of every batch written (crawler.signals.batch_written).

    Scrapy logs where the LOG_FILE setting says; `live_log` gets the same records as well.
    `store_options` go to index.open_store (see monitor.config.Config.store_options).
    """
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.set("NEWSMON_STORE", store_url, priority="cmdline")
    settings.set("NEWSMON_STATE", state_path, priority="cmdline")
    settings.set("NEWSMON_STATE_LOCAL", str(load_config(store_url).state_path), priority="cmdline")
    settings.set("NEWSMON_STORE_OPTIONS", dict(store_options or {}), priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    # the stage workers start now, while Scrapy sets up and fetches robots.txt and sitemaps: their
    # fork server's imports and warm-up no longer hold back the first pages (every crawler's
    # pipeline finds this pool started, as it finds the one writer per store: see _run)
    stages = StagePool(workers_setting(settings.get("NEWSMON_WORKERS")))
    stages.start_soon()
    try:
        return _run(sources, settings, on_event, live_log, stages, on_batch)
    finally:
        stages.close()


def _run(sources: list[Source], settings: Settings, on_event, live_log, stages: StagePool,
         on_batch) -> list[SourceSummary]:
    process = CrawlerProcess(settings)  # installs the root log handler (LOG_FILE)
    if live_log is not None:
        live_log.setLevel(settings.get("LOG_LEVEL"))
        logging.getLogger().addHandler(live_log)
    writers = WriterPool()  # one writer per store for all the crawlers: one batch, deduplicated across them
    crawlers = []
    for source in sources:
        crawler = process.create_crawler(NewsSpider)
        crawler.newsmon_stages, crawler.newsmon_writers = stages, writers
        if on_batch is not None:
            crawler.signals.connect(on_batch, signal=batch_written)
        if on_event is not None:
            _connect(crawler, source.id, on_event)
        crawlers.append((source.id, crawler))
        process.crawl(crawler, source=source).addErrback(_log_start_failure, source.id)
    stopping = []

    def parent_gone(signum, frame) -> None:  # the scheduler died: stop gracefully, once
        if not stopping:
            stopping.append(signum)
            from twisted.internet import reactor

            reactor.callFromThread(process.stop)

    signal.signal(signal.SIGHUP, parent_gone)
    if settings.get("NEWSMON_LEASE_HOLDER"):  # started by a scheduler: end with it
        _hangup_with_parent()
    try:
        process.start()
    finally:
        if live_log is not None:
            logging.getLogger().removeHandler(live_log)
    return [SourceSummary.from_stats(sid, _stats(crawler)) for sid, crawler in crawlers]


def _hangup_with_parent() -> None:
    """Get SIGHUP when the scheduler that started this crawl dies, and stop as at SIGTERM, so no
    orphan crawl outlives its lease. Not SIGTERM itself: it can arrive twice (once per thread of a
    dying scheduler), and Scrapy takes a second SIGTERM as "stop now, write nothing"."""
    parent = os.getppid()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGHUP)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return  # not Linux: the lease's expiry still bounds an orphan's overlap
    if os.getppid() != parent:  # it died before the line above
        os.kill(os.getpid(), signal.SIGHUP)


def _stats(crawler) -> dict:
    try:
        return crawler.stats.get_stats()
    except RuntimeError:  # a crawler that never started has no stats: its summary has no finish_reason
        return {}


def _log_start_failure(failure, source_id: str) -> None:
    """A crawl that could not start goes to the log, not to the terminal as an unhandled error."""
    logging.getLogger(__name__).error("the crawl of %s did not start: %s", source_id, failure.value,
                                      exc_info=(failure.type, failure.value, failure.getTracebackObject()))


def _connect(crawler, source_id: str, on_event: Callable[[str, str], None]) -> None:
    def page(**_):
        on_event(source_id, "page")

    def item(item, **_):
        on_event(source_id, getattr(item, "status", "item"))

    # keep references: Scrapy's signal manager holds receivers weakly
    crawler._newsmon_receivers = (page, item)
    crawler.signals.connect(page, signal=signals.response_received)
    crawler.signals.connect(item, signal=signals.item_scraped)


# What each failure counted by the spider means, for the console's warning lines.
FAILURE_MEANINGS = {
    "dns": "host name does not resolve",
    "connection_refused": "connection refused",
    "timeout": "no answer in time",
    "download_failed": "download broke off",
    "redirect_loop": "redirects in a loop",
    "truncated": "page arrived cut short (not stored; fetched again next crawl)",
    "too_large": "page over the source's size limit (max_page_bytes / max_sitemap_bytes)",
    "extraction_timeout": "extraction ran past the source's extraction_seconds",
    "worker_died": "the extraction worker died on the page twice",
    "processing": "the stages failed on the page (see the log)",
    "store": "the store refused the article (see the log)",
    "lease_lost": "another crawl holds the source now: not written, left due for it",
    "offsite": "a request or redirect left the source's hosts (refused)",
    "scheme": "a URL that is not http(s) (refused)",
    "url_too_long": "a URL longer than URLLENGTH_LIMIT, 2,083 characters (refused)",
    "address_loopback": "a loopback address (refused; --loopback allows it)",
    "address_private": "a private-network address (refused; allow_private = true allows it)",
    "address_forbidden": "a link-local or metadata address (always refused)",
    "cancelled": "download cancelled by the stop (fetched next crawl)",
    "not_html": "not an HTML page",
    "bad_feed": "not a feed",
    "bad_sitemap": "not a sitemap",
    "ignored": "request dropped",
    "other": "failed (see the log)",
}


def crawl_log_path(folder: Path, kind: str = "crawl") -> Path:
    """A new log file for one crawl (or another `kind` of run, e.g. import): folder/crawl-YYYYmmdd-HHMMSS.log."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{kind}-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}"
    path, n = folder / f"{stem}.log", 1
    while path.exists():  # two crawls in one second keep two logs
        n += 1
        path = folder / f"{stem}-{n}.log"
    return path


def failure_lines(summaries: list[SourceSummary]) -> list[str]:
    """One line per failure kind per source, with its count: what the console shows of the log."""
    lines = []
    for s in summaries:
        for kind, count in sorted(s.errors.items()):
            meaning = FAILURE_MEANINGS.get(kind) or (
                f"HTTP {kind[5:]} answers" if kind.startswith("http_") else kind.replace("_", " "))
            lines.append(f"{s.source}: {kind} ×{count} — {meaning}")
    return lines
