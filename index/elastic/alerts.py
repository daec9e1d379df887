"""Saved alerts in an `{alias}-alerts` index (index/alert_store.py says what an alert is)."""
from __future__ import annotations

import time
from dataclasses import replace

from elasticsearch import Elasticsearch, helpers

from index.alert_store import AlertRecord, AlertStore


# a document every change of the alerts rewrites (made visible with it, or after it): while its
# version (primary term, seq_no, as searches see it) is the one read before the last listing, that
# listing is still right, and an idle round does not read a thousand alerts again. Not an alert name.
GENERATION = "~generation"
_GENERATION_DOC = {"name": GENERATION, "data": {}, "floor": 0, "watermark": 0}
LISTED_SECONDS = 60.0  # a listing is read again after this long whatever (a changer killed before its rewrite)


class ElasticAlertStore(AlertStore):
    """An `{alias}-alerts` index beside the articles (outside the articles' template pattern)."""

    # Seqs are reserved from a counter before the bulk write, so a concurrent writer's
    # lower seqs may become visible after a higher batch: re-scan this many below the watermark.
    overlap = 2000

    def __init__(self, es: Elasticsearch, alias: str, settings: dict | None = None):
        self.es = es
        self.articles = alias
        self.index = f"{alias}-alerts"
        self._listed: tuple[tuple, list[AlertRecord], float] | None = None  # (generation, records, when read)
        if not es.indices.exists(index=self.index):
            es.options(ignore_status=400).indices.create(index=self.index, settings=settings, mappings={
                "dynamic": "strict",
                "properties": {"name": {"type": "keyword"}, "data": {"type": "object", "enabled": False},
                               "floor": {"type": "long"}, "watermark": {"type": "long"}}})

    def save(self, record: AlertRecord) -> None:
        self.es.index(index=self.index, id=record.name, refresh=True,
                      document={"name": record.name, "data": record.data, "floor": record.floor,
                                "watermark": record.watermark})
        self._changed()

    def get(self, name: str) -> AlertRecord | None:
        found = self.es.options(ignore_status=404).get(index=self.index, id=name)
        return AlertRecord(**found["_source"]) if found.get("found") else None

    def all(self) -> list[AlertRecord]:
        generation = self._generation()
        if generation is None:  # an index made before the generation document
            self._changed()
            generation = self._generation()
        if self._listed is None or self._listed[0] != generation or time.monotonic() > self._listed[2]:
            res = self.es.search(index=self.index, size=10_000, sort=[{"name": "asc"}],
                                 query={"bool": {"must_not": [{"ids": {"values": [GENERATION]}}]}})
            self._listed = (generation, [AlertRecord(**h["_source"]) for h in res["hits"]["hits"]],
                            time.monotonic() + LISTED_SECONDS)
        return list(self._listed[1])  # the same records while unchanged: read them, do not change them

    def remove(self, name: str) -> bool:
        res = self.es.options(ignore_status=404).delete(index=self.index, id=name, refresh=True)
        self._changed()
        return res.get("result") == "deleted"

    def _changed(self) -> None:
        self.es.index(index=self.index, id=GENERATION, document=_GENERATION_DOC, refresh=True)

    def _generation(self) -> tuple | None:
        # as searches see it (not real time: a real-time read of an unrefreshed document refreshes the index)
        found = self.es.options(ignore_status=404).get(index=self.index, id=GENERATION, source=False, realtime=False)
        return (found["_primary_term"], found["_seq_no"]) if found.get("found") else None

    def set_watermarks(self, seqs: dict[str, int]) -> None:
        # partial updates (a concurrent edit of another field is kept), one bulk request, one refresh;
        # callers pass only forward moves (the matcher's max of the old watermark and the new top)
        if not seqs:
            return
        listed, self._listed = self._listed, None
        actions = [{"_op_type": "update", "_index": self.index, "_id": name, "doc": {"watermark": seq}}
                   for name, seq in seqs.items()]
        # the generation rewritten in the same request and refresh; only if it is still the listing's
        # (else another change came in between: rewritten anyway, and the listing read again)
        bump = {"_op_type": "index", "_index": self.index, "_id": GENERATION, "_source": _GENERATION_DOC}
        if listed is not None:
            bump.update(if_primary_term=listed[0][0], if_seq_no=listed[0][1])
        results = [item for ok, item in helpers.streaming_bulk(self.es, [*actions, bump], raise_on_error=False,
                                                               raise_on_exception=False, refresh=True,
                                                               chunk_size=len(actions) + 1)]
        done = results[-1].get("index", {}) if len(results) == len(actions) + 1 else {}
        if done.get("status") not in (200, 201):  # another change came in between (409), or the bump failed
            self._changed()
        elif listed is not None and all(item.get("update", {}).get("status") == 200 for item in results[:-1]):
            # nothing else changed since the listing: it stays, with these watermarks
            self._listed = (done["_primary_term"], done["_seq_no"]), [
                replace(r, watermark=seqs[r.name]) if r.name in seqs else r for r in listed[1]], listed[2]

    def fingerprint(self, after_seq: int) -> tuple:
        """(count, highest seq, sum of seqs) of the articles visible after `after_seq`: articles are
        never deleted and a write always takes a new, higher seq, so a late-visible seq raises the
        count, a rewrite the highest seq; the sum changes with any change of the set of seqs."""
        res = self.es.search(index=self.articles, size=0, track_total_hits=True,
                             query={"range": {"seq": {"gt": after_seq}}},
                             aggs={"top": {"max": {"field": "seq"}}, "sum": {"sum": {"field": "seq"}}})
        aggs = res["aggregations"]
        return res["hits"]["total"]["value"], aggs["top"]["value"], aggs["sum"]["value"]

    def close(self) -> None:
        pass  # the client belongs to the article store
