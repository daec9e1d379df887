"""The `newsmon` command line, run as a user runs it (a real process)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from index.article import Article
from index.store import open_store
from tests.realdata import realdata

ROOT = Path(__file__).resolve().parents[1]


def newsmon(*args: str, stdin: bytes | None = None, home: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSMON_HOME": str(home)} if home else None
    return subprocess.run([sys.executable, "-m", "monitor.cli", *args], input=stdin, capture_output=True,
                          timeout=300, cwd=ROOT, env=env)


@pytest.fixture(scope="module")
def store_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.db'}"
    articles = [
        Article(url="https://x.az/1", canonical_url="https://x.az/1", source="apa", language="az",
                title="Əliyev və Ərdoğan Şuşada görüşdü", body="Prezident İlham Əliyev Şuşada Türkiyə Prezidenti ilə görüşüb.",
                published_at=datetime(2025, 3, 4, 9, tzinfo=timezone.utc), matched=["shusha", "ilham-aliyev"]),
        Article(url="https://x.tr/2", canonical_url="https://x.tr/2", source="aa-tr", language="tr",
                title="Erdoğan Bakü'de", body="Cumhurbaşkanı Erdoğan Bakü'de Aliyev ile enerji işbirliğini görüştü.",
                published_at=datetime(2025, 4, 10, 12, tzinfo=timezone.utc), matched=["erdogan", "baku"]),
    ]
    with open_store(url) as store:
        store.upsert(articles)
    return url


def test_search_json_has_hits_and_facets(store_url):
    result = newsmon("--store", store_url, "search", "Shusha", "--json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["total"] == 1
    hit = data["hits"][0]
    assert {"url", "title", "source", "language", "published_at"} <= hit.keys()
    assert hit["url"] == "https://x.az/1" and hit["published_at"] == "2025-03-04T09:00:00Z"
    assert "<mark>Şuşada</mark>" in hit["highlights"]["title"][0]
    assert {"key": "2025-03-01", "count": 1} in data["facets"]["date"]


def test_search_prints_hits_and_histogram(store_url):
    result = newsmon("--store", store_url, "search", "Erdogan", "--interval", "month")
    out = result.stdout.decode()
    assert result.returncode == 0
    assert "2 matching articles" in out and "Coverage by month" in out and "2025-04" in out


def test_malformed_query_is_a_clear_error(store_url):
    result = newsmon("--store", store_url, "search", "(Shusha")
    assert result.returncode == 2
    assert "bad query" in result.stderr.decode() and "never closed" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


def test_extract_a_saved_page():
    page = realdata("html", "htmldate_1791336003_news-az.html").read_bytes()
    url = "https://www.news.az/news/azerbaijan-launches-counteroffensive-to-restore-its-territorial-integrity-pakistani-envoy"
    result = newsmon("extract", "--url", url, "--country", "AZ", stdin=page)
    record = json.loads(result.stdout)
    assert record["title"].startswith("Azerbaijan launches counteroffensive")
    assert record["language"] == "en" and record["published_at"].startswith("2020-10-13")
    assert record["date_source"]
    # about Azerbaijan and Armenia, with Turkey only in the page's sidebar: not on the beat
    assert record["relevant"] is False


def test_extract_of_an_empty_page_says_why():
    result = newsmon("extract", stdin=b"<html><body><nav>menu</nav></body></html>")
    assert result.returncode == 1
    assert json.loads(result.stdout)["status"] == "empty"


def test_sources_and_stats(store_url, tmp_path):
    listing = newsmon("sources", home=tmp_path)
    assert listing.returncode == 0, listing.stderr.decode()
    stats = newsmon("--store", store_url, "stats", "--json", home=tmp_path)
    data = json.loads(stats.stdout)
    assert data["total"] == 2 and data["by_language"] == {"az": 1, "tr": 1}
    assert data["sources_health"]["azertac-az"]["verdict"] == "never crawled"


def test_crawl_of_unreachable_outlet_is_counted_and_explained(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nid = "gone"\nname = "Gone"\ncountry = "AZ"\nlanguages = ["az"]\n'
                       'base_url = "http://outlet.invalid/"\nfeeds = ["http://outlet.invalid/rss"]\n', encoding="utf-8")
    result = newsmon("--store", f"sqlite:///{tmp_path / 's.db'}", "crawl", "--loopback", "--json",
                     "--sources", str(sources), "--state", str(tmp_path / "state.db"), home=tmp_path)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    (summary,) = json.loads(result.stdout)
    assert summary["finish_reason"] == "finished" and summary["errors"].get("dns", 0) >= 1


def test_unreachable_search_cluster_is_a_clear_error(tmp_path):
    result = newsmon("--store", "http://127.0.0.1:9", "search", "Shusha", home=tmp_path)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert "is not answering" in err and "Traceback" not in err


def test_each_store_has_its_own_crawl_state(tmp_path):
    """Crawling into a second store must not skip what only the first one has."""
    from monitor import cli

    cli.ctx.store_url = f"sqlite:///{tmp_path / 'a.db'}"
    first = cli.default_state()
    cli.ctx.store_url = "http://127.0.0.1:9200?index=news"
    second = cli.default_state()
    assert first == tmp_path / "a.crawlstate.db"
    assert second.name == "crawlstate-127.0.0.1_9200_news.db" and first != second
