"""Batched, deduplicating writes to the store, shared by every spider of one crawl process.

One writer per store URL per crawl process (a `WriterPool` the process's runner owns): all
spiders' articles meet in one pending batch, so a syndicated copy is linked to its original even
when both were fetched moments apart by two spiders, and the store sees one bulk write per batch
instead of one per article.

The writer also decides what a fetched article is to the store: new (`stored`, or `duplicate`
when it copies a stored story), `updated` (same id, new content: it keeps its link or its
absence of one), or `unchanged` (same id and content: nothing is written, so no new `seq`).
`StoreWriter` is the Scrapy extension over it (shaped like Scrapy's FeedExporter).
"""
from __future__ import annotations

import logging
import time
from typing import Callable

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.items import BuiltArticle
from crawler.lease import SourceLease
from crawler.outcomes import LEASE_LOST, STORE_ERROR, WRITTEN, Outcome, Standing, is_error
from crawler.signals import batch_written, settle
from crawler.stages import StageOptions, dedup
from crawler.stages.dedup import DEFAULT_DEDUP, DedupOptions
from crawler.stopping import stop_unwritable
from crawler.stories import StoryAssigner
from index.article import Article, signature_bands
from index.store import Store, StoreUnavailable, is_unwritable, open_store, store_scheme

BATCH_SIZE = 50
# SQLite's page cache per connection of a crawl's store (the store's default, 64 MiB, is for facets):
# it fills as the file grows, and a crawl writes and looks up copies and stories, it does not facet
WRITE_CACHE_MIB = 8
BATCH_SECONDS = 5.0  # a slow crawl still writes (and alerts can fire) within seconds
log = logging.getLogger(__name__)

OnWritten = Callable[[str], None]
Fence = Callable[[], bool]  # asked once per batch: may this crawl still write (its lease is held)?


class ArticleWriter:
    """One store's pending batch: what each article is to the store, written in one bulk write."""

    def __init__(self, store: Store, url: str = "", signals: list | None = None,
                 dedup_options: DedupOptions = DEFAULT_DEDUP):
        self.store = store
        self.url = url
        self.near_threshold = dedup_options.near_threshold
        # the signal managers told of each written batch (batch_written): every crawler writing here
        self.signals = list(signals or [])
        self.pending: list[tuple[Article, OnWritten, Fence | None]] = []
        self.oldest = 0.0
        self._bands: dict[int, set[str]] = {}
        self.unwritable: str | None = None  # set when the disk refused a write: the crawl stops on it
        self.stories = StoryAssigner(store)

    def add(self, article: Article, on_written: OnWritten, fence: Fence | None = None) -> None:
        """Queue an article; `on_written(outcome)` runs once it is in the store (or needs no write).

        The outcome is one of `stored`, `duplicate`, `updated`, `unchanged`, `spooled` (the
        store keeps it in its spool until the cluster is back), or `error:store` when the write
        failed; the crawl state follows it, so a failed write is fetched again.
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
                article.story_id = before.story_id
                if before.content_hash == article.content_hash and before.title == article.title:
                    out.append((article, Outcome.UNCHANGED, on_written))
                    continue
                outcome = Outcome.UPDATED
            else:
                article.duplicate_of = self._original_of(article, stored_copies.get(id(article), []), written)
                outcome = Outcome.DUPLICATE if article.duplicate_of else Outcome.STORED
            known[article.id] = article
            written.append(article)
            out.append((article, outcome, on_written))
        return out

    def _original_of(self, article: Article, stored: list[Article], earlier: list[Article]) -> str | None:
        """Id of the stored article, or the one earlier in this batch, that this one copies."""
        bands = self._bands_of(article)
        waiting = [a for a in earlier if a.content_hash == article.content_hash or bands & self._bands_of(a)]
        candidates = stored + waiting
        return dedup.find_original(article.id, article.content_hash, article.signature, candidates,
                                   self.near_threshold)

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
                refused.append((article, LEASE_LOST, on_written))
            else:
                allowed.append((article, on_written))
        return allowed, refused

    def _save_stories(self, batch: list[tuple[Article, str]]) -> None:
        change = self.stories.assign(batch)
        try:
            self.store.save_stories(change)
        except StoreUnavailable as exc:  # the articles go to the spool with their stories' ids
            log.warning("story state not saved: %s", exc)

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
            if to_write:  # stories saved first: a state counts each member once, written again or not
                self._save_stories([(a, o) for a, o, _ in batch if o in WRITTEN])
            if to_write and self.store.upsert(to_write) < len(to_write):
                # the store spooled the batch (all of it): say so, so no one reads "stored"
                batch = [(a, Outcome.SPOOLED if outcome in WRITTEN else outcome, done) for a, outcome, done in batch]
        except Exception as exc:  # counted per article and fetched again next crawl, never silent
            log.error("writing %d articles failed: %s", len(pending), exc, exc_info=True)
            if is_unwritable(exc):
                self.unwritable = f"the store {self.url} cannot be written: {exc}"
            batch = [(a, STORE_ERROR, done) for a, done in pending]
        for article, outcome, on_written in batch + fenced:
            try:
                on_written(outcome)
            except Exception as exc:  # its URL stays due in the crawl state: fetched again, not lost
                log.error("settling %s as %s failed: %s", article.url, outcome, exc)
        written = [a for a, outcome, _ in batch if outcome in WRITTEN]
        for manager in list(self.signals) if written else ():
            # send_catch_log: a listener's failure never costs the crawl its articles
            manager.send_catch_log(batch_written, store_url=self.url, articles=written)

    def close(self) -> None:
        self.flush()
        self.store.close()


class WriterPool:
    """The writers of one crawl process, one per store URL, shared by its crawlers.

    Owned by whoever runs the crawlers (monitor/crawl.py sets it as `crawler.newsmon_writers`
    on each); a crawler without one makes its own. A writer closes with its last user.
    """

    def __init__(self):
        self.writers: dict[str, ArticleWriter] = {}
        self.users: dict[str, int] = {}

    def acquire(self, store_url: str, store_options: dict | None = None, signals=None,
                dedup_options: DedupOptions = DEFAULT_DEDUP) -> ArticleWriter:
        """The writer for a store, opened on first use (options: see index.open_store)."""
        writer = self.writers.get(store_url)
        if writer is None:
            options = dict(store_options or {})
            if store_scheme(store_url) == "sqlite":
                options.setdefault("cache_mib", WRITE_CACHE_MIB)
            store = open_store(store_url, **options)
            writer = self.writers[store_url] = ArticleWriter(store, store_url, dedup_options=dedup_options)
            self.users[store_url] = 0
        if signals is not None:
            writer.signals.append(signals)
        self.users[store_url] += 1
        return writer

    def release(self, store_url: str, signals=None) -> None:
        """Flush; close the store when the last crawler using it is done."""
        writer = self.writers[store_url]
        writer.flush()
        if signals is not None:
            writer.signals.remove(signals)
        self.users[store_url] -= 1
        if self.users[store_url] == 0:
            writer.store.close()
            del self.writers[store_url], self.users[store_url]


class StoreWriter:
    """Scrapy extension: each BuiltArticle scraped goes to the store's writer; its outcome comes
    back as article_settled once its batch is written (flushed by size and on a timer)."""

    def __init__(self, crawler, pool: WriterPool):
        self.crawler, self.pool = crawler, pool
        self.store_url = crawler.settings.get("NEWSMON_STORE")
        self.store_options = crawler.settings.getdict("NEWSMON_STORE_OPTIONS")
        self.dedup_options = StageOptions.from_dict(crawler.settings.getdict("NEWSMON_STAGE_OPTIONS")).dedup
        self.writer: ArticleWriter | None = None
        self.fence: Fence | None = None
        self.timer: task.LoopingCall | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("NEWSMON_STORE"):
            raise NotConfigured("no store: NEWSMON_STORE is not set")
        return cls(crawler, getattr(crawler, "newsmon_writers", None) or WriterPool())

    def spider_opened(self, spider) -> None:
        self.writer = self.pool.acquire(self.store_url, self.store_options, self.crawler.signals, self.dedup_options)
        lease = self.crawler.get_downloader_middleware(SourceLease)
        self.fence = lease.fence if lease is not None else None
        self.timer = task.LoopingCall(self.writer.flush_if_due)
        self.timer.start(1.0, now=False)

    def spider_closed(self, spider) -> None:
        if self.timer is not None and self.timer.running:
            self.timer.stop()
        if self.writer is not None:  # the last batch's outcomes still come back through `written`
            self.pool.release(self.store_url, self.crawler.signals)

    def item_scraped(self, item, spider) -> None:
        if not isinstance(item, BuiltArticle) or item.article is None:
            return
        try:
            self.writer.add(item.article, lambda result: self.written(item, result), self.fence)
        except Exception:  # the store refused even to be asked: counted, fetched again next crawl
            log.exception("queueing %s for the store failed", item.url)
            settle(self.crawler, item.page.source.id, item.page.urls, STORE_ERROR)

    def written(self, item: BuiltArticle, result: str) -> None:
        """The URL is settled only once its article is written: a crash before then refetches it,
        and a failed write leaves it to be fetched again (no validators kept)."""
        page, unwritable = item.page, self.writer.unwritable if self.writer else None
        if result == LEASE_LOST or (result == STORE_ERROR and unwritable):
            # not recorded: the URL stays due, and a disk full for many crawls does not wear
            # down its five tries (nor does another crawl holding the source)
            settle(self.crawler, page.source.id, page.urls, result, standing=None)
            if unwritable:
                stop_unwritable(self.crawler, unwritable)
        elif is_error(result):
            settle(self.crawler, page.source.id, page.urls, result)
        else:
            standing = Standing.DUPLICATE if item.article.duplicate_of else Standing.STORED
            settle(self.crawler, page.source.id, page.urls, result, standing=standing,
                   etag=page.etag, last_modified=page.last_modified)
