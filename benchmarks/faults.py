"""Fault table: crawls stopped by signals, a full disk, two machines on one cluster, a takeover.

    .venv/bin/python -m benchmarks.faults [--runs 2] [--no-elasticsearch]

Each case crawls the sample web (seed 7) into a fresh store, breaks the crawl, crawls again to
the end, and compares the store with the sample web's truth: articles expected, lost (an expected
article missing after the recovery crawl), duplicated (a canonical URL stored twice). Then two
schedulers with their own NEWSMON_HOME on one Elasticsearch index: articles fetched by both,
deliveries sent twice, and how long the survivor takes to hold a SIGKILLed scheduler's sources.
Prints Markdown tables for benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from sampleweb import SampleWeb, SampleWebServer
from testkit import faultkit

MOMENTS = {"early": 0.1, "mid": 0.5, "late": 0.9}


def signal_cases(server, whole: int, store_for, runs: int) -> list[tuple[str, int, int, int, int]]:
    rows = []
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for moment, share in MOMENTS.items():
            expected = lost = duplicated = 0
            for _ in range(runs):
                with tempfile.TemporaryDirectory() as scratch:
                    run = faultkit.interrupted_then_recovered(server, Path(scratch), store_for(Path(scratch)), sig,
                                                              max(1, int(whole * share)))
                expected += run.expected
                lost += len(run.lost)
                duplicated += len(run.duplicated)
            rows.append((f"{signal.Signals(sig).name} {moment} ({int(share * 100)}% of the requests)", runs,
                         expected, lost, duplicated))
    return rows


def full_disk_case(server) -> tuple[str, int, int, int, int] | None:
    with tempfile.TemporaryDirectory() as scratch:
        disk = Path(scratch) / "disk"
        disk.mkdir()
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)]).returncode != 0:
            return None  # not root here: the test suite's case is the record
        try:
            store_url = f"sqlite:///{disk / 'store.db'}"
            sources = Path(scratch) / "sources.toml"
            sources.write_text(server.sources_toml(), encoding="utf-8")
            argv = faultkit.crawl_argv(store_url, sources)
            env = faultkit.home_env(Path(scratch) / "home")
            first = faultkit.full_crawl(argv, env, server)
            subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
            faultkit.full_crawl(argv, env, server)
            run = faultkit.judge("full disk", server.truth(), store_url, [first.returncode])
        finally:
            subprocess.run(["umount", "-l", str(disk)])
    return (f"1 MB disk fills mid-crawl (exit {first.returncode}), then room again", 1, run.expected,
            len(run.lost), len(run.duplicated))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="Runs of each signal case (default 1).")
    parser.add_argument("--no-elasticsearch", action="store_true", help="SQLite cases only.")
    args = parser.parse_args()
    stores = {"SQLite": lambda folder: f"sqlite:///{folder / 'store.db'}"}
    node = None
    if not args.no_elasticsearch:
        from testkit.esnode import ElasticNode

        node = ElasticNode()
        node.start()
        names = iter(range(1, 10_000))
        stores["Elasticsearch"] = lambda folder: f"{node.url}?index=faults-{next(names)}"
    try:
        with SampleWebServer(SampleWeb(seed=7)) as server, tempfile.TemporaryDirectory() as scratch:
            sources = Path(scratch) / "sources.toml"
            sources.write_text(server.sources_toml(), encoding="utf-8")
            started = time.monotonic()
            faultkit.full_crawl(faultkit.crawl_argv(f"sqlite:///{scratch}/ref.db", sources),
                                faultkit.home_env(Path(scratch) / "home"), server)
            whole = len(server.request_log)
            print(f"a whole crawl of the sample web: {whole} requests, {time.monotonic() - started:.1f} s\n")
            print("| store | case | runs | articles expected | lost | duplicated |")
            print("|---|---|---:|---:|---:|---:|")
            for name, store_for in stores.items():
                for case, runs, expected, lost, duplicated in signal_cases(server, whole, store_for, args.runs):
                    print(f"| {name} | {case} | {runs} | {expected} | {lost} | {duplicated} |", flush=True)
            disk = full_disk_case(server)
            if disk:
                print(f"| SQLite | {disk[0]} | {disk[1]} | {disk[2]} | {disk[3]} | {disk[4]} |")
            if node is not None:
                print(f"\n| takeover of a SIGKILLed scheduler's sources (lease {faultkit.LEASE:.0f} s) | seconds |")
                print("|---|---:|")
                for n in range(args.runs):
                    with tempfile.TemporaryDirectory() as folder:
                        server.clear_log()
                        took = faultkit.takeover(f"{node.url}?index=takeover-{n}", Path(folder), server)
                    print(f"| run {n + 1}: SIGKILL to the survivor holding all {len(took.before)} leases "
                          f"| {took.seconds:.1f} |", flush=True)
    finally:
        if node is not None:
            node.stop()


if __name__ == "__main__":
    main()
