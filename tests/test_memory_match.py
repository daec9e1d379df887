"""The in-memory dialect (index/memory.py) matches exactly what each store's search matches.

Alert matching runs queries on the articles just written in memory instead of searching the
store; a query must find the same articles either way. Checked on 173 real articles in four
languages (../shared/realdata/stories/dev.jsonl) plus the contract corpus, for queries of every
shape the language has, with the filters an alert's window uses, on both stores.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from index.article import Article
from index.gazetteer import load_gazetteer
from index.memory import Doc, compile_match, required_terms
from index.query import expand, parse
from index.store import Filters
from monitor.alerts.batch_match import Batch, batch_matches
from tests.test_store_contract import CORPUS

DEV = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "stories" / "dev.jsonl"
QUERIES = [
    "Shusha", "Şuşa", "Шуша", "Erdogan Aliyev", '"Shusha Declaration"', "shusha declaration",
    "TANAP OR pipeline", "Karabakh -Shusha", "title:Aliyev", 'title:"TurAz Falcon"', "lang:ru Эрдоган",
    "source:report.az", "entity:erdogan", "entity:Şuşa -lang:en", "(Baku OR Ankara) visit", "-Azerbaijan",
    "railway Kars", "exercise OR təlim OR учения", "Nakhchivan lang:az", "teknofest", "earthquake",
    "NOT (Erdogan OR Aliyev)", '"two presidents"', "gas -TANAP lang:tr", "absentword", "Aliyev absentword",
]


def dev_articles() -> list[Article]:
    gazetteer = load_gazetteer()
    out = []
    for line in DEV.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = f"{row['title']}\n{row['text']}"
        published = datetime.fromisoformat(row["date"]).replace(tzinfo=timezone.utc) if row["date"] else None
        out.append(Article(url=row["url"], canonical_url=row["url"], source=row["outlet"], title=row["title"],
                           body=row["text"], language=row["lang"], published_at=published,
                           matched=sorted(gazetteer.find(text, row["lang"]))))
    return out


@pytest.fixture(scope="module")
def stored(new_store):
    store = new_store()
    store.upsert(CORPUS + dev_articles())
    return store, [Doc(a) for a in store.scan("")]


WINDOWS = [Filters(), Filters(languages=["tr", "az"]), Filters(sources=["report.az", "azertac"]),
           Filters(include_duplicates=False), Filters(since=datetime(2020, 1, 1, tzinfo=timezone.utc),
                                                      until=datetime(2023, 12, 31, tzinfo=timezone.utc))]


@pytest.mark.parametrize("query", QUERIES)
def test_a_query_finds_the_same_articles_in_memory_as_in_the_store(stored, query):
    store, docs = stored
    node = expand(parse(query))
    middle = sorted(d.article.seq for d in docs)[len(docs) // 2]
    for filters in [*WINDOWS, Filters(after_seq=middle)]:
        compiled = compile_match(node, filters)
        in_memory = {d.article.id for d in docs if compiled.matches(d)}
        found = store.search(query, filters, facets=(), size=100, sort="date")
        ids = ({h.article.id for h in found.hits} if found.total <= 100 else
               {a.id for a in store.scan(query, filters)})  # one request where a page holds them
        assert in_memory == ids and len(ids) == found.total, (query, filters)
        required = compiled.required
        # the prefilter never drops a match: every match holds one of the terms it requires
        assert required is None or all(not required.isdisjoint(d.words) for d in docs if d.article.id in in_memory)


def test_the_real_queries_match_something_and_leave_something():
    # the differential test above is only as good as its queries: most must split the articles
    assert sum(required_terms(expand(parse(q))) is not None for q in QUERIES) >= 20


@pytest.mark.parametrize("query", QUERIES)
def test_the_batch_of_a_round_matches_what_each_article_matches_alone(stored, query):
    # alerts are matched a round at a time: each word's articles found once, an alert's query the
    # AND / OR / NOT of those sets (monitor/alerts/batch_match.py); the same articles as one by one
    _, docs = stored
    node = expand(parse(query))
    batch = Batch(docs)
    middle = sorted(d.article.seq for d in docs)[len(docs) // 2]
    for filters in [*WINDOWS, Filters(after_seq=middle)]:
        one_by_one = [d.article.id for d in sorted(docs, key=lambda d: d.article.seq)
                      if compile_match(node, filters).matches(d)]
        assert [a.id for a in batch.articles(batch_matches(batch, node, filters))] == one_by_one, (query, filters)
