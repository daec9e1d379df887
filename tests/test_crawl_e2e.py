"""End to end: crawl the sample news web over loopback and check against the generator's truth."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest

from index.article import article_id
from index.store import open_store
from sampleweb import SampleWeb, SampleWebServer
from sampleweb.articles import QUIRKS


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
    """One sample web and one store, crawled four times over a changing web.

    1: the first crawl; 2: nothing changed; 3: one story rewritten and the truncated page
    fixed; 4: twelve new stories published. Each crawl's summary, request log and truth is kept.
    """
    folder = tmp_path_factory.mktemp("e2e")
    web = SampleWeb(seed=7)
    with SampleWebServer(web) as server:
        sources = folder / "sources.toml"
        sources.write_text(server.sources_toml(), encoding="utf-8")
        state = {"web": web, "server": server, "sources": sources, "state": folder / "state.db",
                 "store": f"sqlite:///{folder / 'store.db'}", "crawls": []}

        def crawl_now() -> None:
            server.clear_log()
            truth = server.truth()
            summary = crawl(state, state["store"])
            state["crawls"].append({"summary": summary, "log": server.request_log, "truth": truth,
                                    "stored": stored_articles(state["store"])})

        crawl_now()
        crawl_now()
        state["updated"] = web.update(1, datetime.now(timezone.utc))
        state["repaired"] = web.repair("truncated")
        crawl_now()
        state["published"] = web.publish(12)
        crawl_now()
        state["first"] = state["crawls"][0]["summary"]
        state["first_log"] = state["crawls"][0]["log"]
        yield state


def stored_articles(store_url: str) -> dict[str, object]:
    with open_store(store_url) as store:
        result = store.search("", size=100, page=1)
        hits = []
        for page in range(1, (result.total + 99) // 100 + 1):
            hits += store.search("", size=100, page=page).hits
    return {h.article.id: h.article for h in hits}


def test_every_reachable_on_topic_article_stored_once_with_language_and_date(world):
    truth, stored = world["crawls"][0]["truth"], world["crawls"][0]["stored"]
    expected = [t for t in truth if t.reachable and t.on_topic]
    assert len(expected) > 150
    assert {t.quirk for t in expected if t.quirk} == {q for _, _, q in QUIRKS}  # every redirect and canonical quirk
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
    stored = world["crawls"][-1]["stored"]
    wrong = [a.url for i, a in stored.items() if i not in by_id or not by_id[i].on_topic]
    assert not wrong, wrong[:5]


def test_syndicated_copies_linked(world):
    stored = world["crawls"][-1]["stored"]
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
    assert errors.get("truncated", 0) >= 1
    encodings = {k: n for s in summaries for k, n in s["encodings"].items()}
    assert encodings.get("cp1254", 0) >= 1 and encodings.get("cp1251", 0) >= 1, encodings


def test_every_article_request_ends_in_exactly_one_outcome(world):
    """The crawl's own bookkeeping: outcomes add up to the article pages answered, every crawl."""
    for n, run in enumerate(world["crawls"], 1):
        for source, s in run["summary"].items():
            assert s["article_requests"] == s["article_responses"] == sum(s["outcomes"].values()), (n, source, s)
    first = {}
    for s in world["first"].values():
        for outcome, count in s["outcomes"].items():
            first[outcome] = first.get(outcome, 0) + count
    for outcome in ("stored", "duplicate", "off_topic", "alias", "robots_forbidden", "error:http_500",
                    "error:http_404", "error:redirect_loop", "error:truncated"):
        assert first.get(outcome, 0) >= 1, (outcome, first)
    # what the outcomes call stored is what the store holds
    assert first["stored"] + first["duplicate"] == len(world["crawls"][0]["stored"])


def test_redirect_and_canonical_quirks_stored_once_under_their_canonical_url(world):
    truth, stored = world["crawls"][0]["truth"], world["crawls"][0]["stored"]
    for t in (t for t in truth if t.quirk):
        article = stored.get(article_id(t.url))
        assert article is not None, (t.quirk, t.url)
        assert article.canonical_url == t.url, t.quirk
        assert [a.canonical_url for a in stored.values() if a.title == t.title] == [t.url], t.quirk
        assert (article.language, article.published_at) == (t.language, t.published_at.replace(microsecond=0))


def outcomes(run: dict) -> dict[str, int]:
    total: dict[str, int] = {}
    for s in run["summary"].values():
        for outcome, count in s["outcomes"].items():
            total[outcome] = total.get(outcome, 0) + count
    return total


def test_second_crawl_stores_nothing_and_reports_the_articles_unchanged(world):
    first, second = world["crawls"][0], world["crawls"][1]
    settled = {u for u, t in {t.url: t for t in first["truth"]}.items() if not t.broken}
    refetched = {url for _, url, _ in second["log"] if url in settled}
    assert not refetched, sorted(refetched)[:5]
    assert not {"stored", "duplicate", "updated"} & set(outcomes(second)), outcomes(second)
    # nothing was rewritten: the same articles with the same write-time sequence numbers
    assert {i: a.seq for i, a in second["stored"].items()} == {i: a.seq for i, a in first["stored"].items()}
    reported = sum(s["skipped"] + s["outcomes"].get("unchanged", 0) for s in second["summary"].values())
    assert reported >= len(first["stored"])


def test_truncated_page_is_fetched_whole_on_a_later_crawl(world):
    """A truncated page's validators are never kept, so it is not answered 304 and settled."""
    (truncated,) = [t for t in world["crawls"][0]["truth"] if t.broken == "truncated"]
    assert any(url == truncated.url and status == 200 for _, url, status in world["crawls"][0]["log"])
    second_fetches = [status for method, url, status in world["crawls"][1]["log"] if url == truncated.url]
    assert second_fetches == [200]  # asked again, unconditionally, still truncated
    assert article_id(truncated.url) not in world["crawls"][1]["stored"]
    (repaired,) = world["repaired"]
    third = world["crawls"][2]
    assert third["summary"][repaired.outlet]["outcomes"].get("stored") == 1
    assert " ".join(repaired.paragraphs[-1]) in third["stored"][article_id(truncated.url)].body


def test_third_crawl_reports_exactly_the_rewritten_article_as_updated(world):
    (changed,) = world["updated"]
    second, third = world["crawls"][1], world["crawls"][2]
    assert {src: s["outcomes"].get("updated", 0) for src, s in third["summary"].items() if s["outcomes"].get("updated")} \
        == {changed.outlet: 1}
    url = next(t.url for t in third["truth"] if t.title == changed.title and t.outlet == changed.outlet)
    before, after = second["stored"][article_id(url)], third["stored"][article_id(url)]
    assert " ".join(changed.paragraphs[-1]) in after.body and after.body != before.body
    assert after.id == before.id and after.first_seen_at == before.first_seen_at and after.seq > before.seq
    # linked as before: whichever of the pair was written first stays the original
    assert after.duplicate_of == before.duplicate_of
    linked = {i for i, a in second["stored"].items() if a.duplicate_of == after.id}
    assert {i for i, a in third["stored"].items() if a.duplicate_of == after.id} == linked
    assert linked or after.duplicate_of, "the rewritten story is one of a syndicated pair"
    # the crawl wrote just two articles: the rewritten one and the repaired truncated page
    (repaired,) = world["repaired"]
    repaired_url = next(t.url for t in third["truth"] if t.title == repaired.title and t.outlet == repaired.outlet)
    last_before = max(a.seq for a in second["stored"].values())
    assert {i for i, a in third["stored"].items() if a.seq > last_before} == {after.id, article_id(repaired_url)}


def test_fourth_crawl_stores_only_the_new_articles_and_fetches_only_new_pages(world):
    third, fourth = world["crawls"][2], world["crawls"][3]
    known = {t.url: t for t in third["truth"]}
    settled = {u for u, t in known.items() if not t.broken}
    new = [t for t in fourth["truth"] if t.url not in known]
    assert len(new) >= 12
    new_on_topic = {article_id(t.url) for t in new if t.on_topic and t.reachable}
    assert new_on_topic
    assert fourth["stored"].keys() - third["stored"].keys() == new_on_topic
    fetched_articles = {url for _, url, _ in fourth["log"] if url in settled}
    assert fetched_articles <= {t.url for t in new} | {t.amp_url for t in new if t.amp_url}


def test_search_over_crawl_matches_truth_histogram(world):
    truth = [t for t in world["server"].truth() if t.reachable and t.on_topic]
    stored = world["crawls"][-1]["stored"]
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


def test_stage_options_set_for_a_crawl_reach_the_workers(tmp_path):
    """NEWSMON_STAGE_OPTIONS is what the stage workers use: an unreachable threshold stores nothing."""
    with SampleWebServer(SampleWeb(seed=5)) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(server.sources_toml(), encoding="utf-8")

        def crawl_trdaily(name: str, *extra: str) -> dict:
            proc = run_cli("crawl", "--loopback", "--json", "--source", "trdaily", "--sources", str(sources),
                           "--state", str(tmp_path / f"{name}-state.db"), *extra,
                           store=f"sqlite:///{tmp_path / f'{name}.db'}")
            assert proc.returncode == 0, proc.stderr[-3000:]
            (summary,) = json.loads(proc.stdout)
            return summary

        strict = crawl_trdaily("strict", "--set", "NEWSMON_STAGE_OPTIONS=" + json.dumps({"relevance": {"threshold": 1000.0}}))
        default = crawl_trdaily("default")
    assert default["stored"] >= 5
    assert strict["stored"] == 0 and strict["outcomes"].get("stored", 0) == 0
    assert strict["outcomes"]["off_topic"] >= default["outcomes"]["off_topic"] + default["stored"]
