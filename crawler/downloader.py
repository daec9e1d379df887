"""Scrapy's downloader, with its per-host concurrency kept also when there is no download delay.

Scrapy 2.19 takes a request off a host's queue and starts its download in a new asyncio task;
the request joins the slot's `transferring` set only once that task first runs. The loop that
empties the queue therefore sees every transfer slot still free and starts the whole queue at
once. With a download delay it starts one request per turn, so polite crawls never showed it;
with none (AutoThrottle off, a loopback crawl) one host got up to CONCURRENT_REQUESTS at once,
and Twisted's pool, which keeps CONCURRENT_REQUESTS_PER_DOMAIN idle connections per host,
opened and closed a TCP connection for every other request (a tenth of the crawl process's
time in the throughput benchmark). Here a request counts as transferring from the moment it
leaves the queue; `_download` adding it again is a no-op on the set.

A request also leaves the queue only while the crawl holds its source's lease (crawler/lease.py):
a request that waited in a host's queue through a stall is refused, not sent beside the crawl
that took the source over meanwhile.
"""
from __future__ import annotations

from time import monotonic

from scrapy.core import downloader as scrapy_downloader
from scrapy.core.downloader import Slot
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro
from twisted.python.failure import Failure

from crawler.lease import LeaseLost


class Downloader(scrapy_downloader.Downloader):
    async def _wait_for_download(self, slot: Slot, request, queue_dfd) -> None:
        lease = getattr(self.crawler.spider, "lease", None)
        if lease is not None and not lease.held():
            slot.transferring.discard(request)
            queue_dfd.errback(Failure(LeaseLost(f"lease lost: {lease.lost}")))
            self._process_queue(slot)
            return
        await super()._wait_for_download(slot, request, queue_dfd)

    def _process_queue(self, slot: Slot) -> None:
        if slot.latercall:
            return  # a delayed call will process the queue
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)  # taken now, not when the task first runs
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:  # one request per delay: the next turn comes from the delayed call
                self._process_queue(slot)
                break
