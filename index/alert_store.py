"""Saved alerts kept in the store itself, so every process that opens the store sees the same alerts.

An alert is stored as an opaque JSON record (its meaning belongs to monitor/alerts) plus two
numbers the matcher needs: the `floor` (the store's last seq when the alert was made: nothing
at or below it is ever matched) and the `watermark` (every article up to it has been matched
and its deliveries are in the outbox).
"""
from __future__ import annotations

import json
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from index import sqlite_file
from index.store import Store


@dataclass
class AlertRecord:
    name: str
    data: dict = field(default_factory=dict)
    floor: int = 0
    watermark: int = 0


class AlertStore(ABC):
    """Where a store keeps its alerts. One implementation per backend."""

    # seqs below the watermark re-scanned on every match: writers whose seqs may become
    # visible out of order (Elasticsearch's counter document) need this; SQLite does not
    overlap: int = 0

    @abstractmethod
    def save(self, record: AlertRecord) -> None:
        """Create or replace an alert by name."""

    @abstractmethod
    def get(self, name: str) -> AlertRecord | None:
        """The alert with this name, or None."""

    @abstractmethod
    def all(self) -> list[AlertRecord]:
        """Every alert, by name."""

    @abstractmethod
    def remove(self, name: str) -> bool:
        """Delete an alert; False when there was none."""

    @abstractmethod
    def set_watermarks(self, seqs: dict[str, int]) -> None:
        """Move alerts' watermarks forward (never back), in one write."""


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


class ElasticAlertStore(AlertStore):
    """An `{alias}-alerts` index beside the articles (outside the articles' template pattern)."""

    # Seqs are reserved from a counter before the bulk write, so a concurrent writer's
    # lower seqs may become visible after a higher batch: re-scan this many below the watermark.
    overlap = 2000

    def __init__(self, es, alias: str):
        self.es = es
        self.index = f"{alias}-alerts"
        if not es.indices.exists(index=self.index):
            es.options(ignore_status=400).indices.create(index=self.index, mappings={
                "dynamic": "strict",
                "properties": {"name": {"type": "keyword"}, "data": {"type": "object", "enabled": False},
                               "floor": {"type": "long"}, "watermark": {"type": "long"}}})

    def save(self, record: AlertRecord) -> None:
        self.es.index(index=self.index, id=record.name, refresh=True,
                      document={"name": record.name, "data": record.data, "floor": record.floor,
                                "watermark": record.watermark})

    def get(self, name: str) -> AlertRecord | None:
        found = self.es.options(ignore_status=404).get(index=self.index, id=name)
        return AlertRecord(**found["_source"]) if found.get("found") else None

    def all(self) -> list[AlertRecord]:
        res = self.es.search(index=self.index, size=10_000, sort=[{"name": "asc"}])
        return [AlertRecord(**h["_source"]) for h in res["hits"]["hits"]]

    def remove(self, name: str) -> bool:
        res = self.es.options(ignore_status=404).delete(index=self.index, id=name, refresh=True)
        return res.get("result") == "deleted"

    def set_watermarks(self, seqs: dict[str, int]) -> None:
        # partial updates (a concurrent edit of another field is kept), one bulk request, one refresh;
        # callers pass only forward moves (the matcher's max of the old watermark and the new top)
        if not seqs:
            return
        from elasticsearch import helpers  # here: a SQLite user's every command need not load the client

        actions = [{"_op_type": "update", "_index": self.index, "_id": name, "doc": {"watermark": seq}}
                   for name, seq in seqs.items()]
        helpers.bulk(self.es, actions, raise_on_error=False, refresh=True)

    def close(self) -> None:
        pass  # the client belongs to the article store


def alert_store_for(store: Store) -> AlertStore:
    """The alert storage that lives beside an opened article store."""
    from index.sqlite_store import SqliteStore

    if isinstance(store, SqliteStore):
        return SqliteAlertStore(store.path)
    store._require()
    return ElasticAlertStore(store.es, store.alias)
