"""The SQLite store's search over bitmaps: what filters, facets and date order read, in memory.

A broad query at 100,000 articles spent most of its time in SQL GROUP BYs over the matching
set. Here each article has a bit position (its place in date order: 0 is the newest), each
language, source, entity and the duplicates are bitmaps (Python ints), and a query is AND /
OR / NOT over bitmaps built from FTS5 rowid lists. A facet count is a popcount, a date range
or a histogram bucket is a contiguous run of bits, and the newest page is the lowest set bits:
microseconds each, in C. The bitmaps are rebuilt when the articles change (their generation moves:
index/sqlite/schema.py), and keep what searches computed from them until then (answers.py).
"""
from __future__ import annotations

import bisect
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import numpy as np

from index.dialect import evaluate, filter_parts
from index.query import Node, Term
from index.sqlite.answers import Answers
from index.sqlite.compile import fts_match
from index.histogram import bucket_start
from index.store import FACET_SIZE, Filters


class RowSets:
    """Bitmaps of one SQLite store at one data version."""

    def __init__(self, con: sqlite3.Connection):
        self.version: tuple[int, int] = (0, 0)  # the generation it was built at (index/sqlite/schema.py)
        self.vocabulary: dict[str, bool] = {}  # index term -> present in this version of the file
        self._stories: tuple[list[str], np.ndarray] | None = None  # story ids, each position's (story_counts)
        self._languages: tuple[list[str], np.ndarray] | None = None  # the same for languages (languages_at)
        # Date order straight from the covering index (newest first, undated last), ties by id as
        # everywhere a date order is (SQLite sorts only within each run of one published_at); the
        # article rows themselves, bodies and all, are never read.
        rows = con.execute("SELECT seq, published_at FROM articles INDEXED BY articles_meta "
                           "ORDER BY published_at DESC, id ASC").fetchall()
        self.size = len(rows)
        self.universe = (1 << self.size) - 1
        self._seq_array = np.array([r[0] for r in rows], dtype=np.int64)
        self._pos_array = np.full(int(self._seq_array.max(initial=0)) + 1, -1, dtype=np.int64)
        self._pos_array[self._seq_array] = np.arange(self.size, dtype=np.int64)
        self.first_seq = int(self._seq_array.min(initial=0))
        self.last_seq = int(self._seq_array.max(initial=0))
        published = [r[1] for r in rows if r[1] is not None]
        self.dated = len(published)
        self.published_ascending = published[::-1]
        self.answers = Answers.for_articles(self.size)  # what searches computed at this generation
        # days as runs of bit positions, newest first
        self.days: list[tuple[str, int, int]] = []
        start, current = 0, None
        for pos, stamp in enumerate(published):
            day = stamp[:10]
            if day != current:
                if current is not None:
                    self.days.append((current, start, pos))
                start, current = pos, day
        if current is not None:
            self.days.append((current, start, self.dated))

        def grouped(sql: str) -> dict[str, int]:
            """Bitmaps of `key, group_concat(seq)` rows: lists cross into Python as one string each."""
            return {key: self.of_rowids(seqs) for key, seqs in con.execute(sql) if key is not None}

        self.facets = {
            "language": grouped("SELECT language, group_concat(seq) FROM articles INDEXED BY articles_language "
                                "GROUP BY language"),
            "source": grouped("SELECT source, group_concat(seq) FROM articles INDEXED BY articles_source "
                              "GROUP BY source"),
            "entity": grouped("SELECT entity, group_concat(seq) FROM entities GROUP BY entity"),
        }
        self.duplicates = grouped("SELECT 1, group_concat(seq) FROM articles INDEXED BY articles_meta "
                                  "WHERE duplicate_of IS NOT NULL").get(1, 0)

    # --- building and reading bitmaps ----------------------------------------------------------
    def mask(self, positions: Iterable[int] | np.ndarray) -> int:
        bits = np.zeros(self.size, dtype=bool)
        bits[np.asarray(positions, dtype=np.int64)] = True
        return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")

    def of_rowids(self, text: str | None) -> int:
        """The bitmap of a comma-separated rowid list (SQLite's group_concat of a query)."""
        if not text:
            return 0
        seqs = np.array(text.split(","), dtype=np.int64)
        seqs = seqs[seqs < len(self._pos_array)]
        positions = self._pos_array[seqs]
        return self.mask(positions[positions >= 0])

    def seqs(self, bitmap: int) -> list[int]:
        """Rowids of every set bit, newest first."""
        return self._seq_array[self.positions(bitmap)].tolist()

    def positions(self, bitmap: int) -> np.ndarray:
        """Bit positions of every set bit, newest first."""
        raw = np.frombuffer(bitmap.to_bytes((self.size + 7) // 8, "little"), dtype=np.uint8)
        return np.flatnonzero(np.unpackbits(raw, bitorder="little")[:self.size])

    def seq_at(self, positions: np.ndarray) -> list[int]:
        return self._seq_array[positions].tolist()

    def positions_of(self, seqs: list[int]) -> np.ndarray:
        return self._pos_array[np.asarray(seqs, dtype=np.int64)]

    def has(self, bitmap: int, seq: int) -> bool:
        pos = int(self._pos_array[seq]) if 0 <= seq < len(self._pos_array) else -1
        return pos >= 0 and bitmap >> pos & 1 == 1

    def run(self, start: int, end: int) -> int:
        """Bits start..end-1."""
        return ((1 << (end - start)) - 1) << start

    def count_in(self, bitmap: int, start: int, end: int) -> int:
        return (bitmap >> start & ((1 << (end - start)) - 1)).bit_count()

    # --- matching ----------------------------------------------------------------------------
    def values(self, name: str, values: Iterable[str]) -> int:
        table, out = self.facets[name], 0
        for value in values:
            out |= table.get(value, 0)
        return out

    def published_between(self, since: str | None, until: str | None) -> int:
        # newest first: those after `until` come before the run, those before `since` after it
        start = self.dated - bisect.bisect_right(self.published_ascending, until) if until else 0
        end = self.dated - bisect.bisect_left(self.published_ascending, since) if since else self.dated
        return self.run(start, end) if end > start else 0

    def filtered(self, matched: int, filters: Filters) -> int:
        """The matching set narrowed by the request's filters."""
        for part in filter_parts(filters, Bitmaps(self)):
            matched &= part
        return matched

    def story_counts(self, con: sqlite3.Connection, matched: int) -> dict[str, int]:
        """Matching articles per story."""
        names = self.story_names(con)
        codes = self.stories_at(con, self.positions(matched))
        found, counts = np.unique(codes[codes >= 0], return_counts=True)
        return {names[int(c)]: int(n) for c, n in zip(found, counts)}

    def story_names(self, con: sqlite3.Connection) -> list[str]:
        return self._story_codes(con)[0]

    def stories_at(self, con: sqlite3.Connection, positions: np.ndarray) -> np.ndarray:
        """The story (its index in story_names) of each position, -1 for an article without one."""
        return self._story_codes(con)[1][positions]

    def languages_at(self, positions: np.ndarray) -> tuple[list[str], np.ndarray]:
        """The languages, and each position's (its index in them, -1 for none)."""
        if self._languages is None:
            names = sorted(self.facets["language"])
            of_position = np.full(self.size, -1, dtype=np.int64)
            for i, name in enumerate(names):
                of_position[self.positions(self.facets["language"][name])] = i
            self._languages = (names, of_position)
        return self._languages[0], self._languages[1][positions]

    def _story_codes(self, con: sqlite3.Connection) -> tuple[list[str], np.ndarray]:
        """Story ids, and each position's story (made on the first call at this data version)."""
        if self._stories is None:
            rows = con.execute("SELECT seq, story_id FROM articles INDEXED BY articles_story "
                               "WHERE story_id IS NOT NULL").fetchall()
            names = sorted({story for _, story in rows})
            code = {story: i for i, story in enumerate(names)}
            of_position = np.full(self.size, -1, dtype=np.int64)
            positions = self._pos_array[np.array([seq for seq, _ in rows], dtype=np.int64)] if rows else []
            of_position[positions] = [code[story] for _, story in rows]
            self._stories = (names, of_position)
        return self._stories

    # --- facets and order --------------------------------------------------------------------
    def counts(self, name: str, matched: int) -> list[tuple[str, int]]:
        """Top values of facet `name` (language, source, entity) by count then key."""
        pairs = [(k, (mask & matched).bit_count()) for k, mask in self.facets[name].items()]
        pairs = [(k, n) for k, n in pairs if n]
        pairs.sort(key=lambda kv: (-kv[1], kv[0]))
        return pairs[:FACET_SIZE]

    def top_stories(self, con: sqlite3.Connection, matched: int) -> list[tuple[str, int]]:
        """The story facet: stories by matching articles, then id."""
        return sorted(self.story_counts(con, matched).items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE]

    def histogram(self, matched: int, interval: str) -> list[tuple[str, int]]:
        buckets: dict[str, int] = defaultdict(int)
        runs: list[list] = []
        for day, start, end in self.days:  # merge the days of one bucket into one run of bits
            key = _bucket(day, interval)
            if runs and runs[-1][0] == key:
                runs[-1][2] = end
            else:
                runs.append([key, start, end])
        for key, start, end in runs:
            n = self.count_in(matched, start, end)
            if n:
                buckets[key] += n
        return sorted(buckets.items())

    def newest(self, matched: int, offset: int, size: int) -> list[int]:
        """Rowids of one page of the matching set in date order (its lowest set bits)."""
        out: list[int] = []
        want = offset + size
        while matched and len(out) < want:
            low = matched & -matched
            out.append(int(self._seq_array[low.bit_length() - 1]))
            matched ^= low
        return out[offset:]


class Bitmaps:
    """The bitmap dialect (index/dialect.py): FTS5 rowid lists for words, AND/OR/NOT of bitmaps for the rest."""

    def __init__(self, sets: RowSets, con: sqlite3.Connection | None = None):
        self.sets, self.con = sets, con

    def match_all(self) -> int:
        return self.sets.universe

    def term(self, leaf: Term) -> int:
        return self.sets.of_rowids(fts_rowids(self.con, fts_match(leaf))) if leaf.sequences else 0

    def field(self, name: str, values) -> int:
        return self.sets.values(name, values)

    def negate(self, inner: int) -> int:
        return self.sets.universe & ~inner

    def all_of(self, parts: list[int]) -> int:
        out = self.sets.universe
        for part in parts:
            out &= part
        return out

    def any_of(self, parts: list[int]) -> int:
        out = 0
        for part in parts:
            out |= part
        return out

    def published_between(self, since: str | None, until: str | None) -> int:
        return self.sets.published_between(since, until)

    def originals(self) -> int:
        return ~self.sets.duplicates

    def written_after(self, seq: int) -> int:
        return self.sets.mask(np.flatnonzero(self.sets._seq_array > seq))


def match(con: sqlite3.Connection, node: Node, sets: RowSets) -> int:
    """The bitmap of a query AST."""
    return evaluate(node, Bitmaps(sets, con))


def fts_rowids(con: sqlite3.Connection, match: str) -> str | None:
    """Rowids of the FTS5 rows matching `match`, as one comma-joined string."""
    # one comma-joined string: tens of thousands of rowids cross into Python as one object
    return con.execute("SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]


@lru_cache(maxsize=65536)
def _bucket(day: str, interval: str) -> str:
    return bucket_start(date.fromisoformat(day), interval).isoformat()
