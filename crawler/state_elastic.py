"""The crawl state of an Elasticsearch store, kept in the cluster so every machine crawling into it
shares one truth: a URL one machine settled is not fetched again by another, and what one machine
listed and never finished is due for whichever crawls that source next.

While the cluster is away the state is kept in the local file it falls back to (as articles go
to the spool); the next state opened with the cluster answering writes that file's rows into the
cluster (a URL's newest record wins) and removes it.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

from elasticsearch import NotFoundError, helpers

from crawler.outcomes import is_settled
from crawler.state import MAX_FAILURES, CrawlState, Due, StateUnwritable, UrlState
from index.article import iso, parse_iso
from index.elastic import client_for, is_away
from index.elastic.mapping import side_settings, url_settings
from index.locations import elastic_alias

KEYWORD = {"type": "keyword"}
URLS_MAPPING = {"dynamic": False, "properties": {
    "url": KEYWORD, "source": KEYWORD, "kind": KEYWORD, "status": KEYWORD, "canonical_url": KEYWORD,
    "etag": {"type": "keyword", "index": False}, "last_modified": {"type": "keyword", "index": False},
    "fetched_at": {"type": "date"}, "failures": {"type": "integer"}}}
DUE_MAPPING = {"dynamic": False, "properties": {
    "url": KEYWORD, "source": KEYWORD, "kind": KEYWORD, "listing": {"type": "keyword", "index": False},
    "listed_at": {"type": "date"}}}
PAGE = 1000


def _id(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()  # URLs may pass Elasticsearch's 512-byte id limit


def _state(doc: dict) -> UrlState:
    return UrlState(doc["url"], doc["source"], doc["kind"], doc["status"], doc.get("canonical_url"),
                    doc.get("etag"), doc.get("last_modified"), parse_iso(doc["fetched_at"]), doc["failures"])


class ElasticCrawlState:
    """CrawlState's methods over two small indexes beside the store's: `{index}-crawlstate`, `{index}-crawldue`."""

    def __init__(self, store_url: str, local_path: str | Path, basic_auth=None, api_key=None, ca_certs=None, **_):
        alias = elastic_alias(store_url)
        self.urls_index, self.due_index = f"{alias}-crawlstate", f"{alias}-crawldue"
        self.path = f"{store_url.split('?')[0]} ({self.urls_index})"
        self.es = client_for(store_url, basic_auth=basic_auth, api_key=api_key, ca_certs=ca_certs)
        self.local_path = Path(local_path)
        self.local: CrawlState | None = None
        # URLs read or written by this crawl (its source's lease keeps others off them meanwhile):
        # a listing's URLs are read in one request (`prefetch`), not one each
        self._known: dict[str, UrlState | None] = {}
        try:
            settings = side_settings(url_settings(store_url))  # replicated as the articles are
            for index, mapping in ((self.urls_index, URLS_MAPPING), (self.due_index, DUE_MAPPING)):
                if not self.es.indices.exists(index=index):
                    self.es.options(ignore_status=400).indices.create(index=index, mappings=mapping, settings=settings)
            self._replay_local()
        except Exception as exc:
            if not is_away(exc):
                raise
            self._fall_back()

    @classmethod
    def from_crawler(cls, crawler):
        """The cluster of NEWSMON_STORE; NEWSMON_STATE_LOCAL while it is away."""
        settings = crawler.settings
        return cls(settings.get("NEWSMON_STORE"), settings.get("NEWSMON_STATE_LOCAL"),
                   **settings.getdict("NEWSMON_STORE_OPTIONS"))

    # --- away: the local file -----------------------------------------------------------
    def _fall_back(self) -> CrawlState:
        if self.local is None:
            # shared hold: a process handing the file to the cluster waits until no crawl writes it
            self._hold = self._lock_file(fcntl.LOCK_SH)
            self.local = CrawlState(self.local_path)
        return self.local

    def _lock_file(self, mode: int):
        self.local_path.parent.mkdir(parents=True, exist_ok=True)
        held = open(f"{self.local_path}.lock", "w")
        fcntl.flock(held, mode)
        return held

    def _replay_local(self) -> None:
        """Rows kept locally while the cluster was away go into the cluster; then the file goes."""
        if not self.local_path.exists():
            return
        try:
            hold = self._lock_file(fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # a crawl still writes it: handed over by a later one
        try:
            self._hand_over()
        finally:
            hold.close()

    def _hand_over(self) -> None:
        local = CrawlState(self.local_path)
        local.db.execute("BEGIN")  # both tables as of one moment
        try:
            for row in local.db.execute("SELECT url, source, kind, status, canonical_url, etag, last_modified,"
                                        " fetched_at, failures FROM urls"):
                known = self.get(row[0])
                if known is None or known.fetched_at <= parse_iso(row[7]):
                    self._index_url(UrlState(*row[:7], parse_iso(row[7]), row[8]))
                    self.es.options(ignore_status=404).delete(index=self.due_index, id=_id(row[0]))
            due = [(d.url, d.kind, d.listing) for source, in local.db.execute("SELECT DISTINCT source FROM due")
                   for d in local.due(source)]
            sources = dict(local.db.execute("SELECT url, source FROM due").fetchall())
            for url, kind, listing in due:
                self._mark(sources[url], [(url, kind, listing)])
            self.es.indices.refresh(index=[self.urls_index, self.due_index])
        finally:
            local.db.execute("ROLLBACK")
            local.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.local_path}{suffix}").unlink(missing_ok=True)

    def _try(self, call, fallback):
        """Run against the cluster; if it is away, against the local file from now on."""
        if self.local is None:
            try:
                return call()
            except StateUnwritable:
                raise
            except Exception as exc:
                if not is_away(exc):
                    raise StateUnwritable(self.path, exc) from exc
                self._fall_back()
        return fallback(self.local)

    # --- the CrawlState interface -------------------------------------------------------
    def get(self, url: str) -> UrlState | None:
        if url in self._known:
            return self._known[url]

        def remote():
            try:
                found = _state(self.es.get(index=self.urls_index, id=_id(url))["_source"])
            except NotFoundError:
                found = None
            self._known[url] = found
            return found
        return self._try(remote, lambda local: local.get(url))

    def prefetch(self, urls: list[str]) -> None:
        """Read the records of many URLs in one request, for the `get`s that follow."""
        wanted = [u for u in dict.fromkeys(urls) if u not in self._known]

        def remote():
            for start in range(0, len(wanted), PAGE):
                chunk = wanted[start:start + PAGE]
                docs = self.es.mget(index=self.urls_index, ids=[_id(u) for u in chunk])["docs"]
                for url, doc in zip(chunk, docs):
                    self._known[url] = _state(doc["_source"]) if doc.get("found") else None
        if wanted:
            self._try(remote, lambda local: None)

    def needs_fetch(self, url: str, changed_at: datetime | None = None) -> bool:
        known = self.get(url)
        if known is None or not is_settled(known.status):
            return True
        return changed_at is not None and changed_at > known.fetched_at

    def record(self, url: str, source: str, kind: str, status: str, canonical_url: str | None = None,
               etag: str | None = None, last_modified: str | None = None) -> None:
        def remote():
            known = self.get(url)
            failed = status.startswith("error:")
            self._index_url(UrlState(
                url, source, kind, status,
                canonical_url or (known.canonical_url if known else None),
                etag or (known.etag if known else None),
                last_modified or (known.last_modified if known else None),
                datetime.now(timezone.utc), (known.failures + 1 if known else 1) if failed else 0))
            if not (kind == "sitemap" and failed):  # as CrawlState: a failed child sitemap stays due
                self.es.options(ignore_status=404).delete(index=self.due_index, id=_id(url))
        self._try(remote, lambda local: local.record(url, source, kind, status, canonical_url, etag, last_modified))

    def _index_url(self, state: UrlState) -> None:
        self._known[state.url] = state
        self.es.index(index=self.urls_index, id=_id(state.url), document={
            "url": state.url, "source": state.source, "kind": state.kind, "status": state.status,
            "canonical_url": state.canonical_url, "etag": state.etag, "last_modified": state.last_modified,
            "fetched_at": iso(state.fetched_at), "failures": state.failures})

    def mark_due(self, source: str, listed: list[tuple[str, str, dict]]) -> None:
        if listed:
            self._try(lambda: self._mark(source, listed), lambda local: local.mark_due(source, listed))

    def _mark(self, source: str, listed: list[tuple[str, str, dict]]) -> None:
        now = iso(datetime.now(timezone.utc))
        _, errors = helpers.bulk(self.es, ({"_index": self.due_index, "_id": _id(url), "_source": {
            "url": url, "source": source, "kind": kind, "listing": json.dumps(listing, ensure_ascii=False),
            "listed_at": now}} for url, kind, listing in listed), raise_on_error=False)
        if errors:
            raise StateUnwritable(self.path, RuntimeError(f"{len(errors)} due rows refused: {errors[0]}"))

    def _scan(self, index: str, query: dict) -> list[dict]:
        self.es.indices.refresh(index=index)  # what another machine wrote a moment ago is seen
        return [hit["_source"] for hit in helpers.scan(self.es, index=index, query={"query": query}, size=PAGE)]

    def due(self, source: str) -> list[Due]:
        def remote():
            rows = self._scan(self.due_index, {"term": {"source": source}})
            failing = {d["url"] for d in self._scan(self.urls_index, {"bool": {"filter": [
                {"terms": {"url": [r["url"] for r in rows if r["kind"] == "sitemap"] or ["-"]}},
                {"range": {"failures": {"gte": MAX_FAILURES}}}]}})}
            rows.sort(key=lambda r: (r["listed_at"], r["url"]))
            return [Due(r["url"], r["kind"], json.loads(r["listing"])) for r in rows if r["url"] not in failing]
        return self._try(remote, lambda local: local.due(source))

    def retry_urls(self, source: str, max_failures: int = MAX_FAILURES) -> list[str]:
        def remote():
            rows = self._scan(self.urls_index, {"bool": {"filter": [
                {"term": {"source": source}}, {"term": {"kind": "article"}}, {"prefix": {"status": "error:"}},
                {"range": {"failures": {"lt": max_failures}}}]}})
            return [r["url"] for r in sorted(rows, key=lambda r: r["fetched_at"])]
        return self._try(remote, lambda local: local.retry_urls(source, max_failures))

    def counts(self) -> dict[str, dict[tuple[str, str], int]]:
        def remote():
            found: dict[str, dict[tuple[str, str], int]] = {}
            self.es.indices.refresh(index=self.urls_index)
            sources = [{"source": {"terms": {"field": "source"}}}, {"kind": {"terms": {"field": "kind"}}},
                       {"status": {"terms": {"field": "status"}}}]
            after = None
            while True:
                composite = {"size": PAGE, "sources": sources, **({"after": after} if after else {})}
                res = self.es.search(index=self.urls_index, size=0, aggs={"c": {"composite": composite}})
                buckets = res["aggregations"]["c"]["buckets"]
                for b in buckets:
                    key = b["key"]
                    found.setdefault(key["source"], {})[(key["kind"], key["status"])] = b["doc_count"]
                after = res["aggregations"]["c"].get("after_key")
                if not buckets or after is None:
                    return found
        return self._try(remote, lambda local: local.counts())

    def summary(self, source: str | None = None) -> dict[str, int]:
        out: dict[str, int] = {}
        for src, by_kind in self.counts().items():
            if source is None or src == source:
                for (_, status), n in by_kind.items():
                    out[status] = out.get(status, 0) + n
        return out

    def close(self) -> None:
        self.es.close()
        if self.local is not None:
            self.local.close()
            self._hold.close()
