"""The stage worker pool: a worker killed mid-page costs no page and hangs nothing."""
from __future__ import annotations

import asyncio
import threading
import time

import psutil
import pytest

from crawler.workers import StagePool, WorkerDied

PARA = "<p>Azerbaijan and Türkiye signed an agreement in Baku on energy cooperation and trade.</p>"
SLOW_PAGE = f"<html><body><article>{PARA * 6000}</article></body></html>"  # seconds of extraction
URL = "http://127.0.0.1:9/news/slow"


def workers_of_this_process() -> list[psutil.Process]:
    """The pool's workers: forked by the forkserver, which is a child of this process."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            parent = child.parent()
            if parent is not None and "forkserver" in " ".join(parent.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


def kill_busy_workers(times: int, stop: threading.Event) -> None:
    """SIGKILL a worker that is working (using CPU), `times` times."""
    killed = 0
    while killed < times and not stop.is_set():
        for worker in workers_of_this_process():
            try:
                if worker.cpu_percent(interval=0.3) > 20:  # busy, even sharing two cores with other work
                    worker.kill()
                    killed += 1
                    break
            except psutil.Error:
                pass
        time.sleep(0.1)


def build(pool: StagePool, html: str) -> object:
    return asyncio.run(pool.build(html, URL, "s", "TR", None, None, timeout=120))


SMALL_PAGE = f"<html><body><article>{PARA * 20}</article></body></html>"


def test_a_worker_killed_mid_page_is_retried_and_the_page_comes_back():
    pool = StagePool(1)
    stop = threading.Event()
    try:
        build(pool, SMALL_PAGE)  # the worker is up and warm: what gets killed is a page's work
        killer = threading.Thread(target=kill_busy_workers, args=(1, stop), daemon=True)
        killer.start()
        started = time.monotonic()
        outcome = build(pool, SLOW_PAGE)
        assert outcome.status in ("on_topic", "off_topic", "empty")  # the page was read, not lost
        assert not killer.is_alive(), "no worker was killed: the test did not test anything"
        assert time.monotonic() - started < 100
        # the pool goes on serving pages after losing a worker
        assert build(pool, SMALL_PAGE).status in ("on_topic", "off_topic", "empty")
    finally:
        stop.set()
        pool.close()


def test_a_page_that_kills_its_worker_twice_is_an_error_not_a_hang():
    pool = StagePool(1)
    stop = threading.Event()
    try:
        build(pool, SMALL_PAGE)
        killer = threading.Thread(target=kill_busy_workers, args=(2, stop), daemon=True)
        killer.start()
        try:
            build(pool, SLOW_PAGE)
            raise AssertionError("the page should have been given up after two dead workers")
        except WorkerDied:
            pass
    finally:
        stop.set()
        pool.close()


def test_stage_options_travel_to_the_worker_with_the_page():
    """The knobs are an object passed with each page, not module globals a worker cannot see."""
    from crawler.stages.extract import ExtractionOptions
    from crawler.stages import StageOptions
    from crawler.stages.relevance import RelevanceOptions

    body = "".join(f"<p>Azerbaijan and Türkiye agreed in Baku on gas deliveries through TANAP, the ministers said {i}.</p>"
                   for i in range(6))
    page = f"<html><head><title>Azerbaijan and Türkiye sign TANAP deal</title></head><body><article>{body}</article></body></html>"
    pool = StagePool(1)
    try:
        default = asyncio.run(pool.build(page, URL, "s", "TR", None, None, timeout=60))
        strict = asyncio.run(pool.build(page, URL, "s", "TR", None, None, timeout=60,
                                        options=StageOptions(relevance=RelevanceOptions(threshold=1000.0))))
        picky = asyncio.run(pool.build(page, URL, "s", "TR", None, None, timeout=60,
                                       options=StageOptions(extraction=ExtractionOptions(min_body_chars=50_000))))
    finally:
        pool.close()
    assert default.status == "on_topic" and default.article.terms is not None
    assert strict.status == "off_topic" and strict.article.relevance == default.article.relevance
    assert picky.status == "empty" and "too short" in picky.reason


def _page(i: int) -> str:
    return (f"<html><head><title>Azerbaijan and Türkiye talks, round {i}</title></head><body><article>"
            + "".join(f"<p>Azerbaijan and Türkiye held talks in Baku on energy and trade, round {i}, point {j}, "
                      f"ministers said after meeting number {j}.</p>" for j in range(8))
            + "</article></body></html>")


def test_many_pages_at_once_each_come_back_to_their_own_caller():
    """Forty pages in flight on two workers: every answer reaches the page it belongs to."""
    pool = StagePool(2)

    async def crawl():
        return await asyncio.gather(*(pool.build(_page(i), f"http://127.0.0.1:9/news/{i}", "s", "TR", None, None,
                                                 timeout=120) for i in range(40)))

    try:
        outcomes = asyncio.run(crawl())
    finally:
        pool.close()
    assert [o.article.url for o in outcomes] == [f"http://127.0.0.1:9/news/{i}" for i in range(40)]
    assert all(o.article.title.endswith(f"round {i}") for i, o in enumerate(outcomes))


def test_a_page_larger_than_a_pipe_and_a_stage_error_both_come_back():
    """A page larger than a pipe goes to its worker and back; an exception in a stage is the page's error."""
    big = "<html><body><article>" + PARA * 3_000 + "</article></body></html>"  # about 280 KB, four pipes' worth
    pool = StagePool(1)
    try:
        outcome = asyncio.run(pool.build(big, URL, "s", "TR", None, None, timeout=120))
        assert outcome.status in ("on_topic", "off_topic", "empty")
        with pytest.raises(AttributeError):  # the stages fail on options that are not options
            asyncio.run(pool.build(SMALL_PAGE, URL, "s", "TR", None, None, timeout=120, options="not options"))
        assert build(pool, SMALL_PAGE).status in ("on_topic", "off_topic", "empty")  # the worker goes on
    finally:
        pool.close()

