"""The embedded store: SQLite FTS5 over the pre-analysed terms, in one WAL-mode file."""
from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import datetime
from pathlib import Path

from index.analysis import index_text
from index.article import Article, iso, signature_bands
from index.query import And, Filter, MatchAll, Node, Not, Term, positive_terms
from index.store import FACET_SIZE, Filters, RawResult, Store

COLUMNS = [f.name for f in fields(Article)]
JSON_COLUMNS = {f.name for f in fields(Article) if str(f.type).startswith(("list", "dict"))}

# Terms are word characters joined by single spaces. The ascii tokenizer treats every non-ASCII
# character as part of a token and '_' is added, so FTS5 splits exactly at the spaces, as
# Elasticsearch's whitespace analyzer does (unicode61 would split at '_' and at letters newer
# than Unicode 6.1).
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY,  -- stable rowid shared with fts, entities and bands
    {", ".join(f'"{c}" TEXT NOT NULL UNIQUE' if c == "id" else f'"{c}"' for c in COLUMNS)}
);
-- covers date filters and facets, so a large matching set is read without the article text
CREATE INDEX IF NOT EXISTS articles_meta ON articles(published_at, language, source, duplicate_of, id);
CREATE INDEX IF NOT EXISTS articles_language ON articles(language);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, body, tokenize = "ascii tokenchars '_'");
CREATE TABLE IF NOT EXISTS entities (
    entity TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (entity, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entities_seq ON entities(seq, entity);
CREATE TABLE IF NOT EXISTS bands (
    band TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (band, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bands_seq ON bands(seq);
"""

# bm25 weights: a match in the title counts twice a match in the body.
RANK = "-bm25(fts, 2.0, 1.0)"

BUCKET_SQL = {
    "day": "substr(published_at, 1, 10)",
    "week": "date(published_at, '-6 days', 'weekday 1')",  # the Monday on or before
    "month": "substr(published_at, 1, 7) || '-01'",
    "year": "substr(published_at, 1, 4) || '-01-01'",
}
FACET_COLUMN = {"language": "language", "source": "source"}


class SqliteStore(Store):
    """Articles, their FTS5 terms, entities and LSH bands in one SQLite file."""

    def __init__(self, path: str | Path):
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        # One connection guarded by a lock: the web server may call from several threads.
        self._con = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self._lock = threading.RLock()
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute("PRAGMA synchronous=NORMAL")
        self._con.execute("PRAGMA cache_size=-65536")  # 64 MiB: facets over 100,000 hits stay in memory
        self._con.execute("PRAGMA temp_store=MEMORY")
        self._con.executescript(SCHEMA)
        have = {row[1] for row in self._con.execute("PRAGMA table_info(articles)")}
        for column in COLUMNS:
            if column not in have:  # a field added to Article since this file was created
                self._con.execute(f'ALTER TABLE articles ADD COLUMN "{column}"')
        # The matching set with the columns that sorting and facets read: one pass over articles.
        # No key on it: appending is several times faster than keeping a b-tree in order.
        self._con.execute("CREATE TEMP TABLE IF NOT EXISTS hits "
                          "(seq INTEGER, id TEXT, language TEXT, source TEXT, published_at TEXT)")
        self._con.execute("CREATE TEMP TABLE IF NOT EXISTS ranks (seq INTEGER PRIMARY KEY, score REAL)")

    @contextmanager
    def _transaction(self, mode: str = "DEFERRED") -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._con.execute(f"BEGIN {mode}")
            try:
                yield self._con
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")

    def upsert(self, articles: Iterable[Article]) -> int:
        columns = ", ".join(f'"{c}"' for c in COLUMNS)
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in COLUMNS if c != "id")
        sql = (f"INSERT INTO articles ({columns}) VALUES ({', '.join('?' * len(COLUMNS))}) "
               f"ON CONFLICT(id) DO UPDATE SET {updates} RETURNING seq")
        written = 0
        with self._transaction("IMMEDIATE") as con:
            for article in articles:
                seq = con.execute(sql, _row(article)).fetchone()[0]
                # a replaced article's old terms, entities and bands go before the new ones come
                con.execute("DELETE FROM fts WHERE rowid = ?", (seq,))
                con.execute("DELETE FROM entities WHERE seq = ?", (seq,))
                con.execute("DELETE FROM bands WHERE seq = ?", (seq,))
                con.execute("INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)",
                            (seq, index_text(article.title, article.language),
                             index_text(article.body, article.language)))
                con.executemany("INSERT OR IGNORE INTO entities (entity, seq) VALUES (?, ?)",
                                [(e, seq) for e in article.matched])
                con.executemany("INSERT OR IGNORE INTO bands (band, seq) VALUES (?, ?)",
                                [(b, seq) for b in signature_bands(article.signature)])
                written += 1
        return written

    def get(self, article_id: str) -> Article | None:
        with self._lock:
            row = self._con.execute(f"SELECT {_SELECT} FROM articles a WHERE a.id = ?", (article_id,)).fetchone()
        return _article(row) if row else None

    def count(self) -> int:
        with self._lock:
            return self._con.execute("SELECT count(*) FROM articles").fetchone()[0]

    def duplicate_candidates(self, content_hash: str, signature: list[int]) -> list[Article]:
        bands = signature_bands(signature)
        sql = (f"SELECT {_SELECT} FROM articles a WHERE (? != '' AND a.content_hash = ?) "
               f"OR a.seq IN (SELECT seq FROM bands WHERE band IN ({', '.join('?' * len(bands))})) ORDER BY a.seq")
        with self._lock:
            rows = self._con.execute(sql, [content_hash or "", content_hash or "", *bands]).fetchall()
        return [_article(r) for r in rows]

    def stats(self) -> dict:
        with self._transaction() as con:
            total, dups, first, last, crawled = con.execute(
                "SELECT count(*), count(duplicate_of), min(published_at), max(published_at), max(crawled_at) "
                "FROM articles").fetchone()
            by = {key: dict(con.execute(f"SELECT {key}, count(*) AS n FROM articles GROUP BY {key} "
                                        f"ORDER BY n DESC, {key}").fetchall())
                  for key in ("language", "source")}
        return {"total": total, "by_language": by["language"], "by_source": by["source"], "duplicates": dups,
                "first_published": first, "last_published": last, "last_crawled": crawled}

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def _search(self, node: Node, filters: Filters, facets: tuple[str, ...], interval: str,
                offset: int, size: int, sort: str) -> RawResult:
        where, params = _compile(node)
        conditions, extra = _filters(filters)
        rank = _rank_match(node) if sort == "relevance" else None
        with self._transaction() as con:
            con.execute("DELETE FROM temp.hits")
            con.execute("INSERT INTO temp.hits (seq, id, language, source, published_at) "
                        "SELECT a.seq, a.id, a.language, a.source, a.published_at "
                        f"FROM articles a WHERE {where}{conditions}", params + extra)
            total = con.execute("SELECT count(*) FROM temp.hits").fetchone()[0]
            page = self._page(con, rank, offset, size) if size else []
            found = {name: self._facet(con, name, interval) for name in facets}
        return total, page, found

    def _scan(self, node: Node, filters: Filters) -> Iterator[Article]:
        where, params = _compile(node)
        conditions, extra = _filters(filters)
        last = 0
        while True:
            # one short read per batch, so an export never holds the lock (or a snapshot) for long
            with self._lock:
                rows = self._con.execute(
                    f"SELECT a.seq, {_SELECT} FROM articles a WHERE ({where}){conditions} AND a.seq > ? "
                    "ORDER BY a.seq LIMIT 500", params + extra + [last]).fetchall()
            if not rows:
                return
            for row in rows:
                yield _article(row[1:])
            last = rows[-1][0]

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
        with self._lock:
            return [tuple(r) for r in self._con.execute(sql + " GROUP BY day, source ORDER BY day, source", params)]

    def _page(self, con: sqlite3.Connection, rank: str | None, offset: int, size: int) -> list[tuple[Article, float]]:
        con.execute("DELETE FROM temp.ranks")
        if rank is not None:
            # Scores go to a table first: a joined MATCH subquery would be run again for every hit.
            con.execute(f"INSERT INTO temp.ranks (seq, score) SELECT rowid, {RANK} FROM fts WHERE fts MATCH ?", (rank,))
        # Sort on the small columns only, then read the page's full rows (bodies are large).
        ranked = con.execute(
            "SELECT h.seq, coalesce(r.score, 0.0) AS score FROM temp.hits h LEFT JOIN temp.ranks r ON r.seq = h.seq "
            "ORDER BY score DESC, h.published_at IS NULL, h.published_at DESC, h.id LIMIT ? OFFSET ?",
            (size, offset)).fetchall()
        marks = ", ".join("?" * len(ranked))
        rows = {r[0]: r[1:] for r in con.execute(
            f"SELECT a.seq, {_SELECT} FROM articles a WHERE a.seq IN ({marks})", [seq for seq, _ in ranked])}
        return [(_article(rows[seq]), float(score)) for seq, score in ranked]

    def _facet(self, con: sqlite3.Connection, name: str, interval: str) -> list[tuple[str, int]]:
        if name == "date":
            key = BUCKET_SQL[interval]
            sql = f"SELECT {key} AS k, count(*) FROM temp.hits WHERE published_at IS NOT NULL GROUP BY k ORDER BY k"
            return [tuple(r) for r in con.execute(sql)]
        if name == "entity":
            sql = "SELECT e.entity AS k, count(*) AS n FROM temp.hits h CROSS JOIN entities e ON e.seq = h.seq GROUP BY k"
        else:
            sql = f"SELECT {FACET_COLUMN[name]} AS k, count(*) AS n FROM temp.hits GROUP BY k"
        return [tuple(r) for r in con.execute(f"{sql} ORDER BY n DESC, k LIMIT {FACET_SIZE}")]


_SELECT = ", ".join(f'a."{c}"' for c in COLUMNS)


def _row(article: Article) -> list:
    # Field by field rather than to_dict(): asdict deep-copies every signature, a third of upsert time.
    row = []
    for column in COLUMNS:
        value = getattr(article, column)
        if column in JSON_COLUMNS:
            value = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, datetime):
            value = iso(value)
        elif column == "duplicate_of":
            value = value or None  # "" and None both mean: an original
        row.append(value)
    return row


def _article(row: Iterable) -> Article:
    data = {c: (json.loads(v) if c in JSON_COLUMNS and v is not None else v) for c, v in zip(COLUMNS, row)}
    return Article.from_dict({k: v for k, v in data.items() if v is not None or k == "duplicate_of"})


def fts_match(leaf: Term) -> str:
    """FTS5 MATCH text for a word or phrase leaf: its term sequences as OR-ed FTS5 phrases."""
    phrases = " OR ".join('"' + " ".join(seq).replace('"', '""') + '"' for seq in sorted(leaf.sequences))
    return f"title : ({phrases})" if leaf.field == "title" else phrases


def _compile(node: Node) -> tuple[str, list]:
    """SQL condition on `articles a` for a query AST; all user text goes in as bound parameters."""
    if isinstance(node, MatchAll):
        return "1", []
    if isinstance(node, Term):
        return "a.seq IN (SELECT rowid FROM fts WHERE fts MATCH ?)", [fts_match(node)]
    if isinstance(node, Filter):
        marks = ", ".join("?" * len(node.values))
        if node.field == "entity":
            return f"a.seq IN (SELECT seq FROM entities WHERE entity IN ({marks}))", list(node.values)
        column = {"lang": "a.language", "source": "a.source"}[node.field]
        return f"{column} IN ({marks})", list(node.values)
    if isinstance(node, Not):
        sql, params = _compile(node.child)
        return f"NOT ({sql})", params
    joiner = " AND " if isinstance(node, And) else " OR "
    parts = [_compile(c) for c in node.children]
    return "(" + joiner.join(sql for sql, _ in parts) + ")", [p for _, ps in parts for p in ps]


def _filters(filters: Filters) -> tuple[str, list]:
    sql, params = "", []
    if filters.since is not None:
        sql += " AND a.published_at >= ?"
        params.append(iso(filters.since))
    if filters.until is not None:
        sql += " AND a.published_at <= ?"
        params.append(iso(filters.until))
    for column, values in (("language", filters.languages), ("source", filters.sources)):
        if values:
            sql += f" AND a.{column} IN ({', '.join('?' * len(values))})"
            params.extend(values)
    if not filters.include_duplicates:
        sql += " AND a.duplicate_of IS NULL"
    return sql, params


def _rank_match(node: Node) -> str | None:
    """One MATCH over every positive leaf, for bm25; None when the query has no words."""
    leaves = positive_terms(node)
    return " OR ".join(f"({fts_match(leaf)})" for leaf in leaves) if leaves else None
