"""The config-driven news spider: one source, discovered through feeds, sitemaps and sections."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.defer import CancelledError

from crawler.stages.extract import canonical_link, decode
from crawler.guard import Refused
from crawler.lease import LeaseLost
from crawler.quietlog import cannot_start
from crawler.discovery import Candidate, DiscoveryError, parse_feed, parse_sitemap, robots_sitemaps
from crawler.sources import Source, SourcesError, load_sources
from crawler.state import StateUnwritable, is_settled, open_state
from crawler.urls import canonical
from index.article import iso, parse_iso
from monitor.config import load_config

NOT_MODIFIED = 304
UNWRITABLE = "unwritable"  # the finish reason of a crawl stopped because its store or state cannot be written
BACKFILL_SITEMAPS = 100_000  # a backfill follows every child sitemap in its window
BACKFILL_SECTION_PAGES = 1_000


class NewsSpider(scrapy.Spider):
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
        self.requested: set[str] = set()  # article URLs asked for in this crawl, once each
        self.skipped: set[str] = set()  # article URLs listed again but settled before and unchanged
        self.sitemaps_asked: set[str] = set()
        self.sitemaps_followed = 0  # child sitemaps followed in this crawl, against max_sitemaps
        self.section_pages: dict[str, int] = {}  # pages walked per section, against max_section_pages
        self.backfill_since = self.backfill_until = None  # set from the crawl's settings
        self.fallbacks_tried: set[str] = set()
        self.discovered: dict[str, Candidate] = {}
        self.unwritable: str | None = None  # why the crawl stopped, when the disk would take no more

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        # a state named by --state is that file; otherwise the store's own: beside a SQLite file, or
        # in the Elasticsearch cluster, shared by every machine crawling into it
        store_url = crawler.settings.get("NEWSMON_STORE")
        named = crawler.settings.get("NEWSMON_STATE")
        config = load_config(store_url)
        spider.state = open_state(named or config.state_path, store_url,
                                  crawler.settings.getdict("NEWSMON_STORE_OPTIONS") or config.store_options(),
                                  shared=not named)
        # a backfill reaches into the archives: every in-range sitemap, deep section pagination
        spider.backfill_since = parse_iso(crawler.settings.get("NEWSMON_BACKFILL_SINCE") or None)
        spider.backfill_until = parse_iso(crawler.settings.get("NEWSMON_BACKFILL_UNTIL") or None)
        if spider.backfill_since is not None:
            spider.source = replace(spider.source, max_sitemaps=BACKFILL_SITEMAPS,
                                    max_section_pages=BACKFILL_SECTION_PAGES)
        crawler.signals.connect(spider._on_error, signal=signals.spider_error)
        crawler.signals.connect(spider._on_error, signal=signals.item_error)
        return spider

    def _on_error(self, failure, **_) -> None:
        if failure.check(StateUnwritable):
            self.stop_unwritable(str(failure.value))

    def stop_unwritable(self, why: str) -> None:
        """Stop the crawl: the store or the crawl state cannot be written (a full disk, a read-only one).

        Everything not written stays due for the next crawl; the finish reason says why.
        """
        if self.unwritable is not None:
            return
        self.unwritable = why
        self.logger.error("stopping the crawl: %s", why)
        self.crawler.stats.set_value("newsmon/unwritable", why)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=UNWRITABLE))

    def outside_window(self, published_at: datetime | None) -> bool:
        """In a backfill: an article whose own date falls outside the window (an undated one is kept)."""
        if self.backfill_since is None or published_at is None:
            return False
        return published_at < self.backfill_since or bool(self.backfill_until and published_at > self.backfill_until)

    def out_of_range(self, candidate: Candidate) -> bool:
        """In a backfill: listed as last changed before the window, or published after it."""
        if self.backfill_since is None:
            return False
        if candidate.changed_at is not None and candidate.changed_at < self.backfill_since:
            return True
        return bool(self.backfill_until and candidate.published_at and candidate.published_at > self.backfill_until)

    def closed(self, reason: str) -> None:
        self.crawler.stats.set_value("newsmon/articles/skipped", len(self.skipped - self.requested))
        self.state.close()

    # --- bookkeeping -------------------------------------------------------------------
    def count(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"newsmon/{key}", n)

    def count_outcome(self, outcome: str) -> None:
        """Count one article request's outcome (an `error:KIND` under errors too), recording nothing."""
        self.count(f"outcomes/{outcome}")
        if outcome.startswith("error:"):
            self.count(f"errors/{outcome[len('error:'):]}")

    def settle(self, urls: list[str], outcome: str, standing: str | None = None, canonical_url: str | None = None,
               etag: str | None = None, last_modified: str | None = None) -> None:
        """End one article request in exactly one counted outcome, and remember its URLs' standing.

        `standing` is what the crawl state keeps when it differs from this crawl's outcome (an
        `unchanged` or `updated` page stays `stored`). Validators are kept only for a page that
        was settled, so a failed or truncated page is never answered with 304 next time.
        """
        self.count_outcome(outcome)
        status = standing or outcome
        if status.startswith("error:"):
            etag = last_modified = None
        for url in dict.fromkeys(urls):
            self.state.record(url, self.source.id, "article", status, canonical_url=canonical_url,
                              etag=etag, last_modified=last_modified)

    def _conditional(self, url: str, callback, kind: str, **meta) -> scrapy.Request:
        """A discovery request carrying the validators of the previous crawl."""
        if kind == "sitemap":
            self.sitemaps_asked.add(url)
        headers = {}
        known = self.state.get(url)
        if known and known.status == "ok" and self.backfill_since is None:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        return scrapy.Request(url, callback=callback, errback=self.failed, headers=headers,
                              meta={"kind": kind, **meta}, dont_filter=True)

    def _remember(self, response, kind: str) -> None:
        self.state.record(
            response.url, self.source.id, kind, "ok",
            etag=_header(response, "ETag"), last_modified=_header(response, "Last-Modified"),
        )

    # --- discovery ---------------------------------------------------------------------
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
        for due in self.state.due(src.id):
            # listed by an earlier crawl that ended before it had an answer: asked for now
            if due.kind == "sitemap":
                self.count("discovery/sitemaps_resumed")
                yield self._conditional(due.url, self.parse_sitemap, "sitemap")
            elif due.url not in self.requested:
                self.requested.add(due.url)
                self.discovered[due.url] = _candidate(due.url, due.listing)
                self.count("articles/resumed")
                yield self.article_request(due.url)
        for url in self.state.retry_urls(src.id):
            if url not in self.requested and self.source.is_article_url(url):
                self.requested.add(url)
                self.count("articles/retried")
                yield self.article_request(url)
        for url in src.sections:
            yield scrapy.Request(canonical(url), callback=self.parse_section, errback=self.failed,
                                 meta={"kind": "section", "section": canonical(url), "page": 1}, dont_filter=True)

    def parse_robots(self, response):
        for url in robots_sitemaps(response.text, response.url):
            if url not in {canonical(u) for u in self.source.sitemaps}:
                yield self._conditional(url, self.parse_sitemap, "sitemap")

    def parse_feed(self, response):
        if response.status == NOT_MODIFIED:
            self.count("discovery/not_modified")
            return
        try:
            candidates = parse_feed(response.body, response.url)
        except DiscoveryError as exc:
            yield from self._unreadable(response, "feed", exc)
            return
        self.state.prefetch([c.url for c in candidates])
        yield from self._listed(response, "feed", [r for c in candidates for r in self.consider(c)])

    def parse_sitemap(self, response):
        if response.status == NOT_MODIFIED:
            self.count("discovery/not_modified")
            self._remember(response, "sitemap")  # unchanged since it was read whole: no longer due
            return
        try:
            kind, entries = parse_sitemap(response.body, response.url)
        except DiscoveryError as exc:
            yield from self._unreadable(response, "sitemap", exc)
            return
        self.state.prefetch([e.url for e in entries])
        if kind == "index":
            requests = list(self._child_sitemaps(entries))
        else:
            requests = [r for entry in entries for r in self.consider(entry)]
        yield from self._listed(response, "sitemap", requests)

    def _listed(self, response, kind: str, requests: list[scrapy.Request]) -> list[scrapy.Request]:
        """What a listing leads to is written down as due before the listing keeps its validators.

        Killed between the two, the listing is read again in full; killed after, its URLs are due.
        """
        self.state.mark_due(self.source.id, [(r.url, r.meta["kind"], r.meta.get("listing", {}))
                                             for r in requests if r.meta["kind"] in ("article", "sitemap")])
        if response is not None:
            self._remember(response, kind)
        return requests

    def _child_sitemaps(self, entries: list[Candidate]):
        """Newest child sitemaps first, unchanged ones skipped, at most max_sitemaps in the whole crawl.

        Every sitemap is asked for once per crawl, so an index listing itself (or two indexes
        listing each other) ends instead of looping.
        """
        newest_first = sorted(entries, key=lambda e: e.changed_at.timestamp() if e.changed_at else 0, reverse=True)
        for n, entry in enumerate(newest_first):
            if entry.url in self.sitemaps_asked:
                self.count("discovery/sitemaps_repeated")
                continue
            if self.sitemaps_followed >= self.source.max_sitemaps:
                self.count("discovery/sitemaps_capped", len(newest_first) - n)
                return
            if self.out_of_range(entry):
                self.count("backfill/sitemaps_out_of_range")
                continue
            known = self.state.get(entry.url)
            # a backfill reads its sitemaps again: an interrupted one resumes from what is unsettled
            if self.backfill_since is None and known and known.status == "ok" and entry.changed_at \
                    and entry.changed_at <= known.fetched_at:
                self.count("discovery/sitemaps_unchanged")
                continue
            self.sitemaps_followed += 1
            yield self._conditional(entry.url, self.parse_sitemap, "sitemap")

    def parse_section(self, response):
        section, page = response.meta["section"], response.meta["page"]
        section_path = urlsplit(section).path
        next_pages, requests = set(), []
        links = [canonical(href, base=response.url) for href in response.css("a::attr(href)").getall()]
        self.state.prefetch([url for url in links if self.source.is_article_url(url)])
        for url in links:
            if self.source.is_article_url(url):
                requests.extend(self.consider(Candidate(url, via="section")))
            elif urlsplit(url).path == section_path and url != section and url not in next_pages:
                next_pages.add(url)
        for url in sorted(next_pages):
            # pages per section in the whole crawl, not per depth: a calendar that links every
            # day from every page (a trap) still ends after max_section_pages
            walked = self.section_pages.get(section, 1)
            if walked >= self.source.max_section_pages:
                self.count("discovery/section_pages_capped")
                break
            if url not in self.requested:
                self.requested.add(url)
                self.section_pages[section] = walked + 1
                requests.append(scrapy.Request(url, callback=self.parse_section, errback=self.failed,
                                               meta={"kind": "section", "section": section, "page": page + 1}))
        # a section page keeps no validators: its article links are due before they are asked for
        yield from self._listed(None, "section", requests)

    def _unreadable(self, response, kind: str, exc: DiscoveryError):
        """A feed or sitemap that answered but is not one: count, remember, try a fallback."""
        self.count(f"errors/bad_{kind}")
        self.logger.warning("bad %s %s: %s", kind, response.url, exc)
        self.state.record(response.url, self.source.id, kind, f"error:bad_{kind}")
        yield from self._fallback(response.request)

    def _fallback(self, failed_request: scrapy.Request):
        """After a configured feed or sitemap fails, try the next untried fallback of that kind.

        Fallbacks are the weaker-evidenced endpoints of sources.toml; they are asked only when
        a primary fails, so a moved feed does not make a crawl miss the outlet's news.
        """
        kind = failed_request.meta.get("kind")
        if not failed_request.meta.get("configured") or kind not in ("feed", "sitemap"):
            return
        pool = self.source.fallback_feeds if kind == "feed" else self.source.fallback_sitemaps
        for url in map(canonical, pool):
            if url not in self.fallbacks_tried:
                self.fallbacks_tried.add(url)
                self.count(f"discovery/fallback_{kind}")
                self.logger.info("%s %s failed; trying fallback %s", kind, failed_request.url, url)
                callback = self.parse_feed if kind == "feed" else self.parse_sitemap
                yield self._conditional(url, callback, kind, configured=True)
                return

    def consider(self, candidate: Candidate):
        """Schedule an article URL once per crawl, and only if new or changed since last time."""
        if not self.source.is_article_url(candidate.url):
            return
        if self.out_of_range(candidate):
            self.count("backfill/articles_out_of_range")
            return
        # keep the richest discovery record (feed and sitemap dates feed the date choice)
        known = self.discovered.get(candidate.url)
        if known is None or (candidate.published_at and not known.published_at):
            self.discovered[candidate.url] = candidate
        if candidate.url in self.requested:
            return
        if not self.state.needs_fetch(candidate.url, candidate.changed_at):
            # settled by an earlier crawl and not changed since; a later listing of the same URL
            # (a sitemap with a newer lastmod after a section page without one) can still fetch it
            self.skipped.add(candidate.url)
            return
        self.requested.add(candidate.url)
        self.count("articles/scheduled")
        yield self.article_request(candidate.url, listing=_listing(self.discovered[candidate.url]))

    def article_request(self, url: str, **meta) -> scrapy.Request:
        """Every article request is counted here and ends in one outcome (see `settle`)."""
        self.count("article_requests")
        headers = {}
        known = self.state.get(url)
        if known and known.etag and is_settled(known.status):
            headers["If-None-Match"] = known.etag
        # dont_filter: our own `requested` set dedups, and a redirect loop must reach the
        # redirect limit (and be counted) instead of vanishing in the scheduler's filter.
        return scrapy.Request(url, callback=self.parse_article, errback=self.failed, headers=headers,
                              meta={"kind": "article", **meta}, dont_filter=True, priority=10)

    # --- articles ----------------------------------------------------------------------
    def parse_article(self, response):
        self.count("article_responses")
        requested = canonical(response.request.meta.get("redirect_urls", [response.request.url])[0])
        if response.status == NOT_MODIFIED:
            known = self.state.get(requested)
            self.settle([requested], "unchanged", standing=known.status if known else "stored")
            return
        if not isinstance(response, scrapy.http.TextResponse):  # (hasattr(response, "text") decodes the page)
            self.settle([requested, canonical(response.url)], "error:not_html")
            return
        encoding, html = decode(response.body, _header(response, "Content-Type"))
        if encoding == "utf-8":
            declared = response.encoding  # read from the header or meta tag (decodes only an unlabelled page)
            if declared != encoding:
                self.count(f"encoding/utf-8_over_declared_{declared.lower()}")
        target, is_this_page = self.canonical_of(response, html)
        if not is_this_page:
            # an AMP or alternate copy: the article is stored once, under its canonical URL
            # the copy settles only once its canonical article is due: killed now, that is fetched next time
            request = self.follow_canonical(target, response.url)
            if request is not None:
                self._listed(None, "alias", [request])
            self.settle([requested], "alias", canonical_url=target)
            if request is not None:
                yield request
            return
        yield {
            "url": response.url,
            "canonical_url": target,
            "urls": [requested, target, canonical(response.url)],
            "html": html,
            "encoding": encoding,
            "source": self.source.id,
            "discovery": self.discovered.get(requested) or self.discovered.get(response.meta.get("amp_of", "")),
            "etag": _header(response, "ETag"),
            "last_modified": _header(response, "Last-Modified"),
        }

    def canonical_of(self, response, html: str) -> tuple[str, bool]:
        """The URL this page's article lives at, and whether this page is that article.

        A rel=canonical naming any URL of the redirect chain (the feed's link before a 301 to a
        trailing slash, https or another host name) means this page is the article. One naming
        another article URL of the source makes this page a copy (AMP). One naming a page that
        is no article (the home page, a section) is a CMS mistake: the page is its own canonical.
        """
        chain = [canonical(u) for u in response.meta.get("redirect_urls", [])] + [canonical(response.url)]
        target = canonical_link(html, response.url)
        if target in chain:
            return target, True
        if self.source.is_article_url(target):
            return target, False
        return chain[-1], True

    def follow_canonical(self, url: str, from_url: str):
        """Fetch the canonical article an AMP or tracking copy points at, once."""
        if url in self.requested:
            return None
        self.requested.add(url)
        if not self.state.needs_fetch(url):
            return None
        return self.article_request(url, amp_of=from_url)

    def failed(self, failure):
        request = failure.request
        kind = request.meta.get("kind", "page")
        if failure.check(Refused):
            reason = failure.value.reason
        elif failure.check(IgnoreRequest) and "maxsize" in str(failure.value).lower():
            reason = "too_large"  # a gzip bomb, stopped while it inflated
        elif failure.check(DownloadCancelledError, CancelledError):
            # Scrapy cancels a download past its max size (declared, or counted as it streams);
            # a download cancelled by a crawl being stopped is merely not done
            reason = "too_large" if self.crawler.crawling else "cancelled"
        elif failure.check(LeaseLost):
            # another crawl has the source now: nothing recorded, what was due stays due
            if kind == "article":
                self.count("article_responses")
                self.count_outcome("error:lease_lost")
            else:
                self.count("errors/lease_lost")
            return []
        elif failure.check(IgnoreRequest) and "robots" in str(failure.value).lower():
            # a rule obeyed, not an error (Scrapy counts it too, as robotstxt/forbidden)
            if kind == "article":
                self.count("article_responses")
                self.settle([request.url], "robots_forbidden")
            return
        elif failure.check(HttpError):
            status = failure.value.response.status
            location = _header(failure.value.response, "Location") or ""
            # a redirect Scrapy would not follow: to file://, ftp:// and the like
            reason = "scheme" if 300 <= status < 400 and not location.lower().startswith(("http:", "https:", "/")) \
                else f"http_{status}"
        elif failure.check(IgnoreRequest) and "redirect" in str(failure.value).lower():
            reason = "redirect_loop"
        elif failure.check(IgnoreRequest):
            reason = "ignored"
        elif failure.check(CannotResolveHostError):
            reason = "dns"
        elif failure.check(DownloadConnectionRefusedError):
            reason = "connection_refused"
        elif failure.check(DownloadTimeoutError):
            reason = "timeout"
        elif failure.check(DownloadFailedError, ResponseDataLossError):
            reason = "download_failed"
        else:
            reason = "other"
        self.logger.warning("%s %s failed: %s", kind, request.url, reason)
        # recorded under the URL that was asked for, not the last hop of its redirects
        asked = canonical(request.meta.get("redirect_urls", [request.url])[0])
        # a refused or oversized page would be refused again: settled, not retried every crawl
        standing = f"refused:{reason}" if failure.check(Refused) or reason in ("too_large", "scheme") else None
        if kind == "article":
            self.count("article_responses")
            self.settle([asked], f"error:{reason}", standing=standing)
            return []
        self.count(f"errors/{reason}")
        # discovery failures are kept too, so `newsmon stats` shows a dead feed or sitemap
        self.state.record(asked, self.source.id, kind, f"error:{reason}")
        return list(self._fallback(request))


def _header(response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _listing(candidate: Candidate) -> dict:
    """What discovery knew of an article, kept with its due row (the feed's date feeds the date choice)."""
    return {"title": candidate.title, "published_at": iso(candidate.published_at),
            "changed_at": iso(candidate.changed_at), "via": candidate.via}


def _candidate(url: str, listing: dict) -> Candidate:
    return Candidate(url, title=listing.get("title") or "", published_at=parse_iso(listing.get("published_at")),
                     changed_at=parse_iso(listing.get("changed_at")), via=listing.get("via") or "")
