"""Crawl state between runs: which URLs were fetched, their validators and outcome.

The next crawl skips an article it has already settled unless discovery reports it changed,
and revalidates feeds and sitemaps with conditional GET (ETag / Last-Modified).

Every URL a listing leads to is written down as due (`mark_due`) before the listing keeps its
validators, and stays due until its own outcome is recorded: a crawl killed at any moment
leaves what it had not finished due, and the next crawl asks for exactly that (`due`), even
when the feed or sitemap that listed it now answers 304.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import build_from_crawler, load_object

from crawler import signals as newsmon_signals
from crawler.outcomes import is_error, is_settled
from crawler.stopping import stop_unwritable
from index.article import iso, parse_iso
from index.locations import locations
from index.sqlite import sqlite_file
from index.store import is_unwritable, sqlite_path

MAX_FAILURES = 5  # consecutive failed fetches after which a URL is given up

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,            -- article | feed | sitemap | section | robots
    status TEXT NOT NULL,          -- stored, off_topic, error:..., alias, ...
    canonical_url TEXT,
    etag TEXT,
    last_modified TEXT,
    fetched_at TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0  -- consecutive failed fetches
);
CREATE INDEX IF NOT EXISTS urls_source ON urls(source);
CREATE TABLE IF NOT EXISTS due (
    url TEXT PRIMARY KEY,          -- listed, requested, not yet settled
    source TEXT NOT NULL,
    kind TEXT NOT NULL,            -- article | sitemap
    listing TEXT NOT NULL DEFAULT '{}',  -- what discovery knew (title, dates, via), as JSON
    listed_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS due_source ON due(source);
"""


class StateUnwritable(Exception):
    """The crawl state could not be written (a full disk, a read-only file system)."""

    def __init__(self, path: str, cause: Exception):
        super().__init__(f"the crawl state {path} cannot be written: {cause}")
        self.path, self.cause = path, cause


@dataclass
class Due:
    url: str
    kind: str
    listing: dict


@dataclass
class UrlState:
    url: str
    source: str
    kind: str
    status: str
    canonical_url: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: datetime
    failures: int


class CrawlStateStorage(Protocol):
    """What a crawl state keeps between crawls; NEWSMON_STATE_STORAGE names a class with these methods
    and a `from_crawler(crawler)` that reads its settings (as HTTPCACHE_STORAGE names a cache).

    Backends: `crawler.state.CrawlState` (a SQLite file), `crawler.state_elastic.ElasticCrawlState`
    (the cluster of an Elasticsearch store, shared by every machine crawling into it). E.g.

        scrapy crawl news -a source=trdaily -s NEWSMON_STATE_STORAGE=crawler.state.CrawlState

    A URL's standing is a crawler.outcomes.Standing, `error:KIND` or `refused:KIND`; `record`
    ends its being due, and raises StateUnwritable when the state cannot be written.
    """

    def get(self, url: str) -> UrlState | None: ...
    def prefetch(self, urls: list[str]) -> None: ...
    def needs_fetch(self, url: str, changed_at: datetime | None = None) -> bool: ...
    def mark_due(self, source: str, listed: list[tuple[str, str, dict]]) -> None: ...
    def due(self, source: str) -> list[Due]: ...
    def record(self, url: str, source: str, kind: str, status: str, canonical_url: str | None = None,
               etag: str | None = None, last_modified: str | None = None) -> None: ...
    def retry_urls(self, source: str, max_failures: int = MAX_FAILURES) -> list[str]: ...
    def summary(self, source: str | None = None) -> dict[str, int]: ...
    def counts(self) -> dict[str, dict[tuple[str, str], int]]: ...
    def close(self) -> None: ...


class CrawlState:
    """The crawl state in a SQLite file (a CrawlStateStorage)."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        # two crawls of one scheduler share the file: wait for the other's write, not fail.
        # No fsync per settled URL (a commit per URL, on the reactor thread): WAL stays consistent
        # after a crash; a power cut may forget the last few, which are then fetched again
        self.db = sqlite_file.connect(path, synchronous="NORMAL")
        self.db.executescript(SCHEMA)

    @classmethod
    def from_crawler(cls, crawler):
        """The file NEWSMON_STATE names, else the store's own (NEWSMON_STATE_LOCAL, else beside a SQLite store)."""
        settings = crawler.settings
        return cls(settings.get("NEWSMON_STATE") or settings.get("NEWSMON_STATE_LOCAL")
                   or state_path_for(settings.get("NEWSMON_STORE"), Path.cwd()))

    def get(self, url: str) -> UrlState | None:
        row = self.db.execute(
            "SELECT url, source, kind, status, canonical_url, etag, last_modified, fetched_at, failures"
            " FROM urls WHERE url = ?", (url,)
        ).fetchone()
        if row is None:
            return None
        return UrlState(*row[:7], parse_iso(row[7]), row[8])

    def prefetch(self, urls: list[str]) -> None:
        """Nothing to do for a local file (the cluster's state reads a listing's URLs at once)."""

    def needs_fetch(self, url: str, changed_at: datetime | None = None) -> bool:
        """True for an article URL never settled, or settled before it last changed."""
        known = self.get(url)
        if known is None or not is_settled(known.status):
            return True
        return changed_at is not None and changed_at > known.fetched_at

    def _write(self, statements: list[tuple[str, tuple]]) -> None:
        """Run the statements as one transaction; a failure to write is StateUnwritable."""
        try:
            self.db.execute("BEGIN")
            for sql, args in statements:
                if args and isinstance(args[0], tuple):
                    self.db.executemany(sql, args)
                else:
                    self.db.execute(sql, args)
            self.db.execute("COMMIT")
        except sqlite3.OperationalError as exc:  # nothing half-written, whatever failed
            if self.db.in_transaction:
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # the failed COMMIT already ended it
            if is_unwritable(exc):  # disk full, read-only, I/O error: the crawl stops
                raise StateUnwritable(self.path, exc) from exc
            raise

    def mark_due(self, source: str, listed: list[tuple[str, str, dict]]) -> None:
        """Write down (url, kind, listing) as due, in one transaction, before they are requested."""
        if not listed:
            return
        now = iso(datetime.now(timezone.utc))
        rows = tuple((url, source, kind, json.dumps(listing, ensure_ascii=False), now) for url, kind, listing in listed)
        self._write([("INSERT INTO due (url, source, kind, listing, listed_at) VALUES (?, ?, ?, ?, ?)"
                      " ON CONFLICT(url) DO UPDATE SET listing = excluded.listing", rows)])

    def due(self, source: str) -> list[Due]:
        """What this source listed and a crawl never finished, oldest first."""
        rows = self.db.execute(
            "SELECT d.url, d.kind, d.listing FROM due d LEFT JOIN urls u ON u.url = d.url"
            " WHERE d.source = ? AND COALESCE(u.failures, 0) < ? ORDER BY d.listed_at, d.url", (source, MAX_FAILURES))
        return [Due(url, kind, json.loads(listing)) for url, kind, listing in rows]

    def record(self, url: str, source: str, kind: str, status: str, canonical_url: str | None = None,
               etag: str | None = None, last_modified: str | None = None) -> None:
        """Record a URL's outcome; it is no longer due (a failed article is retried by `retry_urls`)."""
        now = iso(datetime.now(timezone.utc))
        self._write([(
            """INSERT INTO urls (url, source, kind, status, canonical_url, etag, last_modified, fetched_at, failures)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(url) DO UPDATE SET status = excluded.status, kind = excluded.kind,
                 canonical_url = COALESCE(excluded.canonical_url, canonical_url),
                 etag = COALESCE(excluded.etag, etag),
                 last_modified = COALESCE(excluded.last_modified, last_modified),
                 fetched_at = excluded.fetched_at,
                 failures = CASE WHEN excluded.failures > 0 THEN failures + 1 ELSE 0 END""",
            (url, source, kind, status, canonical_url, etag, last_modified, now, int(is_error(status)))),
        ] + ([] if kind == "sitemap" and is_error(status) else [
            # a child sitemap that failed stays due (its index may answer 304 next time): asked
            # again by each crawl until it is read or has failed MAX_FAILURES times
            ("DELETE FROM due WHERE url = ?", (url,))]))

    def retry_urls(self, source: str, max_failures: int = MAX_FAILURES) -> list[str]:
        """Article URLs whose last fetch failed, to try again (a feed answering 304 won't list them)."""
        rows = self.db.execute(
            "SELECT url FROM urls WHERE source = ? AND kind = 'article' AND status LIKE 'error:%' AND failures < ?"
            " ORDER BY fetched_at", (source, max_failures))
        return [row[0] for row in rows]

    def summary(self, source: str | None = None) -> dict[str, int]:
        """Count of URLs per status, for stats and source health."""
        sql = "SELECT status, COUNT(*) FROM urls"
        args: tuple = ()
        if source:
            sql += " WHERE source = ?"
            args = (source,)
        return dict(self.db.execute(sql + " GROUP BY status", args).fetchall())

    def counts(self) -> dict[str, dict[tuple[str, str], int]]:
        """Source -> (kind, status) -> number of URLs: what `newsmon stats` sums up per source."""
        found: dict[str, dict[tuple[str, str], int]] = {}
        for source, kind, status, n in self.db.execute(
                "SELECT source, kind, status, COUNT(*) FROM urls GROUP BY source, kind, status"):
            found.setdefault(source, {})[(kind, status)] = n
        return found

    def close(self) -> None:
        self.db.close()


def open_state(path: str | Path, store_url: str | None = None, store_options: dict | None = None,
               shared: bool = False):
    """The crawl state: the SQLite file at `path`; with `shared` and an Elasticsearch store, the
    cluster's own, which every machine crawling into that store sees (`path` while it is away)."""
    if shared and store_url and sqlite_path(store_url) is None:
        from crawler.state_elastic import ElasticCrawlState

        return ElasticCrawlState(store_url, path, **(store_options or {}))
    return CrawlState(path)


def state_storage(settings) -> str:
    """NEWSMON_STATE_STORAGE, else the store's own: in the cluster for an Elasticsearch store
    (unless NEWSMON_STATE names a file), else a SQLite file."""
    named = settings.get("NEWSMON_STATE_STORAGE")
    if named:
        return named
    store_url = settings.get("NEWSMON_STORE")
    if not settings.get("NEWSMON_STATE") and store_url and sqlite_path(store_url) is None:
        return "crawler.state_elastic.ElasticCrawlState"
    return "crawler.state.CrawlState"


class CrawlStateExtension:
    """The crawl's state as a Scrapy extension: opened with the crawler, recording every
    article_settled, stopping the crawl when it cannot be written, closed when the engine stops.

    The spider reads and writes discovery through `state` (crawler.get_extension(CrawlStateExtension)).
    """

    def __init__(self, crawler, state: CrawlStateStorage):
        self.crawler, self.state = crawler, state
        crawler.signals.connect(self.article_settled, signal=newsmon_signals.article_settled)
        crawler.signals.connect(self.failed, signal=signals.spider_error)
        crawler.signals.connect(self.failed, signal=signals.item_error)
        crawler.signals.connect(self.close, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        named = ("NEWSMON_STATE", "NEWSMON_STATE_LOCAL", "NEWSMON_STORE", "NEWSMON_STATE_STORAGE")
        if not any(crawler.settings.get(name) for name in named):
            # a crawl writing nowhere (a bare spider over newsmon's settings) has nothing to remember,
            # and a state file made up for it would land in the working folder
            raise NotConfigured("no store and no crawl state named")
        return cls(crawler, build_from_crawler(load_object(state_storage(crawler.settings)), crawler))

    def article_settled(self, urls: list[str], standing: str | None, source: str, canonical_url: str | None = None,
                        etag: str | None = None, last_modified: str | None = None) -> None:
        if standing is None:  # not recorded: the URLs stay due
            return
        try:
            for url in urls:
                self.state.record(url, source, "article", standing, canonical_url=canonical_url,
                                  etag=etag, last_modified=last_modified)
        except StateUnwritable as exc:  # the URL stays due: fetched again once there is room
            stop_unwritable(self.crawler, str(exc))

    def failed(self, failure, **_) -> None:
        if failure.check(StateUnwritable):
            stop_unwritable(self.crawler, str(failure.value))

    def close(self) -> None:
        self.state.close()


def state_path_for(store_url: str, home: Path) -> Path:
    """The crawl state of a store: beside a SQLite file, or under `home` for Elasticsearch.

    Each store keeps its own: a state shared between stores would make a crawl into a new
    (say, Elasticsearch) store skip every article the old one already has.
    """
    return locations(store_url, home).state  # index/locations.py holds the rule
