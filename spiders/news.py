"""The config-driven news spider: one source, discovered through feeds, sitemaps and sections.

Split by job: discovery (spiders/discovery.py), article requests and pages (spiders/articles.py),
failed requests (spiders/failures.py). What becomes of a page is the pipeline's and the store
writer's to say; the crawl state is an extension (crawler.state.CrawlStateExtension).
"""
from __future__ import annotations

from dataclasses import replace
from functools import cached_property

import scrapy

from crawler.discovery import Candidate
from crawler.quietlog import cannot_start
from crawler.signals import settle
from crawler.sources import Source, SourcesError, load_sources
from crawler.state import CrawlStateExtension
from crawler.urls import canonical
from index.article import parse_iso
from spiders.articles import NOT_MODIFIED, ArticleRequests, Discovered, listing_candidate
from spiders.discovery import Discovery
from spiders.failures import FailureHandling

BACKFILL_SITEMAPS = 100_000  # a backfill follows every child sitemap in its window
BACKFILL_SECTION_PAGES = 1_000


class NewsSpider(Discovery, ArticleRequests, FailureHandling, scrapy.Spider):
    """Crawl one outlet: `scrapy crawl news -a source=ID [-a sources=FILE]`."""

    name = "news"
    custom_settings = {"HTTPERROR_ALLOWED_CODES": [NOT_MODIFIED]}

    def __init__(self, source: str | Source | None = None, sources: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(source, Source):
            self.source = source
        else:
            try:
                by_id = {s.id: s for s in load_sources(sources)}
            except SourcesError as exc:
                raise cannot_start(str(exc)) from None
            if source not in by_id:
                raise cannot_start(f"unknown source {source!r}; known: {', '.join(sorted(by_id))}")
            self.source = by_id[source]
        self.name = f"news:{self.source.id}"
        self.allowed_domains = self.source.allowed_domains
        # URLs asked for in this crawl, once each; an article's maps to the discovery record its
        # request carries, so a richer listing seen while it is in flight still reaches it
        self.requested: dict[str, Discovered | None] = {}
        # article URLs listed again but settled before and unchanged, with their richest listing
        self.skipped: dict[str, Candidate] = {}
        self.sitemaps_asked: set[str] = set()
        self.sitemaps_followed = 0  # child sitemaps followed in this crawl, against max_sitemaps
        self.section_pages: dict[str, int] = {}  # pages walked per section, against max_section_pages
        self.backfill_since = self.backfill_until = None  # set from the crawl's settings
        self.fallbacks_tried: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        # a backfill reaches into the archives: every in-range sitemap, deep section pagination
        spider.backfill_since = parse_iso(crawler.settings.get("NEWSMON_BACKFILL_SINCE") or None)
        spider.backfill_until = parse_iso(crawler.settings.get("NEWSMON_BACKFILL_UNTIL") or None)
        if spider.backfill_since is not None:
            spider.source = replace(spider.source, max_sitemaps=BACKFILL_SITEMAPS,
                                    max_section_pages=BACKFILL_SECTION_PAGES)
        return spider

    @cached_property
    def state(self):
        """The crawl state (NEWSMON_STATE_STORAGE), opened by its extension."""
        return self.crawler.get_extension(CrawlStateExtension).state

    def out_of_range(self, candidate: Candidate) -> bool:
        """In a backfill: listed as last changed before the window, or published after it."""
        if self.backfill_since is None:
            return False
        if candidate.changed_at is not None and candidate.changed_at < self.backfill_since:
            return True
        return bool(self.backfill_until and candidate.published_at and candidate.published_at > self.backfill_until)

    def closed(self, reason: str) -> None:
        self.crawler.stats.set_value("newsmon/articles/skipped", len(set(self.skipped) - set(self.requested)))

    # --- bookkeeping -------------------------------------------------------------------
    def count(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"newsmon/{key}", n)

    def settle(self, urls: list[str], outcome: str, standing: str = "", canonical_url: str | None = None) -> None:
        """End one article request in one counted outcome (crawler.signals.settle)."""
        settle(self.crawler, self.source.id, urls, outcome, standing=standing, canonical_url=canonical_url)

    # --- the start -----------------------------------------------------------------------
    async def start(self):
        for request in self._start_requests():
            yield request

    def _start_requests(self):
        src = self.source
        if src.robots_sitemaps:
            robots = canonical("/robots.txt", base=src.base_url)
            yield scrapy.Request(robots, callback=self.parse_robots, errback=self.failed,
                                 meta={"kind": "robots", "robots_txt": True}, dont_filter=True)
        for url in src.feeds:
            yield self._conditional(canonical(url), self.parse_feed, "feed", configured=True)
        for url in src.sitemaps:
            yield self._conditional(canonical(url), self.parse_sitemap, "sitemap", configured=True)
        yield from self._resumed()
        for url in src.sections:
            yield scrapy.Request(canonical(url), callback=self.parse_section, errback=self.failed,
                                 meta={"kind": "section", "section": canonical(url), "page": 1}, dont_filter=True)

    def _resumed(self):
        """What an earlier crawl listed and never finished, then the article URLs whose fetch failed."""
        for due in self.state.due(self.source.id):
            # listed by an earlier crawl that ended before it had an answer: asked for now
            if due.kind == "sitemap":
                self.count("discovery/sitemaps_resumed")
                yield self._conditional(due.url, self.parse_sitemap, "sitemap")
            elif due.url not in self.requested:
                self.count("articles/resumed")
                yield self._article(due.url, listing_candidate(due.url, due.listing))
        for url in self.state.retry_urls(self.source.id):
            if url not in self.requested and self.source.is_article_url(url):
                self.count("articles/retried")
                yield self._article(url, None)
