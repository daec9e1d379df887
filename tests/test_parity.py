"""Every `--json` reading command prints exactly the document its API route returns (one store, filled once).

The CLI runs as a user runs it (a real process); the API is served over HTTP on loopback. Both
build monitor.app.Newsmon over the same SQLite file, so any difference is a difference in how a
document is made (as `stats` once was: the CLI's had each source's health, the API's did not).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from crawler.sources import load_sources
from index.store import open_store
from monitor.alerts.model import Alert
from monitor.app import Newsmon
from monitor.config import Config
from monitor.schedule import record_runs
from monitor.web import create_app
from tests.test_store_contract import CORPUS
from testkit.webserver import serving

ROOT = Path(__file__).resolve().parents[1]
KEY = "parity-key"


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """(run the CLI, GET the API) over one SQLite store holding articles, crawl runs and an alert."""
    folder = tmp_path_factory.mktemp("parity")
    home = folder / "home"
    url = f"sqlite:///{folder / 'parity.db'}"
    sources = load_sources()[:3]
    started = datetime.now(timezone.utc) - timedelta(hours=2)
    with open_store(url) as store:
        # stories by the first entity each article names (the writer's grouping is tested elsewhere)
        store.upsert([replace(a, story_id=a.matched[0] if a.matched else None) for a in CORPUS])
        summaries = [{"source": s.id, "pages": 12, "article_responses": 9, "outcomes": {"stored": 4, "duplicate": 1},
                      "errors": {"timeout": 1}, "finish_reason": "finished"} for s in sources[:2]]
        record_runs(store, sources, summaries, "manual", started, exit_code=0)
    config = Config(store_url=url, home=home, api_key=KEY)
    with Newsmon(config) as newsmon:
        newsmon.add_alert(Alert.from_fields("shusha", "Shusha", languages=["en"], jsonl=[str(folder / "a.jsonl")]))

    def cli(*args: str, code: int = 0):
        result = subprocess.run([sys.executable, "-m", "monitor.cli", "--store", url, *args, "--json"],
                                capture_output=True, text=True, timeout=300, cwd=ROOT,
                                env={**os.environ, "NEWSMON_HOME": str(home)})
        assert result.returncode == code, result.stderr
        return json.loads(result.stdout)

    with serving(create_app(config, Newsmon(config))) as base:
        def api(path: str, status: int = 200, **params):
            response = httpx.get(base + path, params=params, headers={"X-API-Key": KEY}, timeout=60)
            assert response.status_code == status, response.text
            return response.json()

        yield cli, api, [s.id for s in sources]


@pytest.mark.parametrize("args, params", [
    (["Shusha"], {"q": "Shusha"}),
    (["Erdogan", "OR", "Aliyev", "--lang", "en", "--sort", "date", "--interval", "week", "--size", "3"],
     {"q": "Erdogan OR Aliyev", "lang": "en", "sort": "date", "interval": "week", "size": "3"}),
    ([], {}),
    (["Shusha", "--group", "story"], {"q": "Shusha", "group": "story"}),
    (["--group", "story", "--sort", "date", "--size", "3", "--page", "2"],
     {"group": "story", "sort": "date", "size": "3", "page": "2"}),
])
def test_search(both, args, params):
    cli, api, _ = both
    assert cli("search", *args) == api("/api/search", **params)


def test_search_grouped_by_story(both):
    """One hit per story (+N more in K languages), `groups` to page through, `total` still articles."""
    cli, api, _ = both
    doc = cli("search", "Shusha", "--group", "story", "--size", "100")
    plain = api("/api/search", q="Shusha", size="100")
    stories = {h["story_id"] for h in plain["hits"]}  # every Shusha article has a story here
    assert doc["total"] == plain["total"] and doc["groups"] == len(doc["hits"]) == len(stories)
    for hit in doc["hits"]:
        others = [h for h in plain["hits"] if h["story_id"] == hit["story_id"] and h["id"] != hit["id"]]
        assert hit["more"] == {"count": len(others), "languages": sorted({h["language"] for h in others})}
    assert "more" not in plain["hits"][0] and "groups" not in plain
    # the story facet: stories by matching articles, each with its first article's title
    assert doc["facets"]["story"] == [{"key": "shusha", "count": 3, "headline": "Mountain town hosts music festival"},
                                      {"key": "erdogan", "count": 2, "headline": "Erdoğan arrives in Shusha"}]


def test_stats(both):
    cli, api, sources = both
    doc = cli("stats")
    assert doc["total"] == len(CORPUS) and {h["source"] for h in doc["schedule_health"]} >= set(sources)
    assert doc == api("/api/stats")


def test_runs(both):
    cli, api, sources = both
    doc = cli("runs")
    assert {r["source"] for r in doc} == set(sources)
    assert doc == api("/api/runs")
    assert cli("runs", "--source", sources[0], "--since", "2020-01-01", "--limit", "5") == \
        api("/api/runs", source=sources[0], since="2020-01-01", limit="5")


def test_alerts_list(both):
    cli, api, _ = both
    doc = cli("alerts", "list")
    assert [a["name"] for a in doc] == ["shusha"] and "secret" not in doc[0]
    assert doc == api("/api/alerts")


@pytest.mark.parametrize("args, params", [
    (["Shusha", "AND", "("], {"q": "Shusha AND ("}),
    (["Shusha", "--size", "500"], {"q": "Shusha", "size": "500"}),
    (["Shusha", "--lang", "xx"], {"q": "Shusha", "lang": "xx"}),
    (["Shusha", "--group", "bogus"], {"q": "Shusha", "group": "bogus"}),
])
def test_a_bad_request_is_one_error_document(both, args, params):
    """The CLI's words name its options (--size), the API's its parameters; the document is one shape."""
    cli, api, _ = both
    said, answered = cli("search", *args, code=2)["error"], api("/api/search", status=400, **params)["error"]
    assert set(said) == set(answered) == {"param", "message", "position"}
    assert (said["param"], said["position"]) == (answered["param"], answered["position"])
    assert answered["message"] in said["message"]


@pytest.mark.parametrize("args, params", [
    ([], {}),
    (["Shusha", "--lang", "tr", "--size", "0"], {"q": "Shusha", "lang": "tr", "size": "0"}),
])
def test_stories(both, args, params):
    cli, api, _ = both
    doc = cli("stories", *args)
    assert doc == api("/api/stories", **params)
    assert doc["stories"] and all(story["articles"] >= story["matching"] >= 1 for story in doc["stories"])


def test_one_story_and_a_bad_stories_request(both):
    cli, api, _ = both
    listed = cli("stories")["stories"]
    assert cli("stories", "show", listed[0]["id"]) == api(f"/api/stories/{listed[0]['id']}")
    assert cli("stories", "show", "nope", code=2)["error"] == api("/api/stories/nope", status=404)["error"]
    said, answered = cli("stories", "--size", "x", code=2)["error"], api("/api/stories", status=400, size="x")["error"]
    assert said["param"] == answered["param"] == "size" and answered["message"] in said["message"]


@pytest.mark.parametrize("args, params", [
    (["--since", "2024-01-16", "--until", "2024-03-11"], {"since": "2024-01-16", "until": "2024-03-11"}),
    (["Aliyev", "--since", "10d", "--until", "2024-02-21T12:00:00"],
     {"q": "Aliyev", "since": "10d", "until": "2024-02-21T12:00:00"}),
])
def test_brief(both, args, params):
    cli, api, _ = both
    doc = cli("brief", *args)
    assert doc == api("/api/brief", **params)
    assert doc["stories"] and sum(s["matching"] for s in doc["stories"]) <= doc["articles"]
    assert [s["matching"] for s in doc["stories"]] == sorted((s["matching"] for s in doc["stories"]), reverse=True)
    until = doc["period"]["until"]
    assert all(story["first_published"] <= until for story in doc["stories"])


def test_a_brief_tells_new_stories_from_continuing_ones(both):
    cli, _, _ = both
    doc = cli("brief", "Aliyev", "--since", "10d", "--until", "2024-02-21T12:00:00")
    assert doc["period"] == {"since": "2024-02-11T12:00:00Z", "until": "2024-02-21T12:00:00Z"}
    assert [(s["id"], s["matching"], s["articles"], s["new"]) for s in doc["stories"]] == [("ilham-aliyev", 1, 4, False)]
    doc = cli("brief", "--since", "2024-02-21", "--until", "2024-02-22")
    assert {s["id"]: s["new"] for s in doc["stories"]} == {"ilham-aliyev": False}
    assert doc["articles"] == 2 and doc["stories"][0]["matching"] == 2
    day = cli("brief", "--since", "24h", "--until", "20240221")  # a whole day, however it is written
    assert day["period"] == {"since": "2024-02-21T00:00:00Z", "until": "2024-02-21T23:59:59Z"}
    assert day == {**cli("brief", "--since", "2024-02-21", "--until", "2024-02-21"), "request": day["request"]}
    assert day["articles"] == 1
    doc = cli("brief", "--since", "2024-01-14", "--until", "2024-01-15")  # the day Erdoğan's story began
    assert [(s["id"], s["new"]) for s in doc["stories"]] == [("erdogan", True)]


def test_a_bad_brief_request(both):
    cli, api, _ = both
    said, answered = cli("brief", "--since", "soon", code=2)["error"], api("/api/brief", status=400, since="soon")["error"]
    assert said["param"] == answered["param"] == "since" and answered["message"] in said["message"]
