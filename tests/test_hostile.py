"""A crawl that no site can hang, blow up, or turn against the machine it runs on.

The hostile outlet (sampleweb/hostile.py) and a foreign host log every request; the crawl runs
as the real `newsmon crawl` in a child process whose whole process tree is measured.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil
import pytest

from crawler.state import CrawlState
from index.article import article_id
from index.store import open_store
from sampleweb.hostile import EXPECTED, FOREIGN, GOOD, HOST, HostileWeb

LIMIT_SECONDS = 120
RSS_LIMIT = 1 << 30


def crawl(tmp_path: Path, sources: str, loopback: bool = True, exit_code: int = 0) -> tuple[dict, float, float]:
    """Crawl with the real CLI; (summary of the one source, peak RSS of the process tree, seconds)."""
    sources_file = tmp_path / "sources.toml"
    sources_file.write_text(sources, encoding="utf-8")
    args = [sys.executable, "-m", "monitor.cli", "--store", f"sqlite:///{tmp_path / 'store.db'}", "crawl", "--json",
            "--sources", str(sources_file), "--state", str(tmp_path / "state.db")] + (["--loopback"] if loopback else [])
    started = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    root, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        if time.monotonic() - started > LIMIT_SECONDS:
            proc.kill()
            pytest.fail(f"the crawl did not finish within {LIMIT_SECONDS} s")
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    out, err = proc.communicate()
    assert proc.returncode == exit_code, err[-3000:]
    (summary,) = json.loads(out)
    return summary, peak, time.monotonic() - started


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    with HostileWeb(folder / "local") as web:
        summary, peak, seconds = crawl(folder, web.sources_toml())
        yield {"web": web, "summary": summary, "peak": peak, "seconds": seconds, "folder": folder}


def test_crawl_finishes_by_itself_in_bounded_memory(hostile):
    print(f"hostile crawl: {hostile['seconds']:.1f} s, peak RSS of the process tree {hostile['peak'] / 2**20:.0f} MiB")
    assert hostile["summary"]["finish_reason"] == "finished"
    assert hostile["peak"] < RSS_LIMIT


def test_each_attack_is_its_own_counted_outcome_and_good_articles_are_stored(hostile):
    summary = hostile["summary"]
    assert Counter(summary["outcomes"]) == Counter(e.outcome for e in EXPECTED)
    assert summary["article_requests"] == summary["article_responses"] == sum(summary["outcomes"].values())
    state = CrawlState(hostile["folder"] / "state.db")
    try:
        for expect in EXPECTED:
            record = state.get(hostile["web"].url(expect.path))
            assert record is not None, expect.path
            settled_as = {"error:too_large": "refused:too_large", "error:offsite": "refused:offsite",
                          "error:scheme": "refused:scheme", "error:url_too_long": "refused:url_too_long"}.get(expect.outcome, expect.outcome)
            assert record.status == settled_as, (expect.path, record.status)
    finally:
        state.close()
    with open_store(f"sqlite:///{hostile['folder'] / 'store.db'}") as store:
        stored = {h.article.id: h.article for h in store.search("", size=100).hits}
    good = [hostile["web"].url(p) for p in GOOD]
    assert {article_id(u) for u in good} <= set(stored)
    mislabelled = stored[article_id(hostile["web"].url("/news/mislabelled"))]
    assert "Ã" not in mislabelled.body and mislabelled.matched  # read as the UTF-8 it is
    # discovery refusals are counted too: the file:// feed, the foreign and local sitemaps
    assert {"scheme", "offsite"} <= set(summary["errors"])


def test_no_local_file_foreign_host_or_disallowed_path_is_ever_requested(hostile):
    web = hostile["web"]
    assert web.requests_to(FOREIGN) == []
    paths = web.requests_to(HOST)
    assert "/news/only-in-local-files" not in paths  # named only in files on this machine
    assert not [p for p in paths if p.startswith("/private/")]
    # every sitemap asked once (an index listing itself ends), the calendar trap walked at most 5 pages
    assert Counter(p for p in paths if "sitemap" in p) == {"/sitemap-index.xml": 1, "/sitemap-b.xml": 1,
                                                          "/sitemap-articles.xml": 1}
    assert 1 <= len([p for p in paths if p.startswith("/calendar")]) <= 5


@pytest.mark.parametrize("interval", ["day", "week", "month", "year"])
def test_search_works_over_articles_with_dates_of_year_1_1900_2099_and_9999(hostile, interval):
    proc = subprocess.run([sys.executable, "-m", "monitor.cli", "--store", f"sqlite:///{hostile['folder'] / 'store.db'}",
                           "search", "", "--json", "--interval", interval], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    assert result["total"] >= 7
    dated = [h for h in result["hits"] if "/news/dated-" in h["url"]]
    assert len(dated) == 4 and all(h["published_at"] is None for h in dated)


@pytest.mark.parametrize("starts", [1, 3, 10])
def test_disallowed_start_requests_are_never_fetched(tmp_path, starts):
    """Scrapy's own robots.txt check let start requests waiting for robots.txt through (3 or more)."""
    with HostileWeb(tmp_path / "local") as web:
        sections = [f"/private/section-{i}" for i in range(starts)]
        summary, _, _ = crawl(tmp_path, web.sources_toml(sections=sections, feeds=False))
        paths = web.requests_to(HOST)
    assert paths.count("/robots.txt") >= 1
    assert not [p for p in paths if p.startswith("/private/")], paths
    assert summary["finish_reason"] == "finished"


def test_loopback_is_refused_unless_the_run_allows_it(tmp_path):
    with HostileWeb(tmp_path / "local") as web:
        summary, _, _ = crawl(tmp_path, web.sources_toml(), loopback=False, exit_code=1)  # nothing fetched
        assert web.requests_to(HOST) == [] and web.requests_to(FOREIGN) == []
    assert summary["errors"].get("address_loopback", 0) >= 3


def test_sources_check_never_reads_local_files(tmp_path):
    """`newsmon sources check` probes with urllib: no file:// URL, and no redirect to one, is read."""
    from monitor.health import fetch

    secret = tmp_path / "secret.txt"
    secret.write_text("local only", encoding="utf-8")
    assert fetch(secret.as_uri(), "newsmon-test", 5) == (None, b"", "scheme")
    with HostileWeb(tmp_path / "local") as web:
        status, body, error = fetch(web.url("/news/to-file"), "newsmon-test", 5)
    assert error == "scheme" and body == b""
