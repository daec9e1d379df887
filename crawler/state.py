"""Crawl state between runs: which URLs were fetched, their validators and outcome.

The next crawl skips an article it has already settled unless discovery reports it changed,
and revalidates feeds and sitemaps with conditional GET (ETag / Last-Modified).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from index.article import iso, parse_iso
from index.store import sqlite_path

# Standings after which an article URL is not fetched again unless it changes. A crawl's
# outcome `updated` or `unchanged` leaves the URL `stored` (or `duplicate`).
SETTLED = frozenset({"stored", "duplicate", "off_topic", "not_article", "empty", "alias"})

def is_settled(status: str) -> bool:
    """Settled standings, and `refused:KIND` (off-site, bad scheme or address, too large)."""
    return status in SETTLED or status.startswith("refused:")


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
"""


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


class CrawlState:
    def __init__(self, path: str | Path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        # no fsync per settled URL (a commit per URL, on the reactor thread): WAL stays consistent
        # after a crash; a power cut may forget the last few, which are then fetched again
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def get(self, url: str) -> UrlState | None:
        row = self.db.execute(
            "SELECT url, source, kind, status, canonical_url, etag, last_modified, fetched_at, failures"
            " FROM urls WHERE url = ?", (url,)
        ).fetchone()
        if row is None:
            return None
        return UrlState(*row[:7], parse_iso(row[7]), row[8])

    def needs_fetch(self, url: str, changed_at: datetime | None = None) -> bool:
        """True for an article URL never settled, or settled before it last changed."""
        known = self.get(url)
        if known is None or not is_settled(known.status):
            return True
        return changed_at is not None and changed_at > known.fetched_at

    def record(self, url: str, source: str, kind: str, status: str, canonical_url: str | None = None,
               etag: str | None = None, last_modified: str | None = None) -> None:
        now = iso(datetime.now(timezone.utc))
        self.db.execute(
            """INSERT INTO urls (url, source, kind, status, canonical_url, etag, last_modified, fetched_at, failures)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(url) DO UPDATE SET status = excluded.status, kind = excluded.kind,
                 canonical_url = COALESCE(excluded.canonical_url, canonical_url),
                 etag = COALESCE(excluded.etag, etag),
                 last_modified = COALESCE(excluded.last_modified, last_modified),
                 fetched_at = excluded.fetched_at,
                 failures = CASE WHEN excluded.failures > 0 THEN failures + 1 ELSE 0 END""",
            (url, source, kind, status, canonical_url, etag, last_modified, now, int(status.startswith("error:"))),
        )

    def retry_urls(self, source: str, max_failures: int = 5) -> list[str]:
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


def state_path_for(store_url: str, home: Path) -> Path:
    """The crawl state of a store: beside a SQLite file, or under `home` for Elasticsearch.

    Each store keeps its own: a state shared between stores would make a crawl into a new
    (say, Elasticsearch) store skip every article the old one already has.
    """
    db = sqlite_path(store_url)  # `sqlite:///x.db`, or `x.db` as it stands
    if db is not None:
        return db.with_name(f"{db.stem}.crawlstate.db")
    parts = urlsplit(store_url)
    index = parse_qs(parts.query).get("index", ["newsmon-articles"])[0]
    return home / f"crawlstate-{parts.hostname}_{parts.port or 9200}_{index}.db"
