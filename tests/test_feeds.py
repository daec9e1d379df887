"""A feed for any search (GET /feed.atom, /feed.rss) on each store, read as a feed reader reads it:
parsed by feedparser, polled with the validators it was given (304 until something changes)."""
from __future__ import annotations

from dataclasses import replace

import feedparser
import httpx
import pytest

from monitor.app import Newsmon
from monitor.config import Config
from monitor.web import create_app
from tests.test_api import store_url
from tests.test_store_contract import BY_ID, CORPUS, SHUSHA
from testkit.webserver import serving


@pytest.fixture(scope="module")
def served(new_store, tmp_path_factory):
    store = new_store()
    store.upsert(CORPUS)
    config = Config(store_url=store_url(store), home=tmp_path_factory.mktemp("home"))
    with serving(create_app(config, Newsmon.over(store, config))) as base:
        yield base, store


def test_a_search_is_an_atom_feed_newest_first(served):
    base, _ = served
    response = httpx.get(f"{base}/feed.atom", params={"q": "Shusha", "size": "50"}, timeout=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.title == "newsmon: Shusha"
    ids = [e.id.removeprefix("urn:newsmon:article:") for e in feed.entries]
    assert sorted(ids) == sorted(SHUSHA)
    published = [BY_ID[i].published_at for i in ids if BY_ID[i].published_at]
    assert published == sorted(published, reverse=True)  # newest first
    assert {e.link for e in feed.entries} == {BY_ID[i].url for i in ids}


def test_rss_too_and_a_bad_query_is_the_error_document(served):
    base, _ = served
    feed = feedparser.parse(httpx.get(f"{base}/feed.rss", params={"q": "Shusha", "lang": "en"}, timeout=30).content)
    assert not feed.bozo and feed.version == "rss20"
    assert {e.link for e in feed.entries} == {BY_ID[i].url for i in SHUSHA if BY_ID[i].language == "en"}
    bad = httpx.get(f"{base}/feed.atom", params={"q": "Shusha AND ("}, timeout=30)
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "q"


def test_a_feed_readers_poll_is_304_until_a_new_article_matches(served):
    base, store = served
    params = {"q": "Aliyev", "size": "5"}
    first = httpx.get(f"{base}/feed.atom", params=params, timeout=30)
    tag, modified = first.headers["etag"], first.headers["last-modified"]
    again = httpx.get(f"{base}/feed.atom", params=params, headers={"If-None-Match": tag}, timeout=30)
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    by_date = httpx.get(f"{base}/feed.atom", params=params, headers={"If-Modified-Since": modified}, timeout=30)
    assert by_date.status_code == 304
    other = httpx.get(f"{base}/feed.rss", params=params, headers={"If-None-Match": tag}, timeout=30)
    assert other.status_code == 200 and other.headers["etag"] != tag  # another feed, another tag
    newest = max(CORPUS, key=lambda a: a.published_at.timestamp() if a.published_at else 0)
    store.upsert([replace(BY_ID["en2"], id="en2-later", url="https://azertac.example/en2-later",
                          canonical_url="https://azertac.example/en2-later",
                          published_at=newest.published_at.replace(year=2025), content_hash="hash-later")])
    changed = httpx.get(f"{base}/feed.atom", params=params, headers={"If-None-Match": tag}, timeout=30)
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    assert feedparser.parse(changed.content).entries[0].id == "urn:newsmon:article:en2-later"
