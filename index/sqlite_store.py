"""The embedded store: SQLite FTS5 over the pre-analysed terms, in one WAL-mode file."""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import fields, replace
from datetime import datetime, timezone
from pathlib import Path

from index.analysis import terms_of
from index.article import RECORD_FIELDS, Article, iso, signature_bands
from index.query import And, Filter, MatchAll, Node, Not, Or, Term
from index import sqlite_file
from index.rowsets import RowSets
from index.store import FINAL, Filters, LockState, RawResult, Store

# `seq` is the rowid (declared first in the schema); the other fields are plain columns.
COLUMNS = [name for name in RECORD_FIELDS if name != "seq"]
FIRST_SEEN = COLUMNS.index("first_seen_at")
JSON_COLUMNS = {f.name for f in fields(Article) if str(f.type).startswith(("list", "dict"))}

# Terms are word characters joined by single spaces. The ascii tokenizer treats every non-ASCII
# character as part of a token and '_' is added, so FTS5 splits exactly at the spaces, as
# Elasticsearch's whitespace analyzer does (unicode61 would split at '_' and at letters newer
# than Unicode 6.1).
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS articles (
    -- the write-time sequence, and the rowid shared with fts, entities and bands: every write
    -- of an article gives it a new, higher seq (see upsert)
    seq INTEGER PRIMARY KEY,
    first_seq INTEGER,  -- the seq of an id's first write: the order originals are chosen in
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
-- the last seq handed out: never reused, even when the newest article is rewritten
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
-- crawl coordination: locks with an expiry, and the history of runs
CREATE TABLE IF NOT EXISTS locks (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at REAL NOT NULL,
                                  token INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, source TEXT NOT NULL, started_at TEXT NOT NULL, run TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS runs_source ON runs(source, started_at);
CREATE INDEX IF NOT EXISTS runs_started ON runs(started_at);
"""

# bm25 weights: a match in the title counts twice a match in the body.
RANK = "-bm25(fts, 2.0, 1.0)"
# Matches from which bm25 is scored in two halves at once (measured: 46,000 rows take 60 ms in one)
SPLIT_RANKING_AT = 20_000


class SqliteStore(Store):
    """Articles, their FTS5 terms, entities and LSH bands in one SQLite file."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        # One connection guarded by a lock: the web server may call from several threads.
        self._con = sqlite_file.connect(self.path)
        self._lock = threading.RLock()
        self._con.execute("PRAGMA cache_size=-65536")  # 64 MiB: facets over 100,000 hits stay in memory
        self._con.execute("PRAGMA temp_store=MEMORY")
        self._con.executescript(SCHEMA)
        self._migrate()
        self._sets: RowSets | None = None  # built on the first search (index/rowsets.py)
        self._rank_pool: ThreadPoolExecutor | None = None  # and a second connection, for broad rankings
        self._rank_con: sqlite3.Connection | None = None
        self._con.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms USING fts5vocab(main, fts, 'row')")

    def _migrate(self) -> None:
        """Bring a file made by an older newsmon up to this schema.

        In one IMMEDIATE transaction that reads the columns itself: two processes opening one old
        file at once (two schedulers) would otherwise both add the same column, and one would fail.
        """
        with self._transaction("IMMEDIATE") as con:
            have = {row[1] for row in con.execute("PRAGMA table_info(articles)")}
            for column in COLUMNS:
                if column not in have:  # a field added to Article since this file was created
                    con.execute(f'ALTER TABLE articles ADD COLUMN "{column}"')
            if "first_seen_at" not in have:
                con.execute("UPDATE articles SET first_seen_at = crawled_at")
            if "first_seq" not in have:
                con.execute("ALTER TABLE articles ADD COLUMN first_seq INTEGER")
                con.execute("UPDATE articles SET first_seq = seq")
            if "token" not in {row[1] for row in con.execute("PRAGMA table_info(locks)")}:
                con.execute("ALTER TABLE locks ADD COLUMN token INTEGER NOT NULL DEFAULT 1")  # fencing tokens
            con.execute("INSERT OR IGNORE INTO counters (name, value) SELECT 'seq', coalesce(max(seq), 0) FROM articles")

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
        """Write articles by id; each gets the next seq, and keeps the first_seen_at of its id.

        The stored record carries both; the Article objects passed in are left as they are.
        One statement per table for the whole batch (executemany), with the articles' own
        pre-analysed terms: what is left is SQLite's own bulk insert.
        """
        batch = list(articles)
        # an id twice in one batch: its last copy is written, in the last copy's place in the
        # write order, with the first copy's first sighting
        latest: dict[str, Article] = {}
        earliest: dict[str, Article] = {}
        for a in batch:
            earliest.setdefault(a.id, a)
            latest.pop(a.id, None)
            latest[a.id] = a
        columns = ", ".join(f'"{c}"' for c in ["seq", "first_seq", *COLUMNS])
        insert = f"INSERT INTO articles ({columns}) VALUES ({', '.join('?' * (len(COLUMNS) + 2))})"
        with self._transaction("IMMEDIATE") as con:
            # one writer at a time (IMMEDIATE), so seqs grow in commit order across processes
            (seq,) = con.execute("SELECT value FROM counters WHERE name = 'seq'").fetchone()
            old = {}
            ids = list(latest)
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                old.update((r[0], r[1:]) for r in con.execute(
                    f"SELECT id, seq, first_seen_at, first_seq FROM articles WHERE id IN ({', '.join('?' * len(chunk))})",
                    chunk))
            if old:
                # a rewrite moves the article to the end of the write order: delete, insert anew
                gone = [(row[0],) for row in old.values()]
                for table, key in (("articles", "seq"), ("fts", "rowid"), ("entities", "seq"), ("bands", "seq")):
                    con.executemany(f"DELETE FROM {table} WHERE {key} = ?", gone)
            rows, texts, entities, bands = [], [], [], []
            for article in latest.values():
                seq += 1
                before = old.get(article.id)
                row = _row(article)
                first = earliest[article.id]
                row[FIRST_SEEN] = before[1] if before and before[1] else iso(
                    first.first_seen_at or first.crawled_at or datetime.now(timezone.utc))
                rows.append([seq, before[2] if before else seq, *row])
                terms = terms_of(article)
                texts.append((seq, terms.title, terms.body))
                entities.extend((e, seq) for e in dict.fromkeys(article.matched))
                bands.extend((b, seq) for b in dict.fromkeys(signature_bands(article.signature)))
            con.executemany(insert, rows)
            con.executemany("INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)", texts)
            con.executemany("INSERT INTO entities (entity, seq) VALUES (?, ?)", entities)
            con.executemany("INSERT INTO bands (band, seq) VALUES (?, ?)", bands)
            con.execute("UPDATE counters SET value = ? WHERE name = 'seq'", (seq,))
        return len(batch)

    def get_many(self, article_ids: Iterable[str]) -> dict[str, Article]:
        ids = list(dict.fromkeys(article_ids))
        found = {}
        with self._lock:
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                for row in self._con.execute(
                        f"SELECT {_SELECT} FROM articles a WHERE a.id IN ({', '.join('?' * len(chunk))})", chunk):
                    article = _article(row)
                    found[article.id] = article
        return found

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
               f"OR a.seq IN (SELECT seq FROM bands WHERE band IN ({', '.join('?' * len(bands))})) "
               "ORDER BY a.first_seq")
        with self._lock:
            rows = self._con.execute(sql, [content_hash or "", content_hash or "", *bands]).fetchall()
        return [_article(r) for r in rows]

    def last_seq(self) -> int:
        with self._lock:
            return self._con.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]

    def written_after(self, seq: int, limit: int = 1000) -> list[Article]:
        with self._lock:
            rows = self._con.execute(f"SELECT {_SELECT} FROM articles a WHERE a.seq > ? ORDER BY a.seq LIMIT ?",
                                     (seq, limit)).fetchall()
        return [_article(r) for r in rows]

    def stats(self) -> dict:
        with self._transaction() as con:
            total, dups, first, last, crawled, last_seq = con.execute(
                "SELECT count(*), count(duplicate_of), min(published_at), max(published_at), max(crawled_at), "
                "coalesce(max(seq), 0) FROM articles").fetchone()
            by = {key: dict(con.execute(f"SELECT {key}, count(*) AS n FROM articles GROUP BY {key} "
                                        f"ORDER BY n DESC, {key}").fetchall())
                  for key in ("language", "source")}
        return {"total": total, "by_language": by["language"], "by_source": by["source"], "duplicates": dups,
                "first_published": first, "last_published": last, "last_crawled": crawled, "last_seq": last_seq}

    def close(self) -> None:
        with self._lock:
            if self._rank_pool is not None:
                self._rank_pool.shutdown()
                self._rank_con.close()
                self._rank_pool = None
            self._con.close()

    def acquire_lock(self, name: str, holder: str, ttl: float) -> int:
        now = time.time()
        with self._transaction("IMMEDIATE") as con:  # one writer at a time: no two holders
            row = con.execute("SELECT holder, expires_at, token FROM locks WHERE name = ?", (name,)).fetchone()
            if row is not None and row[0] != holder and row[1] > now:
                return 0
            if row is not None and row[1] >= FINAL:
                return 0  # finished work is never taken again, not even by its holder
            token = 1 if row is None else row[2] + (row[0] != holder or row[1] <= now)
            con.execute("INSERT OR REPLACE INTO locks (name, holder, expires_at, token) VALUES (?, ?, ?, ?)",
                        (name, holder, now + ttl, token))
            return token

    def release_lock(self, name: str, holder: str) -> None:
        with self._transaction("IMMEDIATE") as con:
            con.execute("UPDATE locks SET expires_at = 0 WHERE name = ? AND holder = ? AND expires_at < ?",
                        (name, holder, FINAL))

    def lock_state(self, name: str) -> LockState | None:
        with self._lock:
            row = self._con.execute("SELECT holder, token, expires_at FROM locks WHERE name = ?", (name,)).fetchone()
        return LockState(*row) if row else None

    def live_locks(self, prefix: str) -> list[str]:
        with self._lock:
            rows = self._con.execute("SELECT name FROM locks WHERE substr(name, 1, ?) = ? AND expires_at > ? "
                                     "AND expires_at < ? ORDER BY name", (len(prefix), prefix, time.time(), FINAL))
            return [r[0] for r in rows]

    def finish_lock(self, name: str, holder: str) -> bool:
        with self._transaction("IMMEDIATE") as con:
            return con.execute("UPDATE locks SET expires_at = ? WHERE name = ? AND holder = ? AND expires_at > ?",
                               (FINAL, name, holder, time.time())).rowcount == 1

    def record_run(self, run: dict) -> None:
        with self._transaction("IMMEDIATE") as con:
            con.execute("INSERT INTO runs (source, started_at, run) VALUES (?, ?, ?)",
                        (run["source"], run["started_at"], json.dumps(run, ensure_ascii=False)))

    def runs(self, source: str | None = None, since: str | None = None, limit: int = 100) -> list[dict]:
        sql, args = "SELECT run FROM runs WHERE 1", []
        if source:
            sql += " AND source = ?"
            args.append(source)
        if since:
            sql += " AND started_at >= ?"
            args.append(since)
        with self._lock:
            rows = self._con.execute(sql + " ORDER BY started_at DESC, id DESC LIMIT ?", [*args, limit]).fetchall()
        return [json.loads(r[0]) for r in rows]

    def _search(self, node: Node, filters: Filters, facets: tuple[str, ...], interval: str,
                offset: int, size: int, sort: str) -> RawResult:
        with self._transaction() as con:
            sets = self._rowsets(con)
            node = self._present(con, node)
            rank = _rank_match(node) if sort == "relevance" else None
            matched = sets.filtered(self._match(con, node, sets), filters)
            if not size:
                page = []
            elif rank is None:
                page = [(seq, 0.0) for seq in sets.newest(matched, offset, size)]
            else:
                page = self._ranked(con, sets, matched, rank, offset, size)
            rows = {r[0]: r[1:] for r in con.execute(
                f"SELECT a.seq, {_SELECT} FROM articles a WHERE a.seq IN ({', '.join('?' * len(page))})",
                [seq for seq, _ in page])}
            found = {name: sets.histogram(matched, interval) if name == "date" else sets.counts(name, matched)
                     for name in facets}
        return matched.bit_count(), [(_article(rows[seq]), score) for seq, score in page], found

    def _present(self, con: sqlite3.Connection, node: Node) -> Node:
        """The query with term sequences the index cannot hold dropped (an absent term).

        Aliases expand a word to a dozen spellings, most of them absent from a given store;
        FTS5 and bm25 pay per phrase per row, so asking only for present ones is cheaper and
        finds the same rows.
        """
        if isinstance(node, Term):
            known = self._sets.vocabulary
            missing = [t for seq in node.sequences for t in seq if t not in known]
            if missing:
                for term in missing:
                    known[term] = con.execute("SELECT 1 FROM temp.fts_terms WHERE term = ? LIMIT 1",
                                              (term,)).fetchone() is not None
            seqs = frozenset(seq for seq in node.sequences if all(known[t] for t in seq))
            return replace(node, sequences=seqs) if seqs != node.sequences else node
        if isinstance(node, (And, Or)):
            return type(node)(tuple(self._present(con, c) for c in node.children))
        if isinstance(node, Not):
            return Not(self._present(con, node.child))
        return node

    def _rowsets(self, con: sqlite3.Connection) -> RowSets:
        # data_version moves when another connection commits, total_changes when this one writes
        version = (con.execute("PRAGMA data_version").fetchone()[0], con.total_changes)
        if self._sets is None or self._sets.version != version:
            self._sets = RowSets(con)
            self._sets.version = version
        return self._sets

    def _match(self, con: sqlite3.Connection, node: Node, sets: RowSets) -> int:
        """The bitmap of a query AST: FTS5 rowid lists for words, AND/OR/NOT of bitmaps for the rest."""
        if isinstance(node, MatchAll):
            return sets.universe
        if isinstance(node, Term):
            if not node.sequences:
                return 0
            return sets.of_rowids(_rowids(con, fts_match(node)))
        if isinstance(node, Filter):
            return sets.values({"lang": "language", "source": "source", "entity": "entity"}[node.field], node.values)
        if isinstance(node, Not):
            return sets.universe & ~self._match(con, node.child, sets)
        out = 0 if isinstance(node, Or) else sets.universe
        for child in node.children:
            if isinstance(node, Or):
                out |= self._match(con, child, sets)
            elif isinstance(child, Not):
                out &= ~self._match(con, child.child, sets)
            else:
                out &= self._match(con, child, sets)
        return out

    def _ranked(self, con: sqlite3.Connection, sets: RowSets, matched: int, rank: str, offset: int,
                size: int) -> list[tuple[int, float]]:
        """One page by bm25 (a title match counts twice), ties by rowid (newest written first).

        FTS5 scores and sorts in C; a window a few pages deep usually holds the page, so only
        those rows cross into Python. Hits matched only through filters or exclusions score 0.
        """
        want = offset + size
        where, params = "fts MATCH ?", [rank]
        members: set[int] | None = None
        lo, hi = sets.first_seq, sets.last_seq
        if matched.bit_count() * 2 < sets.size:
            # FTS5 seeks rowid ranges natively: score only rows between the first and last hit
            # (a date filter's hits are mostly written together, so this is often a small range)
            members = set(sets.seqs(matched))
            if members:
                lo, hi = min(members), max(members)
        sql = f"SELECT rowid, {RANK} AS score FROM fts WHERE {where} AND rowid BETWEEN ? AND ? ORDER BY score DESC, rowid DESC"
        window = want * 4 + 50
        if matched.bit_count() >= SPLIT_RANKING_AT and hi > lo:
            rows = self._ranked_in_halves(con, f"{sql} LIMIT ?", params, lo, hi, window)
        else:
            rows = con.execute(f"{sql} LIMIT ?", [*params, lo, hi, window]).fetchall()
        params += [lo, hi]
        hits = [(seq, score) for seq, score in rows if (seq in members if members is not None
                                                         else sets.has(matched, seq))]
        if len(hits) < want and len(rows) == window:  # a narrow filter: look at every scored row
            members = members if members is not None else set(sets.seqs(matched))
            hits = [(seq, score) for seq, score in con.execute(sql, params) if seq in members]
        page = hits[:want]
        if len(page) < want:
            scored = sets.of_rowids(_rowids(con, rank))
            page += [(seq, 0.0) for seq in sets.newest(matched & ~scored, 0, want - len(page))]
        return page[offset:want]

    def _ranked_in_halves(self, con: sqlite3.Connection, sql: str, params: list, lo: int, hi: int,
                          window: int) -> list[tuple[int, float]]:
        """The best `window` rows, each half of the rowid range scored on its own core at once.

        bm25 costs about a microsecond per matching row and runs in C without the GIL, so a
        query matching half the store is ranked in two threads on two connections. Scores do
        not depend on the range (FTS5 takes its statistics from the whole index).
        """
        mid = (lo + hi) // 2
        upper = self._ranker().submit(lambda: self._rank_con.execute(sql, [*params, mid + 1, hi, window]).fetchall())
        rows = con.execute(sql, [*params, lo, mid, window]).fetchall() + upper.result()
        rows.sort(key=lambda row: (-row[1], -row[0]))
        return rows[:window]

    def _ranker(self) -> ThreadPoolExecutor:
        if self._rank_pool is None:
            self._rank_con = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            self._rank_con.execute("PRAGMA cache_size=-65536")
            self._rank_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsmon-rank")
        return self._rank_pool

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

_SELECT = ", ".join(f'a."{c}"' for c in ["seq", *COLUMNS])


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
    data = {c: (json.loads(v) if c in JSON_COLUMNS and v is not None else v) for c, v in zip(["seq", *COLUMNS], row)}
    return Article.from_dict({k: v for k, v in data.items() if v is not None or k == "duplicate_of"})


def _rowids(con: sqlite3.Connection, match: str) -> str | None:
    # one comma-joined string: tens of thousands of rowids cross into Python as one object
    return con.execute("SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]


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
    if filters.after_seq is not None:
        sql += " AND a.seq > ?"
        params.append(filters.after_seq)
    return sql, params


def _rank_match(node: Node) -> str | None:
    """The FTS5 expression bm25 ranks by: the query's words and phrases in its own AND/OR shape.

    Mirroring the query (rather than OR-ing every word) lets FTS5 score only rows that can
    match: `Aliyev Erdogan` scores the few thousand rows with both, not the tens of thousands
    with either. Exclusions and filters have no words to score; None when nothing is left.
    """
    expr = _rank_expr(node)
    return expr or None


def _rank_expr(node: Node) -> str | None:
    # "" = matches nothing (a word absent from the index), None = no words to score
    if isinstance(node, Term):
        return f"({fts_match(node)})" if node.sequences else ""
    if isinstance(node, (And, Or)):
        parts = [_rank_expr(c) for c in node.children]
        if isinstance(node, Or):
            if None in parts:  # a branch without words can match anything: score the words alone
                return None
            kept = [p for p in parts if p]
            return "(" + " OR ".join(kept) + ")" if kept else ""
        if "" in parts:
            return ""
        kept = [p for p in parts if p is not None]
        return ("(" + " AND ".join(kept) + ")") if kept else None
    return None
