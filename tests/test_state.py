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
