"""One line, not a traceback: network failures (a Scrapy extension) and crawls that cannot start.

Scrapy logs a failed robots.txt download with its full traceback (about 40 lines), so an
offline crawl of 34 outlets printed 2,800 lines. The failure is already in the message; the
spider counts it. Other errors keep their traceback.

A spider that cannot start (`scrapy crawl news -a source=nosuch`) raises `CannotStart`; Scrapy
leaves it to asyncio, which logs the task's exception with its traceback. The error says all.
"""
from __future__ import annotations

import logging

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)
from twisted.internet import error as twisted_errors

NETWORK_FAILURES = (
    CannotResolveHostError, DownloadConnectionRefusedError, DownloadFailedError, DownloadTimeoutError,
    ResponseDataLossError, twisted_errors.DNSLookupError, twisted_errors.ConnectError,
    twisted_errors.TimeoutError, twisted_errors.ConnectionLost, ConnectionError, TimeoutError,
)
# the loggers that attach a traceback to download failures
LOGGERS = ("scrapy.downloadermiddlewares.robotstxt", "scrapy.core.scraper")


class _DropNetworkTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, NETWORK_FAILURES):
            record.exc_info, record.exc_text = None, None
        return True


_FILTER = _DropNetworkTraceback()


class CannotStart(ValueError):
    """A crawl that cannot start as asked (an unknown source): logged as its message alone."""


class _OneLineCannotStart(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, CannotStart):
            record.msg, record.args = f"cannot start the crawl: {exc}", ()
            record.exc_info, record.exc_text = None, None
        return True


def cannot_start(message: str) -> CannotStart:
    """The exception to raise; asyncio's logger (where Scrapy's crawl task ends) prints it in one line."""
    logger = logging.getLogger("asyncio")
    if not any(isinstance(f, _OneLineCannotStart) for f in logger.filters):
        logger.addFilter(_OneLineCannotStart())
    return CannotStart(message)


class NetworkErrorsInOneLine:
    """Installs the filter on the loggers that would print a traceback for a download failure."""

    def __init__(self) -> None:
        for name in LOGGERS:
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)

    @classmethod
    def from_crawler(cls, crawler) -> "NetworkErrorsInOneLine":
        return cls()
