"""Shared fixtures: stores of every backend, so contract tests run unchanged against each.

Elasticsearch tests use one real node for the whole session (testkit/esnode.py starts it from
Maven Central's distribution and stops it at the end, also on failure). In CI a node that
cannot start fails those tests; elsewhere they are skipped with the reason.
"""
from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from index.store import open_store

BACKENDS = ["sqlite", "elasticsearch"]
_names = itertools.count(1)
USER_HOME = Path.home() / ".newsmon"  # the user's own: the suite must never write there
_USER_FILES = pytest.StashKey[dict]()
_WRITTEN = pytest.StashKey[list]()
ROOT = Path(__file__).resolve().parents[1]  # the checkout: the suite must leave no file in it
_ROOT_FILES = pytest.StashKey[set]()
_LEFT = pytest.StashKey[list]()


def _files_under(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else {}


def pytest_configure(config):
    """Every process the tests start gets a NEWSMON_HOME of its own (a temporary folder), unless
    the test names another; the user's ~/.newsmon is looked at before and after the session."""
    os.environ["NEWSMON_HOME"] = tempfile.mkdtemp(prefix="newsmon-test-home-")  # removed when the session ends
    os.environ.pop("NEWSMON_STORE", None)
    config.stash[_USER_FILES] = _files_under(USER_HOME)
    config.stash[_ROOT_FILES] = {p.name for p in ROOT.iterdir() if p.is_file()}


def pytest_sessionfinish(session, exitstatus):
    """Fail the run when anything in ~/.newsmon was written (or removed) during it, or a file was
    left at the top of the checkout (a state or store made up in the working folder)."""
    shutil.rmtree(os.environ["NEWSMON_HOME"], ignore_errors=True)
    before, after = session.config.stash[_USER_FILES], _files_under(USER_HOME)
    written = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    if written:
        session.config.stash[_WRITTEN] = written
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    left = sorted({p.name for p in ROOT.iterdir() if p.is_file()} - session.config.stash[_ROOT_FILES])
    if left:
        session.config.stash[_LEFT] = left
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _started(nodes, what: str):
    """Elasticsearch nodes started for a fixture, stopped after it (in CI, nodes that cannot start fail)."""
    from testkit.esnode import NodeError

    try:
        nodes.start()
    except NodeError as exc:
        _unavailable(what, str(exc))
    yield nodes
    nodes.stop()


@pytest.fixture(scope="session")
def es_node():
    """A real Elasticsearch node on loopback for the session."""
    from testkit.esnode import ElasticNode

    yield from _started(ElasticNode(), "Elasticsearch")


@pytest.fixture(scope="module")
def es_cluster():
    """Three Elasticsearch nodes on loopback for one module (tests/test_cluster.py)."""
    from testkit.esnode import ElasticCluster

    yield from _started(ElasticCluster(3), "three Elasticsearch nodes")


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
            from index.elastic import ElasticStore

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


CHROMIUM = "/usr/bin/chromium"  # Debian's: `playwright install` cannot download here


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright, headless, for a module's page tests (skipped where it cannot start, failed in CI)."""
    try:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
    except Exception as exc:  # the package itself missing
        _unavailable("the browser", f"playwright: {exc}")
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
    except Exception as exc:
        playwright.stop()
        _unavailable("the browser", f"{CHROMIUM} did not start under Playwright: {str(exc).splitlines()[0]}")
    yield chromium
    chromium.close()
    playwright.stop()


def _unavailable(what: str, reason: str) -> None:
    """In CI a part the tests need that cannot run fails them; elsewhere they are skipped."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} must run in CI: {reason}")
    pytest.skip(f"{what} unavailable here: {reason}")


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies, no session storage) and page; `page.dialogs` collects any dialog."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def pytest_terminal_summary(terminalreporter):
    """Say plainly whether the Elasticsearch tests ran, so a green run cannot hide a skip."""
    from testkit.esnode import ES_VERSION

    written = terminalreporter.config.stash.get(_WRITTEN, [])
    if written:
        terminalreporter.write_line(f"FAILED: the tests wrote {len(written)} file(s) into {USER_HOME}, "
                                    f"the user's own folder: {', '.join(written[:5])}", red=True)
    left = terminalreporter.config.stash.get(_LEFT, [])
    if left:
        terminalreporter.write_line(f"FAILED: the tests left {len(left)} file(s) in {ROOT}: {', '.join(left[:5])}",
                                    red=True)

    def on_es(reports) -> int:
        return sum(1 for r in reports if "elasticsearch" in r.nodeid or "test_elastic.py" in r.nodeid)

    stats = terminalreporter.stats
    ran, failed, skipped = on_es(stats.get("passed", [])), on_es(stats.get("failed", [])), on_es(stats.get("skipped", []))
    if ran or failed or skipped:
        terminalreporter.write_line(
            f"Elasticsearch {ES_VERSION} tests against a real node: {ran} ran and passed, "
            f"{failed} failed, {skipped} skipped")
