"""The request guard: every request a crawl sends passes here first, redirects included.

Only http(s); only the source's own hosts; no URL longer than URLLENGTH_LIMIT (a redirect
included: Scrapy's own check saw only the spider's links); no private or loopback address
unless allowed, never a link-local or metadata one (crawler/addresses.py tells them apart);
and robots.txt checked for every request before it leaves. robots.txt is fetched once
per host, and every request waiting for it gets the parsed rules (each waiter has its own
asyncio future view, so none of them slips through while the file downloads).
"""
from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from protego import Protego
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler.addresses import address_kind

ROBOTS_PRIORITY = 1000


class Refused(IgnoreRequest):
    """A request the guard would not send; `reason` names the rule (counted as error:REASON)."""

    def __init__(self, reason: str, url: str):
        super().__init__(f"refused ({reason}): {url}")
        self.reason = reason


class RequestGuard:
    """Downloader middleware; reads the spider's `source` and the NEWSMON_ALLOW_LOOPBACK setting."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.allow_loopback = crawler.settings.getbool("NEWSMON_ALLOW_LOOPBACK")
        self.max_url_length = crawler.settings.getint("URLLENGTH_LIMIT")
        self.user_agent = crawler.settings.get("USER_AGENT")
        self.robots: dict[str, asyncio.Future] = {}
        self.kinds: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request: Request):
        source = getattr(self.crawler.spider, "source", None)
        if source is None:
            return None
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise Refused("scheme", request.url)
        if self.max_url_length and len(request.url) > self.max_url_length:
            raise Refused("url_too_long", request.url[:200] + "...")
        host = (parts.hostname or "").lower()
        if not any(host == h or host.endswith("." + h) for h in source.hosts()):
            raise Refused("offsite", request.url)
        kind = self.kinds.get(host) or self.kinds.setdefault(host, address_kind(host))
        if kind == "forbidden" or (kind == "loopback" and not self.allow_loopback) or (
                kind == "private" and not source.allow_private):
            raise Refused(f"address_{kind}", request.url)
        limit = source.max_sitemap_bytes if request.meta.get("kind") == "sitemap" else source.max_page_bytes
        request.meta.setdefault("download_maxsize", limit)
        if request.meta.get("robots_txt"):
            return None
        rules = await self.rules(f"{parts.scheme}://{parts.netloc}")
        agent = source.user_agent or self.user_agent
        if rules is not None and not rules.can_fetch(request.url, agent):
            self.crawler.stats.inc_value("robotstxt/forbidden")
            raise IgnoreRequest(f"Forbidden by robots.txt: {request.url}")
        return None

    async def rules(self, origin: str) -> Protego | None:
        """The parsed robots.txt of an origin, fetched once; None (allow all) if it has none."""
        future = self.robots.get(origin)
        if future is None:
            future = self.robots[origin] = asyncio.get_running_loop().create_future()
            rules = None
            try:
                rules = await self._fetch_rules(origin)
            finally:  # waiters are never left hanging, even when the crawl is being stopped
                future.set_result(rules)
        return await asyncio.shield(future)

    async def _fetch_rules(self, origin: str) -> Protego | None:
        request = Request(f"{origin}/robots.txt", priority=ROBOTS_PRIORITY, meta={"robots_txt": True},
                          dont_filter=True, callback=None)
        stats = self.crawler.stats
        try:
            response: Response = await self.crawler.engine.download_async(request)
        except Exception:  # unreachable robots.txt: the pages are tried (and fail, counted) as usual
            stats.inc_value("newsmon/robots/unavailable")
            return None
        stats.inc_value(f"newsmon/robots/status_{response.status}")
        if response.status >= 400:
            return None  # no robots.txt: everything is allowed
        return Protego.parse(response.body.decode("utf-8", "replace"))
