"""A crawl holds its source's lease in the store, and stops the moment it is no longer sure it does.

The scheduler takes the lease (`crawl:SOURCE`, with a fencing token) and starts the crawl with
its holder name; the crawl renews the lease itself every third of its time, so a scheduler that
stalls does not make a running crawl lose it, and a crawl that stalls (a paused machine) finds on
waking that it expired. The renewals run on a thread of their own with their own store
connection: a reactor busy with a long batch (story assignment on a cluster) still keeps its
lease, while a whole process that stalls does not. Once it is lost, every request is refused
here, the writer refuses its articles (they stay due), and the crawl is closed: two crawls of
one source never overlap.
"""
from __future__ import annotations

import threading
import time

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from index.store import open_store

LEASE_LOST = "lease_lost"  # the finish reason of a crawl that lost its source's lease


class LeaseLost(IgnoreRequest):
    """A request refused because its crawl no longer holds the source's lease."""


class SourceLease:
    """Downloader middleware: renews the lease, refuses requests once it is lost (NEWSMON_LEASE_HOLDER)."""

    def __init__(self, crawler, holder: str, ttl: float):
        self.crawler, self.holder, self.ttl = crawler, holder, ttl
        self.name = ""
        self.token = 0
        self.valid_until = 0.0  # monotonic time the lease is sure to be ours until
        self.lost: str | None = None
        self.store = None  # the reactor's connection: the first renewal and the writer's fence
        self.stopping = threading.Event()
        self.renewer: threading.Thread | None = None

    @classmethod
    def from_crawler(cls, crawler):
        holder = crawler.settings.get("NEWSMON_LEASE_HOLDER")
        if not holder:
            raise NotConfigured("no lease: a crawl not started by the scheduler")
        lease = cls(crawler, holder, crawler.settings.getfloat("NEWSMON_LEASE_SECONDS"))
        crawler.signals.connect(lease.spider_opened, signal=signals.spider_opened)
        return lease

    def spider_opened(self, spider) -> None:
        spider.lease = self
        self.name = f"crawl:{spider.source.id}"
        self.store = self._open_store()
        from twisted.internet import reactor  # the one Scrapy installed (importing it earlier would pick another)

        # renewed until the whole crawl process ends, not only this spider: its run is recorded
        # (and its lease released) at the end, and meanwhile no other scheduler should take it
        reactor.addSystemEventTrigger("before", "shutdown", self.shutdown)
        lost = self.renew(self.store)
        if lost:
            self._lose(lost)
            return
        self.renewer = threading.Thread(target=self._keep_renewing, args=(reactor,),
                                        name=f"lease {self.name}", daemon=True)
        self.renewer.start()

    def _open_store(self):
        return open_store(self.crawler.settings.get("NEWSMON_STORE"),
                          **self.crawler.settings.getdict("NEWSMON_STORE_OPTIONS"))

    def _keep_renewing(self, reactor) -> None:
        store = self._open_store()  # a connection of this thread's own (SQLite's stay in theirs)
        try:
            while not self.stopping.wait(self.ttl / 3) and not self.lost:
                lost = self.renew(store)
                if lost:  # stopping the crawl is the reactor's work
                    reactor.callFromThread(self._lose, lost)
                    return
        finally:
            store.close()

    def shutdown(self) -> None:
        self.stopping.set()
        if self.renewer is not None:
            self.renewer.join(timeout=self.ttl)
        if self.store is not None:
            self.store.close()

    def renew(self, store) -> str | None:
        """Take the lease for another term; why it is lost, if it is."""
        asked = time.monotonic()
        try:
            token = store.acquire_lock(self.name, self.holder, self.ttl)
        except Exception as exc:  # the store away or busy: still ours until it would have expired
            if time.monotonic() >= self.valid_until:
                return f"the store is away and the lease ran out ({exc})"
            return None
        if not token or (self.token and token != self.token):
            return f"{self.name} is held by another crawl now"
        self.token = token
        self.valid_until = asked + self.ttl * 0.9  # a margin for clocks that drift a little
        return None

    def held(self) -> bool:
        """Ours, as far as this process can tell without asking (refusing requests costs nothing)."""
        if self.lost is None and time.monotonic() >= self.valid_until:
            self._lose(f"{self.name} expired while this crawl was stalled")
        return self.lost is None

    def fence(self) -> bool:
        """Asked by the writer before each write: ours, checked against the store with our token."""
        if not self.held():
            return False
        try:
            if self.store.holds_lock(self.name, self.holder, self.token):
                return True
        except Exception:  # the store away or busy: the lease's own expiry above still bounds it
            return True
        self._lose(f"{self.name} is held by another crawl now")
        return False

    def _lose(self, why: str) -> None:
        if self.lost is not None:
            return
        self.lost = why
        spider = self.crawler.spider
        spider.logger.error("stopping the crawl: %s", why)
        self.crawler.stats.set_value("newsmon/lease_lost", why)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=LEASE_LOST))

    async def process_request(self, request):
        if not self.held():
            raise LeaseLost(f"lease lost: {self.lost}")
        return None
