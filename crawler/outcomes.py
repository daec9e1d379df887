"""The one vocabulary of what became of a fetched article, and of a URL in the crawl state.

`Outcome` is what one article request ended in, this crawl (counted under
`newsmon/outcomes/<value>`, summed by monitor.crawl.SourceSummary and kept in run history).
`Standing` is what the crawl state keeps of a URL between crawls. StrEnums: the values are the
strings stored data and JSON output always held, so `Outcome.STORED == "stored"`.

"stored" means in the store; "spooled" means in the store's spool (the cluster was away), safe
but not yet searchable. An error outcome is `error:<kind>` (see `error`), and a URL refused for
good stands as `refused:<kind>`; their kinds are open-ended (`http_404`, ...), so they are
strings made here, not members.
"""
from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    STORED = "stored"  # new, written to the store
    DUPLICATE = "duplicate"  # new, written, a copy of a stored story
    UPDATED = "updated"  # same id, new content: written again
    UNCHANGED = "unchanged"  # same id and content (or a 304): nothing written
    SPOOLED = "spooled"  # written to the store's spool while the cluster is away
    OFF_TOPIC = "off_topic"
    EMPTY = "empty"  # no article on the page
    ALIAS = "alias"  # an AMP or alternate copy of an article stored under its canonical URL
    OUTSIDE_WINDOW = "outside_window"  # a backfill's article dated outside its window
    ROBOTS_FORBIDDEN = "robots_forbidden"
    ON_TOPIC = "on_topic"  # a stage result, handed to the writer: not yet an outcome of the request


WRITTEN = frozenset({Outcome.STORED, Outcome.DUPLICATE, Outcome.UPDATED})  # outcomes that wrote the article
NEW = (Outcome.STORED, Outcome.DUPLICATE)  # new articles (what "stored" counts in a summary)


class Standing(StrEnum):
    """A URL's standing in the crawl state (besides `error:KIND` and `refused:KIND`)."""

    OK = "ok"  # a feed, sitemap or section read
    STORED = "stored"
    DUPLICATE = "duplicate"
    OFF_TOPIC = "off_topic"
    EMPTY = "empty"
    ALIAS = "alias"


# Standings after which an article URL is not fetched again unless it changes. A crawl's
# outcome `updated` or `unchanged` leaves the URL `stored` (or `duplicate`).
SETTLED = frozenset({Standing.STORED, Standing.DUPLICATE, Standing.OFF_TOPIC, Standing.EMPTY, Standing.ALIAS})

# error kinds the runtime itself names (the spider's download failures add their own)
STORE_ERROR = "error:store"  # the write failed: fetched again
LEASE_LOST = "error:lease_lost"  # another crawl holds the source now: not written, left due


def error(kind: str) -> str:
    """The outcome of an article request that failed: `error:<kind>`."""
    return f"error:{kind}"


def refused(kind: str) -> str:
    """The standing of a URL refused for good (off-site, bad scheme or address, too large)."""
    return f"refused:{kind}"


def is_error(outcome: str) -> bool:
    return outcome.startswith("error:")


def is_settled(status: str) -> bool:
    """Settled standings, and `refused:KIND`: not fetched again unless it changes."""
    return status in SETTLED or status.startswith("refused:")
