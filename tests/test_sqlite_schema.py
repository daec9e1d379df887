"""A store file made by an older newsmon is brought up to date, also by several processes at once."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.sqlite import SqliteStore
from index.sqlite.schema import COLUMNS

ROOT = Path(__file__).resolve().parent.parent
OLD_COLUMNS = [c for c in COLUMNS if c not in ("first_seen_at", "language_confidence")]


def old_store(path: Path) -> None:
    """A file as an older newsmon wrote it: articles without first_seq and first_seen_at, locks without tokens."""
    con = sqlite3.connect(path)
    con.execute(f"CREATE TABLE articles (seq INTEGER PRIMARY KEY, {', '.join(f'{c!r}' for c in OLD_COLUMNS)})")
    con.execute("CREATE TABLE locks (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at REAL NOT NULL)")
    values = {c: "" for c in OLD_COLUMNS} | {"id": "old-1", "url": "https://a.az/1", "crawled_at": "2025-01-02T03:04:05+00:00"}
    con.execute(f"INSERT INTO articles (seq, {', '.join(repr(c) for c in OLD_COLUMNS)}) VALUES (7, {', '.join('?' * len(OLD_COLUMNS))})",
                [values[c] for c in OLD_COLUMNS])
    con.commit()
    con.close()


OPEN_AT_GO = """
import sys, time
from pathlib import Path
from crawler.state import CrawlState
from index.sqlite import SqliteStore
from monitor.alerts.outbox import Outbox
go = Path(sys.argv[3])
while not go.exists():
    time.sleep(0.001)
opened = {"store": SqliteStore, "state": CrawlState, "outbox": Outbox}[sys.argv[1]](sys.argv[2])
getattr(opened, "close", lambda: None)()
"""


def open_at_once(kind: str, path: Path, go: Path, processes: int = 6) -> None:
    """Start processes that all open `path` the moment `go` appears; every one must succeed."""
    procs = [subprocess.Popen([sys.executable, "-c", OPEN_AT_GO, kind, str(path), str(go)], cwd=ROOT,
                              stderr=subprocess.PIPE, text=True) for _ in range(processes)]
    time.sleep(1.0)  # let them import and wait at the start line; later starters only make it easier
    go.touch()
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * processes, "\n".join(errors)


@pytest.mark.parametrize("kind", ["store", "state", "outbox"])
def test_several_processes_creating_one_file_at_once_all_open_it(tmp_path, kind):
    open_at_once(kind, tmp_path / "new.db", tmp_path / "go")
    assert (tmp_path / "new.db").exists()


def test_several_processes_opening_an_old_file_at_once_all_open_it(tmp_path):
    path = tmp_path / "old.db"
    old_store(path)
    open_at_once("store", path, tmp_path / "go")
    con = sqlite3.connect(path)
    row = con.execute("SELECT seq, first_seq, first_seen_at FROM articles").fetchone()
    assert row == (7, 7, "2025-01-02T03:04:05+00:00")
    assert "token" in {r[1] for r in con.execute("PRAGMA table_info(locks)")}
    con.close()
    with SqliteStore(path) as store:  # and the next write continues after the old seq
        assert store.last_seq() == 7
