"""Crawls of the sample web stopped by signals, and what they left: shared by tests and benchmarks.

A crawl is stopped after the sample web has served a given number of requests (not after a
time: a busy machine moves times, not request counts), then crawled again to the end; the store
is then compared with the sample web's truth: every reachable on-topic article once, none lost.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from index.store import LockState, open_store

LEASE = 6.0  # seconds: short, so takeovers happen within a test
SLOW = ["--set", "DOWNLOAD_DELAY=0.4", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "--set", "AUTOTHROTTLE_ENABLED=False"]


@dataclass
class FaultRun:
    case: str  # e.g. "SIGKILL after 280 requests"
    expected: int  # reachable on-topic articles in the sample web
    stored: int = 0  # distinct expected articles in the store after the recovery crawl
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)  # canonical URLs stored more than once
    exit_codes: list[int] = field(default_factory=list)  # the stopped crawl's, then each later crawl's


def crawl_argv(store_url: str, sources: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "monitor.cli", "--store", store_url, "crawl", "--loopback", "--json",
            "--alerts-wait", "0", "--sources", str(sources), *extra]


def home_env(home: Path) -> dict[str, str]:
    """The environment of a newsmon process whose files all live under `home`."""
    return dict(os.environ, NEWSMON_HOME=str(home))


def stopped_crawl(argv: list[str], env: dict, server, after_requests: int, sig: int, timeout: float = 600) -> int:
    """Run a crawl and send `sig` once the sample web has served `after_requests`; its exit code."""
    server.clear_log()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None and len(server.request_log) < after_requests and time.monotonic() < deadline:
            time.sleep(0.02)
        if proc.poll() is None:
            proc.send_signal(sig)
        proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode


def full_crawl(argv: list[str], env: dict, server=None) -> subprocess.CompletedProcess:
    if server is not None:
        server.clear_log()
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=900)


def stored_canonicals(store_url: str) -> list[str]:
    """The canonical URL of every article in the store (a URL twice means a duplicate)."""
    with open_store(store_url) as store:
        urls, page = [], 1
        while True:
            result = store.search("", size=100, page=page)
            urls += [h.article.canonical_url for h in result.hits]
            if page * 100 >= result.total:
                return urls
            page += 1


def expected_canonicals(truth) -> set[str]:
    return {t.url for t in truth if t.reachable and t.on_topic}


def judge(case: str, truth, store_url: str, exit_codes: list[int]) -> FaultRun:
    expected = expected_canonicals(truth)
    stored = Counter(stored_canonicals(store_url))
    return FaultRun(case=case, expected=len(expected), stored=len(expected & set(stored)),
                    lost=sorted(expected - set(stored)), duplicated=sorted(u for u, n in stored.items() if n > 1),
                    exit_codes=exit_codes)


def interrupted_then_recovered(server, folder: Path, store_url: str, sig: int, after_requests: int,
                               recoveries: int = 1) -> FaultRun:
    """One case: a crawl stopped by `sig` after `after_requests`, then `recoveries` whole crawls."""
    sources = folder / "sources.toml"
    sources.write_text(server.sources_toml(), encoding="utf-8")
    env = home_env(folder / "home")
    argv = crawl_argv(store_url, sources)
    codes = [stopped_crawl(argv, env, server, after_requests, sig)]
    for _ in range(recoveries):
        done = full_crawl(argv, env, server)
        codes.append(done.returncode)
        if done.returncode != 0:
            raise AssertionError(f"the recovery crawl failed: {done.stderr[-3000:]}")
    return judge(f"{signal.Signals(sig).name} after {after_requests} requests", server.truth(), store_url, codes)


# --- several machines: `newsmon schedule` processes, each with its own NEWSMON_HOME ----------
def newsmon(store_url: str, home, *args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "monitor.cli", "--store", store_url, *args],
                            env=home_env(Path(home)), text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            **popen)


def scheduler(store_url: str, home, sources, machine: str, *extra: str) -> subprocess.Popen:
    """A scheduler whose requests carry `machine` as User-Agent (the sample web logs it)."""
    return newsmon(store_url, home, "schedule", "--loopback", "--sources", str(sources),
                   "--lease-seconds", str(LEASE), "--set", f"USER_AGENT={machine}", *extra)


def stop(*procs: subprocess.Popen) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGCONT)
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


def tree(proc: subprocess.Popen) -> list:
    """The scheduler and every process under it (its crawls and their stage workers)."""
    import psutil

    try:
        root = psutil.Process(proc.pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.25)


@dataclass
class Takeover:
    seconds: float  # from the SIGKILL to the survivor holding every source the killed one held
    before: dict[str, LockState]
    after: dict[str, LockState]
    runs: list[dict]


def takeover(store_url: str, folder: Path, server) -> Takeover:
    """Two schedulers; the first, crawling every source, is SIGKILLed; the second takes over."""
    from index.elastic import ElasticStore

    sources = folder / "sources.toml"
    sources.write_text(server.sources_toml(), encoding="utf-8")  # every source hourly: each runs once here
    store = ElasticStore(store_url)
    first = scheduler(store_url, folder / "m1", sources, "machine-1", *SLOW)
    second = None
    try:
        # the first takes every source (it is alone), the second waits with nothing to do
        wait_until(lambda: any(a == "machine-1" for a, _, _ in server.agents), 120, "the first machine crawling")
        second = scheduler(store_url, folder / "m2", sources, "machine-2", *SLOW)
        wait_until(lambda: len(store.live_locks("scheduler:")) == 2, 60, "both schedulers announced")
        before = {name: store.lock_state(name) for name in store.live_locks("crawl:")}
        first.send_signal(signal.SIGKILL)  # its crawl gets SIGHUP, stops and records its runs
        killed = time.monotonic()
        wait_until(lambda: all(store.lock_state(n).holder != s.holder for n, s in before.items()), 120,
                   "the second scheduler holding the first one's sources")
        seconds = time.monotonic() - killed
        after = {name: store.lock_state(name) for name in before}
        wait_until(lambda: any(a == "machine-2" for a, _, _ in server.agents), 60, "the second machine crawling")
    finally:
        stop(first, *([second] if second else []))
    result = Takeover(seconds, before, after, store.runs(limit=1000))
    store.close()
    return result
