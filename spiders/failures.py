"""What a failed request ends in: one reason per failure, and the spider's errback."""
from __future__ import annotations

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
from twisted.internet.defer import CancelledError

from crawler.guard import Refused
from crawler.lease import LeaseLost
from crawler.outcomes import LEASE_LOST, Outcome, error, refused
from crawler.signals import count_outcome
from crawler.urls import canonical
from spiders.discovery import header

# exceptions whose reason is their own name, in the order they are checked
PLAIN = ((CannotResolveHostError, "dns"), (DownloadConnectionRefusedError, "connection_refused"),
         (DownloadTimeoutError, "timeout"), (DownloadFailedError, "download_failed"),
         (ResponseDataLossError, "download_failed"))


def failure_reason(failure, crawling: bool) -> str:
    """The reason a request failed, as counted (`errors/<reason>`) and recorded (`error:<reason>`)."""
    if failure.check(Refused):
        return failure.value.reason
    said = str(failure.value).lower()
    if failure.check(IgnoreRequest) and "maxsize" in said:
        return "too_large"  # a gzip bomb, stopped while it inflated
    if failure.check(DownloadCancelledError, CancelledError):
        # Scrapy cancels a download past its max size (declared, or counted as it streams);
        # a download cancelled by a crawl being stopped is merely not done
        return "too_large" if crawling else "cancelled"
    if failure.check(HttpError):
        status = failure.value.response.status
        location = header(failure.value.response, "Location") or ""
        # a redirect Scrapy would not follow: to file://, ftp:// and the like
        return "scheme" if 300 <= status < 400 and not location.lower().startswith(("http:", "https:", "/")) \
            else f"http_{status}"
    if failure.check(IgnoreRequest):
        return "redirect_loop" if "redirect" in said else "ignored"
    for kind, reason in PLAIN:
        if failure.check(kind):
            return reason
    return "other"


class FailureHandling:
    """The spider's errback: every failed article request ends in one outcome; a failed feed or
    sitemap is recorded (so `newsmon stats` shows a dead one) and its fallback tried."""

    def failed(self, failure):
        request = failure.request
        kind = request.meta.get("kind", "page")
        stats = self.crawler.stats
        if failure.check(LeaseLost):
            # another crawl has the source now: nothing recorded, what was due stays due
            if kind == "article":
                stats.inc_value("newsmon/article_responses")
                count_outcome(stats, LEASE_LOST)
            else:
                stats.inc_value("newsmon/errors/lease_lost")
            return []
        said = str(failure.value).lower()
        if failure.check(IgnoreRequest) and not failure.check(Refused) and "robots" in said and "maxsize" not in said:
            # a rule obeyed, not an error (Scrapy counts it too, as robotstxt/forbidden)
            if kind == "article":
                stats.inc_value("newsmon/article_responses")
                self.settle([request.url], Outcome.ROBOTS_FORBIDDEN)
            return []
        reason = failure_reason(failure, self.crawler.crawling)
        self.logger.warning("%s %s failed: %s", kind, request.url, reason)
        # recorded under the URL that was asked for, not the last hop of its redirects
        asked = canonical(request.meta.get("redirect_urls", [request.url])[0])
        if kind == "article":
            stats.inc_value("newsmon/article_responses")
            self.answered(asked, None)
            # a refused or oversized page would be refused again: settled, not retried every crawl
            for_good = failure.check(Refused) or reason in ("too_large", "scheme")
            self.settle([asked], error(reason), standing=refused(reason) if for_good else "")
            return []
        stats.inc_value(f"newsmon/errors/{reason}")
        self.state.record(asked, self.source.id, kind, error(reason))
        return list(self._fallback(request))

