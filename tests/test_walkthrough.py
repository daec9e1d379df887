"""The README as a new user follows it: `newsmon demo`, then the commands the README shows next."""
from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

from index.store import open_store
from tests.test_cli import ROOT, newsmon

README = (ROOT / "README.md").read_text(encoding="utf-8")


def after_demo_commands() -> list[list[str]]:
    """The arguments of each `newsmon ...` line in the README's block marked `after-demo`."""
    block = re.search(r"<!-- after-demo.*?-->\s*```sh\n(.*?)```", README, re.S)
    assert block, "README.md lost its after-demo block"
    lines = [line.split("#", 1)[0].strip() for line in block.group(1).splitlines()]
    commands = [shlex.split(line) for line in lines if line]
    assert commands and all(c[0] == "newsmon" for c in commands), commands
    return [c[1:] for c in commands]


def test_readme_walkthrough_on_a_fresh_home(tmp_path):
    home = tmp_path / "home"  # nothing there: a first hour
    demo = newsmon("demo", home=home)
    demo_out = demo.stdout.decode()
    assert demo.returncode == 0, demo.stderr.decode()[-2000:]
    assert "Traceback" not in demo_out + demo.stderr.decode()
    assert (home / "demo.db").exists() and (home / "demo.crawlstate.db").exists()
    # source -> new articles (stored + duplicate), from the summary's pages, articles, stored, duplicate columns
    stored = {source: str(int(a) + int(b)) for source, a, b in
              re.findall(r"│ (\w+)\s+│\s+\d+ │\s+\d+ │\s+(\d+) │\s+(\d+) │", demo_out)}
    assert len(stored) == 6 and all(int(n) > 0 for n in stored.values()), demo_out

    outputs = {}
    for args in after_demo_commands():
        result = newsmon(*args, home=home)
        out, err = result.stdout.decode(), result.stderr.decode()
        assert result.returncode == 0, (args, err[-2000:])
        assert "Traceback" not in out + err
        assert "demo's store" in err  # it says which store answers
        outputs[" ".join(args)] = out
        sys.stdout.write(f"$ newsmon {' '.join(args)}\n{out[:1500]}\n")  # the closing note's walk-through

    searches = [out for command, out in outputs.items() if command.startswith("search")]
    assert searches
    for out in searches:
        total = int(re.search(r"(\d+) matching articles", out).group(1))
        assert total > 0 and "Coverage by" in out
    assert "Шуш" in outputs["search Shusha"] or "Şuşa" in outputs["search Shusha"]

    stats = next(out for command, out in outputs.items() if command.startswith("stats"))
    assert int(re.search(r"(\d+) articles in sqlite:///", stats).group(1)) == sum(map(int, stored.values()))
    by_source = dict(re.findall(r"│ (\w+)\s+│\s+(\d+) │", stats.split("by source")[1].split("crawl health")[0]))
    assert by_source == stored  # the store holds what the crawl summary said it stored
    health_table = stats.split("crawl health by source")[1]
    health = dict(re.findall(r"│ (\w+)\s+│ (ok|some errors|failing)\s+│", health_table))
    assert set(health) == set(stored), stats  # every demo outlet's crawl health, none "never crawled"
    for source, n in stored.items():  # stats and the crawl summary agree on what was stored
        row = re.search(rf"│ {source}\s+│[^\n]*", health_table).group(0)
        cells = [c.strip() for c in row.strip("│").split("│")]
        assert cells[6] == n, (source, cells, n)
    # the default store is untouched: still nothing there for a real crawl to find
    assert not (home / "newsmon.db").exists()


def test_demo_into_elasticsearch_then_the_same_store_answers(es_node, tmp_path):
    """`--store http://…` demo: the demo crawls into that store, and the next commands name it too."""
    home = tmp_path / "home"
    url = f"{es_node.url}?index=demo-walkthrough"
    demo = newsmon("--store", url, "demo", home=home)
    assert demo.returncode == 0, demo.stderr.decode()[-2000:]
    assert f"newsmon --store {url} stats" in demo.stdout.decode()
    assert not (home / "demo.db").exists()  # nothing went to SQLite
    stats = newsmon("--store", url, "stats", "--json", home=home)
    assert stats.returncode == 0, stats.stderr.decode()[-2000:]
    data = json.loads(stats.stdout)
    crawled = {sid: row for sid, row in data["sources_health"].items() if row["verdict"] != "never crawled"}
    assert len(crawled) == 6 and data["total"] == sum(data["by_source"].values()) > 0
    assert {sid: row["stored"] for sid, row in crawled.items()} == data["by_source"]


# --- "Using it": every line of the README's walkthrough block, in order ----------------------
OUTLETS = {"trdaily", "azerpress", "haberler", "xeberler", "novosti", "multinews"}


def _last_runs(db) -> dict:
    from index.article import parse_iso

    with open_store(f"sqlite:///{db}") as store:
        return {s: parse_iso(store.runs(source=s, limit=1)[0]["started_at"]) for s in OUTLETS}


def walkthrough_lines() -> list[str]:
    """The command lines of the README's blocks marked `walkthrough`, in order, comments removed."""
    blocks = re.findall(r"<!-- walkthrough.*?-->\s*```sh\n(.*?)```", README, re.S)
    assert len(blocks) == 2, "README.md lost a walkthrough block (using it, alerts)"
    lines = [re.sub(r"\s+#\s.*$", "", line).strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line]


def total(out: str) -> int:
    return int(re.search(r"(\d+) matching articles", out).group(1))


class Walk:
    """A fresh home and folder, the README's lines run in them as a user runs them."""

    def __init__(self, folder, port: int):
        self.folder, self.port, self.home = folder, port, folder / "home"
        self.background: list[subprocess.Popen] = []

    def argv(self, line: str) -> list[str]:
        words = shlex.split(line.rstrip("&").replace("--port 8765", f"--port {self.port}"))
        if words[0] == "python":
            return [sys.executable, *words[1:]]
        assert words[0] == "newsmon", line
        return [sys.executable, "-m", "monitor.cli", *words[1:]]

    def env(self) -> dict:
        return {k: v for k, v in os.environ.items() if k != "NEWSMON_STORE"} | {"NEWSMON_HOME": str(self.home)}

    def run(self, line: str, timeout: float = 600) -> subprocess.CompletedProcess:
        done = subprocess.run(self.argv(line), cwd=self.folder, env=self.env(), capture_output=True, text=True,
                              timeout=timeout)
        assert "Traceback" not in done.stdout + done.stderr, (line, done.stderr[-3000:])
        return done

    def start(self, line: str) -> subprocess.Popen:
        proc = subprocess.Popen(self.argv(line), cwd=self.folder, env=self.env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        self.background.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen) -> tuple[int, str, str]:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=120)
        return proc.returncode, out, err


def wait_until(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


def test_every_command_of_the_readme_walkthrough_does_what_its_comment_says(tmp_path):
    from testkit.webserver import free_port

    walk = Walk(tmp_path, free_port())
    lines = walkthrough_lines()
    checked = []
    try:
        demo = walk.run(f"newsmon demo --port {walk.port}")
        assert demo.returncode == 0, demo.stderr[-2000:]
        assert f"python -m sampleweb --port {walk.port}" in demo.stdout
        with open_store(f"sqlite:///{walk.home / 'demo.db'}") as store:
            demo_links = [h.article.url for h in store.search("Shusha", size=3).hits]
        first_crawl: dict[str, int] = {}
        for line in lines:
            command = re.sub(r"^(python -m sampleweb|newsmon) ", "", line).split(" --")[0].split(" '")[0]
            if line.startswith("python -m sampleweb"):  # the sample web, in the background
                web = walk.start(line)
                wait_until(lambda: (tmp_path / "sample.toml").exists(), 120, "the sample web's sources file")
                wait_until(lambda: web.poll() is not None or _answers(demo_links[0]), 60, "the sample web")
                assert all(_answers(url) for url in demo_links), "the demo's links point at the sample web"
            elif line.startswith("newsmon serve"):
                port = free_port()
                server = walk.start(f"{line} --port {port}")
                found = wait_until(lambda: server.poll() is not None or _search_total(port), 120, "serve to answer")
                assert server.poll() is None and found > 0, server.stderr.read() if server.poll() is not None else found
                code, _, err = walk.stop(server)
                assert code in (0, -signal.SIGTERM) and "Traceback" not in err, err[-2000:]  # uvicorn re-raises it
            elif line.startswith("newsmon schedule"):
                # every outlet was crawled minutes ago: each is due an hour after, and it says so at once
                scheduler = walk.start(line)
                due_lines: list[str] = []
                threading.Thread(target=lambda: due_lines.extend(scheduler.stderr), daemon=True).start()
                wait_until(lambda: scheduler.poll() is not None or len(
                    [x for x in due_lines if "next due" in x]) >= 6, 120, "the scheduler's due times")
                code, _, _ = walk.stop(scheduler)
                due = dict(re.findall(r"^(\w+): next due (\S+ \S+) UTC$", "".join(due_lines), re.M))
                assert code == 0 and set(due) == OUTLETS, due_lines
                last_runs = _last_runs(walk.home / "newsmon.db")
                for source, when in due.items():  # an hour after its last run, to the minute
                    expected = last_runs[source] + timedelta(hours=1)
                    assert abs(datetime.strptime(when, "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc) - expected) \
                        <= timedelta(minutes=1), (source, when, expected)
            else:
                if line.startswith("newsmon extract"):  # "a saved page": one of the sample web's articles
                    (tmp_path / "page.html").write_bytes(_fetch(demo_links[0]))
                done = walk.run(line)
                check_line(line, done, first_crawl, walk, again=command in checked)
            checked.append(command)
    finally:
        for proc in walk.background:
            if proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=30)
    assert len(checked) == len(lines)


def check_line(line: str, done: subprocess.CompletedProcess, first_crawl: dict[str, int], walk: Walk,
               again: bool = False) -> None:
    """What the README's comment beside `line` says it does (`again`: a command run before)."""
    out, err = done.stdout, done.stderr
    assert done.returncode == 0, (line, err[-3000:])
    assert "demo's store" not in err, line  # from the first crawl on, the default store answers
    outlets = OUTLETS
    if line == "newsmon sources --sources sample.toml":
        assert outlets <= set(re.findall(r"│ (\w+)\s", out)), out
    elif line == "newsmon sources check --sources sample.toml":
        assert "sources: 6 ok" in out, out
    elif line == "newsmon crawl --loopback --sources sample.toml" and again:  # with alerts now
        assert re.search(r"│\s+0 │\s+0 │\s+0 │\s+\d+ │\s+0 │", out), out  # nothing new: stored, duplicate, updated 0
        assert re.search(r"^alerts: 0 queued, .*\b1 sent, 0 pending, 0 dead", err, re.M), err  # the backlog digest
        (sent,) = [json.loads(x) for x in (walk.folder / "karabakh.jsonl").read_text(encoding="utf-8").splitlines()]
        assert sent["kind"] == "backlog" and len(sent["items"]) > 1, sent
    elif line == "newsmon crawl --loopback --sources sample.toml":
        rows = re.findall(r"│ (\w+)\s+│\s+\d+ │\s+\d+ │\s+(\d+) │\s+(\d+) │", out)
        first_crawl.update({source: int(a) + int(b) for source, a, b in rows})
        assert set(first_crawl) == outlets and all(first_crawl.values()), out
    elif line == "newsmon crawl --loopback --sources sample.toml --source trdaily --verbose":
        assert re.search(r"│ trdaily\s+│\s+\d+ │\s+\d+ │\s+0 │\s+0 │", out), out  # nothing new now
        assert "INFO" in err  # the crawl log, live
    elif line == """newsmon search 'Shusha "Shusha Declaration" -forum'""":
        assert total(out) > 0 and "Coverage by month" in out and "forum" not in out.lower()
    elif line == "newsmon search -forum Karabakh":
        everything = walk.run("newsmon search Karabakh").stdout
        assert 0 < total(out) < total(everything)
    elif line == "newsmon search 'Erdogan lang:ru' --since 2025-01-01 --interval week":
        assert total(out) > 0 and "Coverage by week" in out
        assert all(d >= "2025-01-01" for d in re.findall(r" · ru · (\d{4}-\d\d-\d\d)", out))
    elif line == "newsmon search 'title:TANAP OR source:haberler' --json":
        hits = json.loads(out)["hits"]
        assert hits and all("TANAP" in h["title"] or h["source"] == "haberler" for h in hits)
    elif line == "newsmon search Shusha --lang en --entity erdogan --sort date":
        dates = re.findall(r" · (\w\w) · (\d{4}-\d\d-\d\d)", out)
        assert total(out) > 0 and dates and {lang for lang, _ in dates} == {"en"}
        assert [d for _, d in dates] == sorted((d for _, d in dates), reverse=True)
    elif line.startswith("newsmon extract"):
        record = json.loads(out)
        assert record["status"] == "on_topic" and record["title"] and record["language"]
    elif line == "newsmon stats --sources sample.toml":
        stored = int(re.search(r"(\d+) articles in sqlite:///(\S+)", out).group(1))
        assert stored == sum(first_crawl.values()) and "newsmon.db" in out
    elif line == "newsmon runs --source trdaily":
        assert len(re.findall(r"│ trdaily\s+│ manual", out)) == 2, out
    elif line.startswith("newsmon backfill --loopback --sources sample.toml --source trdaily"):
        assert re.search(r"backfill of trdaily: \d+ pages, 0 new articles.*\(finished\)", out), out  # "here: 0 new"
    elif line.startswith("newsmon alerts add shusha "):
        assert out.startswith("alert shusha saved (instant, per article)"), out
    elif line.startswith("newsmon alerts add karabakh-daily "):
        assert re.search(r"^[1-9]\d* backlog deliveries queued", out, re.M), out
    elif line == "newsmon alerts test shusha":
        assert int(re.match(r"(\d+) article\(s\) found in the last 7 days match", out).group(1)) > 0, out
    elif line == "newsmon alerts list":
        assert re.search(r"│ karabakh-daily\s+│.*│ 0\s+│ 1\s+│ 0\s+│", out), out  # pending, sent, dead
        assert re.search(r"│ shusha\s+│", out), out
    elif line == "newsmon alerts show karabakh-daily":
        assert "items, backlog" in out and "signing secret" not in out, out
    elif line == "newsmon alerts deliver --wait 60":
        assert re.match(r"\d+ sent, 0 to retry, 0 dead; outbox: 0 pending, \d+ waiting for a digest, 0 dead", out), out
    elif line == "newsmon alerts feed karabakh-daily":
        assert out.lstrip().startswith("<?xml") and "<feed" in out, out[:300]
    elif line == "newsmon alerts remove shusha":
        assert out.strip() == "alert shusha removed", out
    else:
        raise AssertionError(f"the README shows {line!r}: say here what it must do")


def _fetch(url: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def _answers(url: str) -> bool:
    try:
        return bool(_fetch(url))
    except OSError:
        return False


def _search_total(port: int) -> int:
    import urllib.parse

    try:
        return json.loads(_fetch(f"http://127.0.0.1:{port}/api/search?" + urllib.parse.urlencode({"q": "Shusha"})))["total"]
    except OSError:
        return 0
