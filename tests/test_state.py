"""Crawl state: what is settled, what changed, what to retry."""
from datetime import datetime, timedelta, timezone

from crawler.state import CrawlState


def test_settled_urls_are_not_fetched_again_unless_changed(tmp_path):
    state = CrawlState(tmp_path / "s.db")
    state.record("http://x/a", "x", "article", "stored")
    assert not state.needs_fetch("http://x/a")
    assert not state.needs_fetch("http://x/a", datetime.now(timezone.utc) - timedelta(days=1))
    assert state.needs_fetch("http://x/a", datetime.now(timezone.utc) + timedelta(minutes=5))
    assert state.needs_fetch("http://x/new")


def test_failures_are_retried_a_bounded_number_of_times(tmp_path):
    state = CrawlState(tmp_path / "s.db")
    for _ in range(4):
        state.record("http://x/flaky", "x", "article", "error:http_500")
    assert state.retry_urls("x") == ["http://x/flaky"]
    state.record("http://x/flaky", "x", "article", "error:http_500")
    assert state.retry_urls("x") == []  # five failures in a row: given up
    state.record("http://x/flaky", "x", "article", "stored")
    assert state.get("http://x/flaky").failures == 0 and state.retry_urls("x") == []
    state.record("http://x/feed.xml", "x", "feed", "error:http_404")
    assert state.retry_urls("x") == [] and state.summary("x")["error:http_404"] == 1


def _exercise(state) -> tuple:
    """One sequence of crawl-state operations; what a crawl would read back afterwards."""
    state.mark_due("x", [("http://x/a", "article", {"title": "A", "via": "feed"}),
                         ("http://x/b", "article", {}), ("http://x/map-1.xml", "sitemap", {})])
    state.record("http://x/feed.xml", "x", "feed", "ok", etag='"e1"')
    state.record("http://x/a", "x", "article", "stored", canonical_url="http://x/a", etag='"a1"')
    state.record("http://x/map-1.xml", "x", "sitemap", "error:http_500")  # a failed child sitemap stays due
    for _ in range(2):
        state.record("http://x/flaky", "x", "article", "error:timeout")
    state.prefetch(["http://x/a", "http://x/b", "http://x/none"])
    a = state.get("http://x/a")
    return ([(d.url, d.kind, d.listing) for d in state.due("x")], state.retry_urls("x"), state.summary("x"),
            (a.status, a.etag, a.failures), state.get("http://x/flaky").failures, state.needs_fetch("http://x/a"),
            state.needs_fetch("http://x/b"), state.get("http://x/none"))


def test_the_elasticsearch_crawl_state_answers_as_the_local_file_does(es_node, tmp_path):
    from crawler.state_elastic import ElasticCrawlState

    local = _exercise(CrawlState(tmp_path / "s.db"))
    shared = ElasticCrawlState(f"{es_node.url}?index=state-parity", tmp_path / "fallback.db")
    assert _exercise(shared) == local
    assert local[0] == [("http://x/b", "article", {}), ("http://x/map-1.xml", "sitemap", {})]
    # a second machine opening the same store's state sees the same
    other = ElasticCrawlState(f"{es_node.url}?index=state-parity", tmp_path / "other.db")
    assert other.get("http://x/a").status == "stored" and [d.url for d in other.due("x")] == [u for u, _, _ in local[0]]
    assert not (tmp_path / "fallback.db").exists()


def test_the_elasticsearch_crawl_state_falls_back_to_a_file_while_away_and_hands_it_over(es_node, tmp_path):
    from crawler.state_elastic import ElasticCrawlState

    fallback = tmp_path / "fallback.db"
    away = ElasticCrawlState("http://127.0.0.1:9/?index=state-away", fallback)  # nothing listens on port 9
    away.mark_due("x", [("http://x/due", "article", {"title": "T"})])
    away.record("http://x/a", "x", "article", "stored", etag='"a1"')
    away.close()
    assert fallback.exists()
    back = ElasticCrawlState(f"{es_node.url}?index=state-away", fallback)  # the cluster answers again
    assert not fallback.exists()  # its rows went into the cluster
    assert back.get("http://x/a").etag == '"a1"' and [d.url for d in back.due("x")] == ["http://x/due"]
