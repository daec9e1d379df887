"""Issue 25 item 1: searches read on a pool of connections beside a writer, answers kept per generation."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx
import psutil
import pytest

from index.article import Article
from index.sqlite import SqliteStore
from index.store import Filters
from monitor.cli.serve import default_workers
from testkit.webserver import free_port

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [("Shusha", Filters()), ("Baku pipeline", Filters()), ('"gas deal"', Filters(languages=["en"])),
           ("Ankara OR Shusha", Filters(sources=["s1"])), ("title:Erdogan", Filters())]
WORDS = "Shusha Baku Ankara Erdogan Aliyev pipeline gas deal visit talks".split()


def article(i: int, title: str, body: str, language: str = "en") -> Article:
    return Article(url=f"https://news.example/{i}", canonical_url=f"https://news.example/{i}", source=f"s{i % 3}",
                   title=title, body=body, language=language, matched=["shusha"] if "Shusha" in body else [],
                   published_at=datetime(2025, 1 + i % 12, 1 + i % 28, tzinfo=timezone.utc))


def corpus(n: int) -> list[Article]:
    return [article(i, " ".join(WORDS[(i + k) % len(WORDS)] for k in range(3)),
                    " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(12)), ("en", "tr", "az")[i % 3])
            for i in range(n)]


def answer(store, query: str, filters: Filters, page: int = 1) -> tuple:
    """What a search answers that other articles cannot move (bm25's statistics are the whole index's)."""
    by_date = store.search(query, filters, page=page, size=5, interval="month", sort="date")
    ranked = store.search(query, filters, page=page, size=5, interval="week")
    return by_date.total, [h.article.id for h in by_date.hits], by_date.facets, ranked.total, ranked.facets


@pytest.fixture()
def filled(store):
    """A store of each backend (tests/conftest.py) with the corpus."""
    store.upsert(corpus(600))
    return store


@pytest.fixture()
def sqlite_store(tmp_path):
    with SqliteStore(tmp_path / "reads.db", readers=4) as store:
        store.upsert(corpus(600))
        yield store


def test_concurrent_searches_answer_as_serial_ones_while_a_writer_writes(filled):
    store = filled
    serial = {(q, repr(f), p): answer(store, q, f, p) for q, f in QUERIES for p in (1, 2)}
    stop = threading.Event()
    written = []

    def writer():  # articles none of the queries match: every answer stays the same, generation after generation
        i = 10_000
        while not stop.is_set():
            store.upsert([article(i, "weather report", "rain in the mountains")])
            written.append(i)
            i += 1
            time.sleep(0.005)

    seen, errors = [], []

    def reader(n: int):
        try:
            for round_ in range(15):
                for q, f in QUERIES:
                    page = 1 + (n + round_) % 2
                    seen.append(((q, repr(f), page), answer(store, q, f, page)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    readers = [threading.Thread(target=reader, args=(n,)) for n in range(8)]
    for r in readers:
        r.start()
    for r in readers:
        r.join()
    stop.set()
    thread.join()
    assert not errors
    assert len(written) > 3  # the writer wrote while the readers read
    assert all(got == serial[key] for key, got in seen)
    if isinstance(store, SqliteStore):
        assert len(store._readers._made) > 1  # the searches ran on several connections, not one in turns


def test_a_search_after_a_write_sees_it_facets_counts_and_all(filled):
    store = filled
    before = store.search("Shusha", facets=("language", "source"), size=3)
    again = store.search("Shusha", facets=("language", "source"), size=3)
    assert (again.total, again.facets) == (before.total, before.facets)  # kept: the same answer
    new = article(99_999, "Shusha news", "Shusha Shusha Shusha", language="ru")
    store.upsert([new])
    after = store.search("Shusha", facets=("language", "source"), size=3)
    assert after.total == before.total + 1
    assert dict(after.facets["language"])["ru"] == 1
    assert [h.article.id for h in store.search("Shusha", Filters(languages=["ru"])).hits] == [new.id]
    assert store.stats()["total"] == 601 and store.stats()["by_language"]["ru"] == 1


def test_a_change_from_another_connection_moves_the_generation(sqlite_store):
    """Any writer of the file (another process, a bare connection) is seen: a trigger counts the changes."""
    store = sqlite_store
    en = dict(store.search("Shusha", facets=("language",)).facets["language"])["en"]
    stats = store.stats()["by_language"]["en"]
    target = store.search("Shusha", Filters(languages=["en"]), size=1).hits[0].article.id
    with sqlite3.connect(store.path) as other:
        other.execute("UPDATE articles SET language = 'ru' WHERE id = ?", (target,))
    assert dict(store.search("Shusha", facets=("language",)).facets["language"])["en"] == en - 1
    assert store.stats()["by_language"]["en"] == stats - 1
    assert target not in [h.article.id for h in store.search("Shusha", Filters(languages=["en"]), size=100).hits]


def test_serve_runs_one_worker_per_core_by_default(tmp_path):
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    with SqliteStore(tmp_path / "serve.db") as store:
        store.upsert(corpus(50))
        total = store.search("Shusha").total
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "monitor.cli", "serve", "--store", url, "--port", str(port)],
                              cwd=ROOT, env={**os.environ, "NEWSMON_HOME": str(tmp_path)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/search", params={"q": "Shusha"}, timeout=30)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert response.json()["total"] == total
        workers = default_workers()
        # uvicorn's workers are child processes when there are several (a process tracker may be one more)
        serving = [p for p in psutil.Process(server.pid).children() if "python" in p.name().lower()]
        assert len(serving) >= workers if workers > 1 else serving == []
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert f"with {workers} worker" in stderr


def test_an_answer_asked_for_by_many_threads_at_once_is_made_once():
    from index.sqlite.answers import Answers

    answers, release, calls = Answers(entries=4), threading.Event(), []

    def make():
        calls.append(1)
        release.wait(10)
        return ["page"]

    got = []
    threads = [threading.Thread(target=lambda: got.append(answers.get(("q", 1), make))) for _ in range(5)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # all five are asking: one makes, four wait for it
    release.set()
    for thread in threads:
        thread.join()
    assert got == [["page"]] * 5 and len(calls) == 1
    assert answers.get(("q", 1), lambda: ["other"]) == ["page"]  # kept
    for n in range(5):
        answers.get(("q", n + 2), lambda: [n])
    assert answers.get(("q", 1), lambda: ["made again"]) == ["made again"]  # the least recently used went first
