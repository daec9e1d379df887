"""Run crawls of several sources in one Scrapy process and summarise what happened."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as default_settings
from crawler.sources import Source
from spiders.news import NewsSpider

# Settings for crawling loopback servers (the sample web, tests): no politeness delay needed.
LOOPBACK_SETTINGS = {
    "AUTOTHROTTLE_START_DELAY": 0.0,
    "AUTOTHROTTLE_MAX_DELAY": 0.5,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "RETRY_TIMES": 1,
    "DOWNLOAD_TIMEOUT": 10,
}


@dataclass
class SourceSummary:
    source: str
    pages: int = 0
    stored: int = 0
    duplicates: int = 0
    off_topic: int = 0
    unchanged: int = 0
    empty: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    encodings: dict[str, int] = field(default_factory=dict)  # pages decoded from a legacy charset
    robots_forbidden: int = 0
    finish_reason: str = ""

    @classmethod
    def from_stats(cls, source: str, stats: dict) -> "SourceSummary":
        get = lambda key: int(stats.get(key, 0))  # noqa: E731
        def prefixed(prefix: str) -> dict[str, int]:
            return {k[len(prefix):]: int(v) for k, v in stats.items() if k.startswith(prefix)}

        return cls(
            source=source,
            pages=get("response_received_count"),
            stored=get("newsmon/articles/stored"),
            duplicates=get("newsmon/articles/duplicates"),
            off_topic=get("newsmon/articles/off_topic"),
            unchanged=get("newsmon/articles/unchanged") + get("newsmon/articles/not_modified"),
            empty=get("newsmon/articles/empty"),
            errors=prefixed("newsmon/errors/"),
            encodings=prefixed("newsmon/encoding/"),
            robots_forbidden=get("robotstxt/forbidden"),
            finish_reason=str(stats.get("finish_reason", "")),
        )


def run_crawl(
    sources: list[Source],
    store_url: str,
    state_path: str,
    overrides: dict | None = None,
    on_event: Callable[[str, str], None] | None = None,
    store_options: dict | None = None,
) -> list[SourceSummary]:
    """Crawl the sources into the store; `on_event(source_id, kind)` reports progress.

    `store_options` go to index.open_store (see monitor.config.Config.store_options).
    """
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.set("NEWSMON_STORE", store_url, priority="cmdline")
    settings.set("NEWSMON_STATE", state_path, priority="cmdline")
    settings.set("NEWSMON_STORE_OPTIONS", dict(store_options or {}), priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = []
    for source in sources:
        crawler = process.create_crawler(NewsSpider)
        if on_event is not None:
            _connect(crawler, source.id, on_event)
        crawlers.append((source.id, crawler))
        process.crawl(crawler, source=source)
    process.start()
    return [SourceSummary.from_stats(sid, crawler.stats.get_stats()) for sid, crawler in crawlers]


def _connect(crawler, source_id: str, on_event: Callable[[str, str], None]) -> None:
    def page(**_):
        on_event(source_id, "page")

    def item(item, **_):
        on_event(source_id, item.get("status", "item"))

    # keep references: Scrapy's signal manager holds receivers weakly
    crawler._newsmon_receivers = (page, item)
    crawler.signals.connect(page, signal=signals.response_received)
    crawler.signals.connect(item, signal=signals.item_scraped)
