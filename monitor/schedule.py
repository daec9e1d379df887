"""Scheduled crawling: each source at its own interval, one crawl per child process, locks in the store.

A child process per crawl because Scrapy's reactor cannot be restarted in one process, and so
that memory stays flat over months. Runs of a source never overlap, across processes and machines
sharing a store: the scheduler holds the source's lock (renewed while the crawl runs, expiring
if the scheduler dies) and records every run in the store's history.
"""
from __future__ import annotations

import json
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from croniter import croniter

from crawler.outcomes import NEW, Outcome
from crawler.sources import Source, duration_seconds
from index.article import iso, parse_iso
from index.store import Store

log = logging.getLogger(__name__)

LOCK_TTL = 120.0  # seconds a source's lease lasts; the crawl renews it every third of that
FAILING_RUNS = 3  # this many failed runs in a row flag a source as failing
# runs stopped from outside (a scheduler stopped or killed, a lease lost): due again at once, so
# whichever scheduler runs next finishes what they left
CUT_SHORT = ("shutdown", "lease_lost")
MAX_CRAWLS = 2  # crawls one scheduler runs at once (each a process with its own stage workers)
START_SETTLE = 3.0  # seconds a starting scheduler waits for the others started with it (serve)
STOP_GRACE = 30.0  # seconds a stopped child crawl gets to write what it has read


def next_due(source: Source, last: dict | None) -> datetime:
    """When the source is next due, from its last run (a source never run is due now)."""
    if last is None or last.get("finish_reason") in CUT_SHORT:
        return datetime.min.replace(tzinfo=timezone.utc)
    started = parse_iso(last["started_at"])
    seconds = last.get("next_interval") or duration_seconds(source.crawl_interval)
    if seconds is not None:
        return started + timedelta(seconds=seconds)
    return croniter(source.crawl_interval, started).get_next(datetime)


def adapt_interval(source: Source, last_interval: float | None, new_articles: int) -> float | None:
    """The next interval of an adaptive source: shorter after a run that found news, longer after none."""
    base = duration_seconds(source.crawl_interval)
    if not source.adaptive or base is None:
        return None
    low, high = duration_seconds(source.min_interval) or base, duration_seconds(source.max_interval) or base
    current = last_interval or base
    chosen = current * 0.75 if new_articles else current * 1.5
    return float(min(high, max(low, chosen)))


def run_failed(run: dict) -> bool:
    """A run that did not do its job: crashed, timed out, or reached nothing at all."""
    if run.get("finish_reason") not in ("finished", "shutdown"):
        return True
    return run.get("pages", 0) == 0 or (run.get("article_responses", 0) == 0 and bool(run.get("errors")))


def new_articles(run: dict) -> int:
    outcomes = run.get("outcomes", {})
    return sum(outcomes.get(k, 0) for k in NEW)


@dataclass
class Health:
    source: str
    last_run: str | None = None
    last_ok_run: str | None = None
    last_new_article: str | None = None
    flags: tuple[str, ...] = ()
    quiet_limit_hours: float | None = None  # how long this source is normally quiet at most


def source_health(source: str, runs: list[dict], now: datetime | None = None) -> Health:
    """Flags from a source's run history (newest first): failing, silent, changed."""
    now = now or datetime.now(timezone.utc)
    health = Health(source)
    if not runs:
        return health
    health.last_run = runs[0]["started_at"]
    health.last_ok_run = next((r["started_at"] for r in runs if not run_failed(r)), None)
    flags = []
    if len(runs) >= FAILING_RUNS and all(run_failed(r) for r in runs[:FAILING_RUNS]):
        flags.append("failing")
    yielding = [parse_iso(r["started_at"]) for r in runs if new_articles(r)]
    if yielding:
        health.last_new_article = iso(yielding[0])
    limit = quiet_limit(yielding, now)
    if limit is not None:
        health.quiet_limit_hours = round(limit.total_seconds() / 3600, 1)
        if now - yielding[0] > limit:
            flags.append("silent")
    if changed(runs):
        flags.append("changed")
    health.flags = tuple(flags)
    return health


def quiet_limit(yielding: list[datetime], now: datetime) -> timedelta | None:
    """How long a source may go without news before that is unusual, from its own history.

    The quiet stretch now in progress began with the last news; the gaps between news that
    began near the same weekday and hour say how long such a stretch normally lasts (a wire
    agency's night, a weekly outlet's week). A quarter more than the longest of them is the
    limit. None until there are five gaps to judge by.
    """
    times = sorted(yielding)
    gaps = [(a, b - a) for a, b in zip(times, times[1:])]
    if len(gaps) < 5:
        return None

    def hour_of_week(t: datetime) -> int:
        return t.weekday() * 24 + t.hour

    began = hour_of_week(times[-1])
    near = [g for start, g in gaps if min(abs(hour_of_week(start) - began), 168 - abs(hour_of_week(start) - began)) <= 1]
    pool = near if len(near) >= 2 else [g for _, g in gaps]
    return max(pool) * 1.25


def changed(runs: list[dict], recent: int = 5) -> bool:
    """Article pages now come out empty or off-topic far more often than they used to."""
    def share(rs: list[dict]) -> tuple[float, int]:
        answered = sum(r.get("article_responses", 0) for r in rs)
        bad = sum(r.get("outcomes", {}).get(k, 0) for r in rs for k in (Outcome.EMPTY, Outcome.OFF_TOPIC))
        return (bad / answered if answered else 0.0), answered
    now_share, now_n = share(runs[:recent])
    then_share, then_n = share(runs[recent:])
    return now_n >= 10 and then_n >= 20 and now_share >= 0.8 and now_share - then_share >= 0.4


def record_runs(store: Store, sources: list[Source], summaries: list[dict], trigger: str, started: datetime,
                exit_code: int | None, holder: str = "", reason: str | None = None,
                error: list[str] | None = None) -> list[dict]:
    """Keep one run per source in the store's history, from the crawl's summaries (monitor.crawl).

    A source without a summary (a crawl that was killed or crashed) is kept with `reason`.
    """
    now = datetime.now(timezone.utc)
    by_source = {s["source"]: s for s in summaries}
    runs = []
    for source in sources:
        summary = by_source.get(source.id) or {"finish_reason": reason or "crashed", "errors": {"crawl_failed": 1}}
        # a run ends when its crawl did: after that its lease is no longer renewed, and another
        # scheduler may start the source again while this process is still recording
        ended = datetime.fromisoformat(summary["finished_at"]) if summary.get("finished_at") else now
        last = store.runs(source=source.id, limit=1)
        run = {
            "source": source.id, "trigger": trigger, "started_at": iso(started), "ended_at": iso(ended),
            "duration": round((ended - started).total_seconds(), 2), "exit_code": exit_code, "holder": holder,
            "pages": summary.get("pages", 0), "article_responses": summary.get("article_responses", 0),
            "outcomes": summary.get("outcomes", {}), "errors": summary.get("errors", {}),
            "not_done": summary.get("not_done", 0), "finish_reason": summary.get("finish_reason", ""),
        }
        run["next_interval"] = adapt_interval(source, last[0].get("next_interval") if last else None,
                                              new_articles(run))
        if error and source.id not in by_source:
            run["error"] = error
        store.record_run(run)
        runs.append(run)
    return runs


def run_line(source: Source, run: dict) -> str:
    """One line for a scheduled run: how it ended, what it found, when the source is next due."""
    o = run.get("outcomes", {})
    found = [f"{o[k]} {label}" for k, label in ((Outcome.STORED, "new"), (Outcome.DUPLICATE, "copies"),
                                                 (Outcome.UPDATED, "updated"), (Outcome.SPOOLED, "spooled"),
                                                 (Outcome.UNCHANGED, "unchanged"), (Outcome.OFF_TOPIC, "off-topic"))
             if o.get(k)]
    errors = sum(run.get("errors", {}).values())
    if errors:
        found.append(f"{errors} error{'s' * (errors != 1)}")
    return (f"{source.id}: {run.get('finish_reason') or 'no result'} in {run.get('duration', 0):.0f} s, "
            f"{run.get('pages', 0)} pages, {', '.join(found) or 'nothing new'}; next due {due_text(source, run)}")


def due_text(source: Source, last: dict | None) -> str:
    due = next_due(source, last)
    return "now" if due <= datetime.now(timezone.utc) else due.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


class Scheduler:
    """Crawl due sources in child processes until stopped; record each run in the store."""

    def __init__(self, store: Store, store_url: str, sources: list[Source], sources_file: Path | None,
                 crawl_args: list[str] | None = None, crawl_timeout: float = 3600.0, holder: str | None = None,
                 lease_seconds: float = LOCK_TTL, report: Callable[[str], None] | None = None):
        self.store, self.store_url, self.sources = store, store_url, sources
        self.report = report or (lambda line: None)  # a line per finished run (`newsmon schedule` prints them)
        self.sources_file = sources_file
        self.crawl_args = crawl_args or []
        self.crawl_timeout = crawl_timeout
        self.lease_seconds = lease_seconds
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.stopping = threading.Event()
        self.children: set[subprocess.Popen] = set()
        self.busy: set[str] = set()  # sources a crawl of this scheduler is running now
        self._guard = threading.Lock()

    # --- the loop ----------------------------------------------------------------------
    def serve(self, cycles: int | None = None, poll: float = 1.0) -> int:
        """Run until SIGTERM/Ctrl-C (or `cycles` crawls); returns the number of crawls run.

        Up to MAX_CRAWLS crawls run at once, so a long crawl does not keep this scheduler from
        taking over the sources of one that died.
        """
        self.handle_signals()
        for source in self.sources:  # what to expect before the first crawl ends
            last = self.store.runs(source=source.id, limit=1)
            self.report(f"{source.id}: next due {due_text(source, last[0] if last else None)}")
        started, running = 0, []
        self._announce_and_settle()
        beating = threading.Event()  # announced in the store while it runs
        threading.Thread(target=self._heartbeat, args=(beating,), daemon=True).start()
        try:
            while not self.stopping.is_set() and (cycles is None or started < cycles):
                running = [t for t in running if t.is_alive()]
                try:
                    taken = self.take_due() if len(running) < MAX_CRAWLS else []
                except Exception as exc:  # the store away for a moment: ask again at the next poll
                    log.warning("could not look for due sources: %s", exc)
                    taken = []
                if taken:
                    crawl = threading.Thread(target=self._crawl_taken, args=(taken, "schedule"), daemon=True)
                    crawl.start()
                    running.append(crawl)
                    started += 1
                else:
                    self.stopping.wait(poll)
            for crawl in running:
                while crawl.is_alive():  # short joins: a signal is handled meanwhile
                    crawl.join(0.5)
        finally:  # the others' shares grow at once (a scheduler killed outright is forgotten after its lease)
            beating.set()
            self.store.release_lock(f"scheduler:{self.holder}", self.holder)
        return started

    def _announce_and_settle(self) -> None:
        """Announce this scheduler, then let schedulers started beside it announce themselves before
        the first take: a share is counted from the schedulers announced, and one that reached the
        store a moment earlier would otherwise take every due source for itself."""
        try:
            self.store.acquire_lock(f"scheduler:{self.holder}", self.holder, self.lease_seconds)
        except Exception as exc:  # the store away for a moment: the first take announces it again
            log.warning("could not announce this scheduler: %s", exc)
        self.stopping.wait(START_SETTLE)

    def handle_signals(self) -> None:
        """SIGTERM and Ctrl-C stop the scheduler and, gracefully, the crawl it is running."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._stop)

    def _stop(self, signum, frame) -> None:
        self.stopping.set()
        for child in list(self.children):
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)  # the crawl writes what it has and exits

    def due(self, now: datetime | None = None) -> list[Source]:
        now = now or datetime.now(timezone.utc)
        out = []
        for source in self.sources:
            last = self.store.runs(source=source.id, limit=1)
            if next_due(source, last[0] if last else None) <= now:
                out.append(source)
        return out

    def take_due(self) -> list[Source]:
        """This scheduler's share of the due sources, each with its lease taken (none: nothing to do).

        Schedulers sharing a store announce themselves there (`scheduler:HOLDER` leases); each takes
        at most its share of what is due, so N of them split the sources instead of one taking all.
        """
        self.store.acquire_lock(f"scheduler:{self.holder}", self.holder, self.lease_seconds)
        with self._guard:
            due = [s for s in self.due() if s.id not in self.busy]
        random.shuffle(due)  # schedulers starting together do not all reach for the same first sources
        share = -(-len(due) // max(1, len(self.store.live_locks("scheduler:"))))
        taken = []
        for source in due:
            if len(taken) >= share:
                break
            if self.store.acquire_lock(f"crawl:{source.id}", self.holder, self.lease_seconds):
                taken.append(source)
        with self._guard:
            self.busy.update(s.id for s in taken)
        return taken

    def run_due(self, trigger: str = "schedule") -> list[dict]:
        """Crawl this scheduler's share of the due sources in one child process, and wait for it."""
        taken = self.take_due()
        return self._crawl_taken(taken, trigger) if taken else []

    def _crawl_taken(self, taken: list[Source], trigger: str) -> list[dict]:
        try:
            runs = self.crawl(taken, trigger)
            for source, run in zip(taken, runs):
                if run:
                    self.report(run_line(source, run))
            return runs
        except Exception:  # a crawl thread's failure is logged; the scheduler goes on
            log.exception("the crawl of %s failed", ", ".join(s.id for s in taken))
            return []
        finally:
            with self._guard:
                self.busy.difference_update(s.id for s in taken)
            for source in taken:
                try:
                    self.store.release_lock(f"crawl:{source.id}", self.holder)
                except Exception as exc:  # it expires by itself after the lease
                    log.warning("could not release %s: %s", source.id, exc)

    # --- one crawl ---------------------------------------------------------------------
    def crawl(self, sources: list[Source], trigger: str, extra: list[str] | None = None,
              show_progress: bool = False) -> list[dict]:
        started = datetime.now(timezone.utc)
        # the crawl holds the leases itself and stops on its own at the timeout, recording its runs;
        # this process's own timeout is the backstop for a crawl that does neither
        args = [sys.executable, "-m", "monitor.cli", "--store", self.store_url, "crawl", "--json",
                "--trigger", trigger, "--lease-holder", self.holder, "--lease-seconds", str(self.lease_seconds),
                "--set", f"CLOSESPIDER_TIMEOUT={int(self.crawl_timeout)}",
                *(a for s in sources for a in ("--source", s.id)), *self.crawl_args, *(extra or [])]
        if self.sources_file:
            args += ["--sources", str(self.sources_file)]
        # its own session: a terminal's Ctrl-C reaches the scheduler only, which stops the crawl
        # once (a second signal would make Scrapy stop uncleanly)
        child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=None if show_progress else subprocess.PIPE,
                                 text=True, start_new_session=True)
        with self._guard:
            self.children.add(child)
        if self.stopping.is_set():  # a stop that came while this crawl was starting reaches it too
            child.send_signal(signal.SIGTERM)
        try:
            out, err = child.communicate(timeout=self.crawl_timeout + 2 * STOP_GRACE)
            reason = None
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGTERM)
            try:
                out, err = child.communicate(timeout=STOP_GRACE)
            except subprocess.TimeoutExpired:
                child.kill()
                out, err = child.communicate()
            reason = "timeout"
        finally:
            code = child.returncode
            with self._guard:
                self.children.discard(child)
        summaries = _summaries(out)
        if summaries:  # the crawl recorded them
            return [self.store.runs(source=s.id, limit=1)[0] if s.id in summaries else {} for s in sources]
        # a crawl that printed nothing (killed, crashed, stuck): recorded here, with its last words
        error = (err or "").strip().splitlines()[-1:] or ["crawl process failed"]
        return record_runs(self.store, sources, [], trigger, started, exit_code=code, holder=self.holder,
                           reason=reason or "crashed", error=error)


    def _heartbeat(self, done: threading.Event) -> None:
        while not done.wait(self.lease_seconds / 3):
            try:
                self.store.acquire_lock(f"scheduler:{self.holder}", self.holder, self.lease_seconds)
            except Exception as exc:  # a store away for a moment: the next beat tries again
                log.warning("scheduler heartbeat failed: %s", exc)


def _summaries(out: str) -> dict[str, dict]:
    try:
        return {s["source"]: s for s in json.loads(out or "[]")}
    except (json.JSONDecodeError, TypeError, KeyError):
        return {}


def health_table(store: Store, sources: list[Source]) -> list[Health]:
    """Health of every source from its recent history (the last 200 runs)."""
    return [source_health(s.id, store.runs(source=s.id, limit=200)) for s in sources]

