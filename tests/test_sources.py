"""The packaged sources.toml against the real evidence, and `newsmon sources check` on loopback."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from crawler.discovery import parse_feed
from crawler.sources import TRUST_LEVELS, SourcesError, load_sources
from crawler.state import CrawlState
from monitor import health
from tests.realdata import manifest, realdata
from tests.realsites import RealSites, SilentServer, real_feeds, sources_with_data

SOURCES = load_sources()
BY_ID = {s.id: s for s in SOURCES}

# The beat as the issue lists it: every outlet must be there (editions as separate ids).
REQUIRED = {
    "dailysabah", "aa-tr", "aa-en", "aa-ru", "hurriyetdailynews", "trthaber", "yenisafak", "hurriyet",
    "milliyet", "sabah", "haberturk", "ntv", "azertac-az", "azertac-ru", "azertac-en", "apa",
    "trend-az", "trend-ru", "trend-en", "report-az", "report-en", "report-ru", "news-az", "azernews",
    "caspiannews", "oxu-az", "minval", "haqqin", "tass", "ria", "eurasianet", "ocmedia", "jamnews-en",
}
# LIVE-FAIL is below GUESS: an endpoint seen failing is worse than one never tried.
RANK = {"LIVE-OK": 3, "CODE": 2, "GUESS": 1, "LIVE-FAIL": 0}


def level(note: str) -> str:
    return note.split()[0]


# --- the packaged file ----------------------------------------------------------------------
def test_packaged_sources_cover_the_beat_with_unique_ids():
    ids = [s.id for s in SOURCES]
    assert len(ids) == len(set(ids))
    assert REQUIRED <= set(ids)
    for s in SOURCES:
        assert s.languages and set(s.languages) <= {"en", "tr", "az", "ru"}, s.id
        assert s.interval_seconds is not None and s.interval_seconds >= 15 * 60, s.id
        assert s.feeds or s.sitemaps or s.sections, f"{s.id} has nothing to crawl"


def test_every_endpoint_says_how_it_was_verified():
    for s in SOURCES:
        urls = {url for _, url, _ in s.endpoints()}
        assert set(s.evidence) == urls, (s.id, set(s.evidence) ^ urls)
        for url, note in s.evidence.items():
            assert level(note) in TRUST_LEVELS, (s.id, url)


def test_best_evidence_first():
    """No fallback is better evidenced than a primary, and no primary is known to fail."""
    for s in SOURCES:
        primary = [RANK[level(s.evidence[u])] for _, u, fb in s.endpoints() if not fb]
        fallback = [RANK[level(s.evidence[u])] for _, u, fb in s.endpoints() if fb]
        assert min(primary) > RANK["LIVE-FAIL"], s.id
        assert not fallback or max(fallback) <= min(primary), s.id


def test_azertac_editions_send_a_browser_user_agent():
    for sid in ("azertac-az", "azertac-ru", "azertac-en"):
        assert BY_ID[sid].user_agent.startswith("Mozilla/5.0 ("), sid
    assert "guid" in BY_ID["azertac-az"].notes


def real_article_urls() -> dict[str, set[str]]:
    """Source id -> the real article URLs of that outlet edition in realdata (pages and feed items)."""
    found: dict[str, set[str]] = {}
    for row in manifest("html"):
        host = urlsplit(row["url"]).hostname
        for s in SOURCES:
            if host in s.allowed_domains and row["language"] in s.languages:
                found.setdefault(s.id, set()).add(row["url"])
    for url, path in real_feeds(realdata()).items():
        for s in SOURCES:
            if url in s.feeds:
                found.setdefault(s.id, set()).update(c.url for c in parse_feed(path.read_bytes(), url))
    return found


def test_article_patterns_match_every_real_article_url_of_the_outlet():
    found = real_article_urls()
    assert {"aa-tr", "haberturk", "ntv", "news-az", "tass", "azertac-az", "apa", "haqqin"} <= set(found)
    for sid, urls in found.items():
        missed = [u for u in urls if not BY_ID[sid].is_article_url(u)]
        assert not missed, (sid, missed[:3])


def test_each_real_article_url_belongs_to_exactly_one_source():
    for sid, urls in real_article_urls().items():
        for url in urls:
            claimed = [s.id for s in SOURCES if s.is_article_url(url)]
            assert claimed == [sid], (url, claimed)


def test_article_patterns_do_not_match_feeds_sitemaps_sections_or_front_pages():
    for s in SOURCES:
        for kind, url, _ in [("base", s.base_url, False), *s.endpoints()]:
            assert not s.is_article_url(url), (s.id, kind, url)
        for other in SOURCES:  # nor another edition's endpoints on a shared host
            for _, url, _ in other.endpoints():
                assert not s.is_article_url(url), (s.id, url)


# --- the loader -------------------------------------------------------------------------------
def test_sample_web_sources_still_load(tmp_path):
    from sampleweb import SampleWeb, site
    from sampleweb.outlets import OUTLETS

    bases = {o.id: f"http://127.0.0.{10 + o.host_index}:8080" for o in OUTLETS}
    path = tmp_path / "sample.toml"
    path.write_text(site.sources_toml(SampleWeb(seed=7), bases), encoding="utf-8")
    loaded = load_sources(path)
    assert len(loaded) == len(OUTLETS)
    assert all(s.fallback_feeds == [] and s.evidence == {} for s in loaded)


MINIMAL = {"id": '"x"', "name": '"X"', "country": '"AZ"', "languages": '["az"]', "base_url": '"https://x.test/"'}


@pytest.mark.parametrize("change, message", [
    ({"colour": '"red"'}, "source x: unknown key 'colour'"),
    ({"article_patterns": "['(unclosed']"}, "source x: bad article pattern '(unclosed'"),
    ({"languages": '"tr"'}, 'source x: languages must be a list: languages = ["tr"]'),
    ({"languages": '["xx"]'}, "source x: languages ['xx']: use some of en, tr, az, ru"),
    ({"feeds": '"http://x.test/rss"'}, 'source x: feeds must be a list: feeds = ["http://x.test/rss"]'),
    ({"feeds": "5"}, "source x: feeds: input should be a valid list (got 5)"),
    ({"feeds": '["x.test/rss"]'}, "source x: feeds: 'x.test/rss' is not an http(s) URL"),
    ({"crawl_interval": '"soon"'}, "source x: crawl_interval 'soon' is neither a duration like '30m'"),
    ({"crawl_interval": '"*/20 6-23 * *"'}, "source x: crawl_interval '*/20 6-23 * *' is neither a duration"),
    ({"max_interval": '"often"'}, "source x: max_interval 'often' is not like '10m'"),
    ({"feeds": '["file:///etc/passwd"]'}, "source x: feeds: 'file:///etc/passwd' is not an http(s) URL"),
    ({"crawl_interval": '"0m"'}, "source x: crawl_interval '0m' must be longer than nothing"),
    ({"max_section_pages": '"many"'}, "source x: max_section_pages: input should be a valid integer"),
    ({"name": None}, "source x: name: required key missing"),
    ({"id": None, "name": None, "country": None}, "source #1: id: required key missing (and 2 more problem(s))"),
    ({"id": "7"}, "source #1: id: input should be a valid string (got 7)"),
])
def test_loader_names_the_source_and_key(tmp_path, change, message):
    keys = {**MINIMAL, **change}
    path = tmp_path / "s.toml"
    path.write_text("[[source]]\n" + "".join(f"{k} = {v}\n" for k, v in keys.items() if v is not None), encoding="utf-8")
    with pytest.raises(SourcesError) as caught:
        load_sources(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_loader_evidence_must_say_how_it_was_verified(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("[[source]]\n" + "".join(f"{k} = {v}\n" for k, v in MINIMAL.items())
                    + '[source.evidence]\n"https://x.test/rss" = "works for me"\n', encoding="utf-8")
    with pytest.raises(SourcesError, match="source x: evidence for https://x.test/rss must start with one of"):
        load_sources(path)


@pytest.mark.parametrize("content, message", [
    (b'source = "oops"\n', "each source must be a [[source]] table"),
    (b'[[source]]\nid = "x"\nname = "Ba\xfe"\n', "not UTF-8 text (line 3); save it as UTF-8"),
    (b"[[source]\n", "not valid TOML"),
    (b'sources = []\n', "unknown top-level key 'sources'"),
])
def test_loader_refuses_a_file_that_is_not_a_sources_file(tmp_path, content, message):
    path = tmp_path / "s.toml"
    path.write_bytes(content)
    with pytest.raises(SourcesError, match=re.escape(message)):
        load_sources(path)


def test_loader_rejects_duplicate_ids(tmp_path):
    entry = '[[source]]\nid = "x"\nname = "X"\ncountry = "AZ"\nlanguages = ["az"]\nbase_url = "https://x.test/"\n'
    path = tmp_path / "s.toml"
    path.write_text(entry + entry, encoding="utf-8")
    with pytest.raises(SourcesError, match="duplicate"):
        load_sources(path)


# --- newsmon sources / sources check -------------------------------------------------------------
def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor.cli", *args], capture_output=True, text=True,
                          timeout=timeout)


def test_sources_without_subcommand_still_lists():
    from monitor.cli import app

    result = CliRunner().invoke(app, ["sources"])
    assert result.exit_code == 0, result.output
    assert "azertac-az" in result.output and "jamnews-ru" in result.output


@pytest.fixture(scope="module")
def probed(tmp_path_factory):
    """Real sites on loopback plus three made-up outlets: feed 404 with a working fallback, all 404, hanging."""
    root = realdata()
    real = sources_with_data(load_sources(), root)
    folder = tmp_path_factory.mktemp("check")
    with RealSites([s for s in real if s.id in ("haberturk", "azertac-az")], root) as sites, SilentServer() as silent:
        good_feed = sites.loopback_url("https://www.haberturk.com/rss")
        base = sites.base("www.haberturk.com")
        extra = f'''
[[source]]
id = "moved"
name = "Feed moved"
country = "TR"
languages = ["tr"]
base_url = "{base}/"
feeds = ["{base}/old.rss"]
fallback_feeds = ["{good_feed}"]
article_patterns = ['^/[a-z0-9]+(?:-[a-z0-9]+)*-\\d{{7}}$']

[[source]]
id = "gone"
name = "Feed gone"
country = "TR"
languages = ["tr"]
base_url = "{base}/"
feeds = ["{base}/gone.rss"]

[[source]]
id = "hanging"
name = "Never answers"
country = "AZ"
languages = ["az"]
base_url = "{silent.url}/"
feeds = ["{silent.url}/rss"]
'''
        path = folder / "sources.toml"
        path.write_text(sites.sources_toml() + extra, encoding="utf-8")
        proc = run_cli("sources", "check", "--sources", str(path), "--timeout", "1", "--json")
        table = run_cli("sources", "check", "--sources", str(path), "--timeout", "1", "--source", "gone")
        yield {"proc": proc, "report": {h["source"]: h for h in json.loads(proc.stdout or "[]")},
               "table": table, "log": list(sites.log)}


def probes(report: dict, kind: str) -> list[dict]:
    return [p for p in report["probes"] if p["kind"] == kind]


def test_check_exits_1_when_a_source_is_not_ok(probed):
    assert probed["proc"].returncode == 1, probed["proc"].stderr[-2000:]
    assert set(probed["report"]) == {"haberturk", "azertac-az", "moved", "gone", "hanging"}


def test_check_reports_a_working_source(probed):
    report = probed["report"]["haberturk"]
    assert report["verdict"] == "ok"
    (feed,) = [p for p in probes(report, "feed") if not p["fallback"]]
    assert (feed["status"], feed["items"], feed["articles"], feed["ok"]) == (200, 1, 1, True)
    assert feed["evidence"].startswith("LIVE-OK")
    (article,) = probes(report, "article")
    assert article["status"] == 200 and article["ok"]
    assert probes(report, "robots")[0]["ok"]
    # the fallback sitemaps are probed too, and their 404 is reported, not fatal
    assert {p["error"] for p in probes(report, "sitemap")} == {"http_404"}


def test_check_uses_the_sources_user_agent(probed):
    report = probed["report"]["azertac-az"]
    (feed,) = [p for p in probes(report, "feed") if not p["fallback"]]
    assert (feed["status"], feed["items"]) == (200, 50)
    # the feed is real, its pages are not here: the article probe fails, the verdict says so
    assert probes(report, "article")[0]["error"] == "http_404"
    assert report["verdict"] == "no articles"
    azertac = [r for r in probed["log"] if r["host"] == "azertag.az"]
    assert azertac and all(r["user_agent"].startswith("Mozilla/5.0") for r in azertac)


def test_check_tries_fallbacks_when_the_primary_404s(probed):
    report = probed["report"]["moved"]
    primary, fallback = probes(report, "feed")
    assert (primary["status"], primary["error"], fallback["ok"]) == (404, "http_404", True)
    assert report["verdict"] == "fallback only"
    assert probed["report"]["gone"]["verdict"] == "down"


def test_check_reports_a_hanging_outlet_as_timeout(probed):
    report = probed["report"]["hanging"]
    assert report["verdict"] == "down"
    assert probes(report, "feed")[0]["error"] == "timeout"
    assert probes(report, "robots")[0]["error"] == "timeout"


def test_check_prints_a_table_per_source(probed):
    table = probed["table"]
    assert table.returncode == 1
    assert "gone — Feed gone: down" in table.stdout
    assert "http_404" in table.stdout and "/gone.rss" in table.stdout


def test_check_without_network_says_so_quickly(tmp_path):
    path = tmp_path / "offline.toml"
    path.write_text('[[source]]\nid = "far"\nname = "Far away"\ncountry = "AZ"\nlanguages = ["az"]\n'
                    'base_url = "https://outlet.invalid/"\nfeeds = ["https://outlet.invalid/rss"]\n', encoding="utf-8")
    proc = run_cli("sources", "check", "--sources", str(path), timeout=30)  # would hang without the preflight
    assert proc.returncode == 3
    assert "no network: cannot reach any outlet (DNS lookups fail)" in proc.stderr


# --- crawl health for `newsmon stats` ------------------------------------------------------------
def test_crawl_health_from_the_state_db(tmp_path):
    path = tmp_path / "state.db"
    assert health.crawl_health(path, ["a"]) == {"a": health._health_row({})}
    assert not path.exists()  # reading health never creates a state file
    state = CrawlState(path)
    state.record("http://a/rss", "a", "feed", "ok")
    state.record("http://a/sitemap.xml", "a", "sitemap", "ok")
    state.record("http://a/sitemap-1.xml", "a", "sitemap", "error:http_500")
    state.record("http://a/1", "a", "article", "stored")
    state.record("http://a/2", "a", "article", "off_topic")
    state.record("http://a/3", "a", "article", "error:http_404")
    state.record("http://a/amp/1", "a", "article", "alias")
    for n in range(3):
        state.record(f"http://b/{n}", "b", "article", "error:network")
    state.record("http://z/1", "z", "article", "stored")  # crawled once, since dropped from the sources file
    state.close()
    rows = health.crawl_health(path, ["a", "b", "c"])
    assert list(rows) == ["a", "b", "c", "z"]
    assert rows["a"]["verdict"] == "some errors"
    # an alias (AMP copy) is not an article tried
    assert (rows["a"]["articles"], rows["a"]["stored"], rows["a"]["off_topic"], rows["a"]["errors"]) == (3, 1, 1, 2)
    assert rows["a"]["error_kinds"] == {"http_404": 1, "http_500": 1}
    # feeds and sitemaps are counted apart: one feed is "1/1", not the feed plus the sitemaps
    assert rows["a"]["endpoints"] == {"feed": {"ok": 1, "failed": 0}, "sitemap": {"ok": 1, "failed": 1},
                                      "section": {"ok": 0, "failed": 0}}
    assert rows["b"]["verdict"] == "failing"
    assert rows["c"]["verdict"] == "never crawled"
    assert health.crawl_health_table(rows).row_count == 3  # c is named by never_crawled(), not a row of zeros
    assert health.never_crawled(rows) == ["c"]


def test_crawl_health_takes_stored_from_the_store(tmp_path):
    """A truncated page is stored yet kept as an error in the state (to be fetched again): one number wins."""
    path = tmp_path / "state.db"
    state = CrawlState(path)
    state.record("http://a/1", "a", "article", "stored")
    state.record("http://a/2", "a", "article", "error:truncated")
    state.close()
    assert health.crawl_health(path, ["a"])["a"]["stored"] == 1
    assert health.crawl_health(path, ["a"], {"a": 2})["a"]["stored"] == 2


def test_check_reads_robots_txt_as_the_crawl_does_wildcards_included(tmp_path):
    """The probe asks for nothing the crawl would not: `Disallow: /*private` and `/*.xml$` are obeyed."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    import threading

    asked: list[str] = []
    pages = {
        "/robots.txt": ("text/plain", "User-agent: *\nDisallow: /*private\nDisallow: /*.xml$\n"),
        "/rss": ("application/rss+xml", "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
                 + "".join(f"<item><title>{n}</title><link>{{base}}/news/{n}</link></item>"
                           for n in ("private-1", "public-2")) + "</channel></rss>"),
        "/news/feed.xml": ("application/rss+xml", "<rss version='2.0'><channel></channel></rss>"),
        "/news/public-2": ("text/html", "<html><body><p>Shusha</p></body></html>"),
        "/news/private-1": ("text/html", "<html><body><p>Shusha</p></body></html>"),
    }

    class Outlet(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            kind, body = pages.get(self.path, ("text/plain", ""))
            data = body.replace("{base}", base).encode()
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Outlet)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        path = tmp_path / "sources.toml"
        path.write_text(f'''
[[source]]
id = "wild"
name = "Wildcard robots"
country = "AZ"
languages = ["az"]
base_url = "{base}/"
feeds = ["{base}/rss", "{base}/news/feed.xml"]
article_patterns = ['^/news/[a-z]+-[0-9]+$']
''', encoding="utf-8")
        proc = run_cli("sources", "check", "--sources", str(path), "--timeout", "5", "--json")
    finally:
        server.shutdown()
    (report,) = json.loads(proc.stdout)
    xml_feed = next(p for p in probes(report, "feed") if p["url"].endswith("feed.xml"))
    assert xml_feed["error"] == "disallowed by robots.txt"
    assert [p["url"] for p in probes(report, "article")] == [f"{base}/news/public-2"]
    assert "/news/feed.xml" not in asked and "/news/private-1" not in asked, asked
