"""The JSON API over real HTTP (uvicorn on loopback), on both stores; the CLI's --json is its body."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

from index.article import Article
from monitor.config import Config
from monitor.app import Newsmon
from monitor.web import create_app
from tests.test_store_contract import ALL, BY_ID, CORPUS, SHUSHA
from testkit.webserver import serving

ROOT = Path(__file__).resolve().parents[1]


def store_url(store) -> str:
    return store.url if hasattr(store, "es") else f"sqlite:///{store.path}"


@pytest.fixture(scope="module")
def api(new_store, tmp_path_factory):
    """(base URL, store URL) of an API over a store of each backend holding the contract corpus."""
    store = new_store()
    store.upsert(CORPUS)
    home = tmp_path_factory.mktemp("home")
    config = Config(store_url=store_url(store), home=home)
    with serving(create_app(config, Newsmon.over(store, config))) as base:
        yield base, config


def get(api, path: str, **params) -> httpx.Response:
    base, _ = api
    return httpx.get(base + path, params=params, timeout=30)


def ids(api, **params) -> set[str]:
    doc = get(api, "/api/search", size=100, **params).json()
    found = {h["id"] for h in doc["hits"]}
    assert doc["total"] == len(found)
    return found


def test_search_document_shape(api):
    response = get(api, "/api/search", q="Shusha", size=2)
    assert response.status_code == 200
    doc = response.json()
    assert doc["total"] == 5 and len(doc["hits"]) == 2 and doc["page"] == 1 and doc["size"] == 2
    assert doc["request"] == {"q": "Shusha", "size": "2"}
    hit = doc["hits"][0]
    assert set(hit) == {"id", "url", "title", "source", "language", "published_at", "date_source", "relevance",
                        "duplicate_of", "story_id", "matched", "score", "highlights"}
    assert hit["id"] in SHUSHA and "<mark>" in hit["highlights"]["title"][0]
    assert set(doc["facets"]) == {"date", "language", "source", "entity", "story"}
    assert {"key": "en", "count": 2} in doc["facets"]["language"]
    assert response.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("params, expected", [
    ({"q": "Shusha"}, SHUSHA),
    ({"q": "-Shusha"}, ALL - SHUSHA),
    ({"since": "2024-02-01", "until": "2024-02-29"}, {"en3", "en7", "tr2", "az2", "ru2"}),
    ({"since": "2024-06-01"}, {"ru5"}),
    ({"until": "2023-12-31"}, {"az4"}),
    ({"lang": "ru", "q": "Shusha"}, {"ru1"}),
    ({"lang": ["tr", "az"], "q": "Shusha"}, {"tr1", "az1"}),
    ({"lang": "tr,az", "q": "Shusha"}, {"tr1", "az1"}),
    ({"source": "apa"}, {"az1", "ru2", "ru4"}),
    ({"source": ["apa", "report"], "lang": "az"}, {"az1", "az3", "az4"}),
    ({"entity": "erdogan"}, {"en1", "en3", "tr1", "az2", "ru2"}),
    ({"entity": ["erdogan", "shusha"]}, {"en1", "en3", "tr1", "az2", "ru2", "en7", "az1", "ru1"}),
    ({"entity": "Şuşa", "lang": "en"}, {"en1", "en7"}),
])
def test_filters_narrow(api, params, expected):
    assert ids(api, **params) == expected


def test_interval_sort_page_size(api):
    months = get(api, "/api/search", q="Shusha", interval="month", size=0).json()
    assert months["facets"]["date"] == [{"key": "2024-01-01", "count": 4}, {"key": "2024-02-01", "count": 1}]
    assert months["hits"] == []
    years = get(api, "/api/search", q="Shusha", interval="year").json()["facets"]["date"]
    assert years == [{"key": "2024-01-01", "count": 5}]
    weeks = get(api, "/api/search", q="football", interval="week").json()["facets"]["date"]
    assert weeks == [{"key": "2024-03-04", "count": 1}]
    days = get(api, "/api/search", q="football", interval="day").json()["facets"]["date"]
    assert days == [{"key": "2024-03-10", "count": 1}]
    by_date = [get(api, "/api/search", sort="date", size=7, page=p).json() for p in (1, 2, 3)]
    seen = [h["id"] for doc in by_date for h in doc["hits"]]
    assert seen[0] == "ru5" and seen[-1] == "en5" and set(seen) == ALL and len(seen) == 20
    assert [d["page"] for d in by_date] == [1, 2, 3]
    relevance = get(api, "/api/search", q="energy", sort="relevance").json()
    scores = [h["score"] for h in relevance["hits"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


@pytest.mark.parametrize("params, param, words", [
    ({"q": "(Shusha"}, "q", "never closed"),
    ({"q": "Shusha OR"}, "q", "dangling OR"),
    ({"q": 'x "Shusha'}, "q", "unterminated quote"),
    ({"q": "foo:bar"}, "q", "unknown field"),
    ({"q": "x" * 2001}, "q", "longer than"),
    ({"since": "yesterday"}, "since", "not a date"),
    ({"until": "2024-13-01"}, "until", "not a date"),
    ({"since": "2024-03-01", "until": "2024-02-01"}, "until", "before since"),
    ({"lang": "english"}, "lang", "not a language code"),
    ({"source": "<script>"}, "source", "not a source id"),
    ({"interval": "hour"}, "interval", "not one of"),
    ({"sort": "random"}, "sort", "not one of"),
    ({"page": "0"}, "page", "1 or more"),
    ({"page": "two"}, "page", "not a whole number"),
    ({"size": "101"}, "size", "from 0 to 100"),
    ({"size": "-1"}, "size", "from 0 to 100"),
    ({"page": "101", "size": "100"}, "page", "past the first 10000"),
    ({"colour": "red"}, "colour", "unknown parameter"),
    ({"interval": ["day", "week"]}, "interval", "more than once"),
])
def test_bad_parameters_are_400_naming_the_problem(api, params, param, words):
    response = get(api, "/api/search", **params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["param"] == param and words in error["message"]
    assert "Traceback" not in response.text and "File \"" not in response.text


def test_bad_query_reports_its_position(api):
    error = get(api, "/api/search", q="Shusha (energy").json()["error"]
    assert error["position"] == 7
    assert get(api, "/api/search", q="a b:c").json()["error"]["position"] == 2


def test_article_endpoint(api):
    doc = get(api, "/api/articles/tr1", q="Shusha").json()
    assert doc["id"] == "tr1" and doc["body"] == BY_ID["tr1"].body and "signature" not in doc
    assert doc["marked"]["title"] == "Erdoğan'ın <mark>Şuşa</mark> ziyareti"
    assert "<mark>Şuşa'da</mark>" in doc["marked"]["body"][0]
    missing = get(api, "/api/articles/nope")
    assert missing.status_code == 404 and missing.json()["error"]["param"] == "id"


def test_stats_endpoint(api):
    stats = get(api, "/api/stats").json()
    assert stats["total"] == 20 and stats["by_language"] == {"en": 7, "ru": 5, "az": 4, "tr": 4}


def test_coverage_endpoint(api):
    """Articles crawled per source per day (the corpus was crawled on 2024-06-10)."""
    rows = get(api, "/api/coverage").json()["coverage"]
    assert {r["day"] for r in rows} == {"2024-06-10"}
    assert {r["source"]: r["crawled"] for r in rows} == {"aa": 4, "apa": 3, "azertac": 3, "dailysabah": 3,
                                                          "trend": 3, "hurriyet": 2, "report": 2}
    only = get(api, "/api/coverage", source="apa").json()["coverage"]
    assert only == [{"day": "2024-06-10", "source": "apa", "crawled": 3}]
    assert get(api, "/api/coverage", since="2024-06-11").json()["coverage"] == []
    assert get(api, "/api/coverage", since="junk").status_code == 400
    assert get(api, "/api/coverage", q="x").status_code == 400


def test_export_is_every_match_not_one_page(api):
    response = get(api, "/api/export.csv", size="2")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["id"] for r in rows} == ALL and len(rows) == 20
    shusha = list(csv.DictReader(io.StringIO(get(api, "/api/export.csv", q="Shusha", lang="en").text)))
    assert {r["id"] for r in shusha} == {"en1", "en7"}
    assert {r["title"] for r in shusha} == {BY_ID["en1"].title, BY_ID["en7"].title}
    exported = json.loads(get(api, "/api/export.json", q="Shusha").text)
    assert {a["id"] for a in exported} == SHUSHA and exported[0]["body"]
    assert get(api, "/api/export.csv", q="(").status_code == 400


def test_openapi_schema_lists_every_parameter(api):
    schema = get(api, "/openapi.json").json()
    names = {p["name"] for p in schema["paths"]["/api/search"]["get"]["parameters"]}
    assert names == {"q", "since", "until", "lang", "source", "entity", "interval", "sort", "page", "size", "group",
                     "concepts", "explain", "near"}
    assert {"/api/search", "/api/articles/{article_id}", "/api/stats", "/api/coverage"} <= set(schema["paths"])
    assert get(api, "/docs").status_code == 200


def test_search_concepts_switch_and_explain(api):
    assert ids(api, q="elections") == {"en3", "tr2", "ru2", "ru3", "ru4"}  # seçimlerde, выборы, выборах
    assert ids(api, q="elections", concepts="off") == {"en3"}
    doc = get(api, "/api/search", q="elections -=Erdogan", explain="on", size=0).json()
    assert doc["request"] == {"q": "elections -=Erdogan", "size": "0", "explain": "on"}
    first, second = doc["expansion"]
    assert first["concepts"] == ["election"] and {"seçim", "выборы"} <= set(first["forms"])
    assert second == {"text": "Erdogan", "field": "", "exact": True, "entities": [], "concepts": [], "forms": []}
    assert "expansion" not in get(api, "/api/search", q="elections").json()
    bad = get(api, "/api/search", q="elections", concepts="maybe")
    assert bad.status_code == 400 and "concepts" in bad.text


def test_no_write_routes_without_an_api_key(api):
    schema = get(api, "/openapi.json").json()
    assert all(set(ops) == {"get"} for ops in schema["paths"].values())


def cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor.cli", *args], capture_output=True, text=True, timeout=300,
                          cwd=ROOT, env={**os.environ, "NEWSMON_HOME": str(home)})


@pytest.mark.parametrize("args, params", [
    (["Shusha"], {"q": "Shusha"}),
    (["-football", "--lang", "en", "--sort", "date"], {"q": "-football", "lang": "en", "sort": "date"}),
    (["Erdogan", "OR", "Aliyev", "--since", "2024-02-01", "--interval", "week", "--size", "3", "--page", "2"],
     {"q": "Erdogan OR Aliyev", "since": "2024-02-01", "interval": "week", "size": "3", "page": "2"}),
    (["--entity", "shusha", "--source", "trend", "--source", "hurriyet"],
     {"entity": "shusha", "source": ["trend", "hurriyet"]}),
])
def test_cli_json_is_the_api_body(api, args, params):
    _, config = api
    result = cli("--store", config.store_url, "search", *args, "--json", home=config.home)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == get(api, "/api/search", **params).json()


def test_cli_bad_parameter_is_one_line(api):
    _, config = api
    result = cli("--store", config.store_url, "search", "Shusha", "--size", "500", home=config.home)
    assert result.returncode == 2 and "--size must be from 0 to 100" in result.stderr
    assert "Traceback" not in result.stderr


def test_internal_errors_carry_no_trace(tmp_path):
    """A store that breaks mid-request answers 500 with a plain message."""
    config = Config(store_url=f"sqlite:///{tmp_path / 'x.db'}", home=tmp_path)
    service = Newsmon(config)
    service.store.upsert([Article(url="https://a/1", canonical_url="https://a/1", source="s", title="t", body="b",
                                  published_at=datetime(2024, 1, 1, tzinfo=timezone.utc))])
    service.store._con.execute("DROP TABLE fts")  # a corrupted file
    with serving(create_app(config, service)) as base:
        response = httpx.get(base + "/api/search", params={"q": "t"})
    assert response.status_code == 500
    assert response.json()["error"]["message"].startswith("internal error")
    assert "Traceback" not in response.text and "fts" not in response.text


def test_write_routes_need_the_api_key(tmp_path):
    """The guard the alerts endpoints use (monitor.web.gates.WriteGate, in front of every write route):
    no key configured or a wrong one is a 401."""
    def app_with(key: str):
        config = Config(store_url=f"sqlite:///{tmp_path / 'k.db'}", home=tmp_path, api_key=key)
        app = create_app(config)
        app.add_api_route("/api/probe", lambda: {"ok": True}, methods=["POST"])
        return app

    with serving(app_with("s3cret")) as base:
        assert httpx.post(base + "/api/probe").status_code == 401
        assert httpx.post(base + "/api/probe", headers={"X-API-Key": "wrong"}).status_code == 401
        assert httpx.post(base + "/api/probe", headers={"X-API-Key": "s3cret"}).json() == {"ok": True}
    with serving(app_with("")) as base:  # no key configured: writing is off, and the answer says why
        off = httpx.post(base + "/api/probe", headers={"X-API-Key": ""})
        assert off.status_code == 403 and "NEWSMON_API_KEY" in off.json()["error"]["message"]


def test_newsmon_serve_answers_on_loopback(tmp_path):
    from index.store import open_store
    from testkit.webserver import free_port

    url = f"sqlite:///{tmp_path / 'serve.db'}"
    with open_store(url) as store:
        store.upsert(CORPUS)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "monitor.cli", "serve", "--store", url, "--port", str(port)],
                              cwd=ROOT, env={**os.environ, "NEWSMON_HOME": str(tmp_path),
                                             "NEWSMON_ALLOWED_HOSTS": "news.example.org"},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(200):
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/search", params={"q": "Shusha"})
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert response.json()["total"] == 5
        page = httpx.get(f"http://127.0.0.1:{port}/", params={"q": "Shusha"})
        assert page.status_code == 200 and "5</strong> matching articles" in page.text
        # Host names another site (DNS rebinding): refused; the configured name and localhost answer
        rebound = httpx.get(f"http://127.0.0.1:{port}/api/search", headers={"Host": f"rebind.example:{port}"})
        assert rebound.status_code == 400 and rebound.json()["error"]["param"] == "Host"
        for host in ("news.example.org", f"localhost:{port}"):
            assert httpx.get(f"http://127.0.0.1:{port}/api/stats", headers={"Host": host}).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_store_that_is_away_is_a_503_without_server_paths(tmp_path):
    """Issue 21 item 5: the cluster being away is one line; its URL and the spool path stay in the server log."""
    from testkit.webserver import free_port

    config = Config(store_url=f"http://127.0.0.1:{free_port()}/?index=away", home=tmp_path)
    service = Newsmon(config)
    with serving(create_app(config, service)) as base:
        response = httpx.get(base + "/api/search", params={"q": "Shusha"})
    service.close()
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["param"] is None and error["position"] is None and "not answering" in error["message"]
    assert str(tmp_path) not in response.text and "spool" not in response.text


def test_grouped_search_without_stories_keeps_every_article_alone_and_bogus_is_refused(api):
    doc = get(api, "/api/search", q="Shusha", group="story", size=3).json()
    assert (doc["total"], doc["groups"], len(doc["hits"])) == (5, 5, 3)  # no article here has a story
    assert all(h["more"] == {"count": 0, "languages": []} for h in doc["hits"])
    bad = get(api, "/api/search", q="Shusha", group="bogus")
    assert bad.status_code == 400
    assert bad.json() == {"error": {"param": "group", "message": "'bogus' is not one of story", "position": None}}


def test_facet_choices_count_each_chosen_facet_without_its_own_filter(new_store, tmp_path):
    """The page's facets (issue 24 item 4) on both stores: a facet with a value chosen is counted
    under every other filter, so the values beside the chosen one stay listed; the API's body is unchanged."""
    from monitor.search import SearchRequest

    store = new_store()
    store.upsert(CORPUS)
    newsmon = Newsmon.over(store, Config(store_url=store_url(store), home=tmp_path))
    request = SearchRequest.from_params({"q": ["Shusha"], "lang": ["ru"], "source": ["trend", "apa"]})
    doc = newsmon.search(request, with_choices=True)
    assert doc["total"] == 1 and {b["key"] for b in doc["facets"]["language"]} == {"ru"}
    choices = {name: {b["key"]: b["count"] for b in buckets} for name, buckets in doc["choices"].items()}
    # languages under the outlet filter (trend or apa), outlets under the language filter; no entity chosen
    assert choices == {"language": {"ru": 1, "az": 1}, "source": {"trend": 1}}
    assert "choices" not in newsmon.search(request)
    assert newsmon.search(SearchRequest.from_params({"q": ["Shusha"]}), with_choices=True)["choices"] == {}
