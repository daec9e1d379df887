"""End to end: crawl the sample news web over loopback and check against the generator's truth."""
from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from index.article import article_id
from index.store import open_store
from sampleweb import SampleWeb, SampleWebServer


def run_cli(*args: str, store: str) -> subprocess.CompletedProcess:
    """The real `newsmon` command in a fresh process (Scrapy's reactor runs once per process)."""
    return subprocess.run(
        [sys.executable, "-m", "monitor.cli", "--store", store, *args],
        capture_output=True, text=True, timeout=600,
    )


def crawl(world, store_url: str) -> dict[str, dict]:
    proc = run_cli("crawl", "--loopback", "--json", "--sources", str(world["sources"]),
                   "--state", str(world["state"]), store=store_url)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summaries = json.loads(proc.stdout)
    return {s["source"]: s for s in summaries}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One sample web, one store, crawled once; later tests crawl it again."""
    folder = tmp_path_factory.mktemp("e2e")
    web = SampleWeb(seed=7)
    with SampleWebServer(web) as server:
        sources = folder / "sources.toml"
        sources.write_text(server.sources_toml(), encoding="utf-8")
        state = {"web": web, "server": server, "sources": sources, "state": folder / "state.db",
                 "store": f"sqlite:///{folder / 'store.db'}"}
        state["first"] = crawl(state, state["store"])
        state["first_log"] = list(server.request_log)
        yield state


def stored_articles(store_url: str) -> dict[str, object]:
    with open_store(store_url) as store:
        result = store.search("", size=100, page=1)
        hits = []
        for page in range(1, (result.total + 99) // 100 + 1):
            hits += store.search("", size=100, page=page).hits
    return {h.article.id: h.article for h in hits}


def test_every_reachable_on_topic_article_stored_once_with_language_and_date(world):
    truth = world["server"].truth()
    stored = stored_articles(world["store"])
    expected = [t for t in truth if t.reachable and t.on_topic]
    assert len(expected) > 150
    missing = [t.url for t in expected if article_id(t.url) not in stored]
    assert not missing, f"{len(missing)} on-topic articles missing, e.g. {missing[:3]}"
    assert len({a.canonical_url for a in stored.values()}) == len(stored)
    for t in expected:
        a = stored[article_id(t.url)]
        assert a.canonical_url == t.url
        assert a.language == t.language, (t.url, a.language)
        assert a.published_at == t.published_at.replace(microsecond=0), (t.url, a.published_at, t.published_at)


def test_no_off_topic_article_stored(world):
    by_id = {article_id(t.url): t for t in world["server"].truth()}
    stored = stored_articles(world["store"])
    wrong = [a.url for i, a in stored.items() if i not in by_id or not by_id[i].on_topic]
    assert not wrong, wrong[:5]


def test_syndicated_copies_linked(world):
    stored = stored_articles(world["store"])
    pairs = [t for t in world["server"].truth() if t.syndicated_from and t.reachable]
    assert len(pairs) >= 6
    for copy in pairs:
        a, b = stored[article_id(copy.url)], stored[article_id(copy.syndicated_from)]
        assert a.duplicate_of == b.id or b.duplicate_of == a.id, (copy.url, copy.exact_copy)


def test_robots_disallowed_never_fetched_and_amp_folded(world):
    truth = world["server"].truth()
    disallowed = {t.url for t in truth if t.disallowed}
    assert disallowed
    fetched = {url for _, url, _ in world["first_log"]}
    assert not disallowed & fetched
    stored = stored_articles(world["store"])
    amp = [t for t in truth if t.amp_url and t.reachable and t.on_topic]
    assert amp
    assert not any(a.url == t.amp_url for t in amp for a in stored.values())


def test_article_pages_fetched_at_most_once_per_crawl(world):
    article_urls = {t.url for t in world["server"].truth()}
    fetches = [url for method, url, _ in world["first_log"] if method == "GET" and url in article_urls]
    repeated = {u for u in fetches if fetches.count(u) > 1}
    broken = {t.url for t in world["server"].truth() if t.broken}
    assert not repeated - broken


def test_bad_pages_counted_not_fatal(world):
    summaries = world["first"].values()
    errors: dict[str, int] = {}
    for s in summaries:
        assert s["finish_reason"] == "finished"
        for key, n in s["errors"].items():
            errors[key] = errors.get(key, 0) + n
    assert errors.get("http_500", 0) >= 1
    assert errors.get("http_404", 0) >= 1
    assert errors.get("redirect_loop", 0) >= 1
    assert errors.get("truncated_html", 0) >= 1
    encodings = {k: n for s in summaries for k, n in s["encodings"].items()}
    assert encodings.get("cp1254", 0) >= 1 and encodings.get("cp1251", 0) >= 1, encodings


def test_second_crawl_fetches_no_article_again_then_only_new_ones(world):
    server, web = world["server"], world["web"]
    truth = {t.url: t for t in server.truth()}
    settled = {u for u, t in truth.items() if not t.broken}
    before = stored_articles(world["store"])

    server.clear_log()
    crawl(world, world["store"])
    refetched = {url for _, url, _ in server.request_log if url in settled}
    assert not refetched, sorted(refetched)[:5]
    assert stored_articles(world["store"]).keys() == before.keys()

    web.publish(12)
    new = [t for t in server.truth() if t.url not in truth]
    assert len(new) >= 12
    server.clear_log()
    crawl(world, world["store"])
    after = stored_articles(world["store"])
    new_on_topic = {article_id(t.url) for t in new if t.on_topic and t.reachable}
    assert new_on_topic
    assert after.keys() - before.keys() == new_on_topic
    fetched_articles = {url for _, url, _ in server.request_log if url in settled}
    assert fetched_articles <= {t.url for t in new} | {t.amp_url for t in new if t.amp_url}


def test_search_over_crawl_matches_truth_histogram(world):
    truth = [t for t in world["server"].truth() if t.reachable and t.on_topic]
    stored = stored_articles(world["store"])
    with open_store(world["store"]) as store:
        result = store.search("", size=1, interval="month")
    by_month: dict[str, int] = {}
    for a in stored.values():
        key = a.published_at.strftime("%Y-%m-01")
        by_month[key] = by_month.get(key, 0) + 1
    histogram = {k: c for k, c in result.facets["date"] if c}
    assert histogram == by_month
    assert sum(histogram.values()) >= len(truth)
    assert urlsplit(next(iter(stored.values())).url).hostname.startswith("127.0.0.")


@pytest.mark.parametrize("feed_path, error", [("/feeds/moved.xml", "http_404"), ("/politics", "bad_feed")])
def test_fallback_feed_used_when_the_configured_feed_fails(tmp_path, feed_path, error):
    """A moved feed (404, or an HTML page where the feed was) must not make the crawl miss the outlet."""
    with SampleWebServer(SampleWeb(seed=5)) as server:
        base = server.base_url("trdaily")
        sources = tmp_path / "sources.toml"
        sources.write_text(
            '[[source]]\nid = "trdaily"\nname = "TR Daily"\ncountry = "TR"\nlanguages = ["en"]\n'
            f'base_url = "{base}/"\nfeeds = ["{base}{feed_path}"]\nfallback_feeds = ["{base}/rss.xml"]\n'
            "robots_sitemaps = false\n"
            "article_patterns = ['/\\d{4}/\\d{2}/\\d{2}/[a-z0-9-]+']\n", encoding="utf-8")
        world = {"sources": sources, "state": tmp_path / "state.db"}
        summary = crawl(world, f"sqlite:///{tmp_path / 'store.db'}")["trdaily"]
        fetched = {url for _, url, _ in server.request_log}
    assert summary["errors"] == {error: 1}
    assert f"{base}/rss.xml" in fetched
    assert summary["stored"] >= 5
