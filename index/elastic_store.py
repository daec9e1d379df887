"""The scale store: Elasticsearch, holding newsmon's own analysed terms.

Elasticsearch only splits the pre-analysed term strings at whitespace (newsmon's Python
analysis did the linguistics), so it matches exactly the articles the SQLite store matches.
Writes that fail because the cluster is away go to a durable local spool and are replayed,
in order, before the next write or when the store is opened again.
"""
from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from elasticsearch import ApiError, ConnectionError as ESConnectionError, Elasticsearch, helpers

from index.analysis import index_text
from index.article import Article, iso, signature_bands
from index.query import And, Filter, MatchAll, Node, Not, Or, Term
from index.store import FACET_SIZE, Filters, RawResult, Store, StoreUnavailable

ALIAS = "newsmon-articles"
TEMPLATE = "newsmon-articles"
FILTER_FIELDS = {"lang": "language", "source": "source", "entity": "matched"}
KEYWORDS = ("id", "url", "canonical_url", "source", "source_country", "authors", "language", "matched",
            "content_hash", "duplicate_of", "tags", "sitename", "date_source", "date_flags", "bands")

MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        **{name: {"type": "keyword"} for name in KEYWORDS},
        # original text, for display and for Kibana users (standard analyser)
        "title": {"type": "text"},
        "body": {"type": "text"},
        # newsmon's analysed terms: what queries match
        "title_terms": {"type": "text", "analyzer": "whitespace", "similarity": "BM25"},
        "body_terms": {"type": "text", "analyzer": "whitespace", "similarity": "BM25"},
        "published_at": {"type": "date"},
        "modified_at": {"type": "date"},
        "crawled_at": {"type": "date"},
        "language_confidence": {"type": "float"},
        "relevance": {"type": "float"},
        "signature": {"type": "long", "index": False, "doc_values": False},
    },
}
SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "1s"}
INTERVAL = {"day": "day", "week": "week", "month": "month", "year": "year"}
# Fields only for matching and dedup: searches leave them out of the hits (they double the payload).
INDEX_ONLY = ("title_terms", "body_terms", "bands")
# Transient answers worth retrying; anything else is a real error in the request.
RETRY_STATUS = (429, 502, 503, 504)


class ElasticUnavailable(StoreUnavailable):
    """The cluster did not answer; the message says where and why."""


class ClusterAway(Exception):
    """Writes were refused for a passing reason (down, overloaded): spool and retry later."""


def is_away(exc: BaseException) -> bool:
    """True for errors that mean 'try again later', not 'this request is wrong'."""
    if isinstance(exc, (ESConnectionError, ClusterAway, StoreUnavailable)):
        return True
    return isinstance(exc, ApiError) and (exc.meta.status in RETRY_STATUS or exc.meta.status >= 500)


def client_for(url: str, basic_auth: tuple[str, str] | None = None, api_key: str | None = None,
               ca_certs: str | None = None) -> Elasticsearch:
    """A client from a URL and the credentials the caller passes (user:password in the URL wins)."""
    parts = urlsplit(url)
    options: dict = {"retry_on_status": RETRY_STATUS, "max_retries": 3, "retry_on_timeout": True,
                     "request_timeout": 30}
    host = f"{parts.scheme}://{parts.hostname}:{parts.port or 9200}{parts.path.rstrip('/')}"
    if parts.username:
        options["basic_auth"] = (parts.username, parts.password or "")
    elif basic_auth:
        options["basic_auth"] = tuple(basic_auth)
    if api_key:
        options["api_key"] = api_key
    if ca_certs:
        options["ca_certs"] = ca_certs
    return Elasticsearch(host, **options)


class ElasticStore(Store):
    """Articles in an Elasticsearch index behind the `newsmon-articles` alias."""

    def __init__(self, url: str, spool: str | Path | None = None, alias: str | None = None,
                 basic_auth: tuple[str, str] | None = None, api_key: str | None = None,
                 ca_certs: str | None = None):
        """`spool` is the file where writes wait while the cluster is away; without one such
        writes fail with ElasticUnavailable (the application passes its configured path)."""
        self.url = url
        # `?index=name` in the URL lets several newsmon deployments (or tests) share a cluster
        self.alias = alias or parse_qs(urlsplit(url).query).get("index", [ALIAS])[0]
        self.es = client_for(url, basic_auth=basic_auth, api_key=api_key, ca_certs=ca_certs)
        self.spool = Path(spool) if spool else None
        self._lock = threading.RLock()
        self._ready = False
        try:
            self.ensure_index()
            self.replay_spool()
        except Exception as exc:
            if not is_away(exc):
                raise
            # writes spool until the cluster is back; reads will say it is away

    # --- index management --------------------------------------------------------------
    def ensure_index(self) -> None:
        """Create the template and the first versioned index behind the alias, once."""
        if self._ready:
            return
        self.es.indices.put_index_template(
            name=TEMPLATE, index_patterns=[f"{self.alias}_v*"],
            template={"settings": SETTINGS, "mappings": MAPPINGS}, priority=100,
        )
        if not self.es.indices.exists_alias(name=self.alias):
            first = f"{self.alias}_v1"
            if not self.es.indices.exists(index=first):
                self.es.indices.create(index=first)
            self.es.indices.put_alias(index=first, name=self.alias)
        self._ready = True

    def current_index(self) -> str:
        return next(iter(self.es.indices.get_alias(name=self.alias)))

    def migrate(self) -> tuple[str, str, int]:
        """Copy everything into the next versioned index and switch the alias atomically."""
        self._require()
        old = self.current_index()
        new = f"{self.alias}_v{int(old.rsplit('_v', 1)[1]) + 1}"
        self.es.indices.create(index=new)
        # helpers.reindex's scan + bulk, written out: the helper first asks the data-stream
        # API, which minimal distributions (the test node) answer with 405.
        hits = helpers.scan(self.es, index=old, query={"query": {"match_all": {}}}, size=1000)
        helpers.bulk(self.es, ({"_index": new, "_id": h["_id"], "_source": h["_source"]} for h in hits),
                     chunk_size=1000, max_retries=5, retry_on_status=RETRY_STATUS)
        self.es.indices.refresh(index=new)
        # one request: readers see the old index or the new one, never neither
        self.es.indices.update_aliases(actions=[
            {"remove": {"index": old, "alias": self.alias}},
            {"add": {"index": new, "alias": self.alias}},
        ])
        return old, new, self.es.count(index=new)["count"]

    # --- writes ------------------------------------------------------------------------
    def upsert(self, articles: Iterable[Article]) -> int:
        docs = [_doc(a) for a in articles]
        with self._lock:
            try:
                self.ensure_index()
                self.replay_spool()
                self._bulk(docs)
            except Exception as exc:
                if not is_away(exc):
                    raise
                self._spool(docs)
        return len(docs)

    def _bulk(self, docs: list[dict]) -> None:
        if not docs:
            return
        actions = ({"_index": self.alias, "_id": d["id"], "_source": d} for d in docs)
        for ok, info in helpers.streaming_bulk(self.es, actions, chunk_size=500, max_retries=5,
                                               initial_backoff=0.5, max_backoff=10,
                                               retry_on_status=RETRY_STATUS, raise_on_error=False):
            if not ok:
                status = next(iter(info.values())).get("status", 0)
                if status in RETRY_STATUS or status >= 500:
                    raise ClusterAway(f"bulk write refused with {status}")
                raise ValueError(f"Elasticsearch rejected an article: {json.dumps(info)[:500]}")
        self.es.indices.refresh(index=self.alias)

    def _spool(self, docs: list[dict]) -> None:
        if self.spool is None:
            raise ElasticUnavailable(f"Elasticsearch at {self.url} is not answering and this store has no "
                                     f"spool: {len(docs)} article(s) not written")
        self.spool.parent.mkdir(parents=True, exist_ok=True)
        with open(self.spool, "a", encoding="utf-8") as fh:
            for d in docs:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def spooled(self) -> list[dict]:
        """Documents waiting in the spool, oldest first."""
        if self.spool is None or not self.spool.exists():
            return []
        with open(self.spool, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]

    def replay_spool(self) -> int:
        """Send spooled documents in order; the spool is emptied only after they are written."""
        self._require()
        docs = self.spooled()
        if docs:
            self._bulk(docs)
            self.spool.unlink()
        return len(docs)

    # --- reads -------------------------------------------------------------------------
    def get(self, article_id: str) -> Article | None:
        self._require()
        found = self.es.options(ignore_status=404).get(index=self.alias, id=article_id)
        return _article(found["_source"]) if found.get("found") else None

    def count(self) -> int:
        self._require()
        return self.es.count(index=self.alias)["count"]

    def duplicate_candidates(self, content_hash: str, signature: list[int]) -> list[Article]:
        bands = signature_bands(signature)
        should = [{"terms": {"bands": bands}}] if bands else []
        if content_hash:
            should.append({"term": {"content_hash": content_hash}})
        if not should:
            return []
        # waiting documents count too, so a copy is linked even while the cluster is away
        pending = [_article(d) for d in self.spooled()
                   if d["content_hash"] == content_hash or set(d.get("bands", [])) & set(bands)]
        try:
            self._require()
            res = self.es.search(index=self.alias, query={"bool": {"should": should, "minimum_should_match": 1}},
                                 size=1000, sort=[{"crawled_at": {"order": "asc", "missing": "_last"}}, {"id": "asc"}])
        except Exception as exc:
            if not (isinstance(exc, ElasticUnavailable) or is_away(exc)):
                raise
            return pending
        return [_article(h["_source"]) for h in res["hits"]["hits"]] + pending

    def stats(self) -> dict:
        self._require()
        aggs = {
            "by_language": {"terms": {"field": "language", "size": 100}},
            "by_source": {"terms": {"field": "source", "size": 1000}},
            "duplicates": {"filter": {"exists": {"field": "duplicate_of"}}},
            "first": {"min": {"field": "published_at"}}, "last": {"max": {"field": "published_at"}},
            "crawled": {"max": {"field": "crawled_at"}},
        }
        res = self.es.search(index=self.alias, size=0, aggs=aggs, track_total_hits=True)
        a = res["aggregations"]
        return {
            "total": res["hits"]["total"]["value"],
            "by_language": {b["key"]: b["doc_count"] for b in a["by_language"]["buckets"]},
            "by_source": {b["key"]: b["doc_count"] for b in a["by_source"]["buckets"]},
            "duplicates": a["duplicates"]["doc_count"],
            "first_published": _epoch_iso(a["first"]), "last_published": _epoch_iso(a["last"]),
            "last_crawled": _epoch_iso(a["crawled"]), "spooled": len(self.spooled()),
            "index": self.current_index(),
        }

    def close(self) -> None:
        self.es.close()

    def _require(self) -> None:
        try:
            self.ensure_index()
        except Exception as exc:
            if not is_away(exc):
                raise
            raise ElasticUnavailable(
                f"Elasticsearch at {self.url} is not answering ({type(exc).__name__})"
                + (f"; articles written meanwhile wait in {self.spool}" if self.spool else "")) from None

    def _search(self, node: Node, filters: Filters, facets: tuple[str, ...], interval: str,
                offset: int, size: int, sort: str) -> RawResult:
        self._require()
        query = {"bool": {"must": [compile_query(node)], "filter": _filters(filters)}}
        aggs = {}
        for name in facets:
            if name == "date":
                aggs[name] = {"date_histogram": {"field": "published_at", "calendar_interval": INTERVAL[interval],
                                                 "format": "yyyy-MM-dd", "min_doc_count": 1}}
            else:
                field = {"language": "language", "source": "source", "entity": "matched"}[name]
                aggs[name] = {"terms": {"field": field, "size": FACET_SIZE,
                                        "order": [{"_count": "desc"}, {"_key": "asc"}]}}
        by_date = [{"published_at": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
        order = ([{"_score": "desc"}] if sort == "relevance" else []) + by_date
        res = self.es.search(index=self.alias, query=query, aggs=aggs or None, from_=offset, size=size,
                             source_excludes=list(INDEX_ONLY),
                             sort=order, track_total_hits=True)
        hits = [(_article(h["_source"]), float(h.get("_score") or 0.0)) for h in res["hits"]["hits"]]
        found = {name: [(b.get("key_as_string") or b["key"], b["doc_count"]) for b in res["aggregations"][name]["buckets"]]
                 for name in facets}
        return res["hits"]["total"]["value"], hits, found


    def _scan(self, node: Node, filters: Filters) -> Iterator[Article]:
        self._require()
        query = {"bool": {"must": [compile_query(node)], "filter": _filters(filters)}}
        # a point-in-time scroll: every match, however many, in batches
        for h in helpers.scan(self.es, index=self.alias, query={"query": query, "_source": {"excludes": list(INDEX_ONLY)}},
                              size=500):
            yield _article(h["_source"])

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


def _epoch_iso(agg: dict) -> str | None:
    """A min/max aggregation's value (epoch milliseconds) as newsmon's ISO form."""
    value = agg.get("value")
    return iso(datetime.fromtimestamp(value / 1000, tz=timezone.utc)) if value is not None else None


def compile_query(node: Node) -> dict:
    """Elasticsearch query DSL for a query AST (the twin of the SQLite compiler)."""
    if isinstance(node, MatchAll):
        return {"match_all": {}}
    if isinstance(node, Term):
        fields = ["title_terms"] if node.field == "title" else ["title_terms", "body_terms"]
        should = []
        for seq in sorted(node.sequences):
            for field in fields:
                if len(seq) == 1:
                    should.append({"term": {field: seq[0]}})
                else:
                    should.append({"match_phrase": {field: " ".join(seq)}})
        return {"bool": {"should": should, "minimum_should_match": 1}} if should else {"match_none": {}}
    if isinstance(node, Filter):
        return {"terms": {FILTER_FIELDS[node.field]: list(node.values)}}
    if isinstance(node, Not):
        return {"bool": {"must_not": [compile_query(node.child)]}}
    children = [compile_query(c) for c in node.children]
    if isinstance(node, And):
        return {"bool": {"must": children}}
    return {"bool": {"should": children, "minimum_should_match": 1}}


def _filters(filters: Filters) -> list[dict]:
    out: list[dict] = []
    span = {}
    if filters.since is not None:
        span["gte"] = iso(filters.since)
    if filters.until is not None:
        span["lte"] = iso(filters.until)
    if span:
        out.append({"range": {"published_at": span}})
    if filters.languages:
        out.append({"terms": {"language": list(filters.languages)}})
    if filters.sources:
        out.append({"terms": {"source": list(filters.sources)}})
    if not filters.include_duplicates:
        out.append({"bool": {"must_not": [{"exists": {"field": "duplicate_of"}}]}})
    return out


def _doc(article: Article) -> dict:
    data = article.to_dict()
    data["duplicate_of"] = data["duplicate_of"] or None
    data["title_terms"] = index_text(article.title, article.language)
    data["body_terms"] = index_text(article.body, article.language)
    data["bands"] = signature_bands(article.signature)
    return data


def _article(source: dict) -> Article:
    data = {k: v for k, v in source.items() if k not in ("title_terms", "body_terms", "bands")}
    return Article.from_dict(data)

