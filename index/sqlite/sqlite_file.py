"""One way to open newsmon's SQLite files: WAL mode, waiting for other processes, never failing on them."""
from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# how long a write waits for another process's (two schedulers, a crawl beside a search)
BUSY_SECONDS = 30.0


def connect(path: str | Path, synchronous: str = "NORMAL") -> sqlite3.Connection:
    """An autocommit connection to a WAL-mode file, its folder made when missing.

    Callers share the connection between threads behind their own lock.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(path), timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    _enter_wal(con)
    con.execute(f"PRAGMA synchronous={synchronous}")
    return con


def _enter_wal(con: sqlite3.Connection) -> None:
    """Switch the file to WAL mode, waiting while another process holds it.

    Leaving rollback mode needs the file to itself, and SQLite answers "database is locked" at
    once instead of calling the busy handler: two schedulers opening one new file would otherwise
    see one of them fail to start.
    """
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            con.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextmanager
def transaction(con: sqlite3.Connection, lock: threading.Lock, mode: str = "DEFERRED") -> Iterator[sqlite3.Connection]:
    """One transaction on a connection shared by threads (`lock` held throughout): committed, or
    rolled back on any exception, KeyboardInterrupt included."""
    with lock:
        con.execute(f"BEGIN {mode}")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
