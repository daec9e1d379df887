"""Prometheus metrics (monitor/metrics.py) read as Prometheus reads them: `newsmon serve`'s /metrics
after a real crawl of the sample web, and `newsmon schedule --metrics-port` while it schedules."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from monitor.app import Newsmon
from monitor.config import Config, load_config
from monitor.web import create_app
from sampleweb import SampleWeb, SampleWebServer
from testkit.webserver import free_port, serving


def samples(text: str) -> dict[tuple, float]:
    """{(sample name, sorted labels): value} of a /metrics answer, parsed by prometheus_client."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def cli(*args: str, store: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor.cli", "--store", store, *args], capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    folder = tmp_path_factory.mktemp("metrics")
    with SampleWebServer(SampleWeb(seed=7)) as server:
        sources = folder / "sources.toml"
        sources.write_text(server.sources_toml(), encoding="utf-8")
        yield folder, sources


def test_serve_counts_a_crawl_as_its_summary_says(web):
    folder, sources = web
    url = f"sqlite:///{folder / 'serve.db'}"
    feed = folder / "gas.jsonl"
    assert cli("alerts", "add", "gas", "pipeline OR gas", "--jsonl", str(feed), store=url).returncode == 0
    config = load_config(url)
    with serving(create_app(config, Newsmon(config))) as base:
        before = samples(httpx.get(f"{base}/metrics", timeout=60).text)
        assert not [k for k in before if k[0] == "newsmon_crawl_pages_total"]  # nothing crawled yet
        crawled = cli("crawl", "--loopback", "--json", "--sources", str(sources), "--state", str(folder / "s.db"),
                      store=url)
        assert crawled.returncode == 0, crawled.stderr[-2000:]
        summary = {s["source"]: s for s in json.loads(crawled.stdout)}
        assert httpx.get(f"{base}/api/search", params={"q": "Shusha"}, timeout=60).status_code == 200
        httpx.get(f"{base}/metrics", timeout=60)
        text = httpx.get(f"{base}/metrics", timeout=60).text  # a run is counted once, however often scraped
        assert text.count("newsmon_crawl_pages_total{") == len(summary)
    got = samples(text)
    for source, s in summary.items():
        assert got[("newsmon_crawl_pages_total", (("source", source),))] == s["pages"]
        for outcome, n in s["outcomes"].items():
            assert got[("newsmon_crawl_articles_total", (("outcome", outcome), ("source", source)))] == n
        assert got[("newsmon_crawl_runs_total", (("finish_reason", s["finish_reason"]), ("source", source)))] == 1
    stored = sum(s["outcomes"].get("stored", 0) for s in summary.values())
    assert stored > 100
    sent = len(feed.read_text().splitlines())  # the crawl matched and sent the alert's messages
    assert sent > 0 and got[("newsmon_outbox_deliveries", (("channel", "jsonl"), ("status", "sent")))] == sent
    assert got[("newsmon_alert_send_seconds_count", ())] == sent
    assert got[("newsmon_search_seconds_count", (("route", "api_search"),))] >= 1
    assert got[("newsmon_spool_bytes", ())] == 0
    assert str(feed) not in text  # a channel's target is never a label


def test_the_scheduler_serves_its_metrics_on_its_own_port(web):
    folder, sources = web
    url = f"sqlite:///{folder / 'scheduled.db'}"
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "monitor.cli", "--store", url, "schedule", "--loopback",
                             "--sources", str(sources), "--metrics-port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        deadline, got = time.monotonic() + 300, {}
        while time.monotonic() < deadline and proc.poll() is None:  # until its first crawls are recorded
            try:
                got = samples(httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text)
            except httpx.TransportError:
                got = {}
            if any(k[0] == "newsmon_crawl_runs_total" for k in got):
                break
            time.sleep(0.5)
        assert proc.poll() is None, proc.stderr.read()[-2000:]
        runs = {dict(k[1])["source"] for k in got if k[0] == "newsmon_crawl_runs_total"}
        assert runs, "no crawl counted within 300 s"
        assert all(got[("newsmon_crawl_pages_total", (("source", s),))] > 0 for s in runs)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(120)


def test_a_metrics_port_in_use_is_one_line(web, tmp_path):
    folder, sources = web
    with serving(create_app(load_config(f"sqlite:///{tmp_path / 'x.db'}"))) as base:
        port = base.rsplit(":", 1)[1]
        result = cli("schedule", "--loopback", "--sources", str(sources), "--metrics-port", port, "--cycles", "1",
                     store=f"sqlite:///{folder / 'scheduled.db'}")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"--metrics-port {port}: cannot listen on 127.0.0.1:{port}" in result.stderr


def test_a_store_that_is_away_is_a_gauge_not_a_failed_scrape(tmp_path):
    config = Config(store_url=f"http://127.0.0.1:{free_port()}/?index=away", home=tmp_path)
    config.spool_path.parent.mkdir(parents=True, exist_ok=True)
    config.spool_path.write_text('{"id": "x"}\n')  # what the crawl left while the cluster was away
    with serving(create_app(config)) as base:
        response = httpx.get(f"{base}/metrics", timeout=60)
    assert response.status_code == 200
    got = samples(response.text)
    assert got[("newsmon_store_up", ())] == 0 and got[("newsmon_spool_bytes", ())] == 12
