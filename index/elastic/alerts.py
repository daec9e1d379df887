"""Saved alerts in an `{alias}-alerts` index (index/alert_store.py says what an alert is)."""
from __future__ import annotations

from elasticsearch import Elasticsearch, helpers

from index.alert_store import AlertRecord, AlertStore


class ElasticAlertStore(AlertStore):
    """An `{alias}-alerts` index beside the articles (outside the articles' template pattern)."""

    # Seqs are reserved from a counter before the bulk write, so a concurrent writer's
    # lower seqs may become visible after a higher batch: re-scan this many below the watermark.
    overlap = 2000

    def __init__(self, es: Elasticsearch, alias: str, settings: dict | None = None):
        self.es = es
        self.index = f"{alias}-alerts"
        if not es.indices.exists(index=self.index):
            es.options(ignore_status=400).indices.create(index=self.index, settings=settings, mappings={
                "dynamic": "strict",
                "properties": {"name": {"type": "keyword"}, "data": {"type": "object", "enabled": False},
                               "floor": {"type": "long"}, "watermark": {"type": "long"}}})

    def save(self, record: AlertRecord) -> None:
        self.es.index(index=self.index, id=record.name, refresh=True,
                      document={"name": record.name, "data": record.data, "floor": record.floor,
                                "watermark": record.watermark})

    def get(self, name: str) -> AlertRecord | None:
        found = self.es.options(ignore_status=404).get(index=self.index, id=name)
        return AlertRecord(**found["_source"]) if found.get("found") else None

    def all(self) -> list[AlertRecord]:
        res = self.es.search(index=self.index, size=10_000, sort=[{"name": "asc"}])
        return [AlertRecord(**h["_source"]) for h in res["hits"]["hits"]]

    def remove(self, name: str) -> bool:
        res = self.es.options(ignore_status=404).delete(index=self.index, id=name, refresh=True)
        return res.get("result") == "deleted"

    def set_watermarks(self, seqs: dict[str, int]) -> None:
        # partial updates (a concurrent edit of another field is kept), one bulk request, one refresh;
        # callers pass only forward moves (the matcher's max of the old watermark and the new top)
        if not seqs:
            return
        actions = [{"_op_type": "update", "_index": self.index, "_id": name, "doc": {"watermark": seq}}
                   for name, seq in seqs.items()]
        helpers.bulk(self.es, actions, raise_on_error=False, refresh=True)

    def close(self) -> None:
        pass  # the client belongs to the article store
