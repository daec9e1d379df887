"""The spider's discovery: robots.txt, feeds, sitemaps and section pages lead to article requests."""
from __future__ import annotations

from urllib.parse import urlsplit

import scrapy

from crawler.discovery import Candidate, DiscoveryError, parse_feed, parse_sitemap, robots_sitemaps
from crawler.outcomes import Standing, error
from crawler.urls import canonical

NOT_MODIFIED = 304


class Discovery:
    """Listings read with conditional GET; what they lead to is written down as due first."""

    def _conditional(self, url: str, callback, kind: str, **meta) -> scrapy.Request:
        """A discovery request carrying the validators of the previous crawl."""
        if kind == "sitemap":
            self.sitemaps_asked.add(url)
        headers = {}
        known = self.state.get(url)
        if known and known.status == Standing.OK and self.backfill_since is None:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        return scrapy.Request(url, callback=callback, errback=self.failed, headers=headers,
                              meta={"kind": kind, **meta}, dont_filter=True)

    def _remember(self, response, kind: str) -> None:
        self.state.record(response.url, self.source.id, kind, Standing.OK,
                          etag=header(response, "ETag"), last_modified=header(response, "Last-Modified"))

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
            if self.backfill_since is None and known and known.status == Standing.OK and entry.changed_at \
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
                self.requested[url] = None
                self.section_pages[section] = walked + 1
                requests.append(scrapy.Request(url, callback=self.parse_section, errback=self.failed,
                                               meta={"kind": "section", "section": section, "page": page + 1}))
        # a section page keeps no validators: its article links are due before they are asked for
        yield from self._listed(None, "section", requests)

    def _unreadable(self, response, kind: str, exc: DiscoveryError):
        """A feed or sitemap that answered but is not one: count, remember, try a fallback."""
        self.count(f"errors/bad_{kind}")
        self.logger.warning("bad %s %s: %s", kind, response.url, exc)
        self.state.record(response.url, self.source.id, kind, error(f"bad_{kind}"))
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


def header(response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
