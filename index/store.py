"""The Store protocol every backend implements, its result types, and open_store(url)."""
from __future__ import annotations

import errno
import sqlite3
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import import_module
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from index.article import Article
from index.highlight import highlight
from index.histogram import fill_histogram
from index.query import And, Filter, Node, QueryError, expand, parse

if TYPE_CHECKING:
    from index.alert_store import AlertStore

FACETS = ("date", "language", "source", "entity", "story")
GROUPS = ("story",)  # what search hits may be grouped by (one hit per story)
INTERVALS = ("day", "week", "month", "year")
SORTS = ("relevance", "date")
FACET_SIZE = 20
# Elasticsearch refuses deeper pages by default (index.max_result_window); so do we, alike.
MAX_WINDOW = 10_000


FINAL = 1e15  # a lock expiring after this never expires: the work it guarded is done


@dataclass
class LockState:
    holder: str
    token: int
    expires_at: float


class StoreUnavailable(RuntimeError):
    """The store cannot be reached now (a cluster that is down); the message says where."""


# SQLite's result codes, and the OS's errors, for a disk that will take no more writes now
_UNWRITABLE_SQLITE = ("SQLITE_FULL", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_CANTOPEN")
_UNWRITABLE_ERRNO = (errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EIO)


def is_unwritable(exc: BaseException) -> bool:
    """True for a write refused by the disk itself (full, read-only, failing): a crawl stops on it."""
    for cause in (exc, exc.__cause__, exc.__context__):
        if isinstance(cause, sqlite3.Error) and (getattr(cause, "sqlite_errorname", "") or "").startswith(
                _UNWRITABLE_SQLITE):
            return True
        if isinstance(cause, OSError) and cause.errno in _UNWRITABLE_ERRNO:
            return True
    return False


@dataclass
class Filters:
    """Conditions besides the query. `since` and `until` are inclusive; naive datetimes are UTC."""

    since: datetime | None = None
    until: datetime | None = None
    languages: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # entity ids or names (entity:… in the query)
    include_duplicates: bool = True
    after_seq: int | None = None  # only articles written after this write-time sequence


@dataclass
class Hit:
    article: Article
    score: float
    highlights: dict[str, list[str]] = field(default_factory=dict)
    # grouped by story: the story's other matching articles, and their languages
    more: int = 0
    more_languages: list[str] = field(default_factory=list)
    # a near match (index/near.py): the query's parts it lacks; empty for a full match
    missing: list[str] = field(default_factory=list)


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    page: int
    size: int
    groups: int | None = None  # grouped: how many hits there are to page through (stories + lone articles)
    near_total: int | None = None  # near matches after the full ones (index/near.py), when the page reached them


# A backend's raw answer: total, the page as (article, score), facets (the date one may omit empty buckets).
RawResult = tuple[int, list[tuple[Article, float]], dict[str, list[tuple[str, int]]]]
# A backend's groups: how many, the page as (article, score, more, more's languages).
GroupedResult = tuple[int, list[tuple[Article, float, int, list[str]]]]


class Store(ABC):
    """A search index of articles. Backends implement the abstract methods; search() is shared."""

    @abstractmethod
    def upsert(self, articles: Iterable[Article]) -> int:
        """Insert or replace articles by id; return how many were written to the store itself.

        A store that spools writes while it is away (Elasticsearch) returns 0 for a spooled batch:
        those articles are safe on disk, but not yet searchable.
        """

    @abstractmethod
    def get(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""

    @abstractmethod
    def get_many(self, article_ids: Iterable[str]) -> dict[str, Article]:
        """The stored articles among these ids, by id (one round trip for a writer's batch)."""

    @abstractmethod
    def count(self) -> int:
        """Number of stored articles."""

    @abstractmethod
    def duplicate_candidates(self, content_hash: str, signature: list[int]) -> list[Article]:
        """Stored articles with this content hash or sharing an LSH band of the signature.

        Oldest first: by `first_seen_at`, then `seq`, so every store names the same original.
        """

    def duplicate_candidates_many(self, fingerprints: Sequence[tuple[str, list[int]]]) -> list[list[Article]]:
        """duplicate_candidates for each (content_hash, signature): a backend may ask in one request."""
        return [self.duplicate_candidates(content_hash, signature) for content_hash, signature in fingerprints]

    @abstractmethod
    def last_seq(self) -> int:
        """The highest write-time sequence of a stored article (0 for an empty store)."""

    @abstractmethod
    def written_after(self, seq: int, limit: int = 1000) -> list[Article]:
        """Articles written after `seq`, in write order, at most `limit` of them."""

    # --- coordination of crawls: held in the store, so every process and machine sees them ---
    @abstractmethod
    def acquire_lock(self, name: str, holder: str, ttl: float) -> int:
        """Take (or renew, for the same holder) a lock for `ttl` seconds: its fencing token, or 0
        while another holds it.

        An expired lock is free: a crashed holder never blocks a source for longer than `ttl`.
        The token grows by one each time the lock changes hands, so a holder that stalled past
        its expiry finds (`holds_lock`) that a newer holder has it, and stops.
        """

    @abstractmethod
    def release_lock(self, name: str, holder: str) -> None:
        """Give a lock back (its token is kept); a lock another holder took meanwhile is left alone."""

    @abstractmethod
    def lock_state(self, name: str) -> LockState | None:
        """Who holds a lock, with which token, until when (seconds since the epoch); None if never taken."""

    @abstractmethod
    def live_locks(self, prefix: str) -> list[str]:
        """Names of the locks starting with `prefix` that are held now (not expired, not finished)."""

    @abstractmethod
    def finish_lock(self, name: str, holder: str) -> bool:
        """Make a held lock final: never free again (a delivery sent). False if no longer ours."""

    def holds_lock(self, name: str, holder: str, token: int) -> bool:
        """True while `holder` holds the lock with this token and it has not expired."""
        state = self.lock_state(name)
        return state is not None and state.holder == holder and state.token == token \
            and state.expires_at > time.time()

    def claim(self, name: str, holder: str, ttl: float) -> str:
        """Claim a piece of work several machines may each want to do once (a delivery):
        `ours` (do it, then `finish_lock`), `held` (another is at it now) or `done` (finished)."""
        if self.acquire_lock(name, holder, ttl):
            return "ours"
        state = self.lock_state(name)
        return "done" if state is not None and state.expires_at >= FINAL else "held"

    @abstractmethod
    def record_run(self, run: dict) -> None:
        """Keep one crawl run: `source`, `started_at` (ISO, UTC) and whatever else the run reports."""

    @abstractmethod
    def runs(self, source: str | None = None, since: str | None = None, limit: int = 100) -> list[dict]:
        """Recorded runs, newest first, of one source or all, started at or after `since` (ISO)."""

    @abstractmethod
    def stats(self) -> dict:
        """total, by_language, by_source, duplicates, first_published, last_published, last_crawled."""

    @abstractmethod
    def close(self) -> None:
        """Release connections."""

    @abstractmethod
    def _search(self, node: Node, filters: Filters, facets: tuple[str, ...], interval: str,
                offset: int, size: int, sort: str) -> RawResult:
        """Run an expanded query: matching set, one page of it, and facets over the whole set."""

    @abstractmethod
    def _grouped(self, node: Node, filters: Filters, offset: int, size: int, sort: str) -> GroupedResult:
        """One page of groups of an expanded query (index/grouping.py says what a group is)."""

    @abstractmethod
    def _scan(self, node: Node, filters: Filters) -> Iterator[Article]:
        """Every article matching an expanded query, in batches (no result window)."""

    @abstractmethod
    def coverage(self, since: date | None = None, until: date | None = None,
                 sources: Sequence[str] = ()) -> list[tuple[str, str, int]]:
        """Articles crawled per day (UTC, of crawled_at) and source: (day, source, count), sorted."""

    def scan(self, query: str, filters: Filters | None = None, concepts: bool = True) -> Iterator[Article]:
        """Every article matching `query` and `filters`, for exports; a malformed query raises QueryError."""
        return self._scan(_node(query, filters or Filters(), concepts), filters or Filters())

    def search(self, query: str, filters: Filters | None = None, facets: Sequence[str] = FACETS,
               interval: str = "month", page: int = 1, size: int = 10, sort: str = "relevance",
               group: str | None = None, concepts: bool = True, near: bool = False) -> SearchResult:
        """Articles matching `query` and `filters`: one page of hits with highlights, total, facets. `group="story"`:
        one hit per story and per lone article (index/grouping.py); `total` and facets still count articles.
        `concepts=False`: words are not widened to the beat lexicon's concepts (index/lexicon.toml).
        `near=True`, ranked by relevance: after the last full match come the articles lacking one of the
        query's parts (index/near.py), each Hit saying which in `missing`; `total` counts full matches only."""
        facets = tuple(facets)
        check_search(facets, interval, page, size, sort, group)
        filters = filters or Filters()
        node = _node(query, filters, concepts)
        offset, groups = (page - 1) * size, None
        total, ranked, found = self._search(node, filters, facets, interval, offset, 0 if group else size, sort)
        if group:
            groups, ranked = self._grouped(node, filters, offset, size, sort)
        if "date" in found:
            found["date"] = fill_histogram(found["date"], interval)
        hits = [Hit(item[0], item[1], highlight(item[0], node), *item[2:]) for item in ranked]
        near_total = None
        if near and size and not group and sort == "relevance" and offset + size >= total:
            near_total, near_hits = self._near(node, filters, max(0, offset - total), offset + size - max(offset, total))
            hits += near_hits
        return SearchResult(total=total, hits=hits, facets=found, page=page, size=size, groups=groups,
                            near_total=near_total)

    def _near(self, node: Node, filters: Filters, offset: int, size: int) -> tuple[int | None, list[Hit]]:
        """How many near matches the query has, and `size` of them from `offset` (None: it has none)."""
        from index.near import lacking, near_query

        relaxed = near_query(node)
        if relaxed is None:
            return None, []
        near_node, parts = relaxed
        count, ranked, _ = self._search(near_node, filters, (), "month", offset, size, "relevance")
        return count, [Hit(article, score, highlight(article, node), missing=lacking(article, parts))
                       for article, score in ranked]

    def stories(self, query: str = "", filters: Filters | None = None, size: int = 10, concepts: bool = True):
        """Stories with an article matching `query` and `filters` (index.stories.ranked_stories):
        (how many, their StoryRecords, most covered first; `size` 0: all)."""
        from index.stories import ranked_stories

        filters = filters or Filters()
        return ranked_stories(self, _node(query, filters, concepts), filters, size)

    def search_many(self, requests: Sequence[tuple[str, Filters]], size: int = 10,
                    sort: str = "relevance") -> list[SearchResult | QueryError]:
        """Many searches without facets (alert matching): each answer, or its query's error.

        The same as calling search() for each; a backend may send them in one request.
        """
        out: list[SearchResult | QueryError] = []
        for query, filters in requests:
            try:
                out.append(self.search(query, filters, facets=(), size=size, sort=sort))
            except QueryError as exc:
                out.append(exc)
        return out

    def alert_store(self) -> "AlertStore":
        """The saved alerts kept beside this store's articles (index/alert_store.py), on a handle of their own."""
        raise NotImplementedError(f"{type(self).__name__} keeps no alerts")

    @classmethod
    def from_url(cls, url: str, **options) -> "Store":
        """The store at `url` (open_store picked this class by the URL's scheme)."""
        return cls(url, **options)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _node(query: str, filters: Filters, concepts: bool = True) -> Node:
    """The expanded query AST, with the entity filter as one more condition on it."""
    node = parse(query)
    if filters.entities:
        node = And((node, Filter("entity", tuple(e.strip().lower() for e in filters.entities))))
    return expand(node, concepts=concepts)


def check_search(facets: tuple[str, ...], interval: str, page: int, size: int, sort: str,
                 group: str | None = None) -> None:
    """A ValueError naming the first of a search's arguments no store accepts."""
    if group is not None and group not in GROUPS:
        raise ValueError(f"unknown group {group!r}: use {', '.join(GROUPS)}")
    unknown = [f for f in facets if f not in FACETS]
    if unknown:
        raise ValueError(f"unknown facet {unknown[0]!r}: use {', '.join(FACETS)}")
    if interval not in INTERVALS:
        raise ValueError(f"unknown interval {interval!r}: use {', '.join(INTERVALS)}")
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}: use {' or '.join(SORTS)}")
    if page < 1 or size < 0:
        raise ValueError(f"page must be 1 or more and size 0 or more (got page={page}, size={size})")
    if page * size > MAX_WINDOW:
        raise ValueError(f"page {page} of size {size} is past the first {MAX_WINDOW} results; narrow the query")


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite store URL (or of a plain `x.db` path), None for other stores."""
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):])
    if url.endswith(".db") and "://" not in url:
        return Path(url)
    return None


# URL scheme -> the store class, imported when first asked for (Scrapy's FEED_STORAGES by URI
# scheme): a SQLite user's every command need not load the Elasticsearch client.
STORES = MappingProxyType({
    "sqlite": "index.sqlite:SqliteStore",
    "http": "index.elastic:ElasticStore",
    "https": "index.elastic:ElasticStore",
})


def store_scheme(url: str) -> str | None:
    """The STORES key of a store URL (a plain `x.db` path and `:memory:` are SQLite), None if unknown."""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme in STORES and (scheme != "sqlite" or url.startswith("sqlite:///")):
        return scheme
    return "sqlite" if url.endswith(".db") or url == ":memory:" else None


def check_store_url(url: str) -> None:
    """A ValueError naming the store URL unless open_store would know what to open."""
    if store_scheme(url) is None:
        raise ValueError(f"unknown store {url!r}: use sqlite:///path/to.db or http://host:9200")


def open_store(url: str, **options) -> Store:
    """Open the store a URL names; the seam every part of newsmon opens its store through.

    `sqlite:///path.db` (or a path ending .db, or `:memory:`) opens the embedded SQLite store;
    `http(s)://host:9200` (optionally `?index=name`) an Elasticsearch index. `options` go to the
    Elasticsearch store (spool, basic_auth, api_key, ca_certs: index/locations.py says where the
    spool lives); SQLite takes none. An unknown URL is a ValueError naming it.

    >>> with open_store("sqlite:///tmp/news.db") as store:
    ...     store.search("Shusha -lang:en").total
    """
    check_store_url(url)
    module, name = STORES[store_scheme(url)].split(":")
    return getattr(import_module(module), name).from_url(url, **options)
