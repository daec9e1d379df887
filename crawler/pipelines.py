"""Scrapy pipeline: a thin adapter from crawled pages to the stages, and on to the store writer."""
from __future__ import annotations

import logging

from crawler import workers
from crawler.items import ArticlePage, BuiltArticle
from crawler.outcomes import Outcome, error
from crawler.signals import settle
from crawler.stages import StageOptions, StageResult
from crawler.stages.extract import is_truncated
from index.article import parse_iso

log = logging.getLogger(__name__)
UTF8 = ("utf-8", "utf8", "ascii")


class ArticlePipeline:
    """Turns each fetched ArticlePage into exactly one outcome: settled here (article_settled), or an
    on-topic BuiltArticle that the store writer (crawler.writer.StoreWriter) settles once written.

    The stages run in worker processes (NEWSMON_WORKERS, default one per core): the process's
    pool (`crawler.newsmon_stages`, see monitor/crawl.py), else one of its own.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.workers = workers.workers_setting(settings.get("NEWSMON_WORKERS"))
        self.stage_options = StageOptions.from_dict(settings.getdict("NEWSMON_STAGE_OPTIONS"))
        # a backfill stores its window only
        self.since = parse_iso(settings.get("NEWSMON_BACKFILL_SINCE") or None)
        self.until = parse_iso(settings.get("NEWSMON_BACKFILL_UNTIL") or None)
        self.stages = getattr(crawler, "newsmon_stages", None)
        self.own_stages = self.stages is None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        if self.own_stages:
            self.stages = workers.StagePool(self.workers)

    def close_spider(self):
        if self.own_stages and self.stages is not None:
            self.stages.close()

    async def process_item(self, page: ArticlePage) -> BuiltArticle:
        stats = self.crawler.stats
        if page.encoding and page.encoding.lower().replace("_", "-") not in UTF8:
            stats.inc_value(f"newsmon/encoding/{page.encoding.lower()}")
        if not page.html.strip():  # an empty answer is no article, not a cut-off one
            return self._settled(page, Outcome.EMPTY, validators=True)
        if is_truncated(page.html):
            # half an article is not the article: not stored, fetched whole on a later crawl
            return self._settled(page, error("truncated"))
        html = page.html
        if len(html) > page.source.max_html_chars:
            stats.inc_value("newsmon/limits/html_capped")
            html = html[:page.source.max_html_chars]
        result = await self._build(page, html)
        if isinstance(result, str):
            return self._settled(page, result)
        if result.status == "empty":
            log.info("no article at %s: %s", page.url, result.reason)
        if result.status != Outcome.ON_TOPIC:
            return self._settled(page, Outcome(result.status), validators=True)
        if self._outside_window(result.article.published_at):
            # no validators kept, so a later crawl or another window's backfill that lists the page still fetches it
            return self._settled(page, Outcome.OUTSIDE_WINDOW)
        return BuiltArticle(page.url, Outcome.ON_TOPIC, page, result.article)

    async def _build(self, page: ArticlePage, html: str) -> StageResult | str:
        """The stages' result, or the error outcome of a page they could not finish."""
        source = page.source
        try:
            return await self.stages.build(html, page.url, source.id, source.country, page.discovery,
                                           page.canonical_url, timeout=source.extraction_seconds,
                                           options=self.stage_options)
        except workers.StageTimeout:
            log.warning("extraction of %s ran out of time", page.url)
            return error("extraction_timeout")
        except workers.WorkerDied:
            log.error("a worker died twice on %s", page.url)
            return error("worker_died")
        except Exception:  # a stage bug costs this page, counted, never the crawl
            log.exception("processing %s failed", page.url)
            return error("processing")

    def _outside_window(self, published_at) -> bool:
        """In a backfill: an article whose own date falls outside the window (an undated one is kept)."""
        if self.since is None or published_at is None:
            return False
        return published_at < self.since or bool(self.until and published_at > self.until)

    def _settled(self, page: ArticlePage, outcome: str, validators: bool = False) -> BuiltArticle:
        settle(self.crawler, page.source.id, page.urls, outcome,
               etag=page.etag if validators else None, last_modified=page.last_modified if validators else None)
        return BuiltArticle(page.url, outcome)
