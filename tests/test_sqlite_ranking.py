"""SQLite ranks a broad query in two halves at once: the pages must be exactly the unsplit ones."""
from __future__ import annotations

import random

import pytest

from index.sqlite import search as sqlite_search
from index.article import Article
from index.sqlite import SqliteStore

WORDS = "Shusha Baku Ankara Erdogan Aliyev TANAP gas pipeline talks visit deal trade energy".split()


@pytest.fixture()
def store(tmp_path):
    rng = random.Random(3)
    store = SqliteStore(tmp_path / "rank.db")
    store.upsert([Article(url=f"https://a.az/{i}", canonical_url=f"https://a.az/{i}", source=f"s{i % 3}",
                          title=" ".join(rng.choices(WORDS, k=4)), body=" ".join(rng.choices(WORDS, k=rng.randint(5, 40))),
                          language="en") for i in range(400)])
    yield store
    store.close()


@pytest.mark.parametrize("query", ["Shusha", "TANAP OR Baku", "gas -Erdogan", "title:Aliyev"])
def test_split_ranking_gives_the_same_pages(store, monkeypatch, query):
    def pages(store):
        return [[(h.article.id, round(h.score, 9)) for h in store.search(query, page=p, size=20).hits] for p in (1, 2, 4)]

    monkeypatch.setattr(sqlite_search, "SPLIT_RANKING_AT", 10**9)
    whole = pages(store)
    monkeypatch.setattr(sqlite_search, "SPLIT_RANKING_AT", 1)
    with SqliteStore(store.path) as again:  # a store of its own: the first keeps its answers per generation
        split = pages(again)
        assert again._rank_pool is not None  # the split path ran
    assert whole == split and whole[0] and whole[1]
