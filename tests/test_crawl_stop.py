"""A long crawl is searchable while it runs, and SIGTERM ends it quickly without losing what it read."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

from index.store import open_store
from sampleweb import SampleWeb, SampleWebServer


def search_total(store_url: str) -> int:
    proc = subprocess.run([sys.executable, "-m", "monitor.cli", "--store", store_url, "search", "", "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)["total"]


@pytest.mark.faults  # a long crawl killed or cut off: the second step (make test-faults)
def test_search_during_a_slow_crawl_then_sigterm_exits_fast_keeping_what_was_read(tmp_path):
    store_url = f"sqlite:///{tmp_path / 'store.db'}"
    with SampleWebServer(SampleWeb(seed=7)) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(server.sources_toml(), encoding="utf-8")
        # a slow site: one request at a time, a second apart, per outlet (minutes for the whole web)
        crawl = subprocess.Popen(
            [sys.executable, "-m", "monitor.cli", "--store", store_url, "crawl", "--loopback", "--json",
             "--sources", str(sources), "--state", str(tmp_path / "state.db"),
             "--set", "DOWNLOAD_DELAY=1", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
             "--set", "AUTOTHROTTLE_ENABLED=False"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline, seen = time.monotonic() + 180, 0
            while time.monotonic() < deadline and seen < 5:
                time.sleep(2)
                if (tmp_path / "store.db").exists():
                    seen = search_total(store_url)
            assert seen >= 5, "a search during the crawl saw nothing stored"
            assert crawl.poll() is None, "the crawl ended before it could be stopped"
            crawl.send_signal(signal.SIGTERM)
            stopped = time.monotonic()
            out, err = crawl.communicate(timeout=60)
            took = time.monotonic() - stopped
        finally:
            if crawl.poll() is None:
                crawl.kill()
    print(f"SIGTERM to exit: {took:.1f} s; searchable during the crawl: {seen} articles")
    assert took < 30, f"SIGTERM took {took:.1f} s"
    assert crawl.returncode == 0, err[-3000:]
    summaries = json.loads(out)
    assert {s["finish_reason"] for s in summaries} == {"shutdown"}
    stored = sum(s["outcomes"].get("stored", 0) + s["outcomes"].get("duplicate", 0) for s in summaries)
    with open_store(store_url) as store:
        assert store.count() == stored >= seen  # everything extracted before the stop was written
    # every request is accounted for: answered (with an outcome) or not done
    for s in summaries:
        assert sum(s["outcomes"].values()) == s["article_responses"]
        assert s["article_responses"] + s["not_done"] == s["article_requests"]
