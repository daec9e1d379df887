"""Several machines on one Elasticsearch: each URL fetched once, each alert delivery sent once,
sources split between schedulers, a killed scheduler taken over, a stalled one fenced off.

A "machine" is a `newsmon schedule` process with its own NEWSMON_HOME (its outbox, logs and
spool) and its own User-Agent, so the sample web's request log says which machine asked.
"""
from __future__ import annotations

import itertools
import time
from collections import defaultdict
from urllib.parse import urlsplit

import psutil
import pytest

from index.elastic import ElasticStore
from index.store import Filters
from monitor.alerts.outbox import Outbox
from sampleweb import SampleWeb, SampleWebServer
from testkit.alert_receivers import WebhookReceiver
from testkit.faultkit import LEASE, SLOW, newsmon, scheduler, stop, takeover, tree
from tests.test_schedule import sources_with_interval, wait_for

pytestmark = pytest.mark.faults  # the second step of the test suite: `make test-faults`
_names = itertools.count(1)


def fetched_by(server) -> dict[str, set[str]]:
    """Article URL -> the machines that fetched it with an answer of 200."""
    by_url: dict[str, set[str]] = defaultdict(set)
    for (method, url, status), (agent, _, _) in zip(server.request_log, server.agents):
        if method == "GET" and status == 200:
            by_url[url].add(agent)
    return by_url


@pytest.fixture
def cluster(es_node, tmp_path):
    url = f"{es_node.url}?index=machines-{next(_names)}"
    yield url
    store = ElasticStore(url)
    store.es.indices.delete(index=f"{store.alias}*", ignore_unavailable=True)
    store.close()


def test_two_machines_fetch_each_article_once_split_the_sources_and_send_each_delivery_once(cluster, tmp_path):
    homes = [tmp_path / "m1", tmp_path / "m2"]
    with WebhookReceiver() as hook, SampleWebServer(SampleWeb(seed=7)) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(sources_with_interval(server, "1h"), encoding="utf-8")
        added = newsmon(cluster, homes[0], "alerts", "add", "beat", "Azerbaijan", "--webhook", hook.url,
                        "--allow-private", "--grace", "3650d")  # the sample web's articles are news, not backlog
        assert added.wait(60) == 0, added.stderr.read()
        store = ElasticStore(cluster)
        floor = store.last_seq()
        ids = {s["id"] for s in _source_ids(sources)}
        machines = [scheduler(cluster, home, sources, f"machine-{n}") for n, home in enumerate(homes, 1)]
        try:
            def finished() -> set[str]:
                return {r["source"] for r in store.runs(limit=1000) if r["finish_reason"] == "finished"}
            wait_for(lambda: finished() == ids, 300, "a finished run of every source")
        finally:
            stop(*machines)
        for home in homes:  # what is still pending on either machine goes out now
            done = newsmon(cluster, home, "alerts", "deliver")
            assert done.wait(120) == 0, done.stderr.read()
        runs = store.runs(limit=1000)
        truth = server.truth()
        fetched = fetched_by(server)
    articles = {t.url for t in truth if t.reachable}
    both = sorted(u for u in articles if len(fetched.get(u, ())) > 1)
    assert not both, f"{len(both)} articles fetched by both machines: {both[:3]}"
    assert len({r["holder"] for r in runs}) == 2, "one scheduler took every source"
    delivered = [r["json"]["delivery_id"] for r in hook.requests]
    assert len(delivered) == len(set(delivered)), "a delivery was sent twice"
    matching = {h.article.id for h in store.search("Azerbaijan", Filters(after_seq=floor), size=500).hits
                if not h.article.duplicate_of}
    sent = {r["json"]["article"]["id"] for r in hook.requests}
    outboxes = [Outbox(next(home.glob("outbox-*.db"))) for home in homes]
    missing = {a: [o.status_of("beat", a) for o in outboxes] for a in matching - sent}
    # not sent: only a syndicated copy of a story the alert already sent, as each machine decided
    # (two writers at once can each store one copy unlinked; the matcher still sees them as one story)
    assert matching and sent <= matching, sent - matching
    assert all(rows and all(status == "suppressed" for r in rows for _, status, _ in r)
               for rows in missing.values()), missing
    store.close()


def test_a_killed_scheduler_is_taken_over_within_the_lease(cluster, tmp_path):
    with SampleWebServer(SampleWeb(seed=7)) as server:
        took = takeover(cluster, tmp_path, server)
    print(f"takeover after SIGKILL: {took.seconds:.1f} s (lease {LEASE:.0f} s)")
    for name, before in took.before.items():  # a new holder, with a new fencing token
        assert took.after[name].holder != before.holder and took.after[name].token > before.token
    # the lease, plus the orphaned crawl's graceful stop (it renews until it ends) and a poll
    assert took.seconds < LEASE + 10
    assert "shutdown" in {r["finish_reason"] for r in took.runs}, "the killed scheduler's crawl left no run"


def test_a_stalled_scheduler_never_fetches_beside_the_one_that_took_over(cluster, tmp_path):
    with SampleWebServer(SampleWeb(seed=7)) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(sources_with_interval(server, "1h"), encoding="utf-8")
        store = ElasticStore(cluster)
        first = scheduler(cluster, tmp_path / "m1", sources, "machine-1", *SLOW)
        second = None
        try:
            wait_for(lambda: sum(a == "machine-1" for a, _, _ in server.agents) >= 10, 120, "the first machine crawling")
            paused = tree(first)  # a paused machine: the scheduler, its crawl and the crawl's workers
            for proc in paused:
                proc.suspend()
            second = scheduler(cluster, tmp_path / "m2", sources, "machine-2", *SLOW)
            wait_for(lambda: sum(a == "machine-2" for a, _, _ in server.agents) >= 10, 120,
                     "the second machine crawling the stalled one's sources")
            for proc in paused:
                proc.resume()
            resumed = time.time()
            # the stalled crawl finds its leases gone and ends; its scheduler goes on, waiting
            wait_for(lambda: not any(_crawling(p) for p in tree(first)[1:]), 60, "the stalled crawl ending")
            wait_for(lambda: "lease_lost" in {r["finish_reason"] for r in store.runs(limit=1000)}, 30,
                     "the stalled crawl's run recorded")
        finally:
            stop(first, *([second] if second else []))
        agents = list(server.agents)
    late = [(u, t - resumed) for a, u, t in agents if a == "machine-1" and t > resumed]
    assert not late, f"the stalled machine fetched {len(late)} pages after waking: {late[:3]}"
    for host in {urlsplit(u).netloc for _, u, _ in agents}:
        first_times = [t for a, u, t in agents if a == "machine-1" and urlsplit(u).netloc == host]
        second_times = [t for a, u, t in agents if a == "machine-2" and urlsplit(u).netloc == host]
        if first_times and second_times:  # one after the other, never interleaved
            assert max(first_times) < min(second_times), host
    store.close()


def _crawling(proc: psutil.Process) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE and "crawl" in proc.cmdline()
    except psutil.Error:
        return False


def _source_ids(path) -> list[dict]:
    import tomllib

    return tomllib.loads(path.read_text(encoding="utf-8"))["source"]
