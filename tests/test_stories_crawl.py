"""Stories over crawls of the sample web: copies with their originals, rewrites stay, nothing moves.

The sample web's texts are written to be clear-cut, so this proves the plumbing (crawl → stage
worker → writer → store), not the grouping's quality: that is measured on real coverage
(tests/test_stories_store.py, benchmarks/stories.py).
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from index.article import article_id
from index.store import open_store
from sampleweb import SampleWeb, SampleWebServer
from tests.test_crawl_e2e import crawl


def stories_of(store_url: str, **options) -> dict[str, str | None]:
    """Article id -> story id of every stored article."""
    with open_store(store_url, **options) as store:
        return {a.id: a.story_id for a in store.scan("")}


def partition(story_of: dict[str, str | None]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for article, story in story_of.items():
        groups.setdefault(story or article, set()).add(article)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, es_node):
    folder = tmp_path_factory.mktemp("stories")
    web = SampleWeb(seed=7)
    found: dict = {"web": web}
    with SampleWebServer(web) as server:
        sources = folder / "sources.toml"
        sources.write_text(server.sources_toml(), encoding="utf-8")
        sqlite = {"sources": sources, "state": folder / "state.db"}
        elastic = {"sources": sources, "state": folder / "state-es.db"}
        found["truth"] = server.truth()
        crawl(sqlite, f"sqlite:///{folder / 'store.db'}")
        found["first"] = stories_of(f"sqlite:///{folder / 'store.db'}")
        crawl(sqlite, f"sqlite:///{folder / 'store.db'}")
        found["second"] = stories_of(f"sqlite:///{folder / 'store.db'}")
        found["updated"] = web.update(1, datetime.now(timezone.utc))
        found["update_truth"] = server.truth()
        crawl(sqlite, f"sqlite:///{folder / 'store.db'}")
        found["third"] = stories_of(f"sqlite:///{folder / 'store.db'}")
        es_url = f"{es_node.url}?index=stories-crawl"
        crawl(elastic, es_url)
        found["elastic"] = stories_of(es_url, spool=str(folder / "spool.jsonl"))
    return found


@pytest.mark.parametrize("crawl_of", ["first", "elastic"])
def test_every_stored_article_has_a_story_and_copies_share_their_originals(crawled, crawl_of):
    first = crawled[crawl_of]
    assert first and all(first.values())
    pairs = [(article_id(t.url), article_id(t.syndicated_from)) for t in crawled["truth"]
             if t.syndicated_from and t.reachable]
    pairs = [(a, b) for a, b in pairs if a in first and b in first]
    assert len(pairs) >= 3
    assert [(a, b) for a, b in pairs if first[a] != first[b]] == []
    assert len(set(first.values())) < len(first)  # stories hold more than one article each, on average


def test_a_second_crawl_moves_nothing_and_a_rewrite_keeps_its_story(crawled):
    assert crawled["second"] == crawled["first"]
    (changed,) = crawled["updated"]
    url = next(t.url for t in crawled["update_truth"] if t.title == changed.title and t.outlet == changed.outlet)
    assert crawled["third"][article_id(url)] == crawled["second"][article_id(url)]


def test_elasticsearch_stores_the_crawl_as_sqlite_does(crawled):
    # Two crawls write in the order their answers come back, and stories depend on the order, so
    # the two stores' groupings may differ at the edges; the same order gives the same stories
    # (tests/test_stories_store.py). The same articles are stored, each with a story.
    assert set(crawled["elastic"]) == set(crawled["first"])
    assert len(partition(crawled["elastic"])) < len(crawled["elastic"])
