"""The `newsmon` command line, run as a user runs it (a real process)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from index.article import Article, article_id
from index.store import open_store
from sampleweb import SampleWeb, SampleWebServer
from tests.realdata import realdata

ROOT = Path(__file__).resolve().parents[1]


def newsmon(*args: str, stdin: bytes | None = None, home: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSMON_HOME": str(home)} if home else None
    return subprocess.run([sys.executable, "-m", "monitor.cli", *args], input=stdin, capture_output=True,
                          timeout=300, cwd=ROOT, env=env)


@pytest.fixture(scope="module")
def store_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.db'}"
    articles = [
        Article(url="https://x.az/1", canonical_url="https://x.az/1", source="apa", language="az",
                title="Əliyev və Ərdoğan Şuşada görüşdü", body="Prezident İlham Əliyev Şuşada Türkiyə Prezidenti ilə görüşüb.",
                published_at=datetime(2025, 3, 4, 9, tzinfo=timezone.utc), matched=["shusha", "ilham-aliyev"]),
        Article(url="https://x.tr/2", canonical_url="https://x.tr/2", source="aa-tr", language="tr",
                title="Erdoğan Bakü'de", body="Cumhurbaşkanı Erdoğan Bakü'de Aliyev ile enerji işbirliğini görüştü.",
                published_at=datetime(2025, 4, 10, 12, tzinfo=timezone.utc), matched=["erdogan", "baku"]),
    ]
    with open_store(url) as store:
        store.upsert(articles)
    return url


def test_search_json_has_hits_and_facets(store_url):
    result = newsmon("--store", store_url, "search", "Shusha", "--json")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["total"] == 1
    hit = data["hits"][0]
    assert {"url", "title", "source", "language", "published_at"} <= hit.keys()
    assert hit["url"] == "https://x.az/1" and hit["published_at"] == "2025-03-04T09:00:00Z"
    assert "<mark>Şuşada</mark>" in hit["highlights"]["title"][0]
    assert {"key": "2025-03-01", "count": 1} in data["facets"]["date"]


def test_search_prints_hits_and_histogram(store_url):
    result = newsmon("--store", store_url, "search", "Erdogan", "--interval", "month")
    out = result.stdout.decode()
    assert result.returncode == 0
    assert "2 matching articles" in out and "Coverage by month" in out and "2025-04" in out


def test_search_explains_what_each_word_was_widened_to(store_url):
    result = newsmon("--store", store_url, "search", "energy", "Baku", "--explain")
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    assert "energy (concept energy)" in out and "enerji" in out and "энергетика" in out
    assert "Baku (entity baku)" in out and "Bakü" in out
    assert "1 matching articles" in out  # the Turkish article says enerji
    off = json.loads(newsmon("--store", store_url, "search", "energy", "--no-concepts", "--explain", "--json").stdout)
    assert off["total"] == 0 and off["request"]["concepts"] == "off"
    assert off["expansion"] == [{"text": "energy", "field": "", "exact": False, "entities": [], "concepts": [],
                                 "forms": []}]


def test_search_grouped_by_story_prints_the_rest_of_each_story(tmp_path):
    from dataclasses import replace

    from tests.test_store_contract import CORPUS, STORY_OF

    url = f"sqlite:///{tmp_path / 'stories.db'}"
    with open_store(url) as store:
        store.upsert([replace(a, story_id=STORY_OF.get(a.id)) for a in CORPUS])
    result = newsmon("--store", url, "search", "Shusha", "--group", "story", "--sort", "date")
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    assert "5 matching articles in 2 groups" in out
    assert "+2 more in 2 languages (az, ru) · story fest" in out and "+1 more in 1 language (en) · story visit" in out
    bad = newsmon("--store", url, "search", "Shusha", "--group", "bogus")
    assert bad.returncode == 2 and bad.stderr.decode().strip() == "error: --group 'bogus' is not one of story"


def test_malformed_query_is_a_clear_error(store_url):
    result = newsmon("--store", store_url, "search", "(Shusha")
    assert result.returncode == 2
    assert "bad query" in result.stderr.decode() and "never closed" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


def test_extract_a_saved_page():
    page = realdata("html", "htmldate_1791336003_news-az.html").read_bytes()
    url = "https://www.news.az/news/azerbaijan-launches-counteroffensive-to-restore-its-territorial-integrity-pakistani-envoy"
    result = newsmon("extract", "--url", url, "--country", "AZ", stdin=page)
    record = json.loads(result.stdout)
    assert record["title"].startswith("Azerbaijan launches counteroffensive")
    assert record["language"] == "en" and record["published_at"].startswith("2020-10-13")
    assert record["date_source"]
    # about Azerbaijan and Armenia, with Turkey only in the page's sidebar: not on the beat
    assert record["relevant"] is False
    assert record["status"] == "off_topic"  # what a crawl would do with it, not "stored"
    assert record["source"] == "news-az"  # the configured source the URL belongs to


def test_extract_of_an_empty_page_says_why():
    result = newsmon("extract", stdin=b"<html><body><nav>menu</nav></body></html>")
    assert result.returncode == 1
    assert json.loads(result.stdout)["status"] == "empty"


def test_sources_and_stats(store_url, tmp_path):
    listing = newsmon("sources", home=tmp_path)
    assert listing.returncode == 0, listing.stderr.decode()
    stats = newsmon("--store", store_url, "stats", "--json", home=tmp_path)
    data = json.loads(stats.stdout)
    assert data["total"] == 2 and data["by_language"] == {"az": 1, "tr": 1}
    assert data["sources_health"]["azertac-az"]["verdict"] == "never crawled"


def test_crawl_of_unreachable_outlet_is_counted_and_explained(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nid = "gone"\nname = "Gone"\ncountry = "AZ"\nlanguages = ["az"]\n'
                       'base_url = "http://outlet.invalid/"\nfeeds = ["http://outlet.invalid/rss"]\n', encoding="utf-8")
    result = newsmon("--store", f"sqlite:///{tmp_path / 's.db'}", "crawl", "--loopback", "--json",
                     "--sources", str(sources), "--state", str(tmp_path / "state.db"), home=tmp_path)
    assert result.returncode == 1, result.stderr.decode()[-2000:]  # nothing fetched from any source
    (summary,) = json.loads(result.stdout)
    assert summary["finish_reason"] == "finished" and summary["errors"].get("dns", 0) >= 1
    assert datetime.fromisoformat(summary["finished_at"]).tzinfo is not None  # its run's end (monitor.schedule)


def test_unreachable_search_cluster_is_a_clear_error(tmp_path):
    result = newsmon("--store", "http://127.0.0.1:9", "search", "Shusha", home=tmp_path)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert "is not answering" in err and "Traceback" not in err


def test_each_store_has_its_own_crawl_state(tmp_path):
    """Crawling into a second store must not skip what only the first one has."""
    from monitor.cli.session import Session

    def default_state(store_url: str) -> Path:  # what `newsmon --store URL crawl` uses
        return Session(store_url, given=True).config().state_path

    first = default_state(f"sqlite:///{tmp_path / 'a.db'}")
    second = default_state("http://127.0.0.1:9200?index=news")
    assert first == tmp_path / "a.crawlstate.db"
    assert second.name == "crawlstate-127.0.0.1_9200_news.db" and first != second
    # a store given as a plain path (open_store takes `x.db` as SQLite) has its own state beside it
    states = []
    for name in ("b.db", "c.db"):
        states.append(default_state(str(tmp_path / name)))
    assert states == [tmp_path / "b.crawlstate.db", tmp_path / "c.crawlstate.db"]


# --- every bad input: one line, exit 2, no traceback ------------------------------------------
MINIMAL_SOURCE = {"id": '"x"', "name": '"X"', "country": '"AZ"', "languages": '["az"]',
                  "base_url": '"https://x.test/"', "feeds": '["https://x.test/rss"]'}


def sources_file(folder: Path, **change: str | None) -> str:
    keys = {**MINIMAL_SOURCE, **change}
    path = folder / "sources.toml"
    path.write_text("[[source]]\n" + "".join(f"{k} = {v}\n" for k, v in keys.items() if v is not None), encoding="utf-8")
    return str(path)


def bad_file(folder: Path, content: bytes, name: str = "sources.toml") -> str:
    path = folder / name
    path.write_bytes(content)
    return str(path)


# (what is wrong, the arguments given a scratch folder and the test store, what the one line must say)
BAD_INPUTS = [
    ("unknown sort", lambda d, s: ["--store", s, "search", "x", "--sort", "foo"], "--sort 'foo' is not one of relevance, date"),
    ("unknown interval", lambda d, s: ["--store", s, "search", "x", "--interval", "hour"], "--interval 'hour'"),
    ("since after until", lambda d, s: ["--store", s, "search", "x", "--since", "2025-06-01", "--until", "2025-01-01"],
     "--until 2025-01-01 is before since 2025-06-01: nothing can match"),
    ("unknown language", lambda d, s: ["--store", s, "search", "x", "--lang", "xx"], "--lang 'xx' is not a language code newsmon tags"),
    ("not a date", lambda d, s: ["--store", s, "search", "x", "--since", "last week"], "is not a date like 2025-03-01"),
    ("flag given a value", lambda d, s: ["--store", s, "stats", "--json", "true"], "unexpected extra argument"),
    ("misspelt option", lambda d, s: ["--store", s, "search", "x", "--sotr", "date"], "no such option: --sotr"),
    ("a setting only a middleware newsmon turns off reads", lambda d, s: ["--store", s, "crawl", "--set", "DEPTH_LIMIT=3"],
     "--set DEPTH_LIMIT: newsmon's crawls do not limit depth"),
    ("page 0", lambda d, s: ["--store", s, "search", "x", "--page", "0"], "--page"),
    ("page past the window", lambda d, s: ["--store", s, "search", "x", "--page", "101", "--size", "100"],
     "past the first 10000 results"),
    ("malformed query", lambda d, s: ["--store", s, "search", '"open quote'], "bad query"),
    ("unknown command", lambda d, s: ["frobnicate"], "No such command 'frobnicate'"),
    ("extract a missing file", lambda d, s: ["extract", "/nonexistent"], "cannot read /nonexistent: No such file"),
    ("extract a folder", lambda d, s: ["extract", str(d)], "cannot read"),
    ("ftp store", lambda d, s: ["--store", "ftp://x", "stats"], "unknown store 'ftp://x'"),
    # every command says it the same way, before it opens anything (search and alerts used to crash)
    ("mysql store for search", lambda d, s: ["--store", "mysql://h/db", "search", "x"], "unknown store 'mysql://h/db'"),
    ("mysql store for alerts", lambda d, s: ["--store", "mysql://h/db", "alerts", "list"], "unknown store 'mysql://h/db'"),
    ("a crawl timeout below zero", lambda d, s: ["--store", s, "schedule", "--crawl-timeout", "-5"],
     "Invalid value for '--crawl-timeout'"),
    ("mysql store for serve", lambda d, s: ["--store", "mysql://h/db", "serve", "--port", "1"], "unknown store 'mysql://h/db'"),
    ("plain path store", lambda d, s: ["--store", bad_file(d, b"hello", "foo.txt"), "stats"], "unknown store"),
    ("a .db that is no database", lambda d, s: ["--store", f"sqlite:///{bad_file(d, b'x' * 200, 'junk.db')}", "stats"],
     "cannot open the SQLite store"),
    ("missing store for stats", lambda d, s: ["--store", f"sqlite:///{d}/nonexistent/dir/x.db", "stats"], "no store at"),
    ("missing store for search", lambda d, s: ["--store", f"sqlite:///{d}/none.db", "search", "x"], "no store at"),
    ("relative sqlite URL", lambda d, s: ["--store", "sqlite:///tmp/newsmon-none-x.db", "stats"],
     "sqlite:///tmp/newsmon-none-x.db is relative to the current folder; write sqlite:////tmp/newsmon-none-x.db"),
    ("index command on SQLite", lambda d, s: ["--store", s, "index", "migrate"], "need an Elasticsearch store"),
    ("missing sources file", lambda d, s: ["sources", "--sources", f"{d}/none.toml"], "sources file not found"),
    ("unknown source id", lambda d, s: ["--store", s, "crawl", "--source", "nosuch"], "unknown source(s) nosuch"),
    ("--state where no file can be", lambda d, s: ["--store", s, "crawl", "--state", "/proc/none/state.db"],
     "cannot keep the crawl state at /proc/none/state.db"),
    ("bad --set", lambda d, s: ["--store", s, "crawl", "--set", "delay"], "--set 'delay': use NAME=VALUE"),
    ("--set of a word for a number", lambda d, s: ["--store", s, "crawl", "--set", "DOWNLOAD_DELAY=abc"],
     "DOWNLOAD_DELAY takes a number"),
    ("--set of a misspelt setting", lambda d, s: ["--store", s, "crawl", "--set", "DOWNLOAD_DELY=2"],
     "--set DOWNLOAD_DELY: no such Scrapy or newsmon setting"),
    ("--set of a misspelt stage option", lambda d, s: ["--store", s, "crawl", "--set",
                                                       'NEWSMON_STAGE_OPTIONS={"relevance": {"treshold": 4}}'],
     "--set NEWSMON_STAGE_OPTIONS: unknown relevance option(s) ['treshold']"),
    ("--set of stage options that are not JSON", lambda d, s: ["--store", s, "crawl", "--set",
                                                                "NEWSMON_STAGE_OPTIONS=threshold=4"],
     "--set NEWSMON_STAGE_OPTIONS: Expecting value"),
    ("feeds = 5", lambda d, s: ["crawl", "--sources", sources_file(d, feeds="5")], "source x: feeds"),
    ("feeds as a string", lambda d, s: ["sources", "--sources", sources_file(d, feeds='"http://x.test/rss"')],
     'feeds must be a list: feeds = ["http://x.test/rss"]'),
    ('languages = "tr"', lambda d, s: ["sources", "--sources", sources_file(d, languages='"tr"')],
     'languages must be a list: languages = ["tr"]'),
    ('crawl_interval = "soon"', lambda d, s: ["sources", "--sources", sources_file(d, crawl_interval='"soon"')],
     "crawl_interval 'soon' is neither a duration"),
    ("a missing field", lambda d, s: ["sources", "--sources", sources_file(d, name=None)], "source x: name: required key missing"),
    ("a bad regex", lambda d, s: ["sources", "--sources", sources_file(d, article_patterns="['(x']")], "bad article pattern"),
    ('source = "oops"', lambda d, s: ["sources", "--sources", bad_file(d, b'source = "oops"\n')], "[[source]] table"),
    ("non-UTF-8 bytes", lambda d, s: ["sources", "--sources", bad_file(d, b'[[source]]\nname = "\xfe"\n')], "not UTF-8"),
    ("not TOML", lambda d, s: ["sources", "--sources", bad_file(d, b"[[source]\n")], "not valid TOML"),
    ("stats with a bad sources file", lambda d, s: ["--store", s, "stats", "--sources", sources_file(d, feeds="5")],
     "source x: feeds"),
]


@pytest.mark.parametrize("args, expected", [(args, expected) for _, args, expected in BAD_INPUTS],
                         ids=[name for name, _, _ in BAD_INPUTS])
def test_bad_input_is_one_line_and_exit_2(args, expected, store_url, tmp_path):
    result = newsmon(*args(tmp_path, store_url), home=tmp_path / "home")
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 2, (out, err)
    assert "Traceback" not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert expected in lines[0], lines[0]


def test_read_commands_never_create_a_store(tmp_path):
    for command in (["stats"], ["search", "Shusha"]):
        result = newsmon("--store", f"sqlite:///{tmp_path}/nonexistent/dir/x.db", *command, home=tmp_path / "home")
        assert result.returncode == 2
    assert not (tmp_path / "nonexistent").exists() and not (tmp_path / "home" / "newsmon.db").exists()
    result = newsmon("stats", home=tmp_path / "home")  # the default store, before any crawl or demo
    assert result.returncode == 2 and "run `newsmon crawl` or `newsmon demo` first" in result.stderr.decode()
    assert not (tmp_path / "home" / "newsmon.db").exists()


def test_an_unexpected_error_is_one_line_and_a_log_file(tmp_path):
    import typer

    from monitor import errors

    app = typer.Typer()

    @app.command()
    def boom():
        {}["missing"]

    code = errors.run(app, log_dir=lambda: tmp_path / "logs", args=[])
    assert code == 1
    (log,) = (tmp_path / "logs").glob("error-*.log")
    assert "Traceback" in log.read_text() and "KeyError: 'missing'" in log.read_text()


def test_an_unexpected_error_prints_one_line(tmp_path, capsys):
    import typer

    from monitor import errors

    app = typer.Typer()

    @app.command()
    def boom():
        raise RuntimeError("disk on fire")

    assert errors.run(app, log_dir=lambda: tmp_path / "logs", args=[]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected RuntimeError: disk on fire; the traceback is in" in err
    assert "Traceback" not in err


def test_an_exclusion_first_query_needs_no_double_dash(store_url):
    both = json.loads(newsmon("--store", store_url, "search", "--json").stdout)
    result = newsmon("--store", store_url, "search", "-Şuşa", "--json")
    assert result.returncode == 0, result.stderr.decode()
    assert both["total"] == 2 and json.loads(result.stdout)["total"] == 1
    words = newsmon("--store", store_url, "search", "-Shusha", "Erdogan", "--json")  # several words, no quotes
    assert [h["url"] for h in json.loads(words.stdout)["hits"]] == ["https://x.tr/2"]


def test_help_shows_flags_without_a_value():
    result = newsmon("search", "--help")
    assert result.returncode == 0
    assert "--json" in result.stdout.decode() and "<bool>" not in result.stdout.decode()


# --- an offline crawl of the packaged sources ------------------------------------------------------
def test_offline_crawl_of_the_packaged_sources_is_short_and_has_no_traceback(tmp_path):
    """< 60 lines, no traceback, the Scrapy log in a file under $NEWSMON_HOME/logs/.

    Offline for sure: every request goes through a proxy on a closed loopback port, so the
    test does not depend on this machine lacking DNS.
    """
    home = tmp_path / "home"
    closed = "http://127.0.0.1:9"
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "http_proxy", "https_proxy")}
    env.update(NEWSMON_HOME=str(home), http_proxy=closed, https_proxy=closed)
    result = subprocess.run([sys.executable, "-m", "monitor.cli", "crawl", "--set", "RETRY_TIMES=0"],
                            capture_output=True, timeout=300, cwd=ROOT, env=env)
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 1, err[-2000:]  # nothing fetched from any source
    assert err.strip().endswith("error: nothing was fetched from any source")
    lines = (out + err).splitlines()
    assert len(lines) < 60, "\n".join(lines)
    assert "Traceback" not in out + err
    assert "No outlet could be reached" in err
    from crawler.sources import load_sources

    warned = {line.split()[1].rstrip(":") for line in lines if line.startswith("warning: ")}
    assert warned == {s.id for s in load_sources()}  # one line per source and failure kind
    (log,) = (home / "logs").glob("crawl-*.log")
    assert f"crawl log: {log}" in err
    text = log.read_text()
    assert "Connection was refused" in text or "connection refused" in text.lower()
    assert "Traceback" not in text  # network failures are one line in the log too


def test_scrapy_crawl_writes_under_newsmon_home_in_one_line_per_failure(tmp_path):
    """`scrapy crawl news` honours NEWSMON_HOME (not ./newsmon-data) and logs no traceback."""
    home = tmp_path / "home"
    sources = sources_file(tmp_path, base_url='"http://127.0.0.1:9/"', feeds='["http://127.0.0.1:9/rss"]')
    env = {k: v for k, v in os.environ.items() if k != "NEWSMON_STORE"} | {"NEWSMON_HOME": str(home)}
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "news", "-a", "source=x", "-a", f"sources={sources}",
                             "-s", "RETRY_TIMES=0", "-s", "NEWSMON_ALLOW_LOOPBACK=True"],
                            capture_output=True, timeout=120, cwd=ROOT, env=env)
    err = result.stderr.decode()
    assert result.returncode == 0, err[-2000:]
    assert "Traceback" not in err and "connection_refused" in err
    assert (home / "newsmon.db").exists() and (home / "newsmon.crawlstate.db").exists()
    assert not (ROOT / "newsmon-data").exists()


def test_scrapy_crawl_into_elasticsearch_spools_while_it_is_away(tmp_path):
    """`scrapy crawl news` into a cluster that is not answering keeps every article in the store's
    own spool (as `newsmon crawl` does), and keeps that store's own crawl state."""
    home = tmp_path / "home"
    es_url = "http://127.0.0.1:9/?index=away"  # nothing listens on port 9
    with SampleWebServer(SampleWeb(seed=7)) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(server.sources_toml(), encoding="utf-8")
        outlet = server.web.outlets[0].id
        env = {k: v for k, v in os.environ.items() if k != "NEWSMON_STORE"} | {
            "NEWSMON_HOME": str(home), "NEWSMON_STORE": es_url}
        result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"source={outlet}",
                                 "-a", f"sources={sources}", "-s", "NEWSMON_ALLOW_LOOPBACK=True",
                                 "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"],
                                capture_output=True, timeout=300, cwd=ROOT, env=env)
        truth = [t for t in server.truth() if t.outlet == outlet and t.reachable and t.on_topic and not t.broken]
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    (spool,) = (home / "spool").glob("*.jsonl")
    spooled = {json.loads(line)["id"] for line in spool.read_text(encoding="utf-8").splitlines()}
    assert truth and {article_id(t.url) for t in truth} <= spooled
    assert (home / "crawlstate-127.0.0.1_9_away.db").exists()
    assert not (home / "newsmon.db").exists() and not (home / "newsmon.crawlstate.db").exists()


@pytest.mark.parametrize("args, said", [
    (["-a", "source=nosuch"], "unknown source 'nosuch'; known: aa-en"),
    (["-a", "source=x", "-a", "sources=/nonexistent/sources.toml"], "sources file not found: /nonexistent/sources.toml"),
])
def test_scrapy_crawl_that_cannot_start_says_why_in_one_line(tmp_path, args, said):
    env = {k: v for k, v in os.environ.items() if k != "NEWSMON_STORE"} | {"NEWSMON_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "news", *args],
                            capture_output=True, timeout=120, cwd=ROOT, env=env)
    err = result.stderr.decode()
    assert result.returncode == 1, err[-2000:]
    assert "Traceback" not in err, err[-2000:]
    (line,) = [line for line in err.splitlines() if "ERROR" in line]
    assert f"cannot start the crawl: {said}" in line


def test_verbose_crawl_shows_the_log_live(tmp_path):
    sources = sources_file(tmp_path, base_url='"http://127.0.0.1:9/"', feeds='["http://127.0.0.1:9/rss"]')
    args = ["--store", f"sqlite:///{tmp_path / 's.db'}", "crawl", "--sources", sources, "--set", "RETRY_TIMES=0",
            "--set", "NEWSMON_ALLOW_LOOPBACK=True"]  # reach the closed port instead of refusing loopback
    quiet = newsmon(*args, home=tmp_path / "home").stderr.decode()
    loud = newsmon(*args, "--verbose", home=tmp_path / "home").stderr.decode()
    assert "Spider opened" not in quiet and "Spider opened" in loud  # an INFO line of Scrapy's log
    assert "warning: x: connection_refused ×2" in quiet and "Traceback" not in quiet + loud
    logs = sorted((tmp_path / "home" / "logs").glob("crawl-*.log"))
    assert logs and all("Spider opened" in log.read_text() for log in logs)


def test_a_crawl_that_cannot_start_says_so_in_one_line(tmp_path):
    """A folder given as the state file: Scrapy fails inside the spider; the terminal gets one line."""
    sources = sources_file(tmp_path, base_url='"http://127.0.0.1:9/"', feeds='["http://127.0.0.1:9/rss"]')
    (tmp_path / "a-folder").mkdir()
    result = newsmon("--store", f"sqlite:///{tmp_path / 's.db'}", "crawl", "--sources", sources,
                     "--state", str(tmp_path / "a-folder"), home=tmp_path / "home")
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 1 and "Traceback" not in out + err, err
    (log,) = (tmp_path / "home" / "logs").glob("crawl-*.log")
    assert f"error: the crawl of x did not start; the log says why: {log}" in err
    assert "Traceback" in log.read_text() and "the crawl of x did not start" in log.read_text()


def test_two_unexpected_errors_in_one_second_keep_two_traceback_files(tmp_path):
    from monitor import errors

    paths = []
    for n in range(2):
        try:
            raise RuntimeError(f"failure {n}")
        except RuntimeError:
            paths.append(errors._write_traceback(tmp_path))
    assert len(set(paths)) == 2 and all(p.exists() for p in paths)
    assert "failure 0" in paths[0].read_text() and "failure 1" in paths[1].read_text()
