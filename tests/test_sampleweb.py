"""The sample news web: generator determinism and shape, truth, and the served pages."""
from __future__ import annotations

import itertools
import random
import re
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest

from sampleweb import SampleWeb, SampleWebServer
from sampleweb.compose import TEXTS, slot_values
from sampleweb.outlets import BY_ID, CATEGORIES, OUTLETS

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
ATOM_NS = "{http://www.w3.org/2005/Atom}"
FAKE_BASES = {o.id: f"http://127.0.0.{10 + o.host_index}:8000" for o in OUTLETS}

# Words that name each side of the relationship, per language (matched case-insensitively).
SIDES = {
    "en": (("turkey", "türkiye", "turkish", "ankara", "erdogan", "erdoğan"), ("azerbaijan", "baku", "aliyev")),
    "tr": (("türkiye", "türk", "ankara", "erdoğan"), ("azerbaycan", "bakü", "aliyev")),
    "az": (("türkiyə", "türk", "ankara", "ərdoğan"), ("azərbaycan", "bakı", "əliyev")),
    "ru": (("турци", "турецк", "анкар", "эрдоган"), ("азербайджан", "баку", "алиев")),
}


# --- helpers ---------------------------------------------------------------------------
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_PLAIN = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, headers: dict | None = None, follow: bool = True) -> tuple[int, dict, bytes]:
    """(status, headers, body) without raising on 3xx/4xx/5xx."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        opener = urllib.request.build_opener() if follow else _PLAIN
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def text_of(url: str) -> str:
    status, _, body = fetch(url)
    assert status == 200, url
    return body.decode("utf-8")


def links(page: str, base: str) -> list[str]:
    return [urljoin(base, href.replace("&amp;", "&")) for href in re.findall(r'href="([^"]+)"', page)]


def normalise(url: str) -> str:
    """What a crawler folds: fragments, tracking parameters, ?amp=1 and the /amp/ prefix."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if not k.startswith("utm_") and k != "amp"]
    path = parts.path[4:] if parts.path.startswith("/amp/") else parts.path
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b)


@pytest.fixture(scope="module")
def web() -> SampleWeb:
    return SampleWeb(seed=7)


@pytest.fixture(scope="module")
def server(web):
    with SampleWebServer(web) as running:
        yield running


@pytest.fixture(scope="module")
def truth(server):
    return server.truth()


# --- generator -------------------------------------------------------------------------
def test_build_is_deterministic():
    first = SampleWeb(seed=7)
    second = SampleWeb(seed=7)
    assert first.truth(FAKE_BASES) == second.truth(FAKE_BASES)
    assert [a.text for a in first.articles] == [a.text for a in second.articles]
    other = SampleWeb(seed=8)
    assert other.truth(FAKE_BASES) != first.truth(FAKE_BASES)


def test_counts_spread_and_topic_mix(web):
    truth = web.truth(FAKE_BASES)
    assert len({t.url for t in truth}) == len(truth)
    assert sum(1 for t in truth if not t.broken and not t.disallowed) >= 320
    assert len({t.outlet for t in truth}) >= 6
    published = sorted(t.published_at for t in truth)
    assert published[-1] - published[0] >= timedelta(days=540)  # at least 18 months
    months = {(t.published_at.year, t.published_at.month) for t in truth}
    assert len(months) >= 18
    off = sum(not t.on_topic for t in truth) / len(truth)
    assert 0.35 <= off <= 0.45, off
    assert all(t.published_at.tzinfo is not None and t.published_at.utcoffset() == timedelta(0) for t in truth)
    assert all(t.modified_at >= t.published_at for t in truth)
    kinds = Counter(t.broken for t in truth)
    assert {"truncated", "500", "404", "redirect_loop"} <= set(kinds)
    assert any(t.disallowed for t in truth)
    assert all(not t.reachable for t in truth if t.broken or t.disallowed)


def test_syndicated_pairs(web):
    truth = {t.url: t for t in web.truth(FAKE_BASES)}
    copies = [t for t in truth.values() if t.syndicated_from]
    assert len(copies) >= 6
    assert sum(t.exact_copy for t in copies) >= 1
    assert sum(not t.exact_copy for t in copies) >= 3
    by_url = {FAKE_BASES[a.outlet] + a.path: a for a in web.articles}
    for copy in copies:
        original = truth[copy.syndicated_from]
        assert original.outlet != copy.outlet and original.language == copy.language
        assert original.on_topic and copy.on_topic and copy.reachable and original.reachable
        assert timedelta(hours=1) < copy.published_at - original.published_at < timedelta(hours=12)
        a, b = by_url[copy.url], by_url[original.url]
        if copy.exact_copy:
            assert a.text == b.text
        else:
            assert a.text != b.text and jaccard(shingles(a.text), shingles(b.text)) > 0.75


def test_languages_per_outlet(web):
    seen: dict[str, set[str]] = {}
    for t in web.truth(FAKE_BASES):
        seen.setdefault(t.outlet, set()).add(t.language)
    assert seen == {"trdaily": {"en"}, "azerpress": {"en"}, "haberler": {"tr"}, "xeberler": {"az"},
                    "novosti": {"ru"}, "multinews": {"en", "tr", "ru", "az"}}


def test_texts_name_both_countries_only_when_on_topic(web):
    titles = Counter(a.title for a in web.articles if not a.syndicated_from)
    assert max(titles.values()) == 1
    for art in web.articles:
        text = art.text.lower()
        tr_terms, az_terms = SIDES[art.language]
        # matched at word starts: "Lankaran" is no Ankara
        tr_side = any(re.search(r"(?<!\w)" + term, text) for term in tr_terms)
        az_side = any(re.search(r"(?<!\w)" + term, text) for term in az_terms)
        if art.on_topic:
            assert tr_side and az_side, art.title
        else:
            assert not (tr_side and az_side), art.title
        assert 120 <= art.word_count <= 400, (art.title, art.word_count)
    english = " ".join(a.text for a in web.articles if a.language == "en")
    assert "Erdoğan" in english and "Erdogan" in english
    assert "Türkiye" in english and "Turkey" in english


def test_unrelated_articles_are_not_near_duplicates(web):
    originals = [a for a in web.articles if not a.syndicated_from]
    sets = {a.uid: shingles(a.text) for a in originals}
    for lang in TEXTS:
        group = [a for a in originals if a.language == lang]
        worst = max(jaccard(sets[a.uid], sets[b.uid]) for a, b in itertools.combinations(group, 2))
        assert worst < 0.5, (lang, worst)


def test_every_template_fills(web):
    for lang, mod in TEXTS.items():
        rng = random.Random(1)
        for when in (web.articles[0].published, web.articles[-1].published):
            slots = slot_values(mod, when, rng)
            templates = list(mod.RELATION) + list(mod.QUOTES) + list(mod.CLOSINGS)
            for pool in (mod.ON_TOPIC, mod.OFF_TOPIC):
                for spec in pool.values():
                    for angle in spec["angles"]:
                        templates += angle["titles"] + angle["leads"]
                    templates += [e[1] if isinstance(e, tuple) else e for e in spec["body"]]
            for template in templates:
                assert "{" not in template.format_map(slots), template


# --- sources and robots --------------------------------------------------------------------
def test_sources_toml_matches_the_served_web(server, truth):
    data = tomllib.loads(server.sources_toml())
    sources = {s["id"]: s for s in data["source"]}
    assert set(sources) == {o.id for o in OUTLETS}
    keys = {"id", "name", "country", "languages", "base_url", "feeds", "sitemaps", "sections",
            "article_patterns", "max_section_pages", "crawl_interval"}
    for s in sources.values():
        assert set(s) == keys
        assert s["crawl_interval"] == "1h" and s["base_url"].endswith("/")
        assert s["base_url"] == server.base_url(s["id"]) + "/"
    assert any(not s["sitemaps"] for s in sources.values())
    assert any(not s["feeds"] for s in sources.values())
    for t in truth:
        patterns = [re.compile(p) for p in sources[t.outlet]["article_patterns"]]
        for url in filter(None, (t.url, t.amp_url)):
            parts = urlsplit(url)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            assert any(p.search(target) for p in patterns), url
    for s in sources.values():
        patterns = [re.compile(p) for p in s["article_patterns"]]
        for url in s["sections"] + s["feeds"] + s["sitemaps"]:
            for target in (urlsplit(url).path, urlsplit(url).path + "?page=2"):
                assert not any(p.search(target) for p in patterns), url


def test_robots_has_disallow_and_sitemaps(server, truth):
    for outlet in OUTLETS:
        robots = text_of(server.base_url(outlet.id) + "/robots.txt")
        assert "User-agent: *" in robots and "Disallow: /" in robots
        sitemaps = re.findall(r"(?m)^Sitemap: (\S+)$", robots)
        assert sitemaps and all(s.startswith(server.base_url(outlet.id) + "/") for s in sitemaps)
        for url in sitemaps:
            assert fetch(url)[0] == 200
    for t in (t for t in truth if t.disallowed):
        robots = text_of(server.base_url(t.outlet) + "/robots.txt")
        rules = re.findall(r"(?m)^Disallow: (\S+)$", robots.split("User-agent: *")[1])
        assert any(urlsplit(t.url).path.startswith(rule) for rule in rules)


# --- feeds and sitemaps -----------------------------------------------------------------
def _feed_entries(url: str) -> tuple[str, list[str], bytes]:
    status, headers, body = fetch(url)
    assert status == 200
    root = ET.fromstring(body)
    if root.tag == "rss":
        return "rss", [item.findtext("link") for item in root.iter("item")], body
    assert root.tag == ATOM_NS + "feed"
    return "atom", [e.find(ATOM_NS + "link").get("href") for e in root.iter(ATOM_NS + "entry")], body


def test_feeds_parse_and_carry_the_newest_articles(server, truth):
    sources = tomllib.loads(server.sources_toml())["source"]
    kinds, all_links, raw = set(), [], b""
    for source in sources:
        for url in source["feeds"]:
            kind, found, body = _feed_entries(url)
            kinds.add(kind)
            assert 1 <= len(found) <= 31
            all_links += found
            raw += body
    assert kinds == {"rss", "atom"}
    assert any("utm_source=rss" in link for link in all_links)
    amp = {t.amp_url for t in truth if t.amp_url}
    assert any(link in amp for link in all_links)
    assert b"<![CDATA[" in raw and b"+0300" in raw and b"+04:00" in raw
    missing = {t.url for t in truth if t.broken == "404"}
    assert missing & {normalise(link) for link in all_links}
    for url in missing:
        assert fetch(url)[0] == 404


def test_sitemap_index_leads_to_monthly_and_news_sitemaps(server, web):
    for outlet in OUTLETS:
        base = server.base_url(outlet.id)
        robots = text_of(base + "/robots.txt")
        index_url = re.findall(r"(?m)^Sitemap: (\S+)$", robots)[0]
        index = ET.fromstring(fetch(index_url)[2])
        assert index.tag == SITEMAP_NS + "sitemapindex"
        children = [s.findtext(SITEMAP_NS + "loc") for s in index]
        assert len(children) >= 12
        lastmods, news_seen = {}, False
        for child in children:
            root = ET.fromstring(fetch(child)[2])
            assert root.tag == SITEMAP_NS + "urlset"
            for url in root:
                lastmods[url.findtext(SITEMAP_NS + "loc")] = url.findtext(SITEMAP_NS + "lastmod")
                news = url.find(NEWS_NS + "news")
                if news is not None:
                    news_seen = True
                    assert news.findtext(NEWS_NS + "title")
                    assert news.findtext(f"{NEWS_NS}publication/{NEWS_NS}language") in outlet.languages
                    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$",
                                    news.findtext(NEWS_NS + "publication_date"))
        assert news_seen
        listed = [a for a in web.articles if a.outlet == outlet.id and a.in_sitemap]
        for art in listed:
            assert lastmods[base + SampleWeb.entry_path(art)] == art.modified.isoformat()


def test_every_reachable_article_is_discoverable_and_served(server, truth):
    sources = tomllib.loads(server.sources_toml())["source"]
    via: dict[str, set[str]] = {}

    def found(url: str, how: str) -> None:
        via.setdefault(normalise(url), set()).add(how)

    for source in sources:
        base = source["base_url"]
        for url in source["feeds"]:
            for link in _feed_entries(url)[1]:
                found(link, "feed")
        robots = text_of(base + "robots.txt")
        queue = source["sitemaps"] + re.findall(r"(?m)^Sitemap: (\S+)$", robots)
        done = set()
        while queue:
            url = queue.pop()
            if url in done:
                continue
            done.add(url)
            root = ET.fromstring(fetch(url)[2])
            locs = [e.findtext(SITEMAP_NS + "loc") for e in root]
            if root.tag == SITEMAP_NS + "sitemapindex":
                queue += locs
            else:
                for loc in locs:
                    found(loc, "sitemap")
        for section in source["sections"]:
            url, pages = section, 0
            while url and pages < source["max_section_pages"]:
                page = text_of(url)
                pages += 1
                teasers = page.split('<div class="teasers">')[1].split("</div>")[0]
                for link in links(teasers, url):
                    found(link, "section")
                nxt = re.search(r'<a rel="next" class="next" href="([^"]+)"', page)
                url = urljoin(url, nxt.group(1).replace("&amp;", "&")) if nxt else None
    reachable = [t for t in truth if t.reachable]

    def listed_as(t) -> str:  # a moved article is listed under its old slug
        return t.url + "-v1" if t.quirk == "two_hop_redirect" else t.url

    missing = [t.url for t in reachable if listed_as(t) not in via]
    assert not missing, missing[:5]
    only = Counter(next(iter(via[listed_as(t)])) for t in reachable if len(via[listed_as(t)]) == 1)
    assert only["sitemap"] >= 5 and only["section"] >= 5
    disallowed = [t.url for t in truth if t.disallowed]
    assert disallowed and all("section" in via.get(u, ()) for u in disallowed)
    assert all("section" in via.get(t.url, ()) for t in truth if t.broken in ("redirect_loop", "truncated", "500"))
    for t in reachable:
        redirected = t.quirk in ("slash_redirect", "tracking_redirect")
        status, headers, body = fetch(t.url, follow=not redirected)
        assert status == (301 if redirected else 200), t.url
        if redirected:
            continue
        page = body.decode(t.encoding.replace("windows-", "cp"))
        wrong_canonical = t.quirk in ("canonical_home", "relative_canonical", "upper_canonical")
        assert (f'<link rel="canonical" href="{t.url}">' in page) != wrong_canonical, t.url


# --- article pages -----------------------------------------------------------------------
def test_article_pages_look_like_news_pages(server, truth):
    sample = [t for t in truth if t.reachable and t.encoding == "utf-8"][::9]
    dated = 0
    for t in sample:
        page = text_of(t.url)
        assert f'<html lang="{t.language}">' in page
        assert "<title>" in page and "<h1" in page and 'property="og:title"' in page
        assert 'id="cookie-consent"' in page and 'id="comments"' in page and 'class="related"' in page
        assert page.count("<a ") > 25  # navigation, related, most read, footer
        assert re.search(r'<time class="published"[^>]*>[^<]*\d{4}', page)
        if 'property="article:published_time"' in page or '"datePublished"' in page:
            dated += 1
        iso = t.published_at.astimezone(BY_ID[t.outlet].tz).isoformat()
        assert iso in page
    assert dated / len(sample) > 0.75
    authors = sum('rel="author"' in text_of(t.url) for t in sample)
    assert 0.6 * len(sample) < authors < len(sample)


def test_amp_copies_point_at_the_canonical_article(server, truth):
    amp = [t for t in truth if t.amp_url and t.reachable]
    assert {urlsplit(t.amp_url).path.startswith("/amp/") for t in amp} == {True, False}
    for t in amp[::10]:
        page = text_of(t.amp_url)
        assert "<html ⚡" in page and f'<link rel="canonical" href="{t.url}">' in page
        assert f'<link rel="amphtml" href="{t.amp_url}">' in text_of(t.url)


def test_conditional_get_answers_304(server, truth):
    article = next(t for t in truth if t.reachable)
    base = server.base_url("novosti")
    for url in (article.url, base + "/feed.atom", base + "/sitemap.xml", base + "/sitemaps/news.xml"):
        status, headers, _ = fetch(url)
        assert status == 200 and headers["ETag"] and headers["Last-Modified"], url
        assert fetch(url, {"If-None-Match": headers["ETag"]})[0] == 304
        assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        assert fetch(url, {"If-None-Match": '"stale"'})[0] == 200


def test_windows_1254_declared_only_in_the_header(server, truth):
    page = next(t for t in truth if t.encoding == "windows-1254" and t.reachable)
    status, headers, body = fetch(page.url)
    assert headers["Content-Type"] == "text/html; charset=windows-1254"
    assert b"charset" not in body.lower()
    text = body.decode("cp1254")
    assert any(ch in text for ch in "şğıİ")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_windows_1251_declared_only_in_the_document(server, truth):
    pages = [t for t in truth if t.encoding == "windows-1251" and t.reachable]
    styles = set()
    for t in pages:
        status, headers, body = fetch(t.url)
        assert headers["Content-Type"] == "text/html"
        head = body[:600].decode("ascii", "replace")
        styles.add("meta" if '<meta charset="windows-1251">' in head else "http-equiv")
        assert "charset=windows-1251" in head or 'charset="windows-1251"' in head
        assert re.search("[а-яА-Я]{5}", body.decode("cp1251"))
    assert styles == {"meta", "http-equiv"}


def test_broken_pages_behave(server, truth):
    broken = {t.broken: t for t in truth if t.broken}
    assert fetch(broken["500"].url)[0] == 500
    assert fetch(broken["404"].url)[0] == 404
    loop = broken["redirect_loop"].url
    status, headers, _ = fetch(loop, follow=False)
    assert status == 301
    hop = headers["Location"]
    status, headers, _ = fetch(hop, follow=False)
    assert status == 302 and headers["Location"] == loop
    status, headers, body = fetch(broken["truncated"].url)
    assert status == 200 and b"</html>" not in body and b'<div class="article-body">' in body
    assert not body.rstrip().endswith(b">")


def test_disallowed_page_is_linked_from_a_section_page(server, web, truth):
    for t in (t for t in truth if t.disallowed):
        art = next(a for a in web.articles if server.base_url(a.outlet) + a.path == t.url)
        section = server.base_url(t.outlet) + BY_ID[t.outlet].section_path(t.language, art.category)
        pages = [text_of(section)] + [text_of(f"{section}?page={n}") for n in (2, 3)
                                      if f"?page={n}" in text_of(section)]
        assert any(f'href="{t.url}' in page for page in pages), t.url
        assert fetch(t.url)[0] == 200  # served if asked: only robots.txt keeps crawlers out


# --- publishing and the request log ------------------------------------------------------------
def test_publish_adds_articles_to_feeds_and_sitemaps():
    web = SampleWeb(seed=11)
    with SampleWebServer(web) as server:
        before = {t.url: t for t in server.truth()}
        newest = max(t.published_at for t in before.values())
        feed_url = server.base_url("trdaily") + "/rss.xml"
        etag = fetch(feed_url)[1]["ETag"]
        web.publish(6)
        after = server.truth()
        new = [t for t in after if t.url not in before]
        assert len(new) == 6 and len(after) == len(before) + 6
        assert all(t.published_at > newest and t.reachable for t in new)
        assert {t.on_topic for t in new} == {True, False}
        for t in new:
            outlet = BY_ID[t.outlet]
            news = fetch(server.base_url(t.outlet) + outlet.news_sitemap)[2].decode()
            assert f"<loc>{t.url}</loc>" in news
            if outlet.feed_kind:
                feed = server.base_url(t.outlet) + outlet.feed_url_path(t.language)
                assert t.url in {normalise(link) for link in _feed_entries(feed)[1]}
            assert fetch(t.url)[0] == 200
        assert any(t.outlet == "trdaily" for t in new)  # true for seed 11
        assert fetch(feed_url)[1]["ETag"] != etag
        assert fetch(feed_url, {"If-None-Match": etag})[0] == 200


def test_request_log_records_every_request(server):
    server.clear_log()
    base = server.base_url("haberler")
    urls = [base + "/robots.txt", base + "/gundem?page=1", base + "/no-such-page", base + "/gundem?page=99"]
    expected = [("GET", url, fetch(url)[0]) for url in urls]
    head = urllib.request.Request(base + "/robots.txt", method="HEAD")
    urllib.request.urlopen(head, timeout=10).close()
    assert [status for _, _, status in expected] == [200, 200, 404, 404]
    assert server.request_log == expected + [("HEAD", base + "/robots.txt", 200)]
    server.clear_log()
    assert server.request_log == []


def test_section_pages_paginate(server, web):
    outlet = BY_ID["trdaily"]
    counts = {c: len(web.section_articles("trdaily", "en", c)) for c in CATEGORIES}
    category = max(counts, key=counts.get)
    assert counts[category] > 20
    base = server.base_url("trdaily") + outlet.section_path("en", category)
    first = text_of(base)
    assert f'rel="next" class="next" href="{outlet.section_path("en", category)}?page=2"' in first
    assert fetch(base + "?page=99")[0] == 404


def test_cli_serves_and_prints_base_urls():
    proc = subprocess.Popen([sys.executable, "-m", "sampleweb", "--seed", "7", "--port", "0"],
                            stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
    try:
        line = proc.stdout.readline()
        assert line.startswith("trdaily")
        base = re.search(r"http://\S+/", line).group(0)
        assert fetch(base + "robots.txt")[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_follow_ups_tell_an_existing_story_anew_and_change_nothing_before_them():
    plain, followed = SampleWeb(seed=7), SampleWeb(seed=7)
    plain.publish(12)
    followed.publish(12)
    before = followed.truth(FAKE_BASES)
    newest = max(t.published_at for t in before)
    new = followed.add_follow_ups(3, each=2)
    assert plain.truth(FAKE_BASES) == before  # what the seed made is untouched
    assert len(new) == 6 and followed.truth(FAKE_BASES)[:len(before)] == before
    again = SampleWeb(seed=7)
    again.publish(12)
    assert [a.text for a in again.add_follow_ups(3, each=2)] == [a.text for a in new]  # seeded, deterministic
    originals = {a.follow_up_of for a in new}
    assert len(originals) == 3
    for art in new:
        original = followed.by_uid[art.follow_up_of]
        assert original.on_topic and original.syndicated_from is None
        assert (art.language, art.topic, art.angle, art.slots) == (original.language, original.topic,
                                                                    original.angle, original.slots)
        assert art.title != original.title and art.signature != original.signature  # told anew, not a copy
    truth = {t.url: t for t in followed.truth(FAKE_BASES)}
    ups = [t for t in truth.values() if t.follow_up_of]
    assert len(ups) == 6 and all(t.published_at > newest and t.reachable and t.on_topic for t in ups)
    assert all(t.follow_up_of in truth for t in ups)
