"""Searches on Elasticsearch: a page and its facets in one msearch, alert batches, scans, coverage."""
from __future__ import annotations

from collections.abc import Iterator

from elasticsearch import Elasticsearch, helpers

from index.article import Article
from index.elastic.client import raise_for_error
from index.elastic.dsl import answer, filtered_query, per_language, request
from index.elastic.mapping import INDEX_ONLY, to_article
from index.highlight import highlight
from index.grouping import order_key
from index.query import Node, QueryError, expand, parse, positive_terms
from index.ranking import Candidate, fair_order, title_share
from index.store import MAX_WINDOW, Filters, Hit, RawResult, SearchResult, check_search

# searches per msearch request when matching alerts
BATCH = 50


class ElasticQueries:
    """The reads of a query of ElasticStore (a mixin: the store brings `es`, `alias` and `_require`)."""

    es: Elasticsearch
    alias: str

    def _search(self, node: Node, filters: Filters, facets: tuple[str, ...], interval: str,
                offset: int, size: int, sort: str) -> RawResult:
        self._require()
        body = request(node, filters, facets, interval, offset, size, sort)
        if sort == "relevance" and size and positive_terms(node):
            return self._fair(node, filters, facets, body, offset, size)
        if not facets:
            body["from_"] = body.pop("from")
            body["source"] = body.pop("_source")
            return answer(self.es.search(index=self.alias, **body), facets)
        # Two searches in one msearch, which Elasticsearch runs at once: the page (no exact
        # total, so the top hits can skip non-competitive documents) and the count with facets
        # (size 0, so the shard request cache keeps it until the index next changes).
        page = {k: v for k, v in body.items() if k != "aggs"} | {"track_total_hits": False}
        counts = {"query": body["query"], "size": 0, "track_total_hits": True, "aggs": body["aggs"]}
        header = {"index": self.alias}
        hits, totals = self.es.msearch(searches=[header, page, header, counts])["responses"]
        for res in (hits, totals):
            raise_for_error(res, "a search")
        _, ranked, _ = answer(hits, ())
        total, _, found = answer(totals, facets)
        return total, ranked, found

    def _fair(self, node: Node, filters: Filters, facets: tuple[str, ...], body: dict, offset: int,
              size: int) -> RawResult:
        """A page in fair order (index/ranking.py): each language's best matches, normalised and merged.

        One msearch: a search per language and the count with facets, all run at once.
        """
        want = offset + size
        # each language's best, with room for a title match ranked low by BM25 (within the index's window)
        words, searches = per_language(node, filters, min(want * 2 + 20, MAX_WINDOW))
        counts = {"query": body["query"], "size": 0, "track_total_hits": True} | (
            {"aggs": body["aggs"]} if "aggs" in body else {})
        header = {"index": self.alias}
        responses = self.es.msearch(searches=[part for search in [*searches, counts]
                                              for part in (header, search)])["responses"]
        for res in responses:
            raise_for_error(res, "a search")
        candidates, articles = [], {}
        for res in responses[:-1]:
            for hit in res["hits"]["hits"]:
                article = to_article(hit["_source"])
                named = set(hit.get("matched_queries") or ())
                share = title_share(node, {w: f"t{i}" in named for i, w in enumerate(words)})
                articles[article.id] = article
                candidates.append(Candidate(article.id, article.language, float(hit.get("_score") or 0.0),
                                            share or 0.0, order_key(article, 0.0, "date")))
        total, _, found = answer(responses[-1], facets)
        page = [(articles[c.key], score) for c, score in fair_order(candidates)[offset:want]]
        return total, page, found

    def search_many(self, requests, size: int = 10, sort: str = "relevance"):
        """One msearch per 50 searches: a round of alert matching costs a few requests, not one per alert."""
        self._require()
        check_search((), "month", 1, size, sort)
        out: list = [None] * len(requests)
        bodies = []
        for i, (query, filters) in enumerate(requests):
            try:
                node = expand(parse(query))
            except QueryError as exc:
                out[i] = exc
                continue
            bodies.append((i, node, request(node, filters or Filters(), (), "month", 0, size, sort)))
        for start in range(0, len(bodies), BATCH):
            chunk = bodies[start:start + BATCH]
            searches = [part for _, _, body in chunk for part in ({"index": self.alias}, body)]
            answers = self.es.msearch(searches=searches)["responses"]
            for (i, node, _), res in zip(chunk, answers):
                raise_for_error(res, f"search {i} of a batch")
                total, ranked, _ = answer(res, ())
                out[i] = SearchResult(total=total, hits=[Hit(a, score, highlight(a, node)) for a, score in ranked],
                                      facets={}, page=1, size=size)
        return out

    def _scan(self, node: Node, filters: Filters) -> Iterator[Article]:
        self._require()
        # a point-in-time scroll: every match, however many, in batches
        for h in helpers.scan(self.es, index=self.alias, size=500,
                              query={"query": filtered_query(node, filters),
                                     "_source": {"excludes": list(INDEX_ONLY)}}):
            yield to_article(h["_source"])

    def coverage(self, since=None, until=None, sources=()) -> list[tuple[str, str, int]]:
        self._require()
        filters: list[dict] = [{"exists": {"field": "crawled_at"}}]
        span = {}
        if since is not None:
            span["gte"] = since.isoformat()
        if until is not None:
            span["lte"] = f"{until.isoformat()}T23:59:59Z"
        if span:
            filters.append({"range": {"crawled_at": span}})
        if sources:
            filters.append({"terms": {"source": list(sources)}})
        aggs = {"days": {"date_histogram": {"field": "crawled_at", "calendar_interval": "day", "format": "yyyy-MM-dd",
                                            "min_doc_count": 1},
                         "aggs": {"sources": {"terms": {"field": "source", "size": 10_000}}}}}
        res = self.es.search(index=self.alias, size=0, query={"bool": {"filter": filters}}, aggs=aggs)
        return sorted((day["key_as_string"], b["key"], b["doc_count"])
                      for day in res["aggregations"]["days"]["buckets"] for b in day["sources"]["buckets"])
