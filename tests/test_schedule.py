"""Scheduled crawling over the sample web: cycles, locks, history, stop and resume, health, backfill."""
from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import psutil
import pytest

from crawler.sources import load_sources
from index.article import article_id, parse_iso
from index.store import Filters, open_store
from monitor.schedule import adapt_interval, next_due, source_health
from sampleweb import SampleWeb, SampleWebServer


def newsmon(*args: str, store: str) -> list[str]:
    return [sys.executable, "-m", "monitor.cli", "--store", store, *args]


def sources_with_interval(server: SampleWebServer, interval: str, only: set[str] | None = None, extra: str = "") -> str:
    text = server.sources_toml().replace('crawl_interval = "1h"', f'crawl_interval = "{interval}"\n{extra}')
    if only:
        blocks = text.split("[[source]]")
        text = blocks[0] + "".join("[[source]]" + b for b in blocks[1:] if re.search(r'id = "(\w+)"', b).group(1) in only)
    return text


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def crawling(proc: subprocess.Popen) -> bool:
    """True while the scheduler has a crawl child running."""
    try:
        return any("crawl" in c.cmdline() for c in psutil.Process(proc.pid).children())
    except psutil.Error:
        return False


@pytest.mark.faults  # a long crawl killed or cut off: the second step (make test-faults)
def test_two_schedulers_cycle_store_each_new_article_once_never_overlap_and_resume_after_sigterm(tmp_path):
    store_url = f"sqlite:///{tmp_path / 'store.db'}"
    web = SampleWeb(seed=7)
    with SampleWebServer(web) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(sources_with_interval(server, "2s"), encoding="utf-8")
        start = lambda: subprocess.Popen(newsmon("schedule", "--loopback", "--sources", str(sources), store=store_url),  # noqa: E731
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        schedulers = [start(), start()]
        try:
            def runs() -> list[dict]:
                if not (tmp_path / "store.db").exists():
                    return []
                with open_store(store_url) as s:
                    return s.runs(limit=10_000)

            ids = {s.id for s in load_sources(sources)}
            wait_for(lambda: {r["source"] for r in runs()} == ids, 240, "a first run of every source")
            # an alert made now: every crawl the schedulers run matches and delivers it
            # (the sample web's calendar ends in 2025: a grace of ten years makes its articles news, not backlog)
            added = subprocess.run(newsmon("alerts", "add", "beat", "Azerbaijan", "--jsonl", str(tmp_path / "beat.jsonl"),
                                           "--grace", "3650d", store=store_url), capture_output=True, text=True, timeout=60)
            assert added.returncode == 0, added.stderr
            with open_store(store_url) as s:
                alert_floor = s.last_seq()
            web.publish(6)
            published_at = datetime.now(timezone.utc)
            wait_for(lambda: all(any(parse_iso(r["started_at"]) > published_at for r in runs() if r["source"] == i)
                                 for i in ids), 240, "a run of every source after publishing")
            web.publish(6)
            wait_for(lambda: any(crawling(p) for p in schedulers), 120, "a crawl in progress")
            stopped = time.monotonic()
            for proc in schedulers:
                proc.send_signal(signal.SIGTERM)
            for proc in schedulers:
                _, stderr = proc.communicate(timeout=60)
                assert proc.returncode == 0, stderr[-3000:]
            assert time.monotonic() - stopped < 30
            # a restart runs the overdue sources once, and nothing is lost or doubled: once the
            # interval (2 s, times kept to the second) has passed since the stopped crawls began
            # (each stopped crawl records its own run), every source is overdue
            time.sleep(3)
            before = len(runs())
            resumed = subprocess.run(newsmon("schedule", "--loopback", "--sources", str(sources), "--cycles", "1",
                                             store=store_url), capture_output=True, text=True, timeout=300)
            assert resumed.returncode == 0, resumed.stderr[-2000:]
            history = runs()
            assert len(history) - before == len(ids), (resumed.stderr[-2000:], history[:8])  # each overdue source once
        finally:
            for proc in schedulers:
                if proc.poll() is None:
                    proc.kill()
        truth = server.truth()
    expected = {article_id(t.url) for t in truth if t.reachable and t.on_topic}
    with open_store(store_url) as s:
        total = s.count()
        pages = [h.article.id for p in range(1, total // 100 + 2) for h in s.search("", size=100, page=p).hits]
    assert len(pages) == len(set(pages)) == total  # no article twice
    assert expected <= set(pages)
    # runs of one source never overlap, whichever scheduler ran them
    for source in ids:
        spans = sorted((r["started_at"], r["ended_at"]) for r in history if r["source"] == source)
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:])), (source, spans)
    assert len({r["holder"] for r in history}) >= 2
    # the alert fired once for each new matching story, whichever scheduler's crawl stored it
    delivered = [json.loads(line)["article"]["id"] for line in (tmp_path / "beat.jsonl").read_text().splitlines()]
    with open_store(store_url) as s:
        matching = {h.article.id for h in s.search("Azerbaijan", Filters(after_seq=alert_floor), size=100).hits
                    if not h.article.duplicate_of}
    assert matching and sorted(delivered) == sorted(matching)
    assert sum(r["outcomes"].get("stored", 0) + r["outcomes"].get("duplicate", 0) for r in history) == total


def test_failing_source_is_flagged_while_the_others_go_on(tmp_path):
    store_url = f"sqlite:///{tmp_path / 'store.db'}"
    with SampleWebServer(SampleWeb(seed=5)) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(sources_with_interval(server, "1s", only={"trdaily", "xeberler"}), encoding="utf-8")
        server.failing.add("xeberler")
        proc = subprocess.run(newsmon("schedule", "--loopback", "--sources", str(sources), "--cycles", "3",
                                      store=store_url), capture_output=True, text=True, timeout=400)
        assert proc.returncode == 0, proc.stderr[-2000:]
    with open_store(store_url) as store:
        failing = source_health("xeberler", store.runs(source="xeberler"))
        healthy = source_health("trdaily", store.runs(source="trdaily"))
        assert len(store.runs(source="xeberler")) == 3 and len(store.runs(source="trdaily")) == 3
    assert "failing" in failing.flags and failing.last_ok_run is None
    assert "failing" not in healthy.flags and healthy.last_new_article is not None
    # a line per crawl while it runs: the source, how it ended, what it found, when it is next due
    lines = [line for line in proc.stderr.splitlines() if re.match(r"(trdaily|xeberler): \w+ in \d+ s", line)]
    assert len(lines) == 6, proc.stderr
    first = next(line for line in lines if line.startswith("trdaily"))
    stored = store_runs_first_new(store_url)
    assert re.fullmatch(rf"trdaily: finished in \d+ s, \d+ pages, {stored} new.*; next due (now|\d{{4}}-\d\d-\d\d \d\d:\d\d UTC)",
                        first), first
    assert any(re.search(r"xeberler: .*\d+ errors?;", line) for line in lines), lines
    assert "trdaily: next due now" in proc.stderr.splitlines()[:3]  # said as it starts: never crawled, due now
    stats = subprocess.run(newsmon("stats", "--sources", str(sources), store=store_url), capture_output=True, text=True)
    assert "xeberler: failing" in stats.stderr


def store_runs_first_new(store_url: str) -> int:
    with open_store(store_url) as store:
        first = store.runs(source="trdaily")[-1]
    return first["outcomes"]["stored"]


def _history(times: list[datetime], news: set[datetime]) -> list[dict]:
    return [{"started_at": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "finish_reason": "finished", "pages": 5,
             "article_responses": 3, "outcomes": {"stored": 3 if t in news else 0, "unchanged": 0 if t in news else 3}}
            for t in sorted(times, reverse=True)]


def test_silent_only_after_the_sources_own_normal_quiet_time():
    start = datetime(2025, 3, 3, tzinfo=timezone.utc)  # a Monday
    # a wire agency: news every half hour from 06:00 to 22:00, nothing at night
    wire = [start + timedelta(days=d, minutes=30 * k) for d in range(14) for k in range(48)]
    wire_news = {t for t in wire if 6 <= t.hour < 22}
    quiet_morning = start + timedelta(days=14, hours=9)  # Monday 09:00: nothing since 22:00
    runs = _history([t for t in wire if t < start + timedelta(days=13, hours=22)] +
                    [start + timedelta(days=13, hours=22) + timedelta(minutes=30 * k) for k in range(22)], wire_news)
    assert "silent" in source_health("wire", runs, now=quiet_morning).flags
    night = start + timedelta(days=14, hours=3)  # 03:00: five hours of quiet is normal at night
    night_runs = [r for r in runs if parse_iso(r["started_at"]) <= night]
    assert "silent" not in source_health("wire", night_runs, now=night).flags
    # a weekly outlet: one story a week, polled every six hours
    weekly = [start + timedelta(hours=6 * k) for k in range(4 * 7 * 6)]
    weekly_news = {t for t in weekly if t.weekday() == 0 and t.hour == 6}
    after_two_days = start + timedelta(days=44)
    polled = [t for t in weekly if t <= after_two_days] + [start + timedelta(days=42 + d / 4) for d in range(9)]
    history = _history(polled, weekly_news)
    assert "silent" not in source_health("weekly", history, now=after_two_days).flags
    assert "silent" in source_health("weekly", history, now=start + timedelta(days=60)).flags


def test_due_times_cron_and_adaptive_intervals():
    (source,) = [s for s in load_sources() if s.id == "aa-tr"]
    last = {"started_at": "2025-06-01T10:00:00Z"}
    assert next_due(source, None) < datetime(2000, 1, 1, tzinfo=timezone.utc)  # never run: due now
    cron = replace(source, crawl_interval="*/20 6-23 * * *")
    assert next_due(cron, {"started_at": "2025-06-01T23:50:00Z"}) == datetime(2025, 6, 2, 6, 0, tzinfo=timezone.utc)
    assert next_due(replace(source, crawl_interval="30m"), last) == datetime(2025, 6, 1, 10, 30, tzinfo=timezone.utc)
    adaptive = replace(source, crawl_interval="1h", adaptive=True, min_interval="20m", max_interval="6h")
    assert adapt_interval(adaptive, None, new_articles=4) == 45 * 60
    assert adapt_interval(adaptive, 25 * 60, new_articles=4) == 20 * 60  # never below the bound
    assert adapt_interval(adaptive, 5 * 3600, new_articles=0) == 6 * 3600  # nor above
    assert adapt_interval(replace(adaptive, adaptive=False), None, 3) is None


@pytest.mark.faults  # a long crawl killed or cut off: the second step (make test-faults)
def test_backfill_interrupted_and_resumed_stores_the_range_once(tmp_path):
    store_url = f"sqlite:///{tmp_path / 'store.db'}"
    web = SampleWeb(seed=7)
    since = datetime(2024, 7, 1, tzinfo=timezone.utc)
    with SampleWebServer(web) as server:
        sources = tmp_path / "sources.toml"
        # a source whose feed shows only the newest stories and whose caps keep routine crawls shallow
        sources.write_text(sources_with_interval(server, "1h", only={"trdaily"}).replace(
            "max_section_pages = 20", "max_section_pages = 1\nmax_sitemaps = 1"), encoding="utf-8")
        args = newsmon("backfill", "--source", "trdaily", "--since", "2024-07-01", "--loopback",
                       "--sources", str(sources), "--set", "DOWNLOAD_DELAY=0.5", "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
                       "--set", "AUTOTHROTTLE_ENABLED=False", store=store_url)
        first = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        def stored() -> int:
            if not (tmp_path / "store.db").exists():
                return 0
            with open_store(store_url) as s:
                return s.count()

        wait_for(lambda: stored() >= 3, 180, "the backfill to store something")
        first.send_signal(signal.SIGINT)  # Ctrl-C
        first.communicate(timeout=60)
        with open_store(store_url) as s:
            at_interrupt = {h.article.id for h in s.search("", size=100).hits}
        second = subprocess.run(args, capture_output=True, text=True, timeout=600)
        assert second.returncode == 0, second.stderr[-2000:]
        truth = server.truth()
    wanted = {article_id(t.url) for t in truth if t.outlet == "trdaily" and t.on_topic and t.reachable
              and t.published_at >= since}
    with open_store(store_url) as s:
        ids = [h.article.id for p in range(1, 4) for h in s.search("", size=100, page=p).hits]
        runs = s.runs(source="trdaily")
    assert len(ids) == len(set(ids))
    assert wanted <= set(ids), f"{len(wanted - set(ids))} of {len(wanted)} missing"
    assert not wanted <= at_interrupt  # the first run really was cut short; the second finished it
    assert [r["trigger"] for r in runs] == ["backfill", "backfill"]


def test_backfill_stores_only_its_window_with_the_last_day_whole(tmp_path):
    store_url = f"sqlite:///{tmp_path / 'store.db'}"
    web = SampleWeb(seed=7)
    with SampleWebServer(web) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(sources_with_interval(server, "1h", only={"trdaily"}), encoding="utf-8")
        dated = sorted(t.published_at for t in server.truth() if t.outlet == "trdaily" and t.on_topic and t.reachable)
        # a window over the middle third of the outlet's coverage, its last day named as a day
        since, until = dated[len(dated) // 3].date(), dated[2 * len(dated) // 3].date()
        done = subprocess.run(newsmon("backfill", "--source", "trdaily", "--since", since.isoformat(),
                                      "--until", until.isoformat(), "--loopback", "--sources", str(sources),
                                      store=store_url), capture_output=True, text=True, timeout=600)
        truth = server.truth()
    assert done.returncode == 0, done.stderr[-2000:]
    assert "outside the window" in done.stdout
    inside = lambda t: since <= t.published_at.date() <= until  # noqa: E731
    wanted = {article_id(t.url) for t in truth if t.outlet == "trdaily" and t.on_topic and t.reachable and inside(t)}
    with open_store(store_url) as s:
        stored = [h.article for p in range(1, 4) for h in s.search("", size=100, page=p).hits]
    assert wanted and wanted <= {a.id for a in stored}
    outside = [a.url for a in stored if a.published_at and not since <= a.published_at.date() <= until]
    assert outside == []
    assert any(t.published_at.date() == until for t in truth if article_id(t.url) in wanted), "the last day is in"


def test_backfill_refuses_a_window_that_ends_before_it_starts(tmp_path):
    done = subprocess.run(newsmon("backfill", "--source", "aa-tr", "--since", "2025-08-31", "--until", "2025-06-01",
                                  store=f"sqlite:///{tmp_path / 'store.db'}"), capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip() == "error: --until 2025-06-01 is before --since 2025-08-31"


def test_a_run_ends_when_its_crawl_did_not_when_it_is_recorded(tmp_path):
    # after its spider closes a crawl no longer renews its lease, and recording may come seconds
    # later on a busy machine: another scheduler may take the source meanwhile, so the run that
    # ended must not be recorded as still running then
    from monitor.schedule import record_runs

    source = load_sources(None)[0]
    started = datetime.now(timezone.utc) - timedelta(minutes=5)
    finished = started + timedelta(seconds=42)
    with open_store(f"sqlite:///{tmp_path / 'runs.db'}") as store:
        run, = record_runs(store, [source], [{"source": source.id, "finish_reason": "finished",
                                              "finished_at": finished.isoformat()}], "schedule", started, 0)
        crashed, = record_runs(store, [source], [], "schedule", started, 1, reason="crashed")
    assert abs((parse_iso(run["ended_at"]) - finished).total_seconds()) < 1
    assert run["duration"] == 42.0
    assert parse_iso(crashed["ended_at"]) > finished + timedelta(minutes=4)  # no summary: when it was recorded
