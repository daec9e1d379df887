"""The story state in Elasticsearch: a stories index and a vocabulary index beside the articles' alias.

Every machine writing into the cluster reads and writes the same state, so they group into
the same stories. The vocabulary is read and written back whole per batch (no scripted
increments: a batch's 2,000 keys would cost a script run each); two machines writing the same
key in the same moment lose one of the two counts, which moves an IDF by a hair, never a story.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Collection

from elasticsearch import ApiError, Elasticsearch, helpers

from index.article import Article
from index.elastic.client import RETRY_STATUS
from index.elastic.dsl import filtered_query
from index.elastic.mapping import side_settings, to_article
from index.query import Node
from index.store import Filters
from index.stories import CANDIDATES, StoryChange, StoryState, merge_languages

DOCUMENTS = "#documents"  # the vocabulary's count of articles (no key starts with '#')
STORIES_MAPPING = {"properties": {
    "state": {"type": "keyword", "index": False, "doc_values": False},
    "id": {"type": "keyword"}, "keys": {"type": "keyword"}, "last_day": {"type": "integer"}, "merged_into": {"type": "keyword"}}}
VOCABULARY_MAPPING = {"properties": {"n": {"type": "long"}, "langs": {"type": "keyword", "index": False}}}


def _answering(method):
    """A cluster that stops answering mid-call is StoreUnavailable (ElasticCoordination._coordinating),
    which the writer meets as it meets a cluster away before the call: the articles are spooled."""
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        with self._coordinating():
            return method(self, *args, **kwargs)
    return call


class ElasticStories:
    """Story state of ElasticStore (a mixin: the store brings `es`, `alias`, `_require`, `_coordinating`)."""

    es: Elasticsearch
    alias: str
    settings: dict

    @property
    def stories_index(self) -> str:
        return f"{self.alias}-stories"

    @property
    def vocabulary_index(self) -> str:
        return f"{self.alias}-story-vocabulary"

    def _ensure_story_indices(self) -> None:
        self._require()
        for name, mappings in ((self.stories_index, STORIES_MAPPING), (self.vocabulary_index, VOCABULARY_MAPPING)):
            if not self.es.indices.exists(index=name):
                try:
                    self.es.indices.create(index=name, mappings=mappings, settings=side_settings(self.settings))
                except ApiError as exc:
                    if exc.meta.status != 400:  # 400: made by another process in between
                        raise

    @_answering
    def story_vocabulary(self, keys: Collection[str]) -> tuple[int, dict[str, tuple[int, str]]]:
        self._ensure_story_indices()
        found = self._vocabulary_rows([DOCUMENTS, *sorted(keys)])
        documents = found.pop(DOCUMENTS, (0, ""))[0]
        return documents, found

    def _vocabulary_rows(self, ids: list[str]) -> dict[str, tuple[int, str]]:
        found: dict[str, tuple[int, str]] = {}
        for start in range(0, len(ids), 1000):
            res = self.es.mget(index=self.vocabulary_index, ids=ids[start:start + 1000])
            for doc in res["docs"]:
                if doc.get("found"):
                    found[doc["_id"]] = (doc["_source"]["n"], doc["_source"].get("langs", ""))
        return found

    @_answering
    def story_candidates(self, keys: Collection[str], since_day: int | None) -> list[StoryState]:
        self._ensure_story_indices()
        if not keys:
            return []
        query: dict = {"bool": {"filter": [{"terms": {"keys": sorted(keys)}}],
                                "must_not": [{"exists": {"field": "merged_into"}}]}}
        if since_day is not None:
            query["bool"]["filter"].append({"bool": {"should": [
                {"range": {"last_day": {"gte": since_day}}},
                {"bool": {"must_not": {"exists": {"field": "last_day"}}}}]}})
        res = self.es.search(index=self.stories_index, query=query, size=CANDIDATES,
                             sort=[{"last_day": {"order": "desc", "missing": "_last"}}, {"id": "asc"}])
        return [StoryState(h["_id"], json.loads(h["_source"]["state"]), h["_source"]["keys"],
                           h["_source"].get("last_day"), h["_source"].get("merged_into"))
                for h in res["hits"]["hits"]]

    @_answering
    def save_stories(self, change: StoryChange) -> None:
        if not change:
            return
        self._ensure_story_indices()
        have = self._vocabulary_rows([DOCUMENTS, *sorted(change.vocabulary)])
        documents = have.get(DOCUMENTS, (0, ""))[0] + change.documents
        actions = [{"_index": self.vocabulary_index, "_id": DOCUMENTS, "_source": {"n": documents, "langs": ""}}]
        for key, (n, langs) in change.vocabulary.items():
            before, known = have.get(key, (0, ""))
            actions.append({"_index": self.vocabulary_index, "_id": key,
                            "_source": {"n": before + n, "langs": merge_languages(known, langs)}})
        for story in change.stories:
            source = {"id": story.id, "state": json.dumps(story.state, ensure_ascii=False), "keys": story.keys,
                      "last_day": story.last_day}
            if story.merged_into:
                source["merged_into"] = story.merged_into
            actions.append({"_index": self.stories_index, "_id": story.id, "_source": source})
        helpers.bulk(self.es, actions, refresh=True, max_retries=5, retry_on_status=RETRY_STATUS)
        if change.merged:
            self._move_articles(change.merged)

    def _move_articles(self, merged: dict[str, str]) -> None:
        """A merged story's articles into its survivor, by partial updates (update_by_query lives in
        the reindex module, which a minimal node leaves out)."""
        hits = helpers.scan(self.es, index=self.alias, query={"query": {"terms": {"story_id": sorted(merged)}}},
                            size=1000, _source=["story_id"])
        moves = [{"_op_type": "update", "_index": h["_index"], "_id": h["_id"],
                  "doc": {"story_id": merged[h["_source"]["story_id"]]}} for h in hits]
        if moves:
            helpers.bulk(self.es, moves, refresh=True, max_retries=5, retry_on_status=RETRY_STATUS)

    @_answering
    def _story_counts(self, node: Node, filters: Filters, size: int) -> tuple[int, list[tuple[str, int]]]:
        """(stories with a matching article, [(story id, matching articles)] most first, at most `size`)."""
        self._require()
        res = self.es.search(index=self.alias, query=filtered_query(node, filters), size=0, aggs={
            "stories": {"terms": {"field": "story_id", "size": size, "order": [{"_count": "desc"}, {"_key": "asc"}]}},
            "count": {"cardinality": {"field": "story_id", "precision_threshold": 40000}}})
        buckets = res["aggregations"]["stories"]["buckets"]
        return res["aggregations"]["count"]["value"], [(b["key"], b["doc_count"]) for b in buckets]

    @_answering
    def story_survivor(self, story_id: str) -> str:
        """The story a merged story went into (through every later merge); the id itself otherwise."""
        self._ensure_story_indices()
        for _ in range(100):  # a chain of merges is short; the bound keeps damaged state from looping
            found = self.es.options(ignore_status=404).get(index=self.stories_index, id=story_id,
                                                           source_includes=["merged_into"])
            survivor = found.get("_source", {}).get("merged_into") if found.get("found") else None
            if not survivor:
                break
            story_id = survivor
        return story_id

    @_answering
    def story_headlines(self, story_ids: Collection[str]) -> dict[str, str]:
        """Each story's headline: its first article's title (first seen first, then by id), one per collapsed group."""
        self._require()
        if not story_ids:
            return {}
        res = self.es.search(index=self.alias, query={"terms": {"story_id": sorted(story_ids)}}, size=len(story_ids),
                             collapse={"field": "story_id"}, source_includes=["story_id", "title"],
                             sort=[{"first_seen_at": {"order": "asc", "missing": "_last"}}, {"id": "asc"}])
        return {h["_source"]["story_id"]: h["_source"].get("title") or "" for h in res["hits"]["hits"]}

    @_answering
    def story_articles(self, story_ids: Collection[str]) -> dict[str, list[Article]]:
        """Each story's articles (a story merged away has none)."""
        self._require()
        found: dict[str, list[Article]] = {}
        if not story_ids:
            return found
        hits = helpers.scan(self.es, index=self.alias, query={"query": {"terms": {"story_id": sorted(story_ids)}}},
                            size=1000, _source_excludes=["title_terms", "body_terms", "bands"])
        for hit in hits:
            article = to_article(hit["_source"])
            found.setdefault(article.story_id, []).append(article)
        return found
