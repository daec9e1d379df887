"""A crawl keeps its source's lease while its reactor is busy: the renewals have a thread of their own.

Elasticsearch's story assignment can hold a crawl's reactor for seconds with one large batch; a
lease renewed on the reactor then ran out under a crawl that was alive and well, and a second
machine took the source and fetched its articles again. Here the reactor does not run at all.
"""
from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from scrapy.settings import Settings

from crawler.lease import SourceLease
from index.store import open_store

pytestmark = pytest.mark.faults  # waits out two lease terms: the second step (`make test-faults`)
TTL = 6.0


def test_a_busy_reactor_keeps_the_lease_and_a_second_holder_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    crawler = SimpleNamespace(settings=Settings({"NEWSMON_STORE": url, "NEWSMON_STORE_OPTIONS": {}}))
    lease = SourceLease(crawler, "machine-1", TTL)
    lease.spider_opened(SimpleNamespace(source=SimpleNamespace(id="apa")))
    other = open_store(url)
    try:
        first = other.lock_state("crawl:apa")
        assert first is not None and first.holder == "machine-1"
        time.sleep(2 * TTL + 1)  # this thread is the reactor, and it is busy the whole time
        assert lease.lost is None and lease.held()
        assert not other.acquire_lock("crawl:apa", "machine-2", TTL), "the lease ran out under a live crawl"
        now = other.lock_state("crawl:apa")
        assert now.holder == "machine-1" and now.token == first.token
        assert now.expires_at > first.expires_at, "never renewed"
    finally:
        lease.shutdown()
        other.close()
    assert not lease.renewer.is_alive()
