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
import time
from contextlib import contextmanager
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from elasticsearch import ApiError, ConflictError, ConnectionError as ESConnectionError, Elasticsearch, helpers

from index.analysis import terms_of
from index.article import Article, iso, signature_bands
from index.highlight import highlight
from index.query import And, Filter, MatchAll, Node, Not, QueryError, Term, expand, parse
from index.store import (
    FACET_SIZE,
    FINAL,
    Filters,
    Hit,
    LockState,
    RawResult,
    SearchResult,
    Store,
    StoreUnavailable,
    _check,
)

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
        "first_seen_at": {"type": "date"},
        "seq": {"type": "long"},
        "first_seq": {"type": "long"},  # the seq of the id's first write: originals are chosen in this order
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
        # outside the template's `{alias}_v*` pattern: small coordination indexes of their own
        self.counters = f"{self.alias}-counters"
        self.locks = f"{self.alias}-locks"
        self.runs_index = f"{self.alias}-runs"
        self._lock = threading.RLock()
        self._ready = False
        self.replayed = 0  # spooled articles this object sent, also when it was opened
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
        else:
            # an index made before a field was added to the mappings learns it (adding is allowed)
            self.es.indices.put_mapping(index=self.alias, properties=MAPPINGS["properties"])
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
        """Write by id; seq and first_seen_at are stamped at bulk time (for spooled ones, at replay)."""
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
                return 0
        return len(docs)

    def _bulk(self, docs: list[dict]) -> None:
        """Write each document with the next seqs and the first-seen time its id has.

        New ids, nearly all of a crawl's, are created in batch order with no read first; an id
        already stored is refused by the create (409) and written again after them, with newer
        seqs and the first-seen time and first seq read back from its stored copy. An id twice
        in the batch is written once: its last copy, with the first copy's first sighting.
        """
        if not docs:
            return
        firsts: dict[str, dict] = {}
        for doc in docs:
            firsts.setdefault(doc["id"], doc)
        last = {doc["id"]: doc for doc in docs}
        for doc_id, doc in last.items():
            first = firsts[doc_id]
            if first is not doc:
                doc["first_seen_at"] = first.get("first_seen_at") or first.get("crawled_at")
        docs = [doc for doc in docs if last[doc["id"]] is doc]
        rewrites = self._write(self._stamp(docs, {}), op="create")
        if rewrites:
            self._write(self._stamp(rewrites, self._first_seen(rewrites)), op="index")

    def _write(self, docs: list[dict], op: str) -> list[dict]:
        """One bulk write; returns the documents a create found already there, in batch order."""
        actions = ({"_op_type": op, "_index": self.alias, "_id": d["id"], "_source": d} for d in docs)
        taken: set[str] = set()  # by id (retried items come back out of order); each id is in docs once
        # refresh with each bulk request, not after it: searchable at once (the writer's dedup and
        # the alerts read right after), at a few per cent over a plain bulk instead of a third
        for ok, info in helpers.streaming_bulk(self.es, actions, chunk_size=500, max_retries=5,
                                               initial_backoff=0.5, max_backoff=10,
                                               retry_on_status=RETRY_STATUS, raise_on_error=False,
                                               refresh=True):
            if ok:
                continue
            result = next(iter(info.values()))
            status = result.get("status", 0)
            if status == 409 and op == "create":
                taken.add(result["_id"])
                continue
            if status in RETRY_STATUS or status >= 500:
                raise ClusterAway(f"bulk write refused with {status}")
            raise ValueError(f"Elasticsearch rejected an article: {json.dumps(info)[:500]}")
        return [d for d in docs if d["id"] in taken]

    def _first_seen(self, docs: list[dict]) -> dict[str, tuple[str, int]]:
        """(first_seen_at, first_seq) of the stored copies of these documents' ids."""
        ids = [d["id"] for d in docs]  # each once: _bulk wrote an id twice in a batch as one
        fields = ["first_seen_at", "crawled_at", "first_seq", "seq"]
        seen = {}
        for found in self.es.mget(index=self.alias, ids=ids, source_includes=fields)["docs"]:
            if found.get("found"):
                src = found["_source"]
                seen[found["_id"]] = (src.get("first_seen_at") or src.get("crawled_at"),
                                      src.get("first_seq") or src.get("seq"))
        return seen

    def _stamp(self, docs: list[dict], seen: dict[str, tuple[str, int]]) -> list[dict]:
        """Give each document the next seqs, in order, and the first-seen time of `seen` or its own."""
        first = self._reserve_seqs(len(docs))
        for offset, doc in enumerate(docs):
            doc["seq"] = first + offset
            first_seen, first_seq = seen.get(doc["id"], (None, None))
            doc["first_seen_at"] = (first_seen or doc.get("first_seen_at") or doc.get("crawled_at")
                                    or iso(datetime.now(timezone.utc)))
            doc["first_seq"] = first_seq or doc["seq"]
        return docs

    def _reserve_seqs(self, n: int) -> int:
        """Reserve n write-time sequence numbers from a counter document; return the first.

        Optimistic concurrency (if_seq_no) instead of a script: writers in other processes or
        on other machines never get the same numbers, and no scripting module is needed.
        """
        for _ in range(100):
            found = self.es.options(ignore_status=404).get(index=self.counters, id="seq")
            try:
                if not found.get("found"):
                    self.es.create(index=self.counters, id="seq", document={"value": n}, refresh=False)
                    return 1
                value = int(found["_source"]["value"])
                self.es.index(index=self.counters, id="seq", document={"value": value + n},
                              if_seq_no=found["_seq_no"], if_primary_term=found["_primary_term"])
                return value + 1
            except ConflictError:
                continue  # another writer took numbers in between: read again
        raise ClusterAway("could not reserve write sequence numbers (too much contention)")

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
            self.replayed += len(docs)
        return len(docs)

    # --- reads -------------------------------------------------------------------------
    def get(self, article_id: str) -> Article | None:
        return self.get_many([article_id]).get(article_id)

    def get_many(self, article_ids: Iterable[str]) -> dict[str, Article]:
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return {}
        self._require()
        try:
            found = self.es.options(ignore_status=404).mget(index=self.alias, ids=ids)
        except Exception as exc:
            if not is_away(exc):
                raise
            self._ready = False  # the next call checks the cluster again
            self._require()  # raises ElasticUnavailable, naming the spool
            raise
        # a 404 (no index yet) has no docs: nothing is stored
        return {d["_id"]: _article(d["_source"]) for d in found.get("docs", []) if d.get("found")}

    def count(self) -> int:
        self._require()
        return self.es.count(index=self.alias)["count"]

    def duplicate_candidates(self, content_hash: str, signature: list[int]) -> list[Article]:
        return self.duplicate_candidates_many([(content_hash, signature)])[0]

    def duplicate_candidates_many(self, fingerprints) -> list[list[Article]]:
        """One msearch for a writer's whole batch (a search per article was a round trip each)."""
        spooled = self.spooled()
        out, searches, asked = [], [], []
        for content_hash, signature in fingerprints:
            bands = signature_bands(signature)
            should = [{"terms": {"bands": bands}}] if bands else []
            if content_hash:
                should.append({"term": {"content_hash": content_hash}})
            # waiting documents count too, so a copy is linked even while the cluster is away
            out.append([_article(d) for d in spooled
                        if d["content_hash"] == content_hash or set(d.get("bands", [])) & set(bands)])
            if should:
                asked.append(len(out) - 1)
                searches += [{"index": self.alias},
                             {"query": {"bool": {"should": should, "minimum_should_match": 1}}, "size": 1000,
                              "sort": [{"first_seq": {"order": "asc", "missing": "_first"}}]}]
        if not searches:
            return out
        try:
            self._require()
            answers = self.es.msearch(searches=searches)["responses"]
        except Exception as exc:
            if not (isinstance(exc, ElasticUnavailable) or is_away(exc)):
                raise
            return out
        for i, res in zip(asked, answers):
            _raise_for_error(res, "a duplicate lookup")
            out[i] = [_article(h["_source"]) for h in res["hits"]["hits"]] + out[i]
        return out

    def last_seq(self) -> int:
        self._require()
        res = self.es.search(index=self.alias, size=0, aggs={"last": {"max": {"field": "seq"}}})
        return int(res["aggregations"]["last"]["value"] or 0)

    def written_after(self, seq: int, limit: int = 1000) -> list[Article]:
        self._require()
        res = self.es.search(index=self.alias, query={"range": {"seq": {"gt": seq}}}, size=limit,
                             sort=[{"seq": {"order": "asc"}}])
        return [_article(h["_source"]) for h in res["hits"]["hits"]]

    def stats(self) -> dict:
        self._require()
        aggs = {
            "by_language": {"terms": {"field": "language", "size": 100}},
            "by_source": {"terms": {"field": "source", "size": 1000}},
            "duplicates": {"filter": {"exists": {"field": "duplicate_of"}}},
            "first": {"min": {"field": "published_at"}}, "last": {"max": {"field": "published_at"}},
            "crawled": {"max": {"field": "crawled_at"}}, "last_seq": {"max": {"field": "seq"}},
        }
        res = self.es.search(index=self.alias, size=0, aggs=aggs, track_total_hits=True)
        a = res["aggregations"]
        return {
            "total": res["hits"]["total"]["value"],
            "by_language": {b["key"]: b["doc_count"] for b in a["by_language"]["buckets"]},
            "by_source": {b["key"]: b["doc_count"] for b in a["by_source"]["buckets"]},
            "duplicates": a["duplicates"]["doc_count"],
            "first_published": _epoch_iso(a["first"]), "last_published": _epoch_iso(a["last"]),
            "last_crawled": _epoch_iso(a["crawled"]), "last_seq": int(a["last_seq"]["value"] or 0),
            "spooled": len(self.spooled()),
            "index": self.current_index(),
        }

    def close(self) -> None:
        self.es.close()

    # --- crawl coordination: documents guarded by optimistic concurrency -----------------
    @contextmanager
    def _coordinating(self):
        """A cluster that stops answering mid-call is StoreUnavailable, as it is before the call."""
        try:
            yield
        except Exception as exc:
            if isinstance(exc, (ConflictError, StoreUnavailable)) or not is_away(exc):
                raise
            raise ElasticUnavailable(f"Elasticsearch at {self.url} is not answering ({type(exc).__name__})") from exc

    def acquire_lock(self, name: str, holder: str, ttl: float) -> int:
        with self._coordinating():
            return self._acquire_lock(name, holder, ttl)

    def _acquire_lock(self, name: str, holder: str, ttl: float) -> int:
        self._require()
        now = time.time()
        found = self.es.options(ignore_status=404).get(index=self.locks, id=name)
        try:
            if not found.get("found"):
                self.es.create(index=self.locks, id=name, document={"name": name, "holder": holder,
                                                                      "expires_at": now + ttl, "token": 1}, refresh=True)
                return 1
            held = found["_source"]
            if held["holder"] != holder and held["expires_at"] > now or held["expires_at"] >= FINAL:
                return 0
            token = held.get("token", 1) + (held["holder"] != holder or held["expires_at"] <= now)
            # optimistic concurrency: of two processes taking a free lock at once, one write wins
            self.es.index(index=self.locks, id=name, document={"name": name, "holder": holder,
                                                               "expires_at": now + ttl, "token": token}, refresh=True,
                          if_seq_no=found["_seq_no"], if_primary_term=found["_primary_term"])
            return token
        except ConflictError:  # another process took it between our read and our write
            return 0

    def _update_lock(self, name: str, holder: str, expires_at: float, unless_final: bool) -> bool:
        with self._coordinating():
            return self._update_lock_now(name, holder, expires_at, unless_final)

    def _update_lock_now(self, name: str, holder: str, expires_at: float, unless_final: bool) -> bool:
        self._require()
        found = self.es.options(ignore_status=404).get(index=self.locks, id=name)
        if not found.get("found") or found["_source"]["holder"] != holder:
            return False
        held = found["_source"]
        if held["expires_at"] >= FINAL or (not unless_final and held["expires_at"] <= time.time()):
            return False
        try:
            self.es.index(index=self.locks, id=name, document={**held, "expires_at": expires_at}, refresh=True,
                          if_seq_no=found["_seq_no"], if_primary_term=found["_primary_term"])
            return True
        except ConflictError:
            return False  # renewed or taken over meanwhile: no longer ours

    def release_lock(self, name: str, holder: str) -> None:
        self._update_lock(name, holder, 0.0, unless_final=True)

    def live_locks(self, prefix: str) -> list[str]:
        with self._coordinating():
            return self._live_locks(prefix)

    def _live_locks(self, prefix: str) -> list[str]:
        self._require()
        if not self.es.indices.exists(index=self.locks):
            return []
        # few of them (one per scheduler): expiry is judged here, on the exact times in _source
        hits = helpers.scan(self.es, index=self.locks, query={"query": {"prefix": {"name.keyword": prefix}}})
        now = time.time()
        return sorted(h["_id"] for h in hits if now < h["_source"]["expires_at"] < FINAL)

    def finish_lock(self, name: str, holder: str) -> bool:
        return self._update_lock(name, holder, FINAL, unless_final=False)

    def lock_state(self, name: str) -> LockState | None:
        with self._coordinating():
            return self._lock_state(name)

    def _lock_state(self, name: str) -> LockState | None:
        self._require()
        found = self.es.options(ignore_status=404).get(index=self.locks, id=name)
        if not found.get("found"):
            return None
        held = found["_source"]
        return LockState(held["holder"], held.get("token", 1), held["expires_at"])

    def record_run(self, run: dict) -> None:
        self._require()
        self._ensure_runs()
        self.es.index(index=self.runs_index, document={"source": run["source"], "started_at": run["started_at"],
                                                       "run": json.dumps(run, ensure_ascii=False)}, refresh=True)

    def runs(self, source: str | None = None, since: str | None = None, limit: int = 100) -> list[dict]:
        self._require()
        self._ensure_runs()
        filters: list[dict] = []
        if source:
            filters.append({"term": {"source": source}})
        if since:
            filters.append({"range": {"started_at": {"gte": since}}})
        res = self.es.search(index=self.runs_index, query={"bool": {"filter": filters}}, size=limit,
                             sort=[{"started_at": {"order": "desc"}}])
        return [json.loads(h["_source"]["run"]) for h in res["hits"]["hits"]]

    def _ensure_runs(self) -> None:
        if not self.es.indices.exists(index=self.runs_index):
            try:
                self.es.indices.create(index=self.runs_index, mappings={"properties": {
                    "source": {"type": "keyword"}, "started_at": {"type": "date"},
                    "run": {"type": "keyword", "index": False, "doc_values": False}}})
            except ApiError as exc:
                if exc.meta.status != 400:  # 400: created by another process in between
                    raise

    def _require(self) -> None:
        try:
            self.ensure_index()
        except Exception as exc:
            if not is_away(exc):
                raise
            raise ElasticUnavailable(
                f"Elasticsearch at {self.url} is not answering ({type(exc).__name__})"
                + (f"; {waiting} article(s) written meanwhile wait in {self.spool}"
                   if self.spool and (waiting := len(self.spooled())) else "")) from None

    def _search(self, node: Node, filters: Filters, facets: tuple[str, ...], interval: str,
                offset: int, size: int, sort: str) -> RawResult:
        self._require()
        body = _request(node, filters, facets, interval, offset, size, sort)
        if not facets:
            body["from_"] = body.pop("from")
            body["source"] = body.pop("_source")
            return _answer(self.es.search(index=self.alias, **body), facets)
        # Two searches in one msearch, which Elasticsearch runs at once: the page (no exact
        # total, so the top hits can skip non-competitive documents) and the count with facets
        # (size 0, so the shard request cache keeps it until the index next changes).
        page = {k: v for k, v in body.items() if k != "aggs"} | {"track_total_hits": False}
        counts = {"query": body["query"], "size": 0, "track_total_hits": True, "aggs": body["aggs"]}
        header = {"index": self.alias}
        hits, totals = self.es.msearch(searches=[header, page, header, counts])["responses"]
        for res in (hits, totals):
            _raise_for_error(res, "a search")
        _, ranked, _ = _answer(hits, ())
        total, _, found = _answer(totals, facets)
        return total, ranked, found

    def search_many(self, requests, size: int = 10, sort: str = "relevance"):
        """One msearch per 50 searches: a round of alert matching costs a few requests, not one per alert."""
        self._require()
        _check((), "month", 1, size, sort)
        out: list = [None] * len(requests)
        bodies = []
        for i, (query, filters) in enumerate(requests):
            try:
                node = expand(parse(query))
            except QueryError as exc:
                out[i] = exc
                continue
            bodies.append((i, node, {"index": self.alias},
                           _request(node, filters or Filters(), (), "month", 0, size, sort)))
        for start in range(0, len(bodies), 50):
            chunk = bodies[start:start + 50]
            searches = [part for _, _, header, body in chunk for part in (header, body)]
            answers = self.es.msearch(searches=searches)["responses"]
            for (i, node, _, _), res in zip(chunk, answers):
                _raise_for_error(res, f"search {i} of a batch")
                total, ranked, _ = _answer(res, ())
                out[i] = SearchResult(total=total, hits=[Hit(a, score, highlight(a, node)) for a, score in ranked],
                                      facets={}, page=1, size=size)
        return out


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


def _request(node: Node, filters: Filters, facets: tuple[str, ...], interval: str,
             offset: int, size: int, sort: str) -> dict:
    """The search request body for an expanded query (shared by search and search_many)."""
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
    body = {"query": query, "from": offset, "size": size, "sort": order, "track_total_hits": True,
            "_source": {"excludes": list(INDEX_ONLY)}}
    if aggs:
        body["aggs"] = aggs
    return body


def _answer(res, facets: tuple[str, ...]) -> RawResult:
    hits = [(_article(h["_source"]), float(h.get("_score") or 0.0)) for h in res["hits"]["hits"]]
    found = {name: [(b.get("key_as_string") or b["key"], b["doc_count"]) for b in res["aggregations"][name]["buckets"]]
             for name in facets}
    total = res["hits"].get("total")
    return (total["value"] if total else 0), hits, found


def _raise_for_error(res: dict, what: str) -> None:
    """An msearch answer's error as an exception: the cluster away (retry later) or a bad request."""
    if "error" in res:
        status = res.get("status", 500)
        problem = f"{what} failed with {status}: {json.dumps(res['error'])[:300]}"
        raise ClusterAway(problem) if status in RETRY_STATUS or status >= 500 else ValueError(problem)


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
    if filters.after_seq is not None:
        out.append({"range": {"seq": {"gt": filters.after_seq}}})
    return out


def _doc(article: Article) -> dict:
    data = article.to_dict()
    data["duplicate_of"] = data["duplicate_of"] or None
    terms = terms_of(article)
    data["title_terms"], data["body_terms"] = terms.title, terms.body
    data["bands"] = signature_bands(article.signature)
    return data


def _article(source: dict) -> Article:
    data = {k: v for k, v in source.items() if k not in ("title_terms", "body_terms", "bands", "first_seq")}
    return Article.from_dict(data)

