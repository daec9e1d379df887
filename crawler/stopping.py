"""Stopping a crawl whose store or crawl state cannot be written (a full disk, a read-only one)."""
from __future__ import annotations

import logging

from scrapy.utils.defer import deferred_from_coro

UNWRITABLE = "unwritable"  # the finish reason of a crawl stopped because its store or state cannot be written
log = logging.getLogger(__name__)


def stop_unwritable(crawler, why: str) -> None:
    """Stop the crawl, once; everything not written stays due for the next crawl, the finish reason says why."""
    if crawler.stats.get_value("newsmon/unwritable") is not None:
        return
    log.error("stopping the crawl: %s", why)
    crawler.stats.set_value("newsmon/unwritable", why)
    deferred_from_coro(crawler.engine.close_spider_async(reason=UNWRITABLE))
