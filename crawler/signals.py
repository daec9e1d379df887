"""newsmon's crawl signals (plain objects, as Scrapy's), sent with `crawler.signals.send_catch_log`.

article_settled(urls, outcome, standing, source, canonical_url, etag, last_modified)
    One article request ended in `outcome` (crawler.outcomes). `standing` is what the crawl
    state keeps for its URLs (None: nothing is kept, the URLs stay due); the validators only
    with a settled standing. Sent by the spider, the pipeline and the store writer; the crawl
    state (crawler.state.CrawlStateExtension) records it.
batch_written(store_url, articles)
    A batch of articles is in the store (spooled ones are not: they are not searchable yet).
    Alert matching listens to it (monitor.alerts.runner).

Example::

    crawler.signals.connect(on_batch, signal=batch_written)
    def on_batch(store_url, articles): ...
"""
from __future__ import annotations

from crawler.outcomes import is_error

article_settled = object()
batch_written = object()


def settle(crawler, source: str, urls: list[str], outcome: str, standing: str | None = "",
           canonical_url: str | None = None, etag: str | None = None, last_modified: str | None = None) -> None:
    """End one article request in exactly one counted outcome, and say so (article_settled).

    `standing` defaults to the outcome; None keeps nothing (the URLs stay due). Validators are
    kept only for a page that was settled, so a failed or truncated page is never answered with
    304 next time.
    """
    count_outcome(crawler.stats, outcome)
    if standing == "":
        standing = outcome
    if standing is None or is_error(standing):
        etag = last_modified = None
    crawler.signals.send_catch_log(article_settled, urls=list(dict.fromkeys(urls)), outcome=outcome,
                                   standing=standing, source=source, canonical_url=canonical_url,
                                   etag=etag, last_modified=last_modified)


def count_outcome(stats, outcome: str) -> None:
    """Count one article request's outcome (an `error:KIND` under errors too)."""
    stats.inc_value(f"newsmon/outcomes/{outcome}")
    if is_error(outcome):
        stats.inc_value(f"newsmon/errors/{outcome[len('error:'):]}")
