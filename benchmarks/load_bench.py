"""Load run: concurrent clients against a real `newsmon serve` process, over loopback.

    .venv/bin/python -m benchmarks.load_bench --articles 100000 --clients 20 --seconds 60

Builds (or reuses, with --db) a SQLite store of generated articles, starts `newsmon serve` on a
free port, and has each client thread send search requests back to back (a mix of the API's
parameters, the page and the article view), then reports requests per second, latency
percentiles and errors. A response other than 200 counts as an error.
"""
from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from benchmarks.store_bench import generate
from index.sqlite import SqliteStore
from testkit.webserver import free_port

REQUESTS = [
    ("/api/search", {"q": "Shusha"}),
    ("/api/search", {"q": "Aliyev Erdogan", "sort": "date"}),
    ("/api/search", {"q": '"energy pipeline"', "lang": "en"}),
    ("/api/search", {"q": "TANAP OR Karabakh", "interval": "week"}),
    ("/api/search", {"q": "Baku -gas", "since": "2023-01-01", "until": "2023-06-30"}),
    ("/api/search", {"q": "", "entity": "shusha", "source": "outlet3"}),
    ("/api/search", {"q": "title:Erdogan", "page": "3"}),
    ("/api/search", {"q": "-Shusha", "lang": ["tr", "az"], "interval": "day"}),
    ("/", {"q": "Shusha", "lang": "ru"}),
    ("/api/stats", {}),
]


def build(db: Path, n: int) -> None:
    store = SqliteStore(db)
    if store.count() < n:
        articles = generate(n)
        for i in range(0, n, 500):
            store.upsert(articles[i:i + 500])
    store.close()


def percentile(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(p * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=1, help="newsmon serve --workers")
    parser.add_argument("--db", type=Path, help="reuse this store file (built if smaller)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "load.db"
        build(db, args.articles)
        port = free_port()
        env = {**os.environ, "NEWSMON_HOME": tmp}
        server = subprocess.Popen([sys.executable, "-m", "monitor.cli", "--store", f"sqlite:///{db}", "serve",
                                   "--port", str(port), "--workers", str(args.workers)], env=env,
                                  stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/api/search", params={"size": 0}, timeout=30).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("newsmon serve did not answer")
                time.sleep(0.2)
            for path, params in REQUESTS:  # every worker opens its store and builds its bitmaps
                httpx.get(base + path, params=params, timeout=60)
            article = httpx.get(base + "/api/search", params={"q": "Shusha", "size": 1}).json()["hits"][0]["id"]
            requests = REQUESTS + [(f"/api/articles/{article}", {"q": "Shusha"})]

            latencies: list[float] = []
            errors: list[str] = []
            lock = threading.Lock()
            stop = time.monotonic() + args.seconds

            def client(n: int) -> None:
                rng = random.Random(n)
                mine, bad = [], []
                with httpx.Client(base_url=base, timeout=30) as http:
                    for path, params in itertools.cycle(rng.sample(requests, len(requests))):
                        if time.monotonic() >= stop:
                            break
                        t = time.perf_counter()
                        try:
                            status = http.get(path, params=params).status_code
                        except httpx.HTTPError as exc:
                            status = type(exc).__name__
                        mine.append((time.perf_counter() - t) * 1000)
                        if status != 200:
                            bad.append(f"{path} {status}")
                with lock:
                    latencies.extend(mine)
                    errors.extend(bad)

            started = time.monotonic()
            threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=30)

    latencies.sort()
    print(f"\n## Load: {args.clients} clients for {args.seconds:.0f} s against `newsmon serve` "
          f"(workers={args.workers}), SQLite store of {args.articles} articles\n")
    print("| requests | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| {len(latencies)} | {len(latencies) / elapsed:.1f} | {statistics.median(latencies):.0f} | "
          f"{percentile(latencies, 0.95):.0f} | {percentile(latencies, 0.99):.0f} | {latencies[-1]:.0f} | "
          f"{len(errors)} |")
    if errors:
        print("\nerrors:", ", ".join(sorted(set(errors))[:10]))


if __name__ == "__main__":
    main()
