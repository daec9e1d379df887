"""Crawl coordination in Elasticsearch: lock documents guarded by optimistic concurrency, and the runs index."""
from __future__ import annotations

import json
import time
from contextlib import contextmanager

from elasticsearch import ApiError, ConflictError, Elasticsearch, helpers

from index.elastic.client import ElasticUnavailable, is_away
from index.elastic.mapping import side_settings
from index.store import FINAL, LockState, StoreUnavailable


class ElasticCoordination:
    """Locks and runs of ElasticStore (a mixin: the store brings `es`, `url`, `locks`, `runs_index`, `_require`)."""

    url: str
    es: Elasticsearch
    settings: dict  # the URL's shards and replicas
    locks: str
    runs_index: str

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
                self.es.indices.create(index=self.runs_index, settings=side_settings(self.settings), mappings={"properties": {
                    "source": {"type": "keyword"}, "started_at": {"type": "date"},
                    "run": {"type": "keyword", "index": False, "doc_values": False}}})
            except ApiError as exc:
                if exc.meta.status != 400:  # 400: created by another process in between
                    raise
