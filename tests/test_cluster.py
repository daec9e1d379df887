"""Three Elasticsearch nodes on loopback: the store contract on a replicated index, and one node
killed in the middle of a crawl (nothing lost, nothing twice, searches answered throughout).

The cluster is testkit's ElasticCluster (the test distribution, 320 MB heaps). Store URLs name
every node (`http://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3?index=x&replicas=1`) unless a test
says otherwise.
"""
from __future__ import annotations

import inspect
import itertools
import subprocess
import threading
import time

import pytest

from index.elastic import ElasticStore
from sampleweb import SampleWeb, SampleWebServer
from testkit import faultkit
from tests import test_store_contract as contract

pytestmark = pytest.mark.faults  # the second step of the test suite: `make test-faults`
_names = itertools.count(1)

# The contract suite, test for test, on the cluster: every test of tests/test_store_contract.py
# that takes a store (its fixtures come along; `new_store` below gives them cluster stores).
_STORE_FIXTURES = {"store", "new_store", "corpus", "storied"}
corpus, storied = contract.corpus, contract.storied
for _name, _test in vars(contract).items():
    if _name.startswith("test_") and _STORE_FIXTURES & set(inspect.signature(_test).parameters):
        globals()[_name] = _test


@pytest.fixture(scope="module", params=["elasticsearch-cluster"])
def new_store(es_cluster, tmp_path_factory):
    """Fresh stores on the cluster, each index with one replica (conftest's fixture, overridden)."""
    opened = []

    def make():
        spool = tmp_path_factory.mktemp("spool") / "spool.jsonl"
        store = ElasticStore(f"{es_cluster.url}?index=cluster-contract-{next(_names)}&replicas=1", spool=spool)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def _layout(store: ElasticStore, index: str) -> tuple[int, int]:
    found = store.es.indices.get_settings(index=index)
    settings = next(iter(found.values()))["settings"]["index"]
    return int(settings["number_of_shards"]), int(settings["number_of_replicas"])


def test_the_index_has_the_urls_shards_and_replicas_on_every_node(es_cluster):
    store = ElasticStore(f"{es_cluster.url}?index=cluster-layout&replicas=1&shards=3")
    store.runs(limit=1)  # the runs' index, made on first use
    assert _layout(store, store.current_index()) == (3, 1)
    for side in (store.counters, store.locks, store.runs_index):
        assert _layout(store, side) == (1, 1), side
    # every copy assigned: a primary and its replica on different nodes, spread over all three
    health = store.es.cluster.health(index="cluster-layout*", wait_for_status="green", timeout="60s")
    assert health["status"] == "green" and health["active_shards"] == 2 * 3 + 2 * 3
    shards = store.es.cat.shards(index=store.current_index(), format="json")
    assert len({s["node"] for s in shards}) == 3
    old, new, _ = store.migrate()
    assert _layout(store, new) == (3, 1)
    store.close()
    # a URL asking for more replicas changes an existing index in place (shards need a migrate)
    with ElasticStore(f"{es_cluster.url}?index=cluster-layout&replicas=2") as more:
        assert _layout(more, new) == (3, 2)
    with pytest.raises(ValueError, match="replicas"):
        ElasticStore(f"{es_cluster.url}?index=cluster-layout&replicas=-1")


class Poller(threading.Thread):
    """Searches a store over and over until stopped: each answer's time, or the error it got.
    A raw search beside the store's checks that no shard went unanswered (a partial answer)."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.store = ElasticStore(url)
        self.answers: list[float] = []
        self.errors: list[tuple[float, str]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            at = time.monotonic()
            try:
                self.store.search("Azerbaijan", size=10)
                raw = self.store.es.search(index=self.store.alias, size=0, query={"match_all": {}})
                if raw["_shards"]["failed"]:
                    raise AssertionError(f"a partial answer: {raw['_shards']}")
                self.answers.append(at)
            except Exception as exc:  # every kind counts: the test says which it saw
                self.errors.append((at, f"{type(exc).__name__}: {str(exc)[:200]}"))
            self.done.wait(0.2)

    def stop(self) -> None:
        self.done.set()
        self.join(60)
        self.store.close()


def test_a_node_killed_mid_crawl_loses_nothing_stores_nothing_twice_and_searches_go_on(es_cluster, tmp_path):
    victim = es_cluster.master()  # the hardest one to lose: a new master is elected meanwhile
    survivor = next(n for n in es_cluster.nodes if n is not victim)
    options = "?index=cluster-crawl&replicas=1&shards=2"
    # the crawl's URL names the victim first, the others after it: its client must move on
    hosts = [victim, *(n for n in es_cluster.nodes if n is not victim)]
    store_url = "http://" + ",".join(f"127.0.0.1:{n.port}" for n in hosts) + options
    ElasticStore(store_url).close()  # the index, before anyone searches it
    pollers = [Poller(store_url), Poller(f"{survivor.url}{options}")]  # all nodes; a survivor only
    with SampleWebServer(SampleWeb(seed=7)) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(server.sources_toml(), encoding="utf-8")
        log = tmp_path / "crawl.log"  # a file, not a pipe: nobody reads the crawl's log while it runs
        crawl = subprocess.Popen(faultkit.crawl_argv(store_url, sources), env=faultkit.home_env(tmp_path / "home"),
                                 stdout=subprocess.DEVNULL, stderr=log.open("w"))
        for poller in pollers:
            poller.start()
        try:
            faultkit.wait_until(lambda: pollers[0].store.count() >= 20 or crawl.poll() is not None, 300,
                                "the crawl's first articles")
            assert crawl.poll() is None, f"the crawl ended before the node was killed: {log.read_text()[-2000:]}"
            stored_before = pollers[0].store.count()
            victim.kill()
            killed = time.monotonic()
            crawl.wait(timeout=900)
            ended = time.monotonic()
        finally:
            for poller in pollers:
                poller.stop()
            if crawl.poll() is None:
                crawl.kill()
                crawl.wait()
        truth = server.truth()
    assert crawl.returncode == 0, log.read_text()[-3000:]
    with ElasticStore(store_url) as store:  # every index the crawl made has the URL's replica
        made = store.es.indices.get_settings(index="cluster-crawl*", name="index.number_of_replicas")
    assert len(made) >= 5 and {v["settings"]["index"]["number_of_replicas"] for v in made.values()} == {"1"}, made
    spool = list((tmp_path / "home").glob("spool/*.jsonl"))
    assert not any(p.stat().st_size for p in spool), "the crawl spooled articles: the cluster was called away"
    run = faultkit.judge("a node SIGKILLed mid-crawl", truth, store_url, [crawl.returncode])
    print(f"{run.stored}/{run.expected} stored ({stored_before} before the kill); the crawl ran "
          f"{ended - killed:.0f} s after it; searches: {[len(p.answers) for p in pollers]} answered")
    assert not run.lost, f"{len(run.lost)} of {run.expected} lost: {run.lost[:5]}"
    assert not run.duplicated, run.duplicated[:5]
    assert run.stored == run.expected and stored_before < run.expected
    for poller, name in zip(pollers, ("every node", "a surviving node")):
        assert not poller.errors, f"searches through {name} failed: {poller.errors[:3]}"
        during = [t for t in poller.answers if killed <= t <= ended]
        assert len(during) >= 5, f"searches through {name}: only {len(during)} answered during the outage"
