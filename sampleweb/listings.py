"""Rendering the listings: RSS/Atom feeds, sitemaps and robots.txt, with absolute links (see pages)."""
from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime

from sampleweb.articles import Article
from sampleweb.compose import TEXTS
from sampleweb.generator import SampleWeb
from sampleweb.outlets import BY_ID, Outlet
from sampleweb.pages import NEWS_SITEMAP_SIZE, article_url, cdata, esc, excerpt, iso, listed_url


# --- feeds ------------------------------------------------------------------------------
def _feed_link(base: str, art: Article) -> str:
    """Feed links as CMSes emit them: sometimes AMP, sometimes with tracking parameters."""
    outlet = BY_ID[art.outlet]
    if art.amp and outlet.amp_style == "prefix" and art.uid % 2 == 0:
        return base + outlet.amp_path(art.path)
    if art.uid % 3 == 0:
        return listed_url(base, art) + "?utm_source=rss&utm_medium=feed&utm_campaign=" + outlet.id
    return listed_url(base, art)


def rss_feed(web: SampleWeb, outlet: Outlet, lang: str, base: str) -> str:
    items = web.feed_articles(outlet.id, lang)
    ui, labels = TEXTS[lang].UI, TEXTS[lang].SECTIONS
    newest = max((a.modified for a in items), default=datetime(2024, 5, 1, tzinfo=timezone.utc))
    out = []
    for art in items:
        link = _feed_link(base, art)
        if art.uid % 2:
            description = cdata(f'<p>{esc(excerpt(art, 240))}</p><img src="{base}/static/img/{art.num}.jpg" alt="">')
        else:
            description = esc(excerpt(art, 240))
        creator = f"<dc:creator>{esc(art.author)}</dc:creator>" if art.author else ""
        guid = (f'<guid isPermaLink="true">{article_url(base, art)}</guid>' if outlet.id == "trdaily"
                else f'<guid isPermaLink="false">{outlet.id}-{art.num}</guid>')
        out.append(f"""<item>
<title>{esc(art.title)}</title>
<link>{esc(link)}</link>
{guid}
<pubDate>{format_datetime(art.published)}</pubDate>
{creator}
<category>{esc(labels[art.category])}</category>
<description>{description}</description>
</item>""")
    self_url = base + outlet.feed_url_path(lang)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>{esc(outlet.site_name)} – {esc(ui["latest"])}</title>
<link>{base}{outlet.home_path(lang)}</link>
<description>{esc(outlet.site_name)}</description>
<language>{lang}</language>
<lastBuildDate>{format_datetime(newest)}</lastBuildDate>
<atom:link href="{self_url}" rel="self" type="application/rss+xml"/>
{chr(10).join(out)}
</channel>
</rss>
"""


def atom_feed(web: SampleWeb, outlet: Outlet, lang: str, base: str) -> str:
    items = web.feed_articles(outlet.id, lang)
    ui = TEXTS[lang].UI
    newest = max((a.modified for a in items), default=datetime(2024, 5, 1, tzinfo=timezone.utc))
    out = []
    for art in items:
        author = f"<author><name>{esc(art.author)}</name></author>" if art.author else ""
        if art.uid % 2:
            summary = f'<summary type="html">{cdata("<p>" + esc(excerpt(art, 240)) + "</p>")}</summary>'
        else:
            summary = f"<summary>{esc(excerpt(art, 240))}</summary>"
        out.append(f"""<entry>
<title>{esc(art.title)}</title>
<link rel="alternate" type="text/html" href="{esc(_feed_link(base, art))}"/>
<id>tag:{outlet.id}.sample,{art.published:%Y}:{art.num}</id>
<published>{iso(art.published)}</published>
<updated>{iso(art.modified)}</updated>
{author}
{summary}
</entry>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">
<title>{esc(outlet.site_name)} – {esc(ui["latest"])}</title>
<id>tag:{outlet.id}.sample,2024:feed</id>
<updated>{iso(newest)}</updated>
<link rel="self" type="application/atom+xml" href="{base}{outlet.feed_url_path(lang)}"/>
<link rel="alternate" type="text/html" href="{base}{outlet.home_path(lang)}"/>
{chr(10).join(out)}
</feed>
"""


# --- sitemaps and robots ------------------------------------------------------------------
def sitemap_months(web: SampleWeb, outlet: Outlet) -> dict[tuple[int, int], list[Article]]:
    """Sitemap-listed articles grouped by local publication month, newest month first."""
    months: dict[tuple[int, int], list[Article]] = {}
    for art in web.sitemap_articles(outlet.id):
        months.setdefault((art.published.year, art.published.month), []).append(art)
    return dict(sorted(months.items(), reverse=True))


def sitemap_index(web: SampleWeb, outlet: Outlet, base: str) -> str:
    entries = []
    news = web.sitemap_articles(outlet.id)[:NEWS_SITEMAP_SIZE]
    if news:
        entries.append((outlet.news_sitemap, max(a.modified for a in news)))
    for (y, m), arts in sitemap_months(web, outlet).items():
        entries.append((outlet.month_sitemap.format(y=y, m=m), max(a.modified for a in arts)))
    body = "\n".join(f"<sitemap><loc>{base}{path}</loc><lastmod>{iso(mod)}</lastmod></sitemap>"
                     for path, mod in entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{body}
</sitemapindex>
"""


def month_sitemap(web: SampleWeb, outlet: Outlet, y: int, m: int, base: str) -> str | None:
    arts = sitemap_months(web, outlet).get((y, m))
    if not arts:
        return None
    body = "\n".join(f"<url><loc>{listed_url(base, a)}</loc><lastmod>{iso(a.modified)}</lastmod>"
                     f"<changefreq>monthly</changefreq><priority>0.6</priority></url>" for a in arts)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{body}
</urlset>
"""


def news_sitemap(web: SampleWeb, outlet: Outlet, base: str) -> str:
    arts = web.sitemap_articles(outlet.id)[:NEWS_SITEMAP_SIZE]
    body = "\n".join(f"""<url><loc>{listed_url(base, a)}</loc><lastmod>{iso(a.modified)}</lastmod>
<news:news><news:publication><news:name>{esc(outlet.site_name)}</news:name><news:language>{a.language}</news:language></news:publication>
<news:publication_date>{iso(a.published)}</news:publication_date><news:title>{esc(a.title)}</news:title></news:news></url>"""
                     for a in arts)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{body}
</urlset>
"""


def robots_txt(outlet: Outlet, base: str) -> str:
    rules = "\n".join(f"Disallow: {path}" for path in outlet.disallow)
    sitemaps = [outlet.sitemap_index]
    if not outlet.list_sitemaps:  # outlets known to the crawler only through robots.txt
        sitemaps.append(outlet.news_sitemap)
    lines = "\n".join(f"Sitemap: {base}{path}" for path in sitemaps)
    return f"""# robots.txt for {outlet.site_name}
User-agent: BadBot
Disallow: /

User-agent: *
{rules}
Allow: /

{lines}
"""
