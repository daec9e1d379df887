"""Nothing lost, nothing stored twice: crawls stopped by SIGTERM and SIGKILL early, midway and late.

Each case crawls the sample web into a fresh store, stops the crawl after a share of the
requests a whole crawl makes, crawls once more to the end, and compares the store with the
sample web's truth. Before the crawl state wrote listed URLs down as due, 6-12 of 213 on-topic
articles were lost per interruption (their feed answered 304 next time).
"""
from __future__ import annotations

import itertools
import signal

import pytest

from sampleweb import SampleWeb, SampleWebServer
from testkit import faultkit

pytestmark = pytest.mark.faults  # the second step of the test suite: `make test-faults`
MOMENTS = {"early": 0.1, "mid": 0.5, "late": 0.9}  # shares of a whole crawl's requests
_names = itertools.count(1)


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    """The sample web, and how many requests one whole crawl of it makes."""
    folder = tmp_path_factory.mktemp("reference")
    with SampleWebServer(SampleWeb(seed=7)) as server:
        sources = folder / "sources.toml"
        sources.write_text(server.sources_toml(), encoding="utf-8")
        store_url = f"sqlite:///{folder / 'store.db'}"
        argv = faultkit.crawl_argv(store_url, sources)
        done = faultkit.full_crawl(argv, faultkit.home_env(folder / "home"), server)
        assert done.returncode == 0, done.stderr[-3000:]
        whole = len(server.request_log)
        clean = faultkit.judge("clean", server.truth(), store_url, [0])
        assert clean.expected > 150 and not clean.lost and not clean.duplicated
        yield server, whole


def store_url_for(backend: str, folder, request) -> str:
    if backend == "sqlite":
        return f"sqlite:///{folder / 'store.db'}"
    node = request.getfixturevalue("es_node")
    return f"{node.url}?index=faults-{next(_names)}"


@pytest.mark.parametrize("backend", ["sqlite", "elasticsearch"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_a_stopped_crawl_then_one_more_stores_every_article_once(web, backend, sig, moment, tmp_path, request):
    server, whole = web
    after = max(1, int(whole * MOMENTS[moment]))
    run = faultkit.interrupted_then_recovered(server, tmp_path, store_url_for(backend, tmp_path, request), sig, after)
    print(f"{backend} {run.case}: {run.stored}/{run.expected} stored, exits {run.exit_codes}")
    assert not run.lost, f"{len(run.lost)} of {run.expected} lost: {run.lost[:5]}"
    assert not run.duplicated, run.duplicated[:5]
    assert run.stored == run.expected
