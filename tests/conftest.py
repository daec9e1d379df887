"""Shared fixtures: stores of every backend, so contract tests run unchanged against each."""
from __future__ import annotations

import pytest

from index.store import open_store

# Add "elasticsearch" here (and a branch in new_store) when index/elastic_store.py lands.
BACKENDS = ["sqlite"]


@pytest.fixture(scope="module", params=BACKENDS)
def new_store(request, tmp_path_factory):
    """A factory of fresh, empty stores of one backend; all are closed after the module."""
    opened = []

    def make():
        if request.param != "sqlite":
            pytest.skip(f"no store factory for {request.param} yet")
        store = open_store(f"sqlite:///{tmp_path_factory.mktemp('store') / 'test.db'}")
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(new_store):
    """An empty store of each backend."""
    return new_store()
