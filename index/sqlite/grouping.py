"""Search hits grouped by story on SQLite (index/grouping.py): the matching set's story of each
article, read from the bitmaps' story column, picks each group's first article in the order."""
from __future__ import annotations

import sqlite3
from collections import Counter

import numpy as np

from index.grouping import more_of
from index.query import Node
from index.sqlite.compile import rank_match
from index.sqlite.rowsets import RowSets
from index.sqlite.schema import SELECT, to_article
from index.store import Filters, GroupedResult


class SqliteGrouping:
    """Grouped search of SqliteStore (a mixin: SqliteSearch brings `_rowsets`, `_present`, `_ranked`)."""

    def _grouped(self, node: Node, filters: Filters, offset: int, size: int, sort: str) -> GroupedResult:
        with self._reading() as con:
            sets = self._rowsets(con)
            node, matched = self._matched(con, sets, node, filters)
            rank = rank_match(node) if sort == "relevance" else None
            positions = sets.positions(matched)  # newest first
            stories = sets.stories_at(con, positions)
            keys = np.where(stories >= 0, stories, -1 - positions)  # a lone article is a group of its own
            groups = len(np.unique(keys))
            if not size:
                page = []
            elif rank is None:
                _, first = np.unique(keys, return_index=True)
                page = [(seq, 0.0) for seq in sets.seq_at(positions[np.sort(first)[offset:offset + size]])]
            else:
                page = self._ranked_groups(con, sets, matched, node, rank, offset + size)[offset:]
            rows = {r[0]: to_article(r[1:]) for r in con.execute(
                f"SELECT a.seq, {SELECT} FROM articles a WHERE a.seq IN ({', '.join('?' * len(page))})",
                [seq for seq, _ in page])}
            more = self._more(con, sets, positions, stories, [rows[seq] for seq, _ in page])
        return groups, [(rows[seq], score, *more.get(rows[seq].id, (0, []))) for seq, score in page]

    def _ranked_groups(self, con: sqlite3.Connection, sets: RowSets, matched: int, node: Node, rank: str,
                       want: int) -> list[tuple[int, float]]:
        """The first `want` groups' best articles by fair score: a window of ranked articles, widened
        until it holds `want` groups or every match (a story's articles often rank together)."""
        window = want * 4 + 50
        while True:
            ranked = self._ranked(con, sets, matched, node, rank, 0, window)
            stories = sets.stories_at(con, sets.positions_of([seq for seq, _ in ranked]))
            seen: set = set()
            out = []
            for (seq, score), story in zip(ranked, stories.tolist()):
                key = story if story >= 0 else -1 - seq
                if key not in seen:
                    seen.add(key)
                    out.append((seq, score))
            if len(out) >= want or len(ranked) < window:
                return out[:want]
            window *= 4

    @staticmethod
    def _more(con: sqlite3.Connection, sets: RowSets, positions: np.ndarray, stories: np.ndarray,
              hits: list) -> dict[str, tuple[int, list[str]]]:
        """Each story hit's other matching articles and their languages, by the hit's article id."""
        names = sets.story_names(con)
        code = {name: i for i, name in enumerate(names)}
        wanted = [code[a.story_id] for a in hits if a.story_id in code]
        inside = np.isin(stories, wanted)
        languages, langs = sets.languages_at(positions[inside])
        matching = Counter(stories[inside].tolist())
        per_language = Counter(zip(stories[inside].tolist(), langs.tolist()))
        out = {}
        for article in hits:
            if article.story_id in code:
                story = code[article.story_id]
                spread = {languages[lang]: n for (s, lang), n in per_language.items() if s == story and lang >= 0}
                out[article.id] = more_of(article, matching[story], spread)
        return out
