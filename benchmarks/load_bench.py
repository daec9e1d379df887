"""Load run: concurrent clients against a real `newsmon serve` process, over loopback (issue 25).

    .venv/bin/python -m benchmarks.load_bench --articles 100000 --clients 20 --seconds 60

Builds (or reuses, with --db) a SQLite store of generated articles, starts `newsmon serve` on a
free port with its default workers (one per core), and then, in one run:

1. alone: one client sends the request mix back to back; the CPU of the server's process tree
   per request (its workers included) gives the machine's CPU bound, cores ÷ CPU seconds per
   request, and the mean answer time is the request's time alone;
2. load: `--clients` clients at once for `--seconds`: requests per second, latency percentiles;
3. crawl: the same clients while `newsmon crawl` writes the sample web (`--crawl-articles`
   pages, served by `python -m sampleweb` as benchmarks/throughput.py serves it) into the same
   store, until the crawl ends: every batch it commits is a new generation of the store.

The mix: API searches with every parameter (query, dates, languages, sources, entities,
interval, sort, page), the search page, the article view and `/api/stats`; each client cycles
through it in its own shuffled order, on one keep-alive connection (http.client: a light
client, so the load generator takes little of the cores it shares with the server). A response
other than 200 counts as an error. Prints a Markdown table, then one JSON line of the figures.
"""
from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import psutil

from benchmarks.store_bench import generate
from benchmarks.throughput import CRAWL_SETTINGS, ROOT, cpu_seconds, newsmon_command, sample_web
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
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] if values else 0.0


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its living descendants."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    return cpu_seconds(procs)


class TreeCpu:
    """CPU seconds of a process tree whose members come and go (a crawl's stage workers): sampled
    every half second, each process counted at the last value seen."""

    def __init__(self, pid: int):
        self.pid, self._seen, self._stop = pid, {}, threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while True:
            try:
                root = psutil.Process(self.pid)
                for proc in [root, *root.children(recursive=True)]:
                    try:
                        times = proc.cpu_times()
                        self._seen[(proc.pid, proc.create_time())] = times.user + times.system
                    except psutil.NoSuchProcess:
                        pass
            except psutil.NoSuchProcess:
                pass
            if self._stop.wait(0.5):
                return

    def total(self) -> float:
        return sum(self._seen.values())

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.total()


def machine_busy() -> float:
    """CPU seconds every core of the machine spent on anything but idling, since boot."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


class Client:
    """One keep-alive connection sending GETs (a broken connection is opened again)."""

    def __init__(self, port: int):
        self.port = port
        self.con: http.client.HTTPConnection | None = None

    def get(self, path: str, params: dict) -> tuple[int, bytes]:
        url = path + ("?" + urlencode(params, doseq=True) if params else "")
        if self.con is None:
            self.con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            self.con.request("GET", url)
            response = self.con.getresponse()
            return response.status, response.read()
        except Exception:
            self.con.close()
            self.con = None
            raise

    def close(self) -> None:
        if self.con is not None:
            self.con.close()


def run_clients(port: int, requests: list, clients: int, until) -> dict:
    """`clients` threads sending requests back to back until `until()` is true; latencies in ms."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        rng = random.Random(n)
        mine, bad = [], []
        http = Client(port)
        for path, params in itertools.cycle(rng.sample(requests, len(requests))):
            if until():
                break
            t = time.perf_counter()
            try:
                status = http.get(path, params)[0]
            except Exception as exc:
                status = type(exc).__name__
            mine.append((time.perf_counter() - t) * 1000)
            if status != 200:
                bad.append(f"{path} {status}")
        http.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"elapsed": time.monotonic() - started, "latencies": latencies, "errors": errors}


def phase(server_pid: int, port: int, requests: list, clients: int, until, others: dict[str, int]) -> dict:
    """A run of clients, with the CPU the server, this process (the clients) and the rest of the machine spent."""
    me = psutil.Process()
    watched = {name: TreeCpu(pid) for name, pid in others.items()}
    time.sleep(0.1)  # their first sample: what they spent before the phase
    before = (tree_cpu(server_pid), sum(me.cpu_times()[:2]), machine_busy(),
              {name: w.total() for name, w in watched.items()})
    run = run_clients(port, requests, clients, until)
    server = tree_cpu(server_pid) - before[0]
    client = sum(me.cpu_times()[:2]) - before[1]
    busy = machine_busy() - before[2]
    other = {name: w.stop() - before[3][name] for name, w in watched.items()}
    lat, n, elapsed = run["latencies"], len(run["latencies"]), run["elapsed"]
    return {"requests": n, "elapsed_s": round(elapsed, 1), "requests_per_s": round(n / elapsed, 1),
            "mean_ms": round(statistics.fmean(lat), 1) if lat else 0.0,
            "p50_ms": round(percentile(lat, 0.5), 1), "p95_ms": round(percentile(lat, 0.95), 1),
            "p99_ms": round(percentile(lat, 0.99), 1), "max_ms": round(max(lat, default=0.0), 1),
            "errors": len(run["errors"]), "error_kinds": sorted(set(run["errors"]))[:10],
            "server_cpu_ms_per_request": round(server / n * 1000, 2) if n else 0.0,
            "client_cpu_ms_per_request": round(client / n * 1000, 2) if n else 0.0,
            "server_cores": round(server / elapsed, 2), "client_cores": round(client / elapsed, 2),
            # what the rest of the machine took (other people's work on a shared machine)
            "other_cores": round(max(0.0, busy - server - client - sum(other.values())) / elapsed, 2),
            **{f"{name}_cores": round(cpu / elapsed, 2) for name, cpu in other.items()}}


def start_server(db: Path, home: Path, workers: int | None) -> tuple[subprocess.Popen, int]:
    port = free_port()
    cmd = [*newsmon_command(), "--store", f"sqlite:///{db}", "serve", "--port", str(port)]
    if workers:
        cmd += ["--workers", str(workers)]
    server = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "NEWSMON_HOME": str(home)},
                              stderr=subprocess.DEVNULL)
    http = Client(port)
    deadline = time.monotonic() + 120
    while True:
        try:
            if http.get("/api/search", {"size": 0})[0] == 200:
                return server, port
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("newsmon serve did not answer")
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60, help="the load phase")
    parser.add_argument("--alone-seconds", type=float, default=20, help="the one-client phase")
    parser.add_argument("--crawl-articles", type=int, default=2000, help="the sample web of the crawl phase; 0: none")
    parser.add_argument("--workers", type=int, help="newsmon serve --workers (default: serve's own, one per core)")
    parser.add_argument("--db", type=Path, help="reuse this store file (built if smaller; the crawl phase adds to it)")
    args = parser.parse_args()

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        db = args.db or tmp / "load.db"
        build(db, args.articles)
        server, port = start_server(db, tmp, args.workers)
        # uvicorn's worker processes (multiprocessing's spawn; its resource tracker is not one)
        workers = sum("spawn_main" in " ".join(p.cmdline()) for p in psutil.Process(server.pid).children()) or 1
        try:
            # every worker opens its store and builds its bitmaps: warm them all before the clock
            warm = time.monotonic() + 10
            run_clients(port, REQUESTS, max(4, 2 * cores()), lambda: time.monotonic() > warm)
            article = json.loads(Client(port).get("/api/search", {"q": "Shusha", "size": 1})[1])["hits"][0]["id"]
            requests = REQUESTS + [(f"/api/articles/{article}", {"q": "Shusha"})]

            stop = time.monotonic() + args.alone_seconds
            alone = phase(server.pid, port, requests, 1, lambda: time.monotonic() > stop, {})
            stop = time.monotonic() + args.seconds
            load = phase(server.pid, port, requests, args.clients, lambda: time.monotonic() > stop, {})
            crawl = crawl_phase(args, db, tmp, server.pid, port, requests) if args.crawl_articles else None
        finally:
            server.terminate()
            server.wait(timeout=30)
    load_after = os.getloadavg()

    cpu_per_request = alone["server_cpu_ms_per_request"] / 1000
    bound = cores() / cpu_per_request
    figures = {"requests_per_s": load["requests_per_s"], "cpu_bound_requests_per_s": round(bound, 1),
               "p95_ms": load["p95_ms"], "alone_ms": alone["mean_ms"], "errors": load["errors"],
               "bound_ratio": round(load["requests_per_s"] / bound, 3),
               # the same bound over the cores the server could have had: those the clients and the
               # rest of a shared machine did not take
               "available_bound_requests_per_s": round(available(load) / cpu_per_request, 1),
               "available_bound_ratio": round(load["requests_per_s"] * cpu_per_request / available(load), 3),
               "p95_over_alone": round(load["p95_ms"] / alone["mean_ms"], 2),
               "cores": cores(), "workers": workers, "clients": args.clients, "articles": args.articles,
               "loadavg_before": [round(x, 2) for x in load_before], "loadavg_after": [round(x, 2) for x in load_after],
               "alone": alone, "load": load}
    if crawl:
        figures.update({"crawl_requests_per_s": crawl["requests_per_s"], "crawl_p95_ms": crawl["p95_ms"],
                        "crawl_errors": crawl["errors"], "crawl_bound_ratio": round(crawl["requests_per_s"] / bound, 3),
                        "crawl_available_bound_ratio": round(crawl["requests_per_s"] * cpu_per_request
                                                             / available(crawl), 3),
                        "crawl": crawl})
    print(table(args, figures))
    print(json.dumps(figures))


def available(p: dict) -> float:
    """Cores left to the server in a phase: all of them but what the clients, the crawl and the rest took."""
    return max(0.01, cores() - p["client_cores"] - p["other_cores"] - p.get("crawl_cores", 0.0)
               - p.get("sampleweb_cores", 0.0))


def crawl_phase(args, db: Path, tmp: Path, server_pid: int, port: int, requests: list) -> dict:
    """The clients while `newsmon crawl` writes the sample web into the same store, until the crawl ends."""
    before = SqliteStore(db)
    count = before.count()
    before.close()
    with sample_web(args.crawl_articles, tmp) as (web_pid, sources, _):
        settings = [a for key, value in CRAWL_SETTINGS.items() for a in ("--set", f"{key}={value}")]
        crawl = subprocess.Popen([*newsmon_command(), "--store", f"sqlite:///{db}", "crawl", "--loopback",
                                  "--sources", str(sources), "--json", *settings], cwd=ROOT,
                                 env={**os.environ, "NEWSMON_HOME": str(tmp / "crawl-home")},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.monotonic()
        found = phase(server_pid, port, requests, args.clients, lambda: crawl.poll() is not None,
                      {"crawl": crawl.pid, "sampleweb": web_pid})
        crawl.wait()
    after = SqliteStore(db)
    found.update({"crawl_exit": crawl.returncode, "crawl_s": round(time.monotonic() - started, 1),
                  "articles_written": after.count() - count})
    after.close()
    return found


def table(args, f: dict) -> str:
    rows = [("alone (1 client)", f["alone"]), (f"{args.clients} clients", f["load"])]
    if "crawl" in f:
        rows.append((f"{args.clients} clients during a crawl", f["crawl"]))
    lines = [f"\n## Load: `newsmon serve` ({f['workers']} workers) on {f['cores']} cores, SQLite store of "
             f"{args.articles} articles\n",
             "| phase | requests | requests/s | mean ms | p50 ms | p95 ms | p99 ms | errors | server CPU ms/request "
             "| server cores | client cores | other cores |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for label, p in rows:
        lines.append(f"| {label} | {p['requests']} | {p['requests_per_s']} | {p['mean_ms']} | {p['p50_ms']} | "
                     f"{p['p95_ms']} | {p['p99_ms']} | {p['errors']} | {p['server_cpu_ms_per_request']} | "
                     f"{p['server_cores']} | {p['client_cores']} | {p['other_cores']} |")
    lines.append(f"\nCPU bound: {f['cores']} cores ÷ {f['alone']['server_cpu_ms_per_request']} ms = "
                 f"{f['cpu_bound_requests_per_s']} requests/s; under load {f['bound_ratio']} of it, p95 "
                 f"{f['p95_over_alone']} times the time alone ({f['alone_ms']} ms); over the cores the rest of the "
                 f"machine left it, {f['available_bound_ratio']} of the bound")
    if "crawl" in f:
        c = f["crawl"]
        lines.append(f"during the crawl ({c['articles_written']} articles written in {c['crawl_s']} s, exit "
                     f"{c['crawl_exit']}, crawl {c.get('crawl_cores')} cores): {f['crawl_bound_ratio']} of the bound, "
                     f"{f['crawl_available_bound_ratio']} over the cores left to the server")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
