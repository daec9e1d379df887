"""What a new user meets first, run as they run it (real processes): `serve` and the commands beside it."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx

from index.article import Article
from index.store import open_store
from monitor.config import load_config
from sampleweb import SampleWeb, SampleWebServer
from testkit.webserver import free_port

ROOT = Path(__file__).resolve().parents[1]
SHUSHA = Article(url="https://x.az/1", canonical_url="https://x.az/1", source="apa", language="en",
                 title="Aliyev and Erdogan meet in Shusha", body="President Ilham Aliyev met Erdogan in Shusha.",
                 published_at=datetime(2025, 3, 4, 9, tzinfo=timezone.utc), matched=["shusha", "ilham-aliyev"])


def env_for(home: Path) -> dict:
    return {k: v for k, v in os.environ.items() if k != "NEWSMON_STORE"} | {"NEWSMON_HOME": str(home)}


def newsmon(home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=env_for(home))


def started_server(home: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """`newsmon serve` on a free port, once it answers (or has exited)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "monitor.cli", *args, "serve", "--port", str(port)], cwd=ROOT,
                            env=env_for(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            httpx.get(base + "/api/search", timeout=5)
            return proc, base
        except httpx.TransportError:
            time.sleep(0.2)
    return proc, base


def stop(proc: subprocess.Popen) -> tuple[str, str]:
    if proc.poll() is None:
        proc.terminate()
    return proc.communicate(timeout=30)


def test_serve_after_the_demo_serves_the_demo_store_and_creates_nothing(tmp_path):
    home = tmp_path / "home"
    with open_store(f"sqlite:///{home / 'demo.db'}") as demo:  # what `newsmon demo` leaves
        demo.upsert([SHUSHA])
    proc, base = started_server(home)
    try:
        assert proc.poll() is None, stop(proc)[1]
        assert httpx.get(base + "/api/search", params={"q": "Shusha"}).json()["total"] == 1
    finally:
        _, stderr = stop(proc)
    assert "demo's store" in stderr
    assert not (home / "newsmon.db").exists()


def test_serve_a_missing_store_is_one_line_and_creates_no_file(tmp_path):
    home = tmp_path / "home"
    for args in (["--store", "sqlite:///typo.db"], []):
        done = newsmon(home, *args, "serve", "--port", str(free_port()))
        assert done.returncode == 2, done.stderr
        (line,) = done.stderr.strip().splitlines()
        assert line.startswith("error: no store at ") and "newsmon demo" in line
    assert not (ROOT / "typo.db").exists() and not (home / "newsmon.db").exists()
    done = newsmon(home, "serve", "--store", f"sqlite:///{tmp_path / 'typo.db'}", "--port", str(free_port()))
    assert done.returncode == 2 and not (tmp_path / "typo.db").exists()


def test_serve_on_a_busy_port_says_so_before_serving(tmp_path):
    home = tmp_path / "home"
    with open_store(f"sqlite:///{home / 'newsmon.db'}") as store:
        store.upsert([SHUSHA])
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = newsmon(home, "serve", "--port", str(port))
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == f"error: cannot serve on 127.0.0.1:{port}: the port is in use " \
                                  "(another `newsmon serve`?); pick one with --port"
    assert "serving" not in done.stdout + done.stderr


def test_a_crawl_into_an_unreachable_cluster_says_spooled_and_replay_counts_what_it_sent(es_node, tmp_path):
    home, away = tmp_path / "home", "http://127.0.0.1:9?index=promises"  # nothing listens on port 9
    with SampleWebServer(SampleWeb(seed=7)) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(server.sources_toml(), encoding="utf-8")
        crawl = newsmon(home, "--store", away, "crawl", "--loopback", "--json", "--sources", str(sources),
                        "-s", "trdaily", timeout=600)
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    (summary,) = json.loads(crawl.stdout)
    spooled = summary["outcomes"].get("spooled", 0)
    assert spooled > 0 and summary["outcomes"].get("stored", 0) == 0 and summary["stored"] == 0
    spool = load_config(away, env={"NEWSMON_HOME": str(home)}).spool_path
    assert f"{spooled} article(s) went to the spool {spool}" in crawl.stderr
    stats = newsmon(home, "--store", away, "stats")
    assert stats.returncode == 2
    assert f"{spooled} article(s) written meanwhile wait in {spool}" in stats.stderr
    # the same spool, now for a cluster that answers: `index replay` counts what it sent
    here = f"{es_node.url}?index=promises"
    load_config(here, env={"NEWSMON_HOME": str(home)}).spool_path.parent.mkdir(parents=True, exist_ok=True)
    spool.rename(load_config(here, env={"NEWSMON_HOME": str(home)}).spool_path)
    replay = newsmon(home, "--store", here, "index", "replay")
    assert replay.returncode == 0, replay.stderr
    assert replay.stdout.strip() == f"replayed {spooled} spooled articles"
    with open_store(here, spool=tmp_path / "unused.jsonl") as store:
        assert store.count() == spooled


def test_a_one_dash_option_in_a_search_is_named_not_searched(tmp_path):
    home = tmp_path / "home"
    with open_store(f"sqlite:///{home / 'newsmon.db'}") as store:
        store.upsert([SHUSHA])
    done = newsmon(home, "search", "Shusha", "-lang", "en")
    assert done.returncode == 2
    assert done.stderr.strip() == ("error: -lang would leave out the word 'lang': the option is --lang "
                                   "(to leave out the word, write NOT lang)")
    kept = newsmon(home, "search", "Shusha", "-football", "--json")  # a word left out is still a query
    assert kept.returncode == 0 and json.loads(kept.stdout)["total"] == 1


def test_a_crawl_that_fetched_nothing_from_any_source_fails(tmp_path):
    home = tmp_path / "home"
    with SampleWebServer(SampleWeb(seed=7)) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(server.sources_toml(), encoding="utf-8")
        forgot = newsmon(home, "crawl", "--sources", str(sources), "-s", "trdaily", "-s", "novosti", timeout=600)
        looped = newsmon(home, "crawl", "--loopback", "--sources", str(sources), "-s", "trdaily", timeout=600)
    assert forgot.returncode == 1, forgot.stderr[-2000:]
    assert "address_loopback" in forgot.stderr and "--loopback allows it" in forgot.stderr
    assert forgot.stderr.strip().endswith("error: nothing was fetched from any source")
    assert looped.returncode == 0, looped.stderr[-2000:]


def test_the_page_s_suggested_alert_command_is_refused_until_its_placeholders_are_replaced(tmp_path):
    home = tmp_path / "home"
    with open_store(f"sqlite:///{home / 'newsmon.db'}") as store:
        store.upsert([SHUSHA])
    name = newsmon(home, "alerts", "add", "NAME", "Shusha", "--webhook", "https://…")
    assert name.returncode == 2 and name.stderr.strip().startswith("error: 'NAME' is the page's placeholder"), name.stderr
    hook = newsmon(home, "alerts", "add", "shusha", "Shusha", "--webhook", "https://…")
    assert hook.returncode == 2 and "placeholder" in hook.stderr and len(hook.stderr.strip().splitlines()) == 1
    listed = newsmon(home, "alerts", "list")
    assert "shusha" not in listed.stdout


def test_backfill_until_a_day_written_without_dashes_is_the_whole_day(tmp_path):
    """Review of issue 21: `--until 20250831` (ISO 8601's basic form) was read as that day's midnight."""
    home = tmp_path / "home"
    done = newsmon(home, "backfill", "--source", "aa-tr", "--since", "20250901", "--until", "20250831")
    assert done.returncode == 2 and "is before --since" in done.stderr
    noon = newsmon(home, "backfill", "--source", "nosuch", "--since", "2025-08-31T12:00", "--until", "20250831")
    assert noon.returncode == 2 and "is before --since" not in noon.stderr  # its last day runs to midnight
    assert "unknown source 'nosuch'" in noon.stderr
