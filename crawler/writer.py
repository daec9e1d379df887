"""Batched, deduplicating writes to the store, shared by every spider of one crawl process.

One writer per store URL per process: all spiders' articles meet in one pending batch, so a
syndicated copy is linked to its original even when both were fetched moments apart by two
spiders, and the store sees one bulk write per batch instead of one per article.

The writer also decides what a fetched article is to the store: new (`stored`, or `duplicate`
when it copies a stored story), `updated` (same id, new content: it keeps its link or its
absence of one), or `unchanged` (same id and content: nothing is written, so no new `seq`).
"""
from __future__ import annotations

import logging
import time
from typing import Callable

from crawler.stages import dedup
from index.article import Article, signature_bands
from index.store import Store, StoreUnavailable, is_unwritable, open_store

BATCH_SIZE = 50
BATCH_SECONDS = 5.0  # a slow crawl still writes (and alerts can fire) within seconds

WRITTEN = ("stored", "duplicate", "updated")  # outcomes that wrote the article
SPOOLED = "spooled"  # written to the store's spool while the cluster is away: safe, not yet searchable
log = logging.getLogger(__name__)

_writers: dict[str, "ArticleWriter"] = {}

OnWritten = Callable[[str], None]
Fence = Callable[[], bool]  # asked once per batch: may this crawl still write (its lease is held)?
# Called after every batch a writer of this process has written: f(store_url, articles).
# How alert matching follows the writer without crawler/ knowing about alerts (the CLI adds it).
AfterFlush = Callable[[str, list[Article]], None]
after_flush: list[AfterFlush] = []


class ArticleWriter:
    def __init__(self, store: Store, url: str = ""):
        self.store = store
        self.url = url
        self.pending: list[tuple[Article, OnWritten, Fence | None]] = []
        self.oldest = 0.0
        self.users = 0
        self._bands: dict[int, set[str]] = {}
        self.unwritable: str | None = None  # set when the disk refused a write: the crawl stops on it

    def add(self, article: Article, on_written: OnWritten, fence: Fence | None = None) -> None:
        """Queue an article; `on_written(outcome)` runs once it is in the store (or needs no write).

        The outcome is one of `stored`, `duplicate`, `updated`, `unchanged`, `spooled` (the
        store keeps it in its spool until the cluster is back), or `error:store` when the write failed; the crawl state follows it, so a failed write is fetched again.
        What the article is to the store is decided when the batch is written, with one read
        of the store for the whole batch. With a `fence` that says no when the batch is written,
        the article is not written (`error:lease_lost`): the crawl holding the source now has it.
        """
        if not self.pending:
            self.oldest = time.monotonic()
        self.pending.append((article, on_written, fence))
        if len(self.pending) >= BATCH_SIZE or time.monotonic() - self.oldest >= BATCH_SECONDS:
            self.flush()

    def _classify(self, batch: list[tuple[Article, OnWritten]]) -> list[tuple[Article, str, OnWritten]]:
        """Each article's outcome, in order; an earlier article of the batch counts as stored."""
        try:
            known = self.store.get_many(a.id for a, _ in batch)
        except StoreUnavailable:
            known = {}  # a cluster that is away: written through the spool as new
        out, written = [], []
        self._bands: dict[int, set[str]] = {}  # each article's LSH bands, made once per batch
        new = [a for a, _ in batch if a.id not in known]
        stored_copies = dict(zip((id(a) for a in new), self.store.duplicate_candidates_many(
            [(a.content_hash, a.signature) for a in new]))) if new else {}
        for article, on_written in batch:
            before = known.get(article.id)
            if before is not None:
                article.duplicate_of = before.duplicate_of  # a rewrite keeps the story's link, or its absence
                if before.content_hash == article.content_hash and before.title == article.title:
                    out.append((article, "unchanged", on_written))
                    continue
                outcome = "updated"
            else:
                article.duplicate_of = self._original_of(article, stored_copies.get(id(article), []), written)
                outcome = "duplicate" if article.duplicate_of else "stored"
            known[article.id] = article
            written.append(article)
            out.append((article, outcome, on_written))
        return out

    def _original_of(self, article: Article, stored: list[Article], earlier: list[Article]) -> str | None:
        """Id of the stored article, or the one earlier in this batch, that this one copies."""
        bands = self._bands_of(article)
        waiting = [a for a in earlier if a.content_hash == article.content_hash or bands & self._bands_of(a)]
        candidates = stored + waiting
        return dedup.find_original(article.id, article.content_hash, article.signature, candidates)

    def _bands_of(self, article: Article) -> set[str]:
        bands = self._bands.get(id(article))  # by object: one id may come twice, edited
        if bands is None:
            bands = self._bands[id(article)] = set(signature_bands(article.signature))
        return bands

    @staticmethod
    def _fenced(pending: list) -> tuple[list[tuple[Article, OnWritten]], list[tuple[Article, str, OnWritten]]]:
        """The articles this batch may write, and those whose crawl lost its lease (each fence asked once)."""
        verdicts: dict[Fence, bool] = {}
        allowed, refused = [], []
        for article, on_written, fence in pending:
            if fence is not None and fence not in verdicts:
                try:
                    verdicts[fence] = fence()
                except Exception as exc:  # unsure: not written, left due
                    log.error("lease check failed: %s", exc)
                    verdicts[fence] = False
            if fence is not None and not verdicts[fence]:
                refused.append((article, "error:lease_lost", on_written))
            else:
                allowed.append((article, on_written))
        return allowed, refused

    def flush_if_due(self) -> None:
        """Write the batch once its oldest article has waited BATCH_SECONDS (called on a timer)."""
        if self.pending and time.monotonic() - self.oldest >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        pending, fenced = self._fenced(self.pending)
        self.pending = []
        try:
            batch = self._classify(pending)
            to_write = [a for a, outcome, _ in batch if outcome in WRITTEN]
            if to_write and self.store.upsert(to_write) < len(to_write):
                # the store spooled the batch (all of it): say so, so no one reads "stored"
                batch = [(a, SPOOLED if outcome in WRITTEN else outcome, done) for a, outcome, done in batch]
        except Exception as exc:  # counted per article and fetched again next crawl, never silent
            log.error("writing %d articles failed: %s", len(pending), exc, exc_info=True)
            if is_unwritable(exc):
                self.unwritable = f"the store {self.url} cannot be written: {exc}"
            batch = [(a, "error:store", done) for a, done in pending]
        for article, outcome, on_written in batch + fenced:
            try:
                on_written(outcome)
            except Exception as exc:  # its URL stays due in the crawl state: fetched again, not lost
                log.error("settling %s as %s failed: %s", article.url, outcome, exc)
        written = [a for a, outcome, _ in batch if outcome in WRITTEN]
        for hook in list(after_flush) if written else ():
            try:
                hook(self.url, written)
            except Exception as exc:  # a listener's failure never costs the crawl its articles
                log.error("after-flush hook %r failed: %s", hook, exc, exc_info=True)


def acquire(store_url: str, store_options: dict | None = None) -> ArticleWriter:
    """The process's writer for a store, opened on first use (options: see index.open_store)."""
    writer = _writers.get(store_url)
    if writer is None:
        writer = _writers[store_url] = ArticleWriter(open_store(store_url, **(store_options or {})), store_url)
    writer.users += 1
    return writer


def release(store_url: str) -> None:
    """Flush; close the store when the last spider using it is done."""
    writer = _writers[store_url]
    writer.flush()
    writer.users -= 1
    if writer.users == 0:
        writer.store.close()
        del _writers[store_url]
