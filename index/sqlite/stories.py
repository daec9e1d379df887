"""The story state in the SQLite file: stories, the keys they are found by, the keys' vocabulary."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection

from index.article import Article
from index.query import Node
from index.sqlite.schema import SELECT, to_article
from index.store import Filters
from index.stories import CANDIDATES, StoryChange, StoryState, merge_languages

CHUNK = 500  # bound parameters per statement


def _chunks(values: list[str]):
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


class SqliteStories:
    """Story state of SqliteStore (a mixin: the store brings `_transaction`)."""

    def story_vocabulary(self, keys: Collection[str]) -> tuple[int, dict[str, tuple[int, str]]]:
        found: dict[str, tuple[int, str]] = {}
        with self._reading() as con:
            row = con.execute("SELECT value FROM counters WHERE name = 'story_documents'").fetchone()
            for part in _chunks(sorted(keys)):
                for key, n, langs in con.execute(f"SELECT key, n, langs FROM story_vocabulary WHERE key IN "
                                                 f"({', '.join('?' * len(part))})", part):
                    found[key] = (n, langs)
        return (row[0] if row else 0), found

    def story_candidates(self, keys: Collection[str], since_day: int | None) -> list[StoryState]:
        ids: set[str] = set()
        with self._reading() as con:
            for part in _chunks(sorted(keys)):
                ids.update(r[0] for r in con.execute(
                    f"SELECT DISTINCT id FROM story_keys WHERE key IN ({', '.join('?' * len(part))})", part))
            rows = []
            for part in _chunks(sorted(ids)):
                rows += con.execute(
                    f"SELECT id, state, last_day, merged_into FROM stories WHERE merged_into IS NULL "
                    f"AND (? IS NULL OR last_day IS NULL OR last_day >= ?) AND id IN ({', '.join('?' * len(part))})",
                    [since_day, since_day, *part]).fetchall()
            keys_of = self._story_keys(con, [r[0] for r in rows])
        rows.sort(key=lambda r: (r[2] is None, -(r[2] or 0), r[0]))
        return [StoryState(i, json.loads(state), keys_of.get(i, []), day, merged)
                for i, state, day, merged in rows[:CANDIDATES]]

    @staticmethod
    def _story_keys(con: sqlite3.Connection, ids: list[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for part in _chunks(ids):
            for key, story in con.execute(f"SELECT key, id FROM story_keys WHERE id IN "
                                          f"({', '.join('?' * len(part))}) ORDER BY key", part):
                found.setdefault(story, []).append(key)
        return found

    def save_stories(self, change: StoryChange) -> None:
        if not change:
            return
        with self._transaction("IMMEDIATE") as con:
            con.executemany("INSERT INTO stories (id, state, last_day, merged_into) VALUES (?, ?, ?, ?) "
                            "ON CONFLICT(id) DO UPDATE SET state = excluded.state, last_day = excluded.last_day, "
                            "merged_into = excluded.merged_into",
                            [(s.id, json.dumps(s.state, ensure_ascii=False), s.last_day, s.merged_into)
                             for s in change.stories])
            con.executemany("DELETE FROM story_keys WHERE id = ?", [(s.id,) for s in change.stories])
            con.executemany("INSERT OR IGNORE INTO story_keys (key, id) VALUES (?, ?)",
                            [(k, s.id) for s in change.stories if not s.merged_into for k in s.keys])
            self._grow_vocabulary(con, change)
            for gone, keep in change.merged.items():
                con.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (keep, gone))

    @staticmethod
    def _grow_vocabulary(con: sqlite3.Connection, change: StoryChange) -> None:
        keys = sorted(change.vocabulary)
        have: dict[str, str] = {}
        for part in _chunks(keys):
            have.update(con.execute(f"SELECT key, langs FROM story_vocabulary WHERE key IN "
                                    f"({', '.join('?' * len(part))})", part).fetchall())
        con.executemany("INSERT INTO story_vocabulary (key, n, langs) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE "
                        "SET n = n + excluded.n, langs = excluded.langs",
                        [(k, n, merge_languages(have.get(k, ""), langs)) for k, (n, langs) in change.vocabulary.items()])
        con.execute("INSERT INTO counters (name, value) VALUES ('story_documents', ?) "
                    "ON CONFLICT(name) DO UPDATE SET value = value + excluded.value", (change.documents,))

    def _story_counts(self, node: Node, filters: Filters, size: int) -> tuple[int, list[tuple[str, int]]]:
        """(stories with a matching article, [(story id, matching articles)] most first, at most `size`)."""
        with self._reading() as con:
            sets = self._rowsets(con)
            _, matched = self._matched(con, sets, node, filters)
            counts = sets.story_counts(con, matched)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return len(ranked), ranked[:size]

    def story_survivor(self, story_id: str) -> str:
        """The story a merged story went into (through every later merge); the id itself otherwise."""
        with self._reading() as con:
            for _ in range(100):  # a chain of merges is short; the bound keeps a damaged file from looping
                row = con.execute("SELECT merged_into FROM stories WHERE id = ?", (story_id,)).fetchone()
                if not row or not row[0]:
                    break
                story_id = row[0]
        return story_id

    def story_headlines(self, story_ids: Collection[str]) -> dict[str, str]:
        """Each story's headline: its first article's title (first seen first, then by id)."""
        found: dict[str, str] = {}
        with self._reading() as con:
            for part in _chunks(sorted(story_ids)):
                found.update(con.execute(
                    "SELECT story_id, title FROM (SELECT story_id, title, row_number() OVER (PARTITION BY story_id "
                    "ORDER BY first_seen_at IS NULL, first_seen_at, id) AS n FROM articles INDEXED BY articles_story "
                    f"WHERE story_id IN ({', '.join('?' * len(part))})) WHERE n = 1", part).fetchall())
        return found

    def story_articles(self, story_ids: Collection[str]) -> dict[str, list[Article]]:
        """Each story's articles (a story merged away has none)."""
        found: dict[str, list[Article]] = {}
        with self._reading() as con:
            for part in _chunks(sorted(story_ids)):
                for row in con.execute(f"SELECT {SELECT} FROM articles a WHERE a.story_id IN "
                                       f"({', '.join('?' * len(part))})", part):
                    article = to_article(row)
                    found.setdefault(article.story_id, []).append(article)
        return found
