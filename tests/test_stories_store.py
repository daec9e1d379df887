"""Stories in the store: the state both stores keep, and the stories the writer makes on each.

The state tests run once per backend (conftest.BACKENDS); the grouping test writes the real
coverage of ../shared/realdata/stories/dev.jsonl through the crawl's writer into SQLite and
into Elasticsearch and asks for the same stories, and for grouping that is much better than
leaving each article alone.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.stories import bcubed, through_the_writer
from index.article import Article, article_id
from index.elastic import ElasticStore
from index.sqlite import SqliteStore
from index.stories import StoryChange, StoryState, story_record

DEV = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "stories" / "dev.jsonl"


def state(story_id: str, keys: list[str], last_day: int | None, merged_into: str | None = None) -> StoryState:
    return StoryState(story_id, {"story": {"id": story_id}, "members": [story_id]}, keys, last_day, merged_into)


def test_the_vocabulary_adds_up_over_batches_and_keeps_each_keys_languages(store):
    store.save_stories(StoryChange(documents=2, vocabulary={"teknf": (2, frozenset({"tr", "en"})),
                                                            "e:erdogan": (1, frozenset({"tr"}))}))
    store.save_stories(StoryChange(documents=1, vocabulary={"e:erdogan": (1, frozenset({"ru"}))}))
    documents, found = store.story_vocabulary(["teknf", "e:erdogan", "absent"])
    assert documents == 3
    assert found == {"teknf": (2, "en tr"), "e:erdogan": (2, "ru tr")}


def test_stories_are_found_by_their_keys_within_the_window_and_not_once_merged(store):
    store.save_stories(StoryChange(stories=[state("a", ["k1", "k2"], 100), state("b", ["k2"], 50),
                                            state("c", ["k3"], None), state("d", ["k1"], 101, merged_into="a")]))
    assert [s.id for s in store.story_candidates(["k1", "k2", "k3"], None)] == ["a", "b", "c"]
    assert [s.id for s in store.story_candidates(["k1", "k2", "k3"], 90)] == ["a", "c"]  # undated stay
    assert store.story_candidates(["k9"], None) == []
    found = store.story_candidates(["k1"], None)[0]
    assert (found.state, sorted(found.keys), found.last_day) == ({"story": {"id": "a"}, "members": ["a"]},
                                                                  ["k1", "k2"], 100)
    store.save_stories(StoryChange(stories=[state("a", ["k4"], 102)]))  # a story's keys are replaced
    assert store.story_candidates(["k1"], None) == [] and store.story_candidates(["k4"], None)[0].last_day == 102


def test_a_merge_moves_the_merged_storys_articles_to_the_survivor(store):
    now = datetime(2024, 5, 1, tzinfo=timezone.utc)
    articles = [Article(url=f"https://x.example/{i}", canonical_url=f"https://x.example/{i}", source="x",
                        title=f"t{i}", body="b", language="en", crawled_at=now, story_id=story)
                for i, story in ((1, "s1"), (2, "s2"), (3, "s2"), (4, "s3"))]
    store.upsert(articles)
    store.save_stories(StoryChange(stories=[state("s2", ["k"], 1, merged_into="s1")], merged={"s2": "s1"}))
    held = {a.id: a.story_id for a in store.get_many(a.id for a in articles).values()}
    assert held == {articles[0].id: "s1", articles[1].id: "s1", articles[2].id: "s1", articles[3].id: "s3"}
    assert (store.story_survivor("s2"), store.story_survivor("s1"), store.story_survivor("zz")) == ("s1", "s1", "zz")
    grouped = store.story_articles(["s1", "s2", "s3"])
    assert sorted(grouped) == ["s1", "s3"] and len(grouped["s1"]) == 3
    record = story_record("s1", grouped["s1"])
    assert record.articles == 3 and record.outlets == ["x"] and record.languages == ["en"]


def dev_rows() -> list[dict]:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted(rows, key=lambda r: (r["date"] or "9999", r["id"]))  # written in publication order


def write_through_the_writer(store, rows: list[dict]) -> dict[str, str | None]:
    """Each dev article through the stages after extraction and the crawl's writer: id -> story id."""
    return through_the_writer(store, rows)


def test_real_coverage_is_grouped_into_the_same_stories_on_both_stores(tmp_path, es_node):
    rows = dev_rows()
    stores = [SqliteStore(str(tmp_path / "s.db")),
              ElasticStore(f"{es_node.url}?index=stories-both", spool=tmp_path / "spool.jsonl")]
    sqlite, elastic = (write_through_the_writer(store, rows) for store in stores)
    assert sqlite == elastic
    listed = [sorted((r.id, r.articles, r.matching, r.outlets, r.languages, sorted(r.article_ids))
                     for r in store.stories("", size=0)[1]) for store in stores]  # ties go by the write time
    assert listed[0] == listed[1] and len(listed[0]) == len({s for s in sqlite.values() if s})
    on_topic = [r for r in rows if sqlite[r["id"]]]
    assert len(on_topic) > 100 and len({sqlite[r["id"]] for r in on_topic}) < len(on_topic) / 2
    alone = bcubed(on_topic, {r["id"]: r["id"] for r in on_topic})["f1"]
    grouped = bcubed(on_topic, sqlite)["f1"]
    assert grouped > alone + 0.3, (grouped, alone)  # every article alone scores 0.44 on the whole file


def test_a_story_id_is_its_first_article_and_writing_again_changes_nothing(tmp_path):
    rows = dev_rows()
    store = SqliteStore(str(tmp_path / "s.db"))
    first = write_through_the_writer(store, rows)
    again = write_through_the_writer(store, rows)  # every article unchanged: nothing written
    assert again == first
    ids = {article_id(r["url"]): r["id"] for r in rows}
    for story in {s for s in first.values() if s}:
        assert story in ids and first[ids[story]] == story  # named after an article it holds


def test_a_copy_joins_its_originals_story(tmp_path):
    rows = dev_rows()[:40]
    store = SqliteStore(str(tmp_path / "s.db"))
    first = write_through_the_writer(store, rows)
    original = next(r for r in rows if first[r["id"]])
    copy = dict(original, id="copy", url=original["url"].rstrip("/") + "-copy/")
    second = write_through_the_writer(store, [copy])
    assert second["copy"] == first[original["id"]]
    assert store.get(article_id(copy["url"])).duplicate_of == article_id(original["url"])


def test_stories_are_listed_most_covered_first_with_their_articles(tmp_path):
    rows = dev_rows()
    store = SqliteStore(str(tmp_path / "s.db"))
    story_of = write_through_the_writer(store, rows)
    total, records = store.stories("", size=0)
    sizes = {}
    for story in story_of.values():
        if story:
            sizes[story] = sizes.get(story, 0) + 1
    assert total == len(sizes) == len(records)
    assert [r.articles for r in records] == sorted(sizes.values(), reverse=True)
    top = records[0]
    assert top.articles == top.matching == len(top.article_ids) == len(top.urls) == max(sizes.values())
    assert len(top.languages) >= 2 and top.first_source in top.outlets and top.headline
    # a query finds a story by any of its articles, and counts only those that match
    word = top.headline.split()[0]
    found_total, found = store.stories(word, size=3)
    assert found and found_total >= len(found) and all(r.matching <= r.articles for r in found)
