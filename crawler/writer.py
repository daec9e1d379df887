"""Batched, deduplicating writes to the store, shared by every spider of one crawl process.

One writer per store URL per process: all spiders' articles meet in one pending batch, so a
syndicated copy is linked to its original even when both were fetched moments apart by two
spiders, and the store sees one bulk write per batch instead of one per article.
"""
from __future__ import annotations

import time
from typing import Callable

from crawler import dedup
from index.article import Article, signature_bands
from index.store import Store, open_store

BATCH_SIZE = 50
BATCH_SECONDS = 5.0  # a slow crawl still writes (and alerts can fire) within seconds

_writers: dict[str, "ArticleWriter"] = {}


class ArticleWriter:
    def __init__(self, store: Store):
        self.store = store
        self.pending: list[tuple[Article, Callable[[], None]]] = []
        self.oldest = 0.0
        self.users = 0

    def link_duplicate(self, article: Article) -> None:
        """Set `duplicate_of` from stored articles and the ones still waiting in the batch."""
        bands = set(signature_bands(article.signature))
        waiting = [a for a, _ in self.pending
                   if a.content_hash == article.content_hash or bands & set(signature_bands(a.signature))]
        candidates = self.store.duplicate_candidates(article.content_hash, article.signature) + waiting
        article.duplicate_of = dedup.find_original(article.id, article.content_hash, article.signature, candidates)

    def add(self, article: Article, on_written: Callable[[], None]) -> None:
        """Queue an article; `on_written` runs once it is in the store (crawl state follows it)."""
        if not self.pending:
            self.oldest = time.monotonic()
        self.pending = [(a, done) for a, done in self.pending if a.id != article.id] + [(article, on_written)]
        if len(self.pending) >= BATCH_SIZE or time.monotonic() - self.oldest >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        self.store.upsert([a for a, _ in batch])
        for _, on_written in batch:
            on_written()


def acquire(store_url: str, store_options: dict | None = None) -> ArticleWriter:
    """The process's writer for a store, opened on first use (options: see index.open_store)."""
    writer = _writers.get(store_url)
    if writer is None:
        writer = _writers[store_url] = ArticleWriter(open_store(store_url, **(store_options or {})))
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
