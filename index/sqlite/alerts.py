"""Saved alerts in an `alerts` table of the store's SQLite file (index/alert_store.py says what an alert is)."""
from __future__ import annotations

import json
import threading

from index.alert_store import AlertRecord, AlertStore
from index.sqlite import sqlite_file


class SqliteAlertStore(AlertStore):
    """An `alerts` table in the store's SQLite file."""

    def __init__(self, path: str):
        self._con = sqlite_file.connect(path, synchronous="FULL")
        self._lock = threading.Lock()
        self._con.execute("CREATE TABLE IF NOT EXISTS alerts (name TEXT PRIMARY KEY, data TEXT NOT NULL, "
                          "floor INTEGER NOT NULL, watermark INTEGER NOT NULL)")

    def save(self, record: AlertRecord) -> None:
        with self._lock:
            self._con.execute("INSERT OR REPLACE INTO alerts VALUES (?, ?, ?, ?)",
                              (record.name, json.dumps(record.data, ensure_ascii=False), record.floor,
                               record.watermark))

    def get(self, name: str) -> AlertRecord | None:
        with self._lock:
            row = self._con.execute("SELECT * FROM alerts WHERE name = ?", (name,)).fetchone()
        return _record(row) if row else None

    def all(self) -> list[AlertRecord]:
        with self._lock:
            return [_record(r) for r in self._con.execute("SELECT * FROM alerts ORDER BY name")]

    def remove(self, name: str) -> bool:
        with self._lock:
            return self._con.execute("DELETE FROM alerts WHERE name = ?", (name,)).rowcount > 0

    def set_watermarks(self, seqs: dict[str, int]) -> None:
        with self._lock:
            self._con.execute("BEGIN IMMEDIATE")
            self._con.executemany("UPDATE alerts SET watermark = max(watermark, ?) WHERE name = ?",
                                  [(seq, name) for name, seq in seqs.items()])
            self._con.execute("COMMIT")

    def close(self) -> None:
        self._con.close()


def _record(row) -> AlertRecord:
    return AlertRecord(name=row[0], data=json.loads(row[1]), floor=row[2], watermark=row[3])
