"""The frontier on disk (crawler/frontier.py): a crawl keeps its waiting requests in a folder of its
own, not in memory, and still stores every article once, killed or not."""
from __future__ import annotations

import pickle
import signal
import subprocess
import time
from datetime import datetime, timezone

import pytest

from crawler.discovery import Candidate
from crawler.sources import Source
from sampleweb import SampleWeb, SampleWebServer
from spiders.articles import Discovered
from spiders.news import NewsSpider
from testkit import faultkit

pytestmark = pytest.mark.faults  # whole crawls in child processes


@pytest.fixture(scope="module")
def server():
    with SampleWebServer(SampleWeb(seed=7)) as server:
        yield server


def _argv(tmp_path, server, store_url: str, frontier) -> tuple[list[str], dict]:
    sources = tmp_path / "sources.toml"
    sources.write_text(server.sources_toml(), encoding="utf-8")
    argv = faultkit.crawl_argv(store_url, sources, "--set", f"NEWSMON_FRONTIER_DIR={frontier}")
    return argv, faultkit.home_env(tmp_path / "home")


def _queued_bytes(frontier) -> int:
    """The bytes in the crawl's queue files now; 0 when the crawl removes a file or a folder while
    they are listed (the walk itself can meet a folder gone)."""
    try:
        return sum(path.stat().st_size for path in frontier.glob("newsmon-frontier-*/requests.queue/**/*")
                   if path.is_file())
    except OSError:
        return 0


def test_a_crawl_keeps_its_waiting_requests_on_disk_and_stores_each_article_once(server, tmp_path):
    store_url, frontier = f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "frontier"
    argv, env = _argv(tmp_path, server, store_url, frontier)
    server.clear_log()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    queued_bytes = 0  # the most seen at once in the crawl's queue files
    try:
        while proc.poll() is None:
            queued_bytes = max(queued_bytes, _queued_bytes(frontier))
            time.sleep(0.05)
        _, stderr = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr[-3000:]
    assert queued_bytes > 10_000, "the waiting requests were not kept on disk"
    assert not list(frontier.glob("newsmon-frontier-*")), "a finished crawl leaves its frontier behind"
    run = faultkit.judge("clean", server.truth(), store_url, [proc.returncode])
    assert run.expected > 150 and not run.lost and not run.duplicated


def test_a_killed_crawl_resumes_without_loss_or_duplicates_and_its_frontier_is_cleared(server, tmp_path):
    store_url, frontier = f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "frontier"
    argv, env = _argv(tmp_path, server, store_url, frontier)
    killed = faultkit.stopped_crawl(argv, env, server, after_requests=300, sig=signal.SIGKILL)
    assert killed == -signal.SIGKILL
    left = list(frontier.glob("newsmon-frontier-*"))
    assert left, "the killed crawl had no frontier on disk"
    done = faultkit.full_crawl(argv, env, server)
    assert done.returncode == 0, done.stderr[-3000:]
    assert not any(folder.exists() for folder in left), "the next crawl did not remove the killed one's frontier"
    run = faultkit.judge("SIGKILL after 300 requests", server.truth(), store_url, [killed, done.returncode])
    assert not run.lost, run.lost[:5]
    assert not run.duplicated, run.duplicated[:5]
    assert run.stored == run.expected


def test_a_request_that_waited_on_disk_gets_the_listing_seen_while_it_waited():
    spider = NewsSpider(source=Source(id="s", name="S", country="TR", languages=["en"],
                                      base_url="http://example.com/", article_patterns=[r"/news/\d+"]))
    url = "http://example.com/news/1"
    spider.requested[url] = live = Discovered(Candidate(url, via="section"))
    waited = pickle.loads(pickle.dumps(live))  # the copy its request carried through the disk queue
    dated = Candidate(url, published_at=datetime(2026, 12, 1, tzinfo=timezone.utc), via="sitemap")
    live.candidate = dated  # what `consider` does with a richer listing seen meanwhile
    assert spider.answered(url, waited).candidate == dated
    assert spider.requested[url] is None  # answered: the URL stays asked for, its record is let go
    assert spider.answered(url, waited) is waited
