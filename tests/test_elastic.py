"""Elasticsearch-only behaviour on a real node: outage spool, migration, CLI, compose file."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from index.article import Article, article_id
from index.elastic import ElasticStore
from index.elastic.mapping import url_settings
from index.locations import elastic_nodes
from sampleweb import SampleWeb, SampleWebServer

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, cwd=ROOT)


@pytest.mark.faults  # a long crawl killed or cut off: the second step (make test-faults)
def test_outage_mid_crawl_loses_nothing(es_node, tmp_path):
    """Stop the node during a crawl; after it returns every on-topic article is there once."""
    url = f"{es_node.url}?index=outage"
    env = {"NEWSMON_HOME": str(tmp_path)}
    with SampleWebServer(SampleWeb(seed=11)) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(server.sources_toml(), encoding="utf-8")
        # a slowed crawl, so the node can be stopped while it runs
        crawl = subprocess.Popen(
            [sys.executable, "-m", "monitor.cli", "--store", url, "crawl", "--loopback", "--json",
             "--sources", str(sources), "--state", str(tmp_path / "state.db"),
             "--set", "DOWNLOAD_DELAY=0.3", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, **env})
        store = ElasticStore(url, spool=tmp_path / "unused.jsonl")
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and _safe_count(store) < 20:
            time.sleep(0.5)
        stored_before_outage = _safe_count(store)
        es_node.pause()
        try:
            out, errors = crawl.communicate(timeout=900)
        finally:
            es_node.resume()
        assert crawl.returncode == 0, errors[-3000:]
        truth = server.truth()
    spool = list((tmp_path / "spool").glob("*.jsonl"))
    assert spool and spool[0].stat().st_size > 0, "nothing was spooled while the node was down"
    assert 20 <= stored_before_outage

    # any newsmon command that opens the store replays the spool first
    result = cli("--store", url, "search", "Shusha", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] > 0
    assert not spool[0].exists()

    expected = {article_id(t.url) for t in truth if t.reachable and t.on_topic}
    # a truncated page is kept for what did arrive (and fetched again next crawl)
    partial = {article_id(t.url) for t in truth if t.broken == "truncated" and t.on_topic}
    store = ElasticStore(url, spool=tmp_path / "unused.jsonl")
    stored = {a.id for a in _all(store)}
    assert expected <= stored and stored - expected <= partial
    assert store.count() == len(stored)  # exactly once: ids are document ids


def _safe_count(store: ElasticStore) -> int:
    try:
        return store.count()
    except Exception:
        return 0


def _all(store: ElasticStore) -> list[Article]:
    out, page = [], 1
    while True:
        result = store.search("", size=500, page=page, facets=())
        out += [h.article for h in result.hits]
        if len(out) >= result.total or not result.hits:
            return out
        page += 1


def _articles(n: int) -> list[Article]:
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    return [Article(url=f"https://x.az/news/{i}", canonical_url=f"https://x.az/news/{i}", source="x",
                    title=f"Baku Ankara talks {i}", body=f"Azerbaijan and Türkiye discussed TANAP, round {i}.",
                    language="en", published_at=start + timedelta(hours=7 * i), matched=["tanap"])
            for i in range(n)]


def test_migration_keeps_search_answering(es_node, tmp_path):
    url = f"{es_node.url}?index=migrate"
    store = ElasticStore(url, spool=tmp_path / "spool.jsonl")
    store.upsert(_articles(3000))
    assert store.count() == 3000
    totals, failures, done = [], [], threading.Event()

    def search_loop():
        reader = ElasticStore(url, spool=tmp_path / "reader.jsonl")
        while not done.is_set():
            try:
                totals.append(reader.search("tanap", size=1).total)
            except Exception as exc:  # any error during the switch is a failure of the test
                failures.append(repr(exc))

    thread = threading.Thread(target=search_loop)
    thread.start()
    try:
        result = cli("--store", url, "index", "migrate", env={"NEWSMON_HOME": str(tmp_path)})
    finally:
        done.set()
        thread.join()
    assert result.returncode == 0, result.stderr
    assert "migrate_v1" in result.stdout and "migrate_v2" in result.stdout
    assert not failures, failures[:3]
    assert len(totals) > 5 and set(totals) == {3000}
    assert store.current_index() == "migrate_v2"
    assert store.count() == 3000


def test_bulk_upsert_is_idempotent_by_id(es_node, tmp_path):
    store = ElasticStore(f"{es_node.url}?index=idem", spool=tmp_path / "s.jsonl")
    batch = _articles(50)
    store.upsert(batch)
    batch[0].title = "Changed title about Shusha"
    store.upsert(batch)
    assert store.count() == 50
    assert store.get(batch[0].id).title == "Changed title about Shusha"


def test_a_url_of_several_nodes_moves_on_from_one_that_does_not_answer(es_node, tmp_path):
    from testkit.esnode import free_port

    silent = f"127.0.0.1:{free_port()}"  # nothing listens there
    url = f"http://{silent},{silent.replace('127.0.0.1', 'localhost')},127.0.0.1:{es_node.port}?index=several&replicas=0"
    store = ElasticStore(url, spool=tmp_path / "s.jsonl")
    for _ in range(5):  # round after round: each request gets to the node that answers
        store.upsert(_articles(10))
        assert store.search("Azerbaijan").total == 10 and not store.spooled()
    store.close()
    with pytest.raises(ValueError, match="shards"):
        ElasticStore(f"{es_node.url}?index=several&shards=0")


def test_writes_spool_when_cluster_unreachable(tmp_path):
    """No node at all: upserts land in the spool in order, none are lost."""
    store = ElasticStore("http://127.0.0.1:9?index=nowhere", spool=tmp_path / "spool.jsonl")
    store.es = store.es.options(max_retries=0, request_timeout=2)
    articles = _articles(5)
    store.upsert(articles[:3])
    store.upsert(articles[3:])
    assert [d["id"] for d in store.spooled()] == [a.id for a in articles]


def test_seq_unique_across_writers_and_assigned_to_spooled_articles_at_replay(es_node, tmp_path):
    """Two writers at once never share a seq; what waited in the spool is written after both."""
    articles = _articles(30)
    away = ElasticStore("http://127.0.0.1:9?index=seqs", spool=tmp_path / "spool.jsonl")
    away.es = away.es.options(max_retries=0, request_timeout=2)
    away.upsert(articles[:10])
    url = f"{es_node.url}?index=seqs"
    writers = [ElasticStore(url, spool=tmp_path / f"w{i}.jsonl") for i in range(2)]
    threads = [threading.Thread(target=lambda w=w, part=part: [w.upsert([a]) for a in part])
               for w, part in zip(writers, (articles[10:20], articles[20:30]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    mark = writers[0].last_seq()
    replayed = ElasticStore(url, spool=tmp_path / "spool.jsonl")  # opening the store replays the spool
    seqs = {a.id: a.seq for a in replayed.written_after(0, limit=100)}
    assert len(seqs) == 30 and len(set(seqs.values())) == 30
    assert min(seqs[a.id] for a in articles[:10]) > mark
    assert [a.id for a in replayed.written_after(mark)] == [a.id for a in articles[:10]]


def test_a_writer_after_another_one_gets_seqs_above_its(es_node, tmp_path):
    """Two stores writing in turn: each write's seq is above every one written before it."""
    url = f"{es_node.url}?index=stale"
    first, second = (ElasticStore(url, spool=tmp_path / f"w{i}.jsonl") for i in range(2))
    articles = _articles(3)
    first.upsert(articles[:1])
    second.upsert(articles[1:2])
    first.upsert(articles[2:])  # the counter moved since this store last wrote
    seqs = [first.get(a.id).seq for a in articles]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3


@pytest.mark.faults  # a long crawl killed or cut off: the second step (make test-faults)
def test_cluster_gone_between_the_create_and_the_rewrite_loses_nothing(es_node, tmp_path):
    """A batch of new and already-stored ids: the node stops after the create bulk, before the
    stored ones are read back and rewritten. The whole batch waits in the spool; replayed, every
    article is there once, the rewritten ones with their new text and their first sighting."""
    url = f"{es_node.url}?index=between"
    store = ElasticStore(url, spool=tmp_path / "spool.jsonl")
    store.es = store.es.options(max_retries=0, request_timeout=5)
    old = _articles(3)
    store.upsert(old)
    first_seen = {a.id: store.get(a.id).first_seen_at for a in old}
    edited = [Article.from_dict({**a.to_dict(), "body": a.body + " Edited.", "first_seen_at": None}) for a in old]
    new = [Article(url=f"https://x.az/news/new-{i}", canonical_url=f"https://x.az/news/new-{i}", source="x",
                   title=f"New Baku talks {i}", body="Azerbaijan and Türkiye met again.", language="en",
                   matched=["tanap"]) for i in range(2)]
    read_back = store._first_seen

    def node_gone_then_read_back(docs):
        es_node.pause()  # after the create bulk (the new ids are in), before the stored ids' rewrite
        return read_back(docs)

    store._first_seen = node_gone_then_read_back
    try:
        store.upsert([*edited, *new])
    finally:
        es_node.resume()
    assert {d["id"] for d in store.spooled()} == {a.id for a in [*edited, *new]}

    replayed = ElasticStore(url, spool=tmp_path / "spool.jsonl")  # opening the store replays the spool
    assert not replayed.spooled()
    stored = {a.id: a for a in replayed.written_after(0, limit=100)}
    assert set(stored) == {a.id for a in [*old, *new]} and replayed.count() == 5
    for article in edited:
        assert stored[article.id].body.endswith("Edited.")
        assert stored[article.id].first_seen_at == first_seen[article.id]
    assert len({a.seq for a in stored.values()}) == 5


def test_compose_file_is_valid():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    es = compose["services"]["elasticsearch"]
    assert es["image"].startswith("docker.elastic.co/elasticsearch/elasticsearch:8.")
    assert "healthcheck" in es and any("/usr/share/elasticsearch/data" in v for v in es["volumes"])
    for name in ("crawler", "newsmon", "web"):
        assert compose["services"][name]["environment"]["NEWSMON_STORE"] == "http://elasticsearch:9200"
    # the profile `cluster`: three nodes that find each other, and newsmon naming all three with a replica
    nodes = {name: compose["services"][name] for name in ("es1", "es2", "es3")}
    for name, node in nodes.items():
        assert node["profiles"] == ["cluster"] and node["image"] == es["image"] and "healthcheck" in node
        assert node["environment"]["node.name"] == name and node["environment"]["discovery.seed_hosts"] == "es1,es2,es3"
    assert len({v for node in nodes.values() for v in node["volumes"]}) == 3  # a data volume each
    for name in ("cluster-crawler", "cluster-web", "cluster-newsmon"):
        url = compose["services"][name]["environment"]["NEWSMON_STORE"]
        assert elastic_nodes(url) == (("es1", 9200), ("es2", 9200), ("es3", 9200))
        assert url_settings(url) == {"number_of_replicas": 1}
    tool = shutil.which("docker-compose")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("docker-compose (Debian package) is needed in CI to validate docker-compose.yml")
        pytest.skip("docker-compose not installed")
    for profile in ([], ["--profile", "cluster"]):
        proc = subprocess.run([tool, "-f", str(ROOT / "docker-compose.yml"), *profile, "config", "-q"],
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
