"""One way to open newsmon's SQLite files: WAL mode, waiting for other processes, never failing on them."""
from __future__ import annotations

import queue
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


class ReadPool:
    """Read-only connections to one WAL file, one per thread at a time (WAL lets them read beside a writer).

    FTS5, bm25 and the bitmaps' C code run without the GIL, so searches on separate connections
    use separate cores; on one shared connection they took turns.

        pool = ReadPool("store.db", size=4, setup=lambda con: None)
        with pool.transaction() as con:  # a snapshot of the file until the block ends
            con.execute("SELECT count(*) FROM articles")
    """

    def __init__(self, path: str | Path, size: int, setup=None):
        self.path, self.size, self._setup = str(path), size, setup
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._made: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False

    def _take(self) -> sqlite3.Connection:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._closed:
                raise sqlite3.ProgrammingError("the store is closed")
            if len(self._made) < self.size:  # opened on demand: a CLI search needs one
                con = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None,
                                      check_same_thread=False)
                if self._setup is not None:
                    self._setup(con)
                con.execute("PRAGMA query_only=ON")
                self._made.append(con)
                return con
        return self._idle.get()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A connection of the pool inside one read transaction (one snapshot), returned after."""
        con = self._take()
        try:
            if con.in_transaction:  # left open by a COMMIT that failed
                con.execute("ROLLBACK")
            con.execute("BEGIN")
            try:
                yield con
            finally:
                con.execute("COMMIT")  # a read transaction: ending it releases the snapshot
        finally:
            self._idle.put(con)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for con in self._made:
                con.close()
            self._made.clear()
