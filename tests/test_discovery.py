"""Feeds, sitemaps and robots.txt into candidate article URLs."""
from datetime import datetime, timezone

import pytest

from crawler.discovery import DiscoveryError, parse_feed, parse_sitemap, robots_sitemaps
from tests.realdata import realdata, rows


@pytest.mark.parametrize("row", rows("feeds"), ids=lambda r: r["file"])
def test_real_feeds_give_every_item(row):
    body = realdata("feeds", row["file"]).read_bytes()
    candidates = parse_feed(body, row["feed_url"].split()[0])
    assert len(candidates) == int(row["items"])
    for c in candidates:
        assert c.url.startswith("https://")
        assert c.title
        assert c.published_at is not None and c.published_at.tzinfo is not None


def test_azertac_pubdate_in_baku_time_becomes_utc():
    body = realdata("feeds", "azertag.az_rss.xml").read_bytes()
    first = parse_feed(body, "https://azertag.az/rss")[0]
    # "Mon, 14 Sep 2026 01:35:00 +0400" is 21:35 UTC the day before
    assert first.published_at == datetime(2026, 9, 13, 21, 35, tzinfo=timezone.utc)


def test_guidless_items_dedup_by_link_and_tracking_dropped():
    feed = b"""\n   <rss version="2.0"><channel><title>t</title>
    <item><title>A</title><link>/news/1?utm_source=rss</link><pubDate>Mon, 14 Sep 2026 01:35:00 +0400</pubDate></item>
    <item><title>A again</title><link>/news/1</link></item>
    <item><title>B &amp; C</title><link>/news/2#top</link><description><![CDATA[<p>x</p>]]></description></item>
    </channel></rss>"""
    candidates = parse_feed(feed, "https://example.az/rss")
    assert [c.url for c in candidates] == ["https://example.az/news/1", "https://example.az/news/2"]
    assert candidates[1].title == "B & C"


def test_not_a_feed_is_an_error():
    with pytest.raises(DiscoveryError):
        parse_feed(b"<html><body>nope", "https://x/")


def test_news_sitemap_and_index():
    urlset = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>https://x.tr/2025/03/01/a</loc><lastmod>2025-03-02T10:00:00+03:00</lastmod>
      <news:news><news:publication_date>2025-03-01T09:00:00+03:00</news:publication_date><news:title>A</news:title></news:news></url>
    </urlset>"""
    kind, entries = parse_sitemap(urlset, "https://x.tr/sitemap.xml")
    assert kind == "urlset"
    assert entries[0].published_at == datetime(2025, 3, 1, 6, 0, tzinfo=timezone.utc)
    assert entries[0].changed_at == datetime(2025, 3, 2, 7, 0, tzinfo=timezone.utc)
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>/s1.xml</loc></sitemap></sitemapindex>"""
    assert parse_sitemap(index, "https://x.tr/")[0] == "index"


def test_hostile_sitemap_entities_are_not_expanded():
    evil = b"""<?xml version="1.0"?><!DOCTYPE u [<!ENTITY e SYSTEM "file:///etc/passwd">]>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x/&e;</loc></url></urlset>"""
    _, entries = parse_sitemap(evil, "https://x/")
    assert all("root:" not in e.url for e in entries)


def test_robots_sitemap_lines():
    text = "User-agent: *\nDisallow: /private/\nSitemap: https://x.az/sitemap_index.xml\nsitemap: /news.xml\n"
    assert robots_sitemaps(text, "https://x.az/robots.txt") == ["https://x.az/sitemap_index.xml", "https://x.az/news.xml"]


def test_entity_expansion_bomb_in_a_feed_is_not_expanded():
    chain = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    feed = (f'<?xml version="1.0"?><!DOCTYPE rss [{chain}]><rss version="2.0"><channel><title>&l9;</title>'
            "<item><title>&l9;</title><link>http://x.az/news/1</link></item></channel></rss>").encode()
    candidates = parse_feed(feed, "http://x.az/")
    assert [c.url for c in candidates] == ["http://x.az/news/1"]
    assert len(candidates[0].title) < 10_000  # fully expanded it would be 3,000,000,000 characters
