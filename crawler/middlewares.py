"""Downloader middleware: per-source needs that Scrapy settings cannot express per spider."""
from __future__ import annotations


class SourceUserAgentMiddleware:
    """Send the source's own User-Agent where its site demands one (AZERTAC answers 400 otherwise)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        source = getattr(self.crawler.spider, "source", None)
        if source is not None and source.user_agent:
            request.headers["User-Agent"] = source.user_agent
        return None
