"""Many short scheduler cycles: is the scheduler's memory flat, and what does a cycle cost?

    .venv/bin/python -m benchmarks.schedule_cycles --cycles 200

Serves one outlet of the sample web on loopback, runs the real Scheduler in this process with a
one-second interval (each cycle is a crawl in a child process, as in production), publishes a
story every ten cycles, and reports this process's RSS at the start and the end and the wall
time per cycle (median, p95), against the time of one bare child-process start in the same run.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from crawler.sources import load_sources
from index.store import open_store
from monitor.schedule import Scheduler
from sampleweb import SampleWeb, SampleWebServer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1, help="stage workers per crawl")
    cycles = parser.parse_args().cycles
    workers = parser.parse_args().workers
    folder = Path(tempfile.mkdtemp(prefix="newsmon-cycles-"))
    store_url = f"sqlite:///{folder / 'store.db'}"
    me = psutil.Process()
    bare = []
    for _ in range(3):  # the baseline: a Python process that imports the CLI and exits
        t = time.monotonic()
        subprocess.run([sys.executable, "-c", "import monitor.cli"], check=True)
        bare.append(time.monotonic() - t)
    web = SampleWeb(seed=7)
    with SampleWebServer(web) as server:
        text = server.sources_toml().replace('crawl_interval = "1h"', 'crawl_interval = "1s"')
        blocks = text.split("[[source]]")
        sources_file = folder / "sources.toml"
        sources_file.write_text(blocks[0] + "[[source]]" + next(b for b in blocks[1:] if 'id = "multinews"' in b),
                                encoding="utf-8")
        store = open_store(store_url)
        scheduler = Scheduler(store, store_url, load_sources(sources_file), sources_file,
                              ["--loopback", "--set", f"NEWSMON_WORKERS={workers}"])
        rss_start, times, rss = me.memory_info().rss, [], []
        for n in range(cycles):
            if n % 10 == 9:
                web.publish(1)
            time.sleep(max(0.0, 1.0))  # the interval
            t = time.monotonic()
            runs = scheduler.run_due()
            times.append(time.monotonic() - t)
            rss.append(me.memory_info().rss)
            assert runs and runs[0]["finish_reason"] == "finished", runs
        history = store.runs(limit=cycles + 10)
        store.close()
    result = {
        "cycles": cycles, "rss_start_mib": round(rss_start / 2**20, 1), "rss_after_10_mib": round(rss[min(9, len(rss) - 1)] / 2**20, 1),
        "rss_end_mib": round(rss[-1] / 2**20, 1), "cycle_median_s": round(statistics.median(times), 2),
        "cycle_p95_s": round(sorted(times)[int(0.95 * len(times)) - 1], 2),
        "bare_process_s": round(statistics.median(bare), 2), "runs_recorded": len(history),
        "new_articles": sum(r["outcomes"].get("stored", 0) + r["outcomes"].get("duplicate", 0) for r in history),
    }
    print("| cycles | RSS start MiB | RSS after 10 | RSS end MiB | cycle median s | cycle p95 s | bare process s | runs recorded |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| {cycles} | {result['rss_start_mib']} | {result['rss_after_10_mib']} | {result['rss_end_mib']} | "
          f"{result['cycle_median_s']} | {result['cycle_p95_s']} | {result['bare_process_s']} | {result['runs_recorded']} |")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
