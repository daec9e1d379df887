"""The durable outbox: one row per (alert, article, channel), written before anything is sent.

SQLite in WAL mode beside the store's crawl state. A row is `pending` until a channel takes it
(`sent`), or until it has failed `max_attempts` times (`dead`: kept and shown, never dropped).
Rows of digest alerts `wait` for their period to close; then one digest row per (alert,
channel, period) is made from them and they become `digested`. A syndicated copy of a story
the alert already has is kept as `suppressed`, pointing at the story it copies. Backlog (articles
published long before they were found) waits in the period `backlog` until the crawl ends, then
goes out as one backlog digest per (alert, channel); an alert that skips its backlog keeps those
rows as `skipped`. An alert --per story announces each story once (its row keyed `story:ID`); the
story's later articles wait in the period `follow-ups` (instant alerts) or their digest period.

A row queued by the in-memory matcher keeps, as its payload, a reference to the article as it
was matched (`snapshots`, one per article and seq whatever the number of alerts) and the alert's
query: the payload, with its highlights, is made when the row is read (sent, digested, listed),
the same as if it had been made when queued. A round of a thousand alerts queues tens of
thousands of rows; highlighting them all when queued was most of the round's time.
"""
from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from index.sqlite import sqlite_file
from monitor.alerts.digests import BACKLOG, CRAWL_PERIODS, FOLLOW_UPS, StoriesNow, digest_body  # noqa: F401 (imported from here)
from monitor.alerts.payload import stored_payload

SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    id TEXT PRIMARY KEY,           -- the stable delivery id every message carries
    alert TEXT NOT NULL,
    article_id TEXT NOT NULL,      -- an article id, or digest:PERIOD for a digest
    channel TEXT NOT NULL,         -- kind:target
    story TEXT NOT NULL,           -- the original's id: copies of one story share it
    kind TEXT NOT NULL,            -- article, digest
    status TEXT NOT NULL,          -- pending, waiting, sent, dead, suppressed, digested, skipped
    period TEXT,                   -- the digest period an item waits for ('backlog' for backlog)
    digest_id TEXT,                -- the digest an item went out in
    payload TEXT NOT NULL,         -- what is sent (JSON)
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at REAL NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at REAL NOT NULL,
    sent_at REAL,
    claimed_by INTEGER,            -- pid of the worker sending it now
    UNIQUE (alert, article_id, channel)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- articles as matched (id@seq -> payload fields and body), for payloads made when a row is read
CREATE TABLE IF NOT EXISTS snapshots (ref TEXT PRIMARY KEY, article TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries(status, next_at);
CREATE INDEX IF NOT EXISTS deliveries_story ON deliveries(alert, story);
CREATE INDEX IF NOT EXISTS deliveries_recent ON deliveries(alert, created_at);
"""
LEASE_SECONDS = 120.0  # a claimed row is not claimed again by another worker for this long
PERIODS = {"hourly": ("%Y-%m-%dT%H", timedelta(hours=1)), "daily": ("%Y-%m-%d", timedelta(days=1))}
# backlog waits for its crawl to end (`close_backlog`); a crawl killed before that leaves it
# waiting, and it goes out once nothing has joined it for this long
BACKLOG_QUIET = 900.0
INSERT_ROW = ("INSERT OR IGNORE INTO deliveries (id, alert, article_id, channel, story, kind, status, period, payload, "
              "created_at) VALUES (?, ?, ?, ?, ?, 'article', ?, ?, ?, ?)")


def delivery_id(alert: str, article_id: str, channel: str) -> str:
    """Stable id of one (alert, article, channel) delivery: the same on every retry and restart."""
    return hashlib.sha256(f"{alert}\0{article_id}\0{channel}".encode()).hexdigest()[:32]


def period_of(mode: str, when: datetime) -> str:
    """The digest period (UTC hour or day) a match made at `when` belongs to."""
    return when.astimezone(timezone.utc).strftime(PERIODS[mode][0])


def period_end(mode: str, period: str) -> datetime:
    fmt, length = PERIODS[mode]
    return datetime.strptime(period, fmt).replace(tzinfo=timezone.utc) + length


@dataclass
class Delivery:
    id: str
    alert: str
    article_id: str
    channel: str
    story: str
    kind: str
    status: str
    period: str | None
    digest_id: str | None
    payload: dict
    attempts: int
    next_at: float
    last_error: str | None
    created_at: float
    sent_at: float | None


class Outbox:
    def __init__(self, path: str | Path):
        self.path = str(path)
        self._con = sqlite_file.connect(self.path, synchronous="FULL")  # a row said written survives power loss
        self._lock = threading.RLock()
        self._con.executescript(SCHEMA)
        # this outbox's name where several machines' outboxes claim the same deliveries (the store)
        self._con.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('id', ?)",
                          (f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}",))
        self.id = self._con.execute("SELECT value FROM meta WHERE key = 'id'").fetchone()[0]

    def transaction(self):
        return sqlite_file.transaction(self._con, self._lock, "IMMEDIATE")

    # --- writing matches ---------------------------------------------------------------
    def add(self, con: sqlite3.Connection, alert: str, article: dict, channels: list[str], story: str,
            status: str, period: str | None = None, key: str | None = None) -> int:
        """Queue an article for every channel of an alert (inside `transaction()`); repeats are ignored.

        `key` keys the delivery instead of the article id: `story:ID` for a story's first message,
        so one story is announced once per (alert, channel) whichever article brings it.
        """
        now = time.time()
        added = 0
        for channel in channels:
            added += con.execute(INSERT_ROW, (delivery_id(alert, key or article["id"], channel), alert, article["id"],
                                              channel, story, status, period, json.dumps(article, ensure_ascii=False),
                                              now)).rowcount
        return added

    def write_rows(self, snapshots: dict[str, str], groups: dict[str, list[tuple]]) -> dict[str, int]:
        """Write a round's rows in one transaction: the articles' snapshots, then each group of rows
        (tuples in INSERT_ROW's order); return the rows each group added (repeats are ignored)."""
        added = {}
        with self.transaction() as con:
            con.executemany("INSERT OR IGNORE INTO snapshots (ref, article) VALUES (?, ?)", snapshots.items())
            for name, rows in groups.items():
                added[name] = con.executemany(INSERT_ROW, rows).rowcount if rows else 0
        return added

    def articles_had(self, alert: str, article_ids: list[str]) -> set[str]:
        """Those of the articles the alert has a row of (whatever its status): `has_article` for many."""
        return self._among("SELECT DISTINCT article_id FROM deliveries WHERE alert = ? AND article_id IN", alert,
                           article_ids)

    def stories_had(self, alert: str, stories: list[str]) -> set[str]:
        """Those of the stories the alert already has (its original or a copy): `has_story` for many."""
        return self._among("SELECT DISTINCT story FROM deliveries WHERE alert = ? AND story IN", alert, stories)

    def _among(self, sql: str, alert: str, values: list[str]) -> set[str]:
        found: set[str] = set()
        values = list(dict.fromkeys(values))
        with self._lock:
            for start in range(0, len(values), 500):
                part = values[start:start + 500]
                found.update(v for (v,) in self._con.execute(f"{sql} ({', '.join('?' * len(part))})", (alert, *part)))
        return found

    def has_any_article(self, alert: str, article_ids: list[str]) -> bool:
        """True when the alert has any of these articles in the outbox (skipped backlog aside)."""
        with self._lock:
            for start in range(0, len(article_ids), 500):
                part = article_ids[start:start + 500]
                if self._con.execute(f"SELECT 1 FROM deliveries WHERE alert = ? AND status != 'skipped' AND "
                                     f"article_id IN ({', '.join('?' * len(part))}) LIMIT 1",
                                     (alert, *part)).fetchone():
                    return True
        return False

    def has_article(self, alert: str, article_id: str) -> bool:
        with self._lock:
            return self._con.execute("SELECT 1 FROM deliveries WHERE alert = ? AND article_id = ? LIMIT 1",
                                     (alert, article_id)).fetchone() is not None

    def has_story(self, alert: str, story: str, with_skipped: bool = True) -> bool:
        """True when the alert already has this story (its original or a copy) in the outbox."""
        skipped = "" if with_skipped else " AND status != 'skipped'"
        with self._lock:
            return self._con.execute("SELECT 1 FROM deliveries WHERE alert = ? AND story = ?" + skipped + " LIMIT 1",
                                     (alert, story)).fetchone() is not None

    # --- digests -------------------------------------------------------------------------
    def close_digests(self, modes: dict[str, str], now: datetime, force: bool = False,
                      close_backlog: bool = False, stories_now: StoriesNow | None = None) -> int:
        """Turn the waiting items of every closed period into one digest row per (alert, channel).

        The backlog and the follow-ups of stories already sent close with `close_backlog` (or
        `force`), or once quiet for BACKLOG_QUIET. `stories_now`: see digest_body.
        """
        made = 0
        snapshots: dict[str, dict] = {}
        with self.transaction() as con:
            groups = con.execute("SELECT alert, channel, period, max(created_at) FROM deliveries "
                                 "WHERE status = 'waiting' GROUP BY alert, channel, period").fetchall()
            for alert, channel, period, newest in groups:
                mode = modes.get(alert)
                if period in CRAWL_PERIODS:
                    if mode is None or not (force or close_backlog or newest + BACKLOG_QUIET <= now.timestamp()):
                        continue
                elif mode not in PERIODS or (not force and period_end(mode, period) > now):
                    continue
                rows = [(story, self._payload(payload, snapshots), article_id) for story, payload, article_id in con.execute(
                    "SELECT story, payload, article_id FROM deliveries WHERE alert = ? AND channel = ? "
                    "AND period = ? AND status = 'waiting'", (alert, channel, period)).fetchall()]
                copies = [(story, self._payload(payload, snapshots)) for story, payload in con.execute(
                    "SELECT story, payload FROM deliveries WHERE alert = ? AND channel = ? AND status = 'suppressed' "
                    "AND digest_id IS NULL", (alert, channel)).fetchall()]
                digest_key, body = digest_body(mode, period, rows, copies, stories_now)
                if con.execute("SELECT 1 FROM deliveries WHERE id = ?",
                               (delivery_id(alert, digest_key, channel),)).fetchone():
                    # the period was closed early before (--digests-now): these items make a digest of their own
                    digest_key += f":{min(article_id for _, _, article_id in rows)}"
                did = delivery_id(alert, digest_key, channel)
                con.execute(
                    "INSERT OR IGNORE INTO deliveries (id, alert, article_id, channel, story, kind, status, period, "
                    "payload, created_at) VALUES (?, ?, ?, ?, ?, 'digest', 'pending', ?, ?, ?)",
                    (did, alert, digest_key, channel, digest_key, period, json.dumps(body, ensure_ascii=False),
                     time.time()))
                con.execute("UPDATE deliveries SET status = 'digested', digest_id = ? WHERE alert = ? AND channel = ? "
                            "AND period = ? AND status = 'waiting'", (did, alert, channel, period))
                stories = [story for story, _, _ in rows]
                con.execute(f"UPDATE deliveries SET digest_id = ? WHERE alert = ? AND channel = ? AND status = "
                            f"'suppressed' AND digest_id IS NULL AND story IN ({', '.join('?' * len(stories))})",
                            (did, alert, channel, *stories))
                made += 1
        return made

    # --- sending -------------------------------------------------------------------------
    def claim_due(self, now: float | None = None, limit: int = 100) -> list[Delivery]:
        """Pending rows whose time has come, leased to this worker so no other sends them meanwhile."""
        now = time.time() if now is None else now
        with self.transaction() as con:
            # a worker killed while sending leaves its lease: free it at once, it cannot finish
            for (pid,) in con.execute("SELECT DISTINCT claimed_by FROM deliveries WHERE status = 'pending' "
                                      "AND claimed_by IS NOT NULL").fetchall():
                if not _alive(pid):
                    con.execute("UPDATE deliveries SET next_at = 0, claimed_by = NULL WHERE claimed_by = ? "
                                "AND status = 'pending'", (pid,))
            rows = con.execute(f"SELECT {_COLUMNS} FROM deliveries WHERE status = 'pending' AND next_at <= ? "
                               "ORDER BY next_at, created_at LIMIT ?", (now, limit)).fetchall()
            con.executemany("UPDATE deliveries SET next_at = ?, claimed_by = ? WHERE id = ?",
                            [(now + LEASE_SECONDS, os.getpid(), r[0]) for r in rows])
        return self._deliveries(rows)

    def members(self, digest_id: str) -> list[tuple[str, str]]:
        """(delivery id, article id) of every item a digest row carries."""
        with self._lock:
            return self._con.execute("SELECT id, article_id FROM deliveries WHERE digest_id = ? AND status = 'digested'",
                                     (digest_id,)).fetchall()

    def mark_sent(self, did: str, note: str | None = None) -> None:
        """Sent (by this process, or, with a `note` saying so, by another one that won its claim)."""
        with self._lock:
            self._con.execute("UPDATE deliveries SET status = 'sent', sent_at = ?, attempts = attempts + ?, "
                              "last_error = ?, claimed_by = NULL WHERE id = ?",
                              (time.time(), int(note is None), note, did))

    def mark_failed(self, did: str, error: str, retry_in: float | None) -> None:
        """Count a failed attempt; `retry_in` None makes the row dead (kept, shown, not retried)."""
        with self._lock:
            if retry_in is None:
                self._con.execute("UPDATE deliveries SET status = 'dead', attempts = attempts + 1, last_error = ?, "
                                  "claimed_by = NULL "
                                  "WHERE id = ?", (error[:500], did))
            else:
                self._con.execute("UPDATE deliveries SET attempts = attempts + 1, last_error = ?, next_at = ?, claimed_by = NULL "
                                  "WHERE id = ?", (error[:500], time.time() + retry_in, did))

    def still_claimed(self, did: str) -> bool:
        """Before each send: the row is still leased to this process (and the lease is extended)."""
        with self._lock:
            return self._con.execute("UPDATE deliveries SET next_at = ? WHERE id = ? AND status = 'pending' "
                                     "AND claimed_by = ?", (time.time() + LEASE_SECONDS, did, os.getpid())).rowcount == 1

    def postpone(self, ids: list[str], retry_in: float) -> None:
        """Hand claimed rows back untried, due again in `retry_in` seconds (no attempt counted)."""
        with self._lock:
            self._con.executemany("UPDATE deliveries SET next_at = ?, claimed_by = NULL WHERE id = ?",
                                  [(time.time() + retry_in, did) for did in ids])

    def retry_dead(self, alert: str | None = None) -> int:
        """Give dead rows another round of attempts (after the receiver is fixed)."""
        with self._lock:
            sql = "UPDATE deliveries SET status = 'pending', attempts = 0, next_at = 0 WHERE status = 'dead'"
            return self._con.execute(sql + (" AND alert = ?" if alert else ""), (alert,) if alert else ()).rowcount

    def next_due(self) -> float | None:
        """When the earliest pending row may be tried, or None when nothing is pending."""
        with self._lock:
            return self._con.execute("SELECT min(next_at) FROM deliveries WHERE status = 'pending'").fetchone()[0]

    # --- reading -------------------------------------------------------------------------
    def counts(self, alert: str | None = None) -> dict[str, int]:
        with self._lock:
            sql = "SELECT status, count(*) FROM deliveries" + (" WHERE alert = ?" if alert else "") + " GROUP BY status"
            return dict(Counter(dict(self._con.execute(sql, (alert,) if alert else ()).fetchall())))

    def counts_by_channel(self) -> dict[tuple[str, str], int]:
        """Rows per (status, channel kind): a channel's target (a URL, an address) is left out."""
        with self._lock:
            rows = self._con.execute("SELECT status, substr(channel, 1, instr(channel, ':') - 1) AS kind, count(*) "
                                     "FROM deliveries GROUP BY status, kind").fetchall()
        return {(status, kind): n for status, kind, n in rows}

    def send_delays(self, since: float, bounds: list[float]) -> tuple[list[int], float, int]:
        """Rows sent since `since` (epoch): how many waited at most each bound from queued to sent
        (cumulative), the seconds they waited in all, and how many."""
        cases = ", ".join(f"sum(sent_at - created_at <= {float(b)!r})" for b in bounds)
        with self._lock:
            row = self._con.execute(f"SELECT {cases}, sum(sent_at - created_at), count(*) FROM deliveries "
                                    "WHERE status = 'sent' AND sent_at >= ?", (since,)).fetchone()
        return [int(n or 0) for n in row[:len(bounds)]], float(row[-2] or 0.0), int(row[-1])

    def status_of(self, alert: str, article_id: str) -> list[tuple[str, str, str | None]]:
        """(channel, status, last error) of an article's rows for one alert."""
        with self._lock:
            return self._con.execute("SELECT channel, status, last_error FROM deliveries WHERE alert = ? AND "
                                     "article_id = ?", (alert, article_id)).fetchall()

    def recent(self, alert: str, limit: int = 20) -> list[Delivery]:
        with self._lock:
            rows = self._con.execute(f"SELECT {_COLUMNS} FROM deliveries WHERE alert = ? "
                                     "ORDER BY created_at DESC, id LIMIT ?", (alert, limit)).fetchall()
        return self._deliveries(rows)

    def feed_items(self, alert: str, limit: int = 50) -> list[dict]:
        """The alert's matched articles, newest first, once each (whatever the channels): an Atom feed's entries."""
        with self._lock:
            rows = self._con.execute(
                "SELECT payload, min(created_at) AS at FROM deliveries WHERE alert = ? AND kind = 'article' "
                "AND status != 'suppressed' AND coalesce(period, '') != ? GROUP BY article_id ORDER BY at DESC "
                "LIMIT ?", (alert, BACKLOG, limit)).fetchall()
        snapshots: dict[str, dict] = {}
        return [dict(self._payload(p, snapshots), matched_at=at) for p, at in rows]

    def failures(self, alert: str | None = None, limit: int = 5) -> list[tuple[str, str, str, str, int]]:
        """What fails now: (alert, channel, status, last error, rows) of pending rows that failed
        and of dead ones, the most rows first."""
        with self._lock:
            return self._con.execute(
                "SELECT alert, channel, status, last_error, count(*) AS n FROM deliveries WHERE last_error IS NOT NULL "
                "AND (status = 'dead' OR (status = 'pending' AND attempts > 0))" + (" AND alert = ?" if alert else "")
                + " GROUP BY alert, channel, status, last_error ORDER BY n DESC, alert, channel LIMIT ?",
                ((alert,) if alert else ()) + (limit,)).fetchall()

    def forget(self, alert: str) -> int:
        """Rows of a removed alert that were never sent become dead (kept, visible)."""
        with self._lock:
            return self._con.execute("UPDATE deliveries SET status = 'dead', last_error = 'alert removed' "
                                     "WHERE alert = ? AND status IN ('pending', 'waiting')", (alert,)).rowcount

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def _deliveries(self, rows: list[tuple]) -> list[Delivery]:
        snapshots: dict[str, dict] = {}
        out = []
        for row in rows:
            data = dict(zip(_FIELDS, row))
            data["payload"] = self._payload(data["payload"], snapshots)
            out.append(Delivery(**data))
        return out

    def _payload(self, text: str, snapshots: dict[str, dict]) -> dict:
        """A row's payload: as stored, or made now from the article's snapshot (`snapshots` caches them)."""
        def snapshot(ref: str) -> dict:
            if ref not in snapshots:
                with self._lock:
                    row = self._con.execute("SELECT article FROM snapshots WHERE ref = ?", (ref,)).fetchone()
                snapshots[ref] = json.loads(row[0])
            return snapshots[ref]
        return stored_payload(text, snapshot)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_FIELDS = list(Delivery.__dataclass_fields__)
_COLUMNS = ", ".join(_FIELDS)
