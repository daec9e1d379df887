"""Crawl coordination in the SQLite file: locks with an expiry and fencing tokens, and the history of runs."""
from __future__ import annotations

import json
import sqlite3
import threading
import time

from index.store import FINAL, LockState


class SqliteCoordination:
    """Locks and runs of SqliteStore (a mixin: the store brings `_con`, `_lock`, `_transaction`)."""

    _con: sqlite3.Connection
    _lock: threading.RLock

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
