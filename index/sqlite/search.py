"""The SQLite store's reads of a query: bitmaps for the matching set and facets, FTS5 bm25 for the order."""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np

from index.article import Article
from index.query import And, Node, Not, Or, Term, positive_terms
from index.memory import holds_any
from index.ranking import Candidate, fair_order, title_share
from index.sqlite.compile import compile_filters, compile_query, rank_match
from index.sqlite.rowsets import RowSets, fts_rowids, match
from index.sqlite.schema import GENERATION, SELECT, to_article
from index.store import Filters, RawResult

# bm25 weights: a match in the title counts twice a match in the body.
RANK = "-bm25(fts, 2.0, 1.0)"
# Matches from which bm25 is scored in two halves at once (measured: 46,000 rows take 60 ms in one)
SPLIT_RANKING_AT = 20_000


class SqliteSearch:
    """Search and scan of SqliteStore (a mixin: the store brings `_reading`, `_sets_lock`, `path`)."""

    path: str
    _sets_lock: threading.Lock
    _sets: RowSets | None = None  # built on the first search (index/sqlite/rowsets.py), per generation
    _rank_pool: ThreadPoolExecutor | None = None  # and a second connection, for broad rankings
    _rank_con: sqlite3.Connection | None = None
    cache_mib: int  # the page cache of each of the store's connections

    def _search(self, node: Node, filters: Filters, facets: tuple[str, ...], interval: str,
                offset: int, size: int, sort: str) -> RawResult:
        with self._reading() as con:
            sets = self._rowsets(con)
            key = (node, repr(filters))
            node, matched = self._matched(con, sets, node, filters)
            rank = rank_match(node) if sort == "relevance" else None
            if not size:
                page = []
            elif rank is None:
                page = [(seq, 0.0) for seq in sets.newest(matched, offset, size)]
            else:
                page = sets.answers.get(("ranked", *key, offset, size),
                                        lambda: self._ranked(con, sets, matched, node, rank, offset, size))
            rows = {r[0]: r[1:] for r in con.execute(
                f"SELECT a.seq, {SELECT} FROM articles a WHERE a.seq IN ({', '.join('?' * len(page))})",
                [seq for seq, _ in page])}
            found = sets.answers.get(("facets", *key, facets, interval), lambda: {
                name: sets.histogram(matched, interval) if name == "date" else
                sets.top_stories(con, matched) if name == "story" else sets.counts(name, matched)
                for name in facets})
        # copies: the caller fills the histogram in, and the kept answer serves the next request
        return (matched.bit_count(), [(to_article(rows[seq]), score) for seq, score in page],
                {name: list(values) for name, values in found.items()})

    def _matched(self, con: sqlite3.Connection, sets: RowSets, node: Node, filters: Filters) -> tuple[Node, int]:
        """The query as the index can hold it (`_present`) and its matching set, kept for this generation."""
        def make() -> tuple[Node, int]:
            present = self._present(con, node)
            return present, sets.filtered(match(con, present, sets), filters)

        return sets.answers.get(("matched", node, repr(filters)), make)

    def _present(self, con: sqlite3.Connection, node: Node, known: dict[str, bool] | None = None) -> Node:
        """The query with term sequences the index cannot hold dropped (an absent term).

        Aliases expand a word to a dozen spellings, most of them absent from a given store;
        FTS5 and bm25 pay per phrase per row, so asking only for present ones is cheaper and
        finds the same rows.
        """
        if known is None:  # the vocabulary of the generation this transaction reads
            known = self._rowsets(con).vocabulary
        if isinstance(node, Term):
            missing = [t for seq in node.sequences for t in seq if t not in known]
            if missing:
                for term in missing:
                    known[term] = con.execute("SELECT 1 FROM temp.fts_terms WHERE term = ? LIMIT 1",
                                              (term,)).fetchone() is not None
            seqs = frozenset(seq for seq in node.sequences if all(known[t] for t in seq))
            return replace(node, sequences=seqs) if seqs != node.sequences else node
        if isinstance(node, (And, Or)):
            return type(node)(tuple(self._present(con, c, known) for c in node.children))
        if isinstance(node, Not):
            return Not(self._present(con, node.child, known))
        return node

    def _rowsets(self, con: sqlite3.Connection) -> RowSets:
        """The bitmaps (and kept answers) of the generation `con`'s transaction reads.

        The generation is read in the same snapshot as the bitmaps are built from, so any reader
        connection (or process) agrees on what a generation holds. One thread builds a new
        generation's bitmaps while the others wait for them.
        """
        generation = con.execute(GENERATION).fetchone()
        sets = self._sets
        if sets is not None and sets.version == generation:
            return sets
        with self._sets_lock:
            sets = self._sets
            if sets is None or sets.version != generation:
                sets = RowSets(con)
                sets.version = generation
                if self._sets is None or self._sets.version < generation:  # a late reader's older snapshot is its own
                    self._sets = sets
        return sets

    def _ranked(self, con: sqlite3.Connection, sets: RowSets, matched: int, node: Node, rank: str,
                offset: int, size: int) -> list[tuple[int, float]]:
        """One page by fair score (index/ranking.py), ties by rowid (newest written first).

        FTS5 scores with bm25 (a title match counts twice) and sorts in C; each language's best
        few pages of matches cross into Python, where scores are made comparable across
        languages. Hits matched only through filters or exclusions score 0, newest first.
        """
        want = offset + size
        members = np.zeros(sets.size, dtype=bool)
        members[sets.positions(matched)] = True
        per_language = want * 2 + 20
        quotas = {lang: min(n, per_language) for lang, n in sets.counts("language", matched)}
        quotas[""] = min((matched & ~sets.values("language", list(quotas))).bit_count(), per_language)  # no language
        picked = self._best_of_each_language(con, sets, members, rank, quotas)
        in_title = self._in_title(con, node, [seq for seq, _, _ in picked])
        candidates = [Candidate(seq, lang, score, title_share(node, {t: seq in rows for t, rows in in_title.items()})
                                or 0.0, (-seq,)) for seq, score, lang in picked]
        page = [(c.key, score) for c, score in fair_order(candidates)][:want]
        if len(page) < want:
            scored = sets.of_rowids(fts_rowids(con, rank))
            page += [(seq, 0.0) for seq in sets.newest(matched & ~scored, 0, want - len(page))]
        return page[offset:want]

    def _best_of_each_language(self, con: sqlite3.Connection, sets: RowSets, members: np.ndarray, rank: str,
                               quotas: dict[str, int]) -> list[tuple[int, float, str]]:
        """(rowid, bm25, language) of each language's best-scoring matches, up to its quota.

        FTS5 scores every match once, in C; the scores cross into Python as two arrays, where
        each language's best are picked (one language's statistics can push another's matches
        far down a single order). A broad query is scored in two halves of the rowid range at once.
        """
        lo, hi = sets.first_seq, sets.last_seq
        matching = int(members.sum())
        if matching * 2 < sets.size:
            # FTS5 seeks rowid ranges natively: score only rows between the first and last hit
            # (a date filter's hits are mostly written together, so this is often a small range)
            seqs = sets.seq_at(np.flatnonzero(members))
            lo, hi = min(seqs, default=lo), max(seqs, default=hi)
        sql = f"SELECT rowid, {RANK} FROM fts WHERE fts MATCH ? AND rowid BETWEEN ? AND ?"
        if matching >= SPLIT_RANKING_AT and hi > lo:
            # bm25 costs about a microsecond per row and runs without the GIL: each half on its
            # own connection and core (the statistics are the whole index's, whatever the range)
            mid = (lo + hi) // 2
            upper = self._ranker().submit(lambda: self._rank_con.execute(sql, [rank, mid + 1, hi]).fetchall())
            rows = con.execute(sql, [rank, lo, mid]).fetchall() + upper.result()
        else:
            rows = con.execute(sql, [rank, lo, hi]).fetchall()
        if not rows:
            return []
        table = np.array(rows, dtype=np.float64)  # rowids are exact in a float64
        seqs, scores = table[:, 0].astype(np.int64), table[:, 1]
        positions = sets.positions_of(seqs)
        keep = positions >= 0
        keep[keep] = members[positions[keep]]
        seqs, scores, positions = seqs[keep], scores[keep], positions[keep]
        names, codes = sets.languages_at(positions)
        order = np.lexsort((-seqs, -scores))  # best first, ties newest written first
        picked = []
        for code in np.unique(codes):
            lang = names[code] if code >= 0 else ""
            mine = order[codes[order] == code][:quotas.get(lang, 0)]
            picked += [(int(seq), float(score), lang) for seq, score in zip(seqs[mine], scores[mine])]
        return picked

    @staticmethod
    def _in_title(con: sqlite3.Connection, node: Node, seqs: list[int]) -> dict[Term, set[int]]:
        """For each word of the query, which of these rows hold it in their title (read from the
        titles' index terms: a title-only FTS5 query would visit every title with the word)."""
        titles = {rowid: text.split() for rowid, text in con.execute(
            f"SELECT rowid, title FROM fts WHERE rowid IN ({', '.join('?' * len(seqs))})", seqs)} if seqs else {}
        return {term: {rowid for rowid, terms in titles.items() if holds_any(terms, term.sequences)}
                for term in dict.fromkeys(positive_terms(node))}

    def _ranker(self) -> ThreadPoolExecutor:
        with self._sets_lock:  # concurrent searches: one ranker
            return self._ranker_made()

    def _ranker_made(self) -> ThreadPoolExecutor:
        if self._rank_pool is None:
            self._rank_con = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            self._rank_con.execute(f"PRAGMA cache_size={-1024 * int(self.cache_mib)}")
            self._rank_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsmon-rank")
        return self._rank_pool

    def _close_ranker(self) -> None:
        if self._rank_pool is not None:
            self._rank_pool.shutdown()
            self._rank_con.close()
            self._rank_pool = None

    def _scan(self, node: Node, filters: Filters) -> Iterator[Article]:
        where, params = compile_query(node)
        conditions, extra = compile_filters(filters)
        last = 0
        while True:
            # one short read per batch, so an export never holds a connection (or a snapshot) for long
            with self._reading() as con:
                rows = con.execute(
                    f"SELECT a.seq, {SELECT} FROM articles a WHERE ({where}){conditions} AND a.seq > ? "
                    "ORDER BY a.seq LIMIT 500", params + extra + [last]).fetchall()
            if not rows:
                return
            for row in rows:
                yield to_article(row[1:])
            last = rows[-1][0]
