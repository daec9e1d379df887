"""Crawl throughput against its own ceiling, on the sample web scaled to N articles (issue 14).

    python -m benchmarks.throughput [--articles 5000 [N ...]] [--skip-es] [--workers N] [--source ID]

One run, on loopback, AutoThrottle and politeness off (for the benchmark only):

1. plain Scrapy: a spider that fetches the article pages and does nothing with them (it saves
   their HTML for phase 2), in a child process with its own reactor;
2. ceiling: the stages alone (crawler.stages.build_article, which gives an on-topic article
   its index terms) over the saved pages in a process pool of one worker per core, no crawling;
3. `newsmon crawl` into SQLite, then 4. into Elasticsearch (a node from testkit/esnode.py).

The sample web is served by `python -m sampleweb --articles N` in its own process, every page
rendered before the clock starts. Each phase is watched with psutil every 0.2 s: peak RSS of
the phase's main process and of its whole process tree (stage workers included), CPU per core
over the phase, and the CPU of the sample-web server (and of Elasticsearch). Prints a Markdown
table, then one JSON line with the same figures.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024
CHUNK = 16  # pages per task sent to a ceiling worker

# The same concurrency for the plain spider and for every newsmon source's spider.
CONCURRENCY = {"CONCURRENT_REQUESTS": 64, "CONCURRENT_REQUESTS_PER_DOMAIN": 16}
# outcomes of an article page that was served whole and read (not an alias, an error or robots' no)
READ_OUTCOMES = ("stored", "duplicate", "updated", "unchanged", "off_topic", "empty")
CRAWL_SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, **CONCURRENCY}


# --- watching a phase -----------------------------------------------------------------------
def _tree(pid: int, exclude: set[int]) -> list[psutil.Process]:
    """The process and its descendants, without the excluded processes and theirs."""
    try:
        root = psutil.Process(pid)
        found = [root]
        for child in root.children():
            if child.pid not in exclude:
                found += _tree(child.pid, exclude)
        return found
    except psutil.Error:
        return []


def cpu_seconds(procs: list[psutil.Process]) -> float:
    total = 0.0
    for proc in procs:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


class Watch:
    """Peak RSS of one process and of its tree, CPU per core, and the CPU of other processes."""

    def __init__(self, pid: int, exclude: set[int] = frozenset(), others: dict[str, int] | None = None):
        self.pid, self.exclude, self.others = pid, set(exclude), dict(others or {})
        self.peak_rss = self.peak_tree_rss = 0
        self._cpu_base: dict[int, float] = {}  # CPU seconds of the tree's processes at the start
        self._cpu_last: dict[int, float] = {}  # and as last seen (a worker that ended keeps its figure)
        self._other_cpu: dict[str, float] = {}  # cumulative CPU seconds seen per tree (children come and go)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> Watch:
        self._cores = psutil.cpu_times(percpu=True)
        self._cpu_base = {p.pid: cpu_seconds([p]) for p in _tree(self.pid, self.exclude)}
        self._others_start = {name: cpu_seconds(_tree(pid, set())) for name, pid in self.others.items()}
        self._start = time.perf_counter()
        self._thread.start()
        return self

    def _poll(self) -> None:
        while not self._stop.is_set():
            rss = 0
            for i, proc in enumerate(_tree(self.pid, self.exclude)):
                try:
                    value = proc.memory_info().rss
                except psutil.Error:
                    continue
                rss += value
                if i == 0:
                    self.peak_rss = max(self.peak_rss, value)
                self._cpu_last[proc.pid] = max(self._cpu_last.get(proc.pid, 0.0), cpu_seconds([proc]))
            self.peak_tree_rss = max(self.peak_tree_rss, rss)
            for name, pid in self.others.items():
                self._other_cpu[name] = cpu_seconds(_tree(pid, set()))
            self._stop.wait(0.2)

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self._start
        self._stop.set()
        self._thread.join()
        end = psutil.cpu_times(percpu=True)
        self.cpu_per_core = []
        for before, after in zip(self._cores, end):
            total = sum(after) - sum(before)
            idle = (after.idle + getattr(after, "iowait", 0)) - (before.idle + getattr(before, "iowait", 0))
            self.cpu_per_core.append(round(100 * (1 - idle / total), 1) if total > 0 else 0.0)
        used = {pid: seconds - self._cpu_base.get(pid, 0.0) for pid, seconds in self._cpu_last.items()}
        self.process_cpu_pct = round(100 * used.get(self.pid, 0.0) / self.seconds, 1)
        self.tree_cpu_pct = round(100 * sum(used.values()) / self.seconds, 1)
        self.other_cpu_pct = {}
        for name, pid in self.others.items():
            used = max(self._other_cpu.get(name, 0.0), cpu_seconds(_tree(pid, set()))) - self._others_start[name]
            self.other_cpu_pct[name] = round(100 * used / self.seconds, 1)  # % of one core

    def figures(self) -> dict:
        return {"seconds": round(self.seconds, 2), "peak_rss_mib": round(self.peak_rss / MIB, 1),
                "peak_rss_tree_mib": round(self.peak_tree_rss / MIB, 1), "cpu_per_core": self.cpu_per_core,
                "process_cpu_pct": self.process_cpu_pct, "tree_cpu_pct": self.tree_cpu_pct,
                **{f"{name}_cpu_pct": pct for name, pct in self.other_cpu_pct.items()}}


# --- the sample web in its own process ------------------------------------------------------
@contextmanager
def sample_web(articles: int, tmp: Path):
    """Serve the scaled sample web from `python -m sampleweb`; yields (pid, sources file, urls file)."""
    sources, urls = tmp / "sources.toml", tmp / "urls.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "sampleweb", "--articles", str(articles),
                             "--sources", str(sources), "--urls", str(urls)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in proc.stdout:  # the last line before serving: "N articles; Ctrl-C to stop"
            lines.append(line)
            if "Ctrl-C to stop" in line:
                break
        else:
            raise RuntimeError("the sample web did not start:\n" + "".join(lines[-20:]))
        threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep its pipe drained
        yield proc.pid, sources, urls
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def restrict(urls: Path, only: list[str]) -> list[dict]:
    rows = [json.loads(line) for line in urls.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if not only or r["source"] in only]


# --- phase 1: plain Scrapy ------------------------------------------------------------------
def plain_crawl_child(urls: Path, pages: Path) -> None:
    """(Child process) fetch every page listed in `urls` with a bare spider; save the HTML."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    rows = [json.loads(line) for line in urls.read_text(encoding="utf-8").splitlines()]
    out = pages.open("w", encoding="utf-8")
    counted = {"pages": 0}

    class PlainSpider(scrapy.Spider):
        name = "plain"

        async def start(self):
            for row in rows:
                yield scrapy.Request(row["url"], meta={"row": row}, dont_filter=True)

        def parse(self, response):
            counted["pages"] += 1
            row = dict(response.meta["row"], html=response.text)
            out.write(json.dumps(row, ensure_ascii=False) + "\n")

    process = CrawlerProcess({"LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False,
                              "RETRY_TIMES": 1, "DOWNLOAD_TIMEOUT": 10, **CRAWL_SETTINGS})
    process.crawl(PlainSpider)
    process.start()
    out.close()
    print(json.dumps(counted))


def plain_scrapy(rows: list[dict], tmp: Path, server_pid: int) -> tuple[dict, list[dict]]:
    urls, pages = tmp / "plain-urls.jsonl", tmp / "pages.jsonl"
    urls.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    extra = [a for key, value in CRAWL_SETTINGS.items() for a in ("--set", f"{key}={value}")]
    proc = subprocess.Popen([sys.executable, "-m", "benchmarks.throughput", "--plain-crawl", str(urls), str(pages),
                             *extra],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    with Watch(proc.pid, others={"server": server_pid}) as watch:
        stdout, _ = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"the plain Scrapy crawl exited with {proc.returncode}")
    counted = json.loads(stdout.strip().splitlines()[-1])
    saved = [json.loads(line) for line in pages.read_text(encoding="utf-8").splitlines()]
    return {"pages": counted["pages"], **watch.figures()}, saved


# --- phase 2: the ceiling -------------------------------------------------------------------
def _warm(_: int) -> None:
    time.sleep(0.5)  # held long enough that every worker of the pool has to start


def run_stages(pages: list[dict]) -> int:
    """(Worker) the stages on a chunk of pages, as a crawl's stage worker runs them: an on-topic
    article comes with the index terms the stores need (build_article makes them)."""
    from crawler.stages import build_article

    for page in pages:
        build_article(page["html"], page["url"], page["source"], page["country"], None, None)
    return len(pages)


def ceiling(saved: list[dict], workers: int, exclude: set[int]) -> dict:
    from crawler.workers import warm_up

    chunks = [saved[i:i + CHUNK] for i in range(0, len(saved), CHUNK)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("forkserver"),
                             initializer=warm_up) as pool:
        list(pool.map(_warm, range(workers)))  # every worker started and warmed before the clock
        with Watch(os.getpid(), exclude=exclude) as watch:
            done = sum(pool.map(run_stages, chunks))
    return {"pages": done, **watch.figures()}


# --- phases 3 and 4: newsmon crawl ----------------------------------------------------------
def newsmon_command() -> list[str]:
    """The installed `newsmon` script, as users run it; `python -m monitor.cli` without one."""
    script = Path(sys.executable).parent / "newsmon"
    return [str(script)] if script.exists() else [sys.executable, "-m", "monitor.cli"]


def newsmon_crawl(store: str, sources: Path, only: list[str], workers: int | None, home: Path,
                  others: dict[str, int], profile: Path | None = None) -> dict:
    """`newsmon crawl --json` in a child process; with `profile`, under py-spy (raw stacks there)."""
    settings = [a for key, value in CRAWL_SETTINGS.items() for a in ("--set", f"{key}={value}")]
    cmd = [*newsmon_command(), "--store", store, "crawl", "--loopback", "--sources", str(sources), "--json", *settings, *[a for s in only for a in ("--source", s)]]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    if profile is not None:
        spy = shutil.which("py-spy", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        if spy is None:
            raise RuntimeError("--profile needs py-spy: pip install py-spy")
        cmd = [spy, "record", "--subprocesses", "--nonblocking", "--rate", "50", "--format", "raw",
               "-o", str(profile), "--", *cmd]
    env = dict(os.environ, NEWSMON_HOME=str(home))
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with Watch(proc.pid, others=others) as watch:
        stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"newsmon crawl exited with {proc.returncode}: {stderr.strip()[-500:]}")
    summaries, _ = json.JSONDecoder().raw_decode(stdout, stdout.index("["))  # py-spy may print after it
    outcomes: dict[str, int] = {}
    for s in summaries:
        for kind, count in s["outcomes"].items():
            outcomes[kind] = outcomes.get(kind, 0) + count
    pages = sum(s["article_responses"] for s in summaries)
    return {"pages": pages, "article_requests": sum(s["article_requests"] for s in summaries),
            "outcomes": dict(sorted(outcomes.items())),
            "articles_read": sum(outcomes.get(k, 0) for k in READ_OUTCOMES),
            "duplicate_share": round(outcomes.get("duplicate", 0) / pages, 4) if pages else 0.0,
            **watch.figures()}


# --- reading a py-spy profile ---------------------------------------------------------------
OWN_CODE = ("crawler", "index", "spiders", "monitor")

def profile_summary(raw: Path, top: int = 15) -> str:
    """Own and inclusive time per function, for the crawl process and for the stage workers.

    py-spy's raw format: one stack per line, `process PID:"cmd"` frames first (nested for
    children), then the frames outermost first, then the sample count.
    """
    groups: dict[str, dict[str, dict[str, int]]] = {}
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        depth = sum(f.startswith("process ") for f in frames)
        code = [f.rsplit(":", 1)[0] + ")" if f.endswith(")") and ":" in f else f
                for f in frames if not f.startswith("process ")]
        if not code:
            continue
        group = "crawl process" if depth <= 1 else ("stage workers" if "forkserver" in stack else "other children")
        g = groups.setdefault(group, {"own": {}, "incl": {}, "total": {"": 0}})
        g["total"][""] += int(count)
        g["own"][code[-1]] = g["own"].get(code[-1], 0) + int(count)
        for frame in set(code):
            if any(f"({folder}/" in frame for folder in OWN_CODE):
                g["incl"][frame] = g["incl"].get(frame, 0) + int(count)
    out = []
    for group, g in groups.items():
        total = g["total"][""]
        out.append(f"## {group}: {total} samples")
        for kind in ("own", "incl"):
            out.append("### by own time" if kind == "own" else "### newsmon's functions by inclusive time")
            for frame, n in sorted(g[kind].items(), key=lambda kv: -kv[1])[:top]:
                out.append(f"{100 * n / total:5.1f}%  {frame}")
    return "\n".join(out)


# --- the run --------------------------------------------------------------------------------
PHASES = (("plain_scrapy", "plain Scrapy (fetch only)"), ("ceiling", "ceiling: stages alone, all cores"),
          ("sqlite", "newsmon crawl → SQLite"), ("elasticsearch", "newsmon crawl → Elasticsearch"))


def run(articles: int, skip_es: bool, workers: int | None, only: list[str]) -> dict:
    cores = os.cpu_count() or 1
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="newsmon-throughput-") as name, \
            sample_web(articles, Path(name)) as (server_pid, sources, urls):
        tmp = Path(name)
        rows = restrict(urls, only)
        results["plain_scrapy"], saved = plain_scrapy(rows, tmp, server_pid)
        results["ceiling"] = ceiling(saved, workers or cores, exclude={server_pid})
        del saved
        results["sqlite"] = newsmon_crawl(f"sqlite:///{tmp / 'bench.db'}", sources, only, workers,
                                          tmp / "home-sqlite", {"server": server_pid})
        if not skip_es:
            from testkit.esnode import ElasticNode

            with ElasticNode(heap="2g") as node:
                results["elasticsearch"] = newsmon_crawl(f"{node.url}?index=throughput", sources, only, workers,
                                                         tmp / "home-es",
                                                         {"server": server_pid, "elasticsearch": node.proc.pid})
    ceiling_rate = results["ceiling"]["pages"] / results["ceiling"]["seconds"]
    for phase, figures in results.items():
        figures["pages_per_s"] = round(figures["pages"] / figures["seconds"], 2)
        # CPU time the phase's process tree spent per page: unlike pages/s, it barely moves when
        # other work shares the cores
        figures["cpu_ms_per_page"] = round(10 * figures["tree_cpu_pct"] * figures["seconds"] / figures["pages"], 1)
    for phase, figures in results.items():
        if phase != "ceiling":
            figures["ratio_to_ceiling"] = round(figures["pages_per_s"] / ceiling_rate, 3)
            figures["cpu_ratio_to_ceiling"] = round(results["ceiling"]["cpu_ms_per_page"] / figures["cpu_ms_per_page"], 3)
    line: dict = {"articles": articles, "article_pages": len(rows), "cores": cores,
                  "workers": workers or cores, "settings": CRAWL_SETTINGS}
    for phase, figures in results.items():
        for key, value in figures.items():
            name = {"pages_per_s": f"{phase}_pages_per_s", "ratio_to_ceiling": f"ratio_to_ceiling_{phase}",
                    "cpu_ratio_to_ceiling": f"cpu_ratio_to_ceiling_{phase}"}
            line[name.get(key, f"{key}_{phase}")] = value
    return {"phases": results, "line": line}


def table(results: dict[str, dict]) -> str:
    rows = ["| phase | pages | seconds | pages/s | ratio to ceiling | peak RSS process MiB | peak RSS tree MiB "
            "| CPU per core % (machine) | CPU % process / tree | CPU ms per page | CPU ratio to ceiling "
            "| sample-web server CPU % | Elasticsearch CPU % |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for phase, label in PHASES:
        f = results.get(phase)
        if f is None:
            continue
        cpu = " / ".join(f"{c:.0f}" for c in f["cpu_per_core"])
        rows.append(f"| {label} | {f['pages']} | {f['seconds']:.1f} | {f['pages_per_s']:.1f} | "
                    f"{f.get('ratio_to_ceiling', 1):.2f} | {f['peak_rss_mib']:.0f} | {f['peak_rss_tree_mib']:.0f} | {cpu} | "
                    f"{f['process_cpu_pct']:.0f} / {f['tree_cpu_pct']:.0f} | {f['cpu_ms_per_page']:.0f} | "
                    f"{f.get('cpu_ratio_to_ceiling', 1):.2f} | "
                    f"{f.get('server_cpu_pct', '–')} | {f.get('elasticsearch_cpu_pct', '–')} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.throughput", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[5000], metavar="N",
                        help="scale the sample web to N articles (default 5000; the unscaled web has 352); "
                             "several sizes run one after the other, and the JSON line compares the crawl "
                             "process's peak RSS at the largest with the smallest")
    parser.add_argument("--skip-es", action="store_true", help="no Elasticsearch phase (quick runs)")
    parser.add_argument("--workers", type=int, help="stage workers (default: one per core)")
    parser.add_argument("--source", action="append", default=[], help="only this outlet (repeatable)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="settings",
                        help="another Scrapy setting for the crawls (plain and newsmon), e.g. CONCURRENT_ITEMS=8")
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="only the SQLite crawl, under py-spy: raw stacks to FILE, a summary printed")
    parser.add_argument("--plain-crawl", nargs=2, type=Path, metavar=("URLS", "PAGES"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for item in args.settings:
        name, sep, value = item.partition("=")
        if not sep or not name:
            parser.error(f"--set {item!r}: use NAME=VALUE")
        CRAWL_SETTINGS[name] = json.loads(value) if value.lstrip("-").isdigit() else value
    if args.plain_crawl:
        plain_crawl_child(*args.plain_crawl)
        return 0
    if args.profile:
        with tempfile.TemporaryDirectory(prefix="newsmon-throughput-") as name, \
                sample_web(args.articles[-1], Path(name)) as (server_pid, sources, _):
            crawl = newsmon_crawl(f"sqlite:///{Path(name) / 'bench.db'}", sources, args.source, args.workers,
                                  Path(name) / "home", {"server": server_pid}, profile=args.profile)
        print(f"profiled crawl: {crawl['pages']} pages in {crawl['seconds']:.1f} s, outcomes {crawl['outcomes']}")
        print(profile_summary(args.profile))
        return 0
    runs = {}
    for articles in sorted(set(args.articles)):
        out = runs[articles] = run(articles, args.skip_es, args.workers, args.source)
        print(f"### {articles} articles")
        for phase in ("sqlite", "elasticsearch"):
            if phase in out["phases"]:
                f = out["phases"][phase]
                print(f"{phase}: {f['articles_read']} of the {out['line']['article_pages']} article pages served read "
                      f"({f['article_requests']} article requests); outcomes {f['outcomes']}")
        print(table(out["phases"]), flush=True)
    print(json.dumps(json_line(runs)), flush=True)
    return 0


def json_line(runs: dict[int, dict]) -> dict:
    """The largest size's figures; with several sizes, each crawl's peak RSS per size and its ratio
    at the largest size to the smallest (a crawl whose memory does not grow with its length)."""
    small, large = min(runs), max(runs)
    line = dict(runs[large]["line"])
    if small != large:
        for phase in ("sqlite", "elasticsearch"):
            if phase in runs[large]["phases"]:
                for size in sorted(runs):
                    line[f"peak_rss_mib_{phase}_{size}"] = runs[size]["phases"][phase]["peak_rss_mib"]
                    line[f"cpu_ratio_to_ceiling_{phase}_{size}"] = runs[size]["phases"][phase]["cpu_ratio_to_ceiling"]
                line[f"peak_rss_ratio_{phase}_{large}_to_{small}"] = round(
                    runs[large]["phases"][phase]["peak_rss_mib"] / runs[small]["phases"][phase]["peak_rss_mib"], 3)
    return line


if __name__ == "__main__":
    sys.exit(main())
