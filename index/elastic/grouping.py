"""Search hits grouped by story on Elasticsearch (index/grouping.py), in two msearch round trips.

`collapse` on story_id gives each story's best hit; a document without a story_id would fall into
one null group, so the lone articles are a second search, merged with the first in the search's
order. The groups are counted by a cardinality aggregation (exact in practice below 40,000 stories, an estimate above) plus the
lone articles; then one aggregation over the page's stories gives their matching articles per language.
"""
from __future__ import annotations

import copy

from elasticsearch import Elasticsearch

from index.elastic.client import raise_for_error
from index.elastic.dsl import answer, filtered_query, order_of
from index.elastic.mapping import INDEX_ONLY
from index.grouping import more_of, order_key
from index.query import Node
from index.store import Filters, GroupedResult

HAS_STORY = {"exists": {"field": "story_id"}}


class ElasticGrouping:
    """Grouped search of ElasticStore (a mixin: the store brings `es`, `alias` and `_require`)."""

    es: Elasticsearch
    alias: str

    def _grouped(self, node: Node, filters: Filters, offset: int, size: int, sort: str) -> GroupedResult:
        self._require()
        query = filtered_query(node, filters)
        in_story, alone = copy.deepcopy(query), copy.deepcopy(query)
        in_story["bool"]["filter"].append(HAS_STORY)
        alone["bool"]["must_not"] = [HAS_STORY]
        want = offset + size
        page = {"size": want, "sort": order_of(sort), "_source": {"excludes": list(INDEX_ONLY)}}
        header = {"index": self.alias}
        searches = [header, {**page, "query": in_story, "collapse": {"field": "story_id"}, "track_total_hits": False},
                    header, {**page, "query": alone, "track_total_hits": True},
                    header, {"query": in_story, "size": 0, "aggs": {"stories": {
                        "cardinality": {"field": "story_id", "precision_threshold": 40000}}}}]
        responses = self.es.msearch(searches=searches)["responses"]
        for res in responses:
            raise_for_error(res, "a grouped search")
        stories, lone, counted = responses
        ranked = answer(stories, ())[1] + answer(lone, ())[1]
        ranked.sort(key=lambda hit: order_key(hit[0], hit[1], sort))
        ranked = ranked[offset:want]
        groups = counted["aggregations"]["stories"]["value"] + lone["hits"]["total"]["value"]
        more = self._more(in_story, [a.story_id for a, _ in ranked if a.story_id])
        return groups, [(a, score, *(more_of(a, *more[a.story_id]) if a.story_id in more else (0, [])))
                        for a, score in ranked]

    def _more(self, in_story: dict, story_ids: list[str]) -> dict[str, tuple[int, dict[str, int]]]:
        """Per story of the page: (its matching articles, how many in each language)."""
        if not story_ids:
            return {}
        query = copy.deepcopy(in_story)
        query["bool"]["filter"].append({"terms": {"story_id": story_ids}})
        res = self.es.search(index=self.alias, query=query, size=0, aggs={"stories": {
            "terms": {"field": "story_id", "size": len(story_ids)},
            "aggs": {"languages": {"terms": {"field": "language", "size": 100}}}}})
        return {b["key"]: (b["doc_count"], {lang["key"]: lang["doc_count"] for lang in b["languages"]["buckets"]})
                for b in res["aggregations"]["stories"]["buckets"]}
