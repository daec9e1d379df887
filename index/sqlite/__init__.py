"""The SQLite store, split by job: store (writes, reads), schema, search, compile, rowsets, coordination, alerts."""
from index.sqlite.store import SqliteStore

__all__ = ["SqliteStore"]
