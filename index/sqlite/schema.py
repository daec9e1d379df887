"""The SQLite store's tables, how a file made by an older newsmon is brought up to them, and rows <-> Articles."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import fields
from datetime import datetime

from index.article import RECORD_FIELDS, Article, iso

# `seq` is the rowid (declared first in the schema); the other fields are plain columns.
COLUMNS = [name for name in RECORD_FIELDS if name != "seq"]
FIRST_SEEN = COLUMNS.index("first_seen_at")
JSON_COLUMNS = {f.name for f in fields(Article) if str(f.type).startswith(("list", "dict"))}

# The articles' generation, for caches of what searches read: an insert raises the last seq (seqs
# only grow), a delete or an update (a rewrite, a story merge) the `generation` counter.
GENERATION = ("SELECT coalesce((SELECT value FROM counters WHERE name = 'generation'), 0), "
              "(SELECT coalesce(max(seq), 0) FROM articles)")


def _generation_triggers() -> str:
    # per changed row, and none on insert: a crawl's inserts (the bulk of writes) pay nothing
    bump = ("INSERT INTO counters (name, value) VALUES ('generation', 1) "
            "ON CONFLICT(name) DO UPDATE SET value = value + 1;")
    return "\n".join(f"CREATE TRIGGER IF NOT EXISTS articles_generation_{event.lower()} AFTER {event} ON articles "
                     f"BEGIN {bump} END;" for event in ("UPDATE", "DELETE"))


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
-- story assignment's own state (crawler/stories.py): each story's summary, the keys it is
-- found by, and how many on-topic articles each key was met in, in which languages
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY, state TEXT NOT NULL, last_day INTEGER, merged_into TEXT);
CREATE TABLE IF NOT EXISTS story_keys (
    key TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (key, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS story_keys_id ON story_keys(id);
CREATE TABLE IF NOT EXISTS story_vocabulary (key TEXT PRIMARY KEY, n INTEGER NOT NULL, langs TEXT NOT NULL);
-- the articles' generation (GENERATION above) moves with every change of an article row from any
-- connection or process, in the writer's transaction; what searches read is kept per generation
-- (index/sqlite/search.py). Triggers, so no write path can forget it.
{_generation_triggers()}
"""

# the stored columns in the order rows are read: `SELECT {SELECT} FROM articles a`
SELECT = ", ".join(f'a."{c}"' for c in ["seq", *COLUMNS])


def migrate(con: sqlite3.Connection) -> None:
    """Bring a file made by an older newsmon up to this schema (the caller holds an IMMEDIATE transaction).

    The transaction reads the columns itself: two processes opening one old file at once (two
    schedulers) would otherwise both add the same column, and one would fail.
    """
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
    con.execute("CREATE INDEX IF NOT EXISTS articles_story ON articles(story_id)")  # after the column exists


def to_row(article: Article) -> list:
    """The stored columns of an article (COLUMNS order), JSON and ISO text where SQLite needs it."""
    # Field by field rather than to_dict(): asdict deep-copies every signature, a third of upsert time.
    row = []
    for column in COLUMNS:
        value = getattr(article, column)
        if column in JSON_COLUMNS:
            value = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, datetime):
            value = iso(value)
        elif column in ("duplicate_of", "story_id"):
            value = value or None  # "" and None both mean: none
        row.append(value)
    return row


def to_article(row: Iterable) -> Article:
    """The Article of a row read with SELECT."""
    data = {c: (json.loads(v) if c in JSON_COLUMNS and v is not None else v) for c, v in zip(["seq", *COLUMNS], row)}
    return Article.from_dict({k: v for k, v in data.items() if v is not None or k == "duplicate_of"})
