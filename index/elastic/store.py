"""The scale store: Elasticsearch, holding newsmon's own analysed terms.

Elasticsearch only splits the pre-analysed term strings at whitespace (newsmon's Python
analysis did the linguistics), so it matches exactly the articles the SQLite store matches.
Writes that fail because the cluster is away go to a durable local spool and are replayed,
in order, before the next write or when the store is opened again.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from index.article import Article, signature_bands
from index.elastic import mapping
from index.elastic.client import ElasticUnavailable, client_for, is_away, raise_for_error
from index.elastic.coordination import ElasticCoordination
from index.elastic.grouping import ElasticGrouping
from index.elastic.mapping import epoch_iso, to_article
from index.elastic.search import ElasticQueries
from index.elastic.stories import ElasticStories
from index.elastic.writes import ElasticWrites
from index.locations import elastic_alias
from index.store import Store


class ElasticStore(ElasticWrites, ElasticQueries, ElasticGrouping, ElasticCoordination, ElasticStories, Store):
    """Articles in an Elasticsearch index behind the `newsmon-articles` alias."""

    def __init__(self, url: str, spool: str | Path | None = None, alias: str | None = None,
                 basic_auth: tuple[str, str] | None = None, api_key: str | None = None,
                 ca_certs: str | None = None):
        """`spool` is the file where writes wait while the cluster is away; without one such
        writes fail with ElasticUnavailable (the application passes its configured path)."""
        self.url = url
        # `?index=name` in the URL lets several newsmon deployments (or tests) share a cluster
        self.alias = alias or elastic_alias(url)
        # `?shards=N&replicas=N`: the index's layout on a cluster (index/elastic/mapping.py)
        self.settings = mapping.url_settings(url)
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

    # --- the index behind the alias (index/elastic/mapping.py) ---------------------------
    def ensure_index(self) -> None:
        """Create the template and the first versioned index behind the alias, once."""
        if self._ready:
            return
        mapping.ensure_index(self.es, self.alias, self.settings)
        self._ready = True

    def current_index(self) -> str:
        return mapping.current_index(self.es, self.alias)

    def migrate(self) -> tuple[str, str, int]:
        """Copy everything into the next versioned index and switch the alias atomically."""
        self._require()
        return mapping.migrate(self.es, self.alias, self.settings)

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
        return {d["_id"]: to_article(d["_source"]) for d in found.get("docs", []) if d.get("found")}

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
            out.append([to_article(d) for d in spooled
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
            raise_for_error(res, "a duplicate lookup")
            out[i] = [to_article(h["_source"]) for h in res["hits"]["hits"]] + out[i]
        return out

    def last_seq(self) -> int:
        self._require()
        res = self.es.search(index=self.alias, size=0, aggs={"last": {"max": {"field": "seq"}}})
        return int(res["aggregations"]["last"]["value"] or 0)

    def written_after(self, seq: int, limit: int = 1000) -> list[Article]:
        self._require()
        res = self.es.search(index=self.alias, query={"range": {"seq": {"gt": seq}}}, size=limit,
                             sort=[{"seq": {"order": "asc"}}])
        return [to_article(h["_source"]) for h in res["hits"]["hits"]]

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
            "first_published": epoch_iso(a["first"]), "last_published": epoch_iso(a["last"]),
            "last_crawled": epoch_iso(a["crawled"]), "last_seq": int(a["last_seq"]["value"] or 0),
            "spooled": len(self.spooled()),
            "index": self.current_index(),
        }

    def close(self) -> None:
        self.es.close()

    def alert_store(self):
        """The saved alerts, in an index beside the articles (index/elastic/alerts.py)."""
        from index.elastic.alerts import ElasticAlertStore

        self._require()
        return ElasticAlertStore(self.es, self.alias, mapping.side_settings(self.settings))
