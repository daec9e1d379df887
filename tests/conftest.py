"""Shared fixtures: stores of every backend, so contract tests run unchanged against each.

Elasticsearch tests use one real node for the whole session (tests/esnode.py starts it from
Maven Central's distribution and stops it at the end, also on failure). In CI a node that
cannot start fails those tests; elsewhere they are skipped with the reason.
"""
from __future__ import annotations

import itertools
import os

import pytest

from index.store import open_store

BACKENDS = ["sqlite", "elasticsearch"]
_names = itertools.count(1)


@pytest.fixture(scope="session")
def es_node():
    """A real Elasticsearch node on loopback for the session."""
    from tests.esnode import ElasticNode, NodeError

    node = ElasticNode()
    try:
        node.start()
    except NodeError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Elasticsearch must run in CI: {exc}")
        pytest.skip(f"Elasticsearch unavailable here: {exc}")
    yield node
    node.stop()


@pytest.fixture(scope="module", params=BACKENDS)
def new_store(request, tmp_path_factory):
    """A factory of fresh, empty stores of one backend; all are closed after the module."""
    opened = []
    if request.param == "elasticsearch":
        node = request.getfixturevalue("es_node")

    def make():
        if request.param == "sqlite":
            store = open_store(f"sqlite:///{tmp_path_factory.mktemp('store') / 'test.db'}")
        else:
            from index.elastic_store import ElasticStore

            spool = tmp_path_factory.mktemp("spool") / "spool.jsonl"
            store = ElasticStore(f"{node.url}?index=contract-{next(_names)}", spool=spool)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(new_store):
    """An empty store of each backend."""
    return new_store()


def pytest_terminal_summary(terminalreporter):
    """Say plainly whether the Elasticsearch tests ran, so a green run cannot hide a skip."""
    from tests.esnode import ES_VERSION

    def on_es(reports) -> int:
        return sum(1 for r in reports if "elasticsearch" in r.nodeid or "test_elastic.py" in r.nodeid)

    stats = terminalreporter.stats
    ran, failed, skipped = on_es(stats.get("passed", [])), on_es(stats.get("failed", [])), on_es(stats.get("skipped", []))
    if ran or failed or skipped:
        terminalreporter.write_line(
            f"Elasticsearch {ES_VERSION} tests against a real node: {ran} ran and passed, "
            f"{failed} failed, {skipped} skipped")
