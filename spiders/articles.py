"""The spider's article requests: scheduled once per crawl, each page handed on as an ArticlePage.

What discovery knew of an article (its Candidate) rides in the request's cb_kwargs.
"""
from __future__ import annotations

from dataclasses import dataclass

import scrapy

from crawler.discovery import Candidate
from crawler.items import ArticlePage
from crawler.outcomes import Outcome, Standing, error, is_settled
from crawler.stages.extract import canonical_link, decode
from crawler.urls import canonical
from index.article import iso, parse_iso
from spiders.discovery import NOT_MODIFIED, header


@dataclass
class Discovered:
    """What discovery knows of an article in flight (in its request's cb_kwargs, which a redirect
    copies shallowly): a richer listing seen meanwhile still reaches the page."""

    candidate: Candidate | None = None


class ArticleRequests:
    """Every article request is counted in `article_request` and ends in one outcome."""

    def consider(self, candidate: Candidate):
        """Schedule an article URL once per crawl, and only if new or changed since last time."""
        if not self.source.is_article_url(candidate.url):
            return
        if self.out_of_range(candidate):
            self.count("backfill/articles_out_of_range")
            return
        if candidate.url in self.requested:
            # keep the richest discovery record (feed and sitemap dates feed the date choice)
            in_flight = self.requested[candidate.url]
            if in_flight is not None:
                in_flight.candidate = richer(in_flight.candidate, candidate)
            return
        best = richer(self.skipped.get(candidate.url), candidate)
        if not self.state.needs_fetch(candidate.url, candidate.changed_at):
            # settled by an earlier crawl and not changed since; a later listing of the same URL
            # (a sitemap with a newer lastmod after a section page without one) can still fetch it
            self.skipped[candidate.url] = best
            return
        self.count("articles/scheduled")
        yield self._article(candidate.url, best, listing=_listing(best))

    def _article(self, url: str, discovery: Candidate | None, **meta) -> scrapy.Request:
        """An article request, remembered as asked for in this crawl."""
        discovered = self.requested[url] = Discovered(discovery)
        return self.article_request(url, discovered, **meta)

    def article_request(self, url: str, discovered: Discovered, **meta) -> scrapy.Request:
        """Every article request is counted here and ends in one outcome (see `settle`)."""
        self.count("article_requests")
        headers = {}
        known = self.state.get(url)
        if known and known.etag and is_settled(known.status):
            headers["If-None-Match"] = known.etag
        # dont_filter: our own `requested` set dedups, and a redirect loop must reach the
        # redirect limit (and be counted) instead of vanishing in the scheduler's filter.
        return scrapy.Request(url, callback=self.parse_article, errback=self.failed, headers=headers,
                              meta={"kind": "article", **meta}, cb_kwargs={"discovered": discovered},
                              dont_filter=True, priority=10)

    def parse_article(self, response, discovered: Discovered):
        self.count("article_responses")
        requested = canonical(response.request.meta.get("redirect_urls", [response.request.url])[0])
        discovery = self.answered(requested, discovered).candidate
        if response.status == NOT_MODIFIED:
            known = self.state.get(requested)
            self.settle([requested], Outcome.UNCHANGED, standing=known.status if known else Standing.STORED)
            return
        if not isinstance(response, scrapy.http.TextResponse):  # (hasattr(response, "text") decodes the page)
            self.settle([requested, canonical(response.url)], error("not_html"))
            return
        encoding, html = decode(response.body, header(response, "Content-Type"))
        if encoding == "utf-8":
            declared = response.encoding  # read from the header or meta tag (decodes only an unlabelled page)
            if declared != encoding:
                self.count(f"encoding/utf-8_over_declared_{declared.lower()}")
        target, is_this_page = self.canonical_of(response, html)
        if not is_this_page:
            # an AMP or alternate copy: the article is stored once, under its canonical URL
            # the copy settles only once its canonical article is due: killed now, that is fetched next time
            request = self.follow_canonical(target, response.url, discovery)
            if request is not None:
                self._listed(None, "alias", [request])
            self.settle([requested], Outcome.ALIAS, canonical_url=target)
            if request is not None:
                yield request
            return
        yield ArticlePage(url=response.url, canonical_url=target, urls=[requested, target, canonical(response.url)],
                          html=html, encoding=encoding, source=self.source, discovery=discovery,
                          etag=header(response, "ETag"), last_modified=header(response, "Last-Modified"))

    def answered(self, url: str, discovered: Discovered) -> Discovered:
        """The discovery record of an answered request, forgotten by the crawl from now on.

        A request that waited on disk (crawler/frontier.py) carries a copy of its record from
        before it waited: the richer listing seen meanwhile is in `requested`. Once answered,
        only the URL stays there (asked for once per crawl), not its record.
        """
        live = self.requested.get(url)
        if isinstance(live, Discovered):
            self.requested[url] = None
            return live
        return discovered

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

    def follow_canonical(self, url: str, from_url: str, discovery: Candidate | None = None):
        """Fetch the canonical article an AMP or tracking copy points at, once (with the copy's listing)."""
        if url in self.requested:
            return None
        self.requested[url] = None
        if not self.state.needs_fetch(url):
            return None
        return self._article(url, discovery, amp_of=from_url)


def richer(known: Candidate | None, candidate: Candidate) -> Candidate:
    """The listing to keep: the first, unless a later one has the publication date it lacks."""
    if known is None or (candidate.published_at and not known.published_at):
        return candidate
    return known


def _listing(candidate: Candidate) -> dict:
    """What discovery knew of an article, kept with its due row (the feed's date feeds the date choice)."""
    return {"title": candidate.title, "published_at": iso(candidate.published_at),
            "changed_at": iso(candidate.changed_at), "via": candidate.via}


def listing_candidate(url: str, listing: dict) -> Candidate:
    """A due row's listing back as the Candidate it was."""
    return Candidate(url, title=listing.get("title") or "", published_at=parse_iso(listing.get("published_at")),
                     changed_at=parse_iso(listing.get("changed_at")), via=listing.get("via") or "")
