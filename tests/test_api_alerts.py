"""Alerts through the API (real HTTP on loopback), on both stores: the same alerts the CLI manages."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timezone

import httpx
import pytest

from monitor.alerts.service import AlertsService
from monitor.config import Config
from monitor.service import SearchService
from monitor.web import create_app
from tests.test_api import store_url
from tests.test_store_contract import BY_ID, CORPUS
from tests.webserver import serving

KEY = "test-key-7f3a"


@pytest.fixture(scope="module")
def served(new_store, tmp_path_factory):
    """(base URL with write routes, base URL without, store URL, folder) over a store of each backend."""
    store = new_store()
    store.upsert(CORPUS)
    folder = tmp_path_factory.mktemp("api-alerts")
    home = folder / "home"
    old_home = os.environ.get("NEWSMON_HOME")
    os.environ["NEWSMON_HOME"] = str(home)  # the outbox of an Elasticsearch store lives there
    url = store_url(store)
    try:
        keyed = Config(store_url=url, home=home, api_key=KEY)
        open_ = Config(store_url=url, home=home)
        with serving(create_app(keyed, SearchService.over(store, keyed))) as base, \
                serving(create_app(open_, SearchService.over(store, open_))) as base_open:
            yield base, base_open, url, folder, store
    finally:
        if old_home is None:
            os.environ.pop("NEWSMON_HOME", None)
        else:
            os.environ["NEWSMON_HOME"] = old_home


def test_writing_needs_the_key_and_is_off_without_one(served):
    base, base_open, *_ = served
    body = {"name": "nokey", "query": "Shusha"}
    assert httpx.post(f"{base}/api/alerts", json=body).status_code == 401
    assert httpx.post(f"{base}/api/alerts", json=body, headers={"X-API-Key": "wrong"}).status_code == 401
    assert httpx.post(f"{base_open}/api/alerts", json=body, headers={"X-API-Key": KEY}).status_code in (404, 405)
    assert httpx.get(f"{base_open}/api/alerts").status_code == 200  # reading stays open


def test_bad_alerts_are_400_naming_the_problem(served):
    base, *_ = served
    headers = {"X-API-Key": KEY}
    bad_query = httpx.post(f"{base}/api/alerts", json={"name": "b1", "query": "(Shusha", "jsonl": ["/tmp/x.jsonl"]},
                           headers=headers)
    assert bad_query.status_code == 400 and "query" in bad_query.json()["error"]["message"]
    loopback = httpx.post(f"{base}/api/alerts", headers=headers,
                          json={"name": "b2", "query": "Shusha", "webhooks": ["http://127.0.0.1:9/hook"]})
    assert loopback.status_code == 400 and ("private" in loopback.text.lower() or "loopback" in loopback.text.lower())
    digest = httpx.post(f"{base}/api/alerts", json={"name": "b3", "query": "x", "digest": "weekly", "jsonl": ["/tmp/x.jsonl"]}, headers=headers)
    assert digest.status_code == 400 and "Traceback" not in digest.text


def test_alert_made_by_the_api_is_the_cli_s_and_its_feed_lists_what_matched(served):
    base, _, url, folder, store = served
    headers = {"X-API-Key": KEY}
    made = httpx.post(f"{base}/api/alerts", headers=headers,
                      json={"name": "shusha", "query": "Shusha", "jsonl": [str(folder / "shusha.jsonl")]})
    assert made.status_code == 201, made.text
    assert len(made.json()["secret"]) == 64
    listed = httpx.get(f"{base}/api/alerts").json()
    assert [a["name"] for a in listed] == ["shusha"] and "secret" not in listed[0]
    cli = subprocess.run([sys.executable, "-m", "monitor.cli", "--store", url, "alerts", "list", "--json"],
                         capture_output=True, text=True, timeout=120, env={**os.environ})
    assert cli.returncode == 0, cli.stderr
    assert [a["name"] for a in json.loads(cli.stdout)] == ["shusha"]
    # a new matching story is written after the alert was made: matched, delivered, in the feed
    new = replace(BY_ID["ru1"], id="ru-new", url="https://trend.example/ru-new", canonical_url="https://trend.example/ru-new",
                  title="Новый фестиваль в Шуше", content_hash="hash-ru-new",
                  crawled_at=datetime(2024, 7, 1, tzinfo=timezone.utc))
    store.upsert([new])
    with AlertsService(url) as alerts:
        alerts.match()
        alerts.deliver()
    lines = [json.loads(line) for line in (folder / "shusha.jsonl").read_text().splitlines()]
    assert [line["article"]["id"] for line in lines] == ["ru-new"]  # no flood of the older Shusha stories
    feed = httpx.get(f"{base}/alerts/shusha.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    assert "Новый фестиваль в Шуше" in feed.text and feed.text.count("<entry>") == 1
    assert httpx.get(f"{base}/alerts/nobody.atom").status_code == 404
    assert httpx.delete(f"{base}/api/alerts/shusha", headers=headers).status_code == 204
    assert httpx.get(f"{base}/api/alerts").json() == []
    assert httpx.delete(f"{base}/api/alerts/shusha", headers=headers).status_code == 404


def test_the_page_offers_the_search_as_an_alert(served):
    base, *_ = served
    page = httpx.get(f"{base}/", params={"q": "Shusha <b>", "lang": "ru"}).text
    assert 'id="make-alert"' in page
    assert "newsmon alerts add NAME &#39;Shusha &lt;b&gt;&#39; --lang ru" in page  # escaped, and as typed
    assert "&#34;languages&#34;: [&#34;ru&#34;]" in page or "&quot;languages&quot;: [&quot;ru&quot;]" in page
