"""The embedded store: SQLite FTS5 over the pre-analysed terms, in one WAL-mode file."""
from __future__ import annotations

import copy
import functools
import os
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from index.analysis import terms_of
from index.article import Article, signature_bands
from index.batch import first_seen, plan_batch
from index.sqlite import sqlite_file
from index.sqlite.answers import Answers
from index.sqlite.coordination import SqliteCoordination
from index.sqlite.grouping import SqliteGrouping
from index.sqlite.schema import COLUMNS, FIRST_SEEN, GENERATION, SCHEMA, SELECT, migrate, to_article, to_row
from index.sqlite.search import SqliteSearch
from index.sqlite.stories import SqliteStories
from index.store import Store

CACHE_MIB = 64  # per connection: facets over 100,000 hits stay in memory
_INSERT = "INSERT INTO articles ({}) VALUES ({})".format(
    ", ".join(f'"{c}"' for c in ["seq", "first_seq", *COLUMNS]), ", ".join("?" * (len(COLUMNS) + 2)))


class SqliteStore(SqliteSearch, SqliteGrouping, SqliteCoordination, SqliteStories, Store):
    """Articles, their FTS5 terms, entities and LSH bands in one SQLite file."""

    def __init__(self, path: str | Path, readers: int | None = None, cache_mib: int = CACHE_MIB):
        """`readers`: connections searches read on at once (default: one per core, at least 2);
        `cache_mib`: the page cache of each connection (SQLite fills it as the file grows)."""
        self.path, self.cache_mib = str(path), cache_mib
        setup = functools.partial(_setup, cache_mib=cache_mib)
        # One writing connection guarded by a lock (writes take turns anyway: one writer per file)
        self._con = sqlite_file.connect(self.path)
        self._lock = threading.RLock()
        self._con.executescript(SCHEMA)
        # in one IMMEDIATE transaction: two processes may open one old file at once
        with self._transaction("IMMEDIATE") as con:
            migrate(con)
        setup(self._con)
        # Reads on a pool of connections of their own: WAL lets them read beside the writer, and
        # FTS5 and the bitmaps' C code release the GIL. An in-memory store is one connection's own.
        self._readers = None if self.path == ":memory:" else sqlite_file.ReadPool(
            self.path, readers or max(2, _cores()), setup=setup)
        self._sets = None  # built on the first search (index/sqlite/rowsets.py), per generation
        self._sets_lock = threading.Lock()
        self._stats = Answers(entries=2)  # stats() by generation
        self._rank_pool = None  # and a connection of its own, for broad rankings
        self._rank_con = None

    @classmethod
    def from_url(cls, url: str, cache_mib: int = CACHE_MIB, **options) -> "SqliteStore":
        """`sqlite:///path.db`, a plain `path.db` or `:memory:`; of the options SQLite takes
        `cache_mib` only (the others are Elasticsearch's)."""
        path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else url
        return cls(path or ":memory:", cache_mib=cache_mib)

    def _transaction(self, mode: str = "DEFERRED"):
        return sqlite_file.transaction(self._con, self._lock, mode)

    def _reading(self):
        """One read transaction (one snapshot) on a pooled reader, or on the one connection of `:memory:`."""
        return self._readers.transaction() if self._readers is not None else self._transaction()

    def upsert(self, articles: Iterable[Article]) -> int:
        """Write articles by id; each gets the next seq, and keeps the first_seen_at of its id.

        The stored record carries both; the Article objects passed in are left as they are.
        One statement per table for the whole batch (executemany), with the articles' own
        pre-analysed terms: what is left is SQLite's own bulk insert.
        """
        batch = list(articles)
        planned = plan_batch(batch, key=lambda a: a.id)
        with self._transaction("IMMEDIATE") as con:
            # one writer at a time (IMMEDIATE), so seqs grow in commit order across processes
            (seq,) = con.execute("SELECT value FROM counters WHERE name = 'seq'").fetchone()
            old = _stored_copies(con, [article.id for article, _ in planned])
            rows, texts, entities, bands = [], [], [], []
            for article, first in planned:
                seq += 1
                before = old.get(article.id)
                row = to_row(article)
                row[FIRST_SEEN] = first_seen(before and before[1], first.first_seen_at, first.crawled_at)
                rows.append([seq, before[2] if before else seq, *row])
                terms = terms_of(article)
                texts.append((seq, terms.title, terms.body))
                entities.extend((e, seq) for e in dict.fromkeys(article.matched))
                bands.extend((b, seq) for b in dict.fromkeys(signature_bands(article.signature)))
            con.executemany(_INSERT, rows)
            con.executemany("INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)", texts)
            con.executemany("INSERT INTO entities (entity, seq) VALUES (?, ?)", entities)
            con.executemany("INSERT INTO bands (band, seq) VALUES (?, ?)", bands)
            con.execute("UPDATE counters SET value = ? WHERE name = 'seq'", (seq,))
        return len(batch)

    def get_many(self, article_ids: Iterable[str]) -> dict[str, Article]:
        ids = list(dict.fromkeys(article_ids))
        found = {}
        with self._reading() as con:
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                for row in con.execute(
                        f"SELECT {SELECT} FROM articles a WHERE a.id IN ({', '.join('?' * len(chunk))})", chunk):
                    article = to_article(row)
                    found[article.id] = article
        return found

    def get(self, article_id: str) -> Article | None:
        with self._reading() as con:
            row = con.execute(f"SELECT {SELECT} FROM articles a WHERE a.id = ?", (article_id,)).fetchone()
        return to_article(row) if row else None

    def count(self) -> int:
        with self._reading() as con:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]

    def duplicate_candidates(self, content_hash: str, signature: list[int]) -> list[Article]:
        bands = signature_bands(signature)
        sql = (f"SELECT {SELECT} FROM articles a WHERE (? != '' AND a.content_hash = ?) "
               f"OR a.seq IN (SELECT seq FROM bands WHERE band IN ({', '.join('?' * len(bands))})) "
               "ORDER BY a.first_seq")
        with self._reading() as con:
            rows = con.execute(sql, [content_hash or "", content_hash or "", *bands]).fetchall()
        return [to_article(r) for r in rows]

    def last_seq(self) -> int:
        with self._reading() as con:
            return con.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]

    def written_after(self, seq: int, limit: int = 1000) -> list[Article]:
        with self._reading() as con:
            rows = con.execute(f"SELECT {SELECT} FROM articles a WHERE a.seq > ? ORDER BY a.seq LIMIT ?",
                                     (seq, limit)).fetchall()
        return [to_article(r) for r in rows]

    def stats(self) -> dict:
        with self._reading() as con:
            # counts of every article: made once per generation
            return copy.deepcopy(self._stats.get(con.execute(GENERATION).fetchone(), lambda: _stats(con)))

    def coverage(self, since=None, until=None, sources=()) -> list[tuple[str, str, int]]:
        sql = ("SELECT substr(crawled_at, 1, 10) AS day, source, count(*) FROM articles "
               "WHERE crawled_at IS NOT NULL")
        params: list = []
        if since is not None:
            sql += " AND crawled_at >= ?"
            params.append(since.isoformat())
        if until is not None:
            sql += " AND substr(crawled_at, 1, 10) <= ?"
            params.append(until.isoformat())
        if sources:
            sql += f" AND source IN ({', '.join('?' * len(sources))})"
            params.extend(sources)
        with self._reading() as con:
            return [tuple(r) for r in con.execute(sql + " GROUP BY day, source ORDER BY day, source", params)]

    def alert_store(self):
        """The saved alerts, in this store's file (a connection of their own)."""
        from index.sqlite.alerts import SqliteAlertStore

        return SqliteAlertStore(self.path)

    def close(self) -> None:
        with self._lock:
            self._close_ranker()
            if self._readers is not None:
                self._readers.close()
            self._con.close()


def _setup(con: sqlite3.Connection, cache_mib: int) -> None:
    """What every connection of the store reads with."""
    con.execute(f"PRAGMA cache_size={-1024 * int(cache_mib)}")
    con.execute("PRAGMA temp_store=MEMORY")
    con.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms USING fts5vocab(main, fts, 'row')")


def _cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _stats(con: sqlite3.Connection) -> dict:
    total, dups, first, last, crawled, last_seq = con.execute(
        "SELECT count(*), count(duplicate_of), min(published_at), max(published_at), max(crawled_at), "
        "coalesce(max(seq), 0) FROM articles").fetchone()
    by = {key: dict(con.execute(f"SELECT {key}, count(*) AS n FROM articles GROUP BY {key} "
                                f"ORDER BY n DESC, {key}").fetchall())
          for key in ("language", "source")}
    return {"total": total, "by_language": by["language"], "by_source": by["source"], "duplicates": dups,
            "first_published": first, "last_published": last, "last_crawled": crawled, "last_seq": last_seq}


def _stored_copies(con: sqlite3.Connection, ids: list[str]) -> dict[str, tuple]:
    """(seq, first_seen_at, first_seq) of the ids already stored; their rows are deleted.

    A rewrite moves the article to the end of the write order: delete, insert anew.
    """
    old = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        old.update((r[0], r[1:]) for r in con.execute(
            f"SELECT id, seq, first_seen_at, first_seq FROM articles WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk))
    if old:
        gone = [(row[0],) for row in old.values()]
        for table, key in (("articles", "seq"), ("fts", "rowid"), ("entities", "seq"), ("bands", "seq")):
            con.executemany(f"DELETE FROM {table} WHERE {key} = ?", gone)
    return old
