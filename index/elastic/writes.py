"""Writes to Elasticsearch: seq and first-seen stamped at bulk time, a spool while the cluster is away."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from pathlib import Path

from elasticsearch import Elasticsearch, helpers

from index.article import Article
from index.batch import first_seen, plan_batch
from index.elastic.client import RETRY_STATUS, ClusterAway, ElasticUnavailable, is_away
from index.elastic.mapping import to_doc
from index.elastic.seq import reserve_seqs
from index.elastic.spool import Spool


class ElasticWrites:
    """upsert, the spool and its replay (a mixin of ElasticStore, which brings the client and `_require`)."""

    url: str
    es: Elasticsearch
    alias: str
    counters: str
    spool: Path | None
    replayed: int
    _lock: threading.RLock

    def upsert(self, articles: Iterable[Article]) -> int:
        """Write by id; seq and first_seen_at are stamped at bulk time (for spooled ones, at replay)."""
        docs = [to_doc(a) for a in articles]
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
        planned = plan_batch(docs, key=lambda d: d["id"])
        for doc, first in planned:
            if first is not doc:
                doc["first_seen_at"] = first.get("first_seen_at") or first.get("crawled_at")
        rewrites = self._write(self._stamp([doc for doc, _ in planned], {}), op="create")
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
            stored, first_seq = seen.get(doc["id"], (None, None))
            doc["first_seen_at"] = first_seen(stored, doc.get("first_seen_at"), doc.get("crawled_at"))
            doc["first_seq"] = first_seq or doc["seq"]
        return docs

    def _reserve_seqs(self, n: int) -> int:
        """Reserve n write-time sequence numbers (index/elastic/seq.py); return the first."""
        return reserve_seqs(self.es, self.counters, n)

    def _spool(self, docs: list[dict]) -> None:
        if self.spool is None:
            raise ElasticUnavailable(f"Elasticsearch at {self.url} is not answering and this store has no "
                                     f"spool: {len(docs)} article(s) not written")
        Spool(self.spool).append(docs)

    def spooled(self) -> list[dict]:
        """Documents waiting in the spool, oldest first."""
        return Spool(self.spool).read() if self.spool is not None else []

    def replay_spool(self) -> int:
        """Send spooled documents in order; the spool is emptied only after they are written."""
        self._require()
        docs = self.spooled()
        if docs:
            self._bulk(docs)
            Spool(self.spool).clear()
            self.replayed += len(docs)
        return len(docs)
