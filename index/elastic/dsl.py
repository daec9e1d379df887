"""Query DSL for Elasticsearch: a query AST and the request's filters as one search body, and its answer read back."""
from __future__ import annotations

from index.dialect import evaluate, filter_parts
from index.elastic.mapping import INDEX_ONLY, to_article
from index.query import Node, Term, positive_terms
from index.analysis import STEMMED_LANGUAGES
from index.store import FACET_SIZE, Filters, RawResult

INTERVAL = {"day": "day", "week": "week", "month": "month", "year": "year"}
# article fields as the index names them (the matched entities are `matched`)
FIELDS = {"language": "language", "source": "source", "entity": "matched", "story": "story_id"}


class QueryDsl:
    """The Elasticsearch dialect (index/dialect.py): the twin of the SQLite compiler."""

    def match_all(self) -> dict:
        return {"match_all": {}}

    def term(self, leaf: Term) -> dict:
        fields = ["title_terms"] if leaf.field == "title" else ["title_terms", "body_terms"]
        should = []
        for seq in sorted(leaf.sequences):
            for field in fields:
                if len(seq) == 1:
                    should.append({"term": {field: seq[0]}})
                else:
                    should.append({"match_phrase": {field: " ".join(seq)}})
        return {"bool": {"should": should, "minimum_should_match": 1}} if should else {"match_none": {}}

    def field(self, name: str, values) -> dict:
        # scores 0, as on SQLite: an article that matched only through a filter is no better a match
        return {"constant_score": {"filter": {"terms": {FIELDS[name]: list(values)}}, "boost": 0.0}}

    def negate(self, inner: dict) -> dict:
        return {"bool": {"must_not": [inner]}}

    def all_of(self, parts: list[dict]) -> dict:
        return {"bool": {"must": parts}}

    def any_of(self, parts: list[dict]) -> dict:
        return {"bool": {"should": parts, "minimum_should_match": 1}}

    def published_between(self, since: str | None, until: str | None) -> dict:
        span = {}
        if since is not None:
            span["gte"] = since
        if until is not None:
            span["lte"] = until
        return {"range": {"published_at": span}}

    def originals(self) -> dict:
        return {"bool": {"must_not": [{"exists": {"field": "duplicate_of"}}]}}

    def written_after(self, seq: int) -> dict:
        return {"range": {"seq": {"gt": seq}}}


def compile_query(node: Node) -> dict:
    """Elasticsearch query DSL for a query AST."""
    return evaluate(node, QueryDsl())


def filtered_query(node: Node, filters: Filters) -> dict:
    """The query AST as a scoring `must`, the request's filters as non-scoring `filter` clauses."""
    return {"bool": {"must": [compile_query(node)], "filter": filter_parts(filters, QueryDsl())}}


def request(node: Node, filters: Filters, facets: tuple[str, ...], interval: str,
            offset: int, size: int, sort: str) -> dict:
    """The search request body for an expanded query (shared by search and search_many)."""
    aggs = {}
    for name in facets:
        if name == "date":
            aggs[name] = {"date_histogram": {"field": "published_at", "calendar_interval": INTERVAL[interval],
                                             "format": "yyyy-MM-dd", "min_doc_count": 1}}
        else:
            aggs[name] = {"terms": {"field": FIELDS[name], "size": FACET_SIZE,
                                    "order": [{"_count": "desc"}, {"_key": "asc"}]}}
    body = {"query": filtered_query(node, filters), "from": offset, "size": size, "sort": order_of(sort),
            "track_total_hits": True, "_source": {"excludes": list(INDEX_ONLY)}}
    if aggs:
        body["aggs"] = aggs
    return body


def per_language(node: Node, filters: Filters, size: int) -> tuple[list[Term], list[dict]]:
    """The query's words, and one search for each language's best `size` matches (index/ranking.py),
    each hit told which words its title holds (named queries `t0`, `t1`…, scoring nothing)."""
    words = list(dict.fromkeys(positive_terms(node)))
    named = [{"bool": {**QueryDsl().term(Term(w.text, "title", w.sequences))["bool"], "_name": f"t{i}"}}
             if w.sequences else {"match_none": {"_name": f"t{i}"}} for i, w in enumerate(words)]
    stemmed = list(STEMMED_LANGUAGES)  # each its own collection, the rest one more (ranking.language_group)
    searches = []
    for group in [*stemmed, ""]:
        query = filtered_query(node, filters)
        if group:
            query["bool"]["filter"].append({"term": {"language": group}})
        else:
            query["bool"]["must_not"] = [{"terms": {"language": stemmed}}]
        query["bool"]["should"] = [{"constant_score": {"filter": q, "boost": 0.0}} for q in named]
        searches.append({"query": query, "size": size, "sort": order_of("relevance"), "track_total_hits": False,
                         "_source": {"excludes": list(INDEX_ONLY)}})
    return words, searches


def order_of(sort: str) -> list[dict]:
    """The hits' order: score (for relevance), newest published first (undated last), then id."""
    by_date = [{"published_at": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
    return ([{"_score": "desc"}] if sort == "relevance" else []) + by_date


def answer(res, facets: tuple[str, ...]) -> RawResult:
    """A search answer as (total, [(article, score)], facets)."""
    hits = [(to_article(h["_source"]), float(h.get("_score") or 0.0)) for h in res["hits"]["hits"]]
    found = {name: [(b.get("key_as_string") or b["key"], b["doc_count"]) for b in res["aggregations"][name]["buckets"]]
             for name in facets}
    total = res["hits"].get("total")
    return (total["value"] if total else 0), hits, found
