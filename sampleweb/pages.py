"""Rendering: HTML pages, RSS/Atom feeds, sitemaps and robots.txt from generator data.

Every function takes the absolute base URL ("http://127.0.0.11:43123") because links,
canonicals and sitemap locations must be absolute and the port is only known at serve time.
"""
from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape

from sampleweb.generator import TEXTS, Article, SampleWeb, slugify
from sampleweb.outlets import BY_ID, CATEGORIES, Outlet

PAGE_SIZE = 20
NEWS_SITEMAP_SIZE = 40
STATIC_PAGES = ("about", "contact", "advertise", "privacy", "terms", "careers", "video", "opinion", "gallery",
                "subscribe")


def _e(text: str) -> str:
    return escape(text, quote=True)


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _excerpt(art: Article, limit: int = 180) -> str:
    lead = art.lead
    return lead if len(lead) <= limit else lead[:limit].rsplit(" ", 1)[0] + "…"


def article_url(base: str, art: Article) -> str:
    return base + art.path


def listed_url(base: str, art: Article) -> str:
    """The URL feeds, sitemaps and sections link to (an old slug for a moved article)."""
    return base + SampleWeb.entry_path(art)


def canonical_href(base: str, art: Article) -> str:
    """The rel=canonical as the article's CMS writes it, mistakes included."""
    if art.quirk == "canonical_home":
        return base + BY_ID[art.outlet].home_path(art.language)
    if art.quirk == "relative_canonical":
        return art.path
    if art.quirk == "upper_canonical":
        return base.replace("http://", "HTTP://", 1) + art.path
    return article_url(base, art)


def amp_url(base: str, art: Article) -> str | None:
    path = BY_ID[art.outlet].amp_path(art.path) if art.amp else None
    return base + path if path else None


# --- shared page furniture ------------------------------------------------------------
def _nav(outlet: Outlet, lang: str, base: str) -> str:
    ui, labels = TEXTS[lang].UI, TEXTS[lang].SECTIONS
    prefix = f"/{lang}" if outlet.multi else ""
    items = [f'<li><a href="{base}{outlet.home_path(lang)}">{_e(ui["home"])}</a></li>']
    items += [f'<li><a href="{outlet.section_path(lang, c)}">{_e(labels[c])}</a></li>' for c in CATEGORIES]
    items += [f'<li class="secondary"><a href="{prefix}/{p}">{_e(ui[p])}</a></li>'
              for p in ("video", "opinion", "gallery")]
    editions = ""
    if outlet.multi:
        editions = '<ul class="editions" aria-label="{}">{}</ul>'.format(
            _e(ui["editions"]), "".join(f'<li><a href="/{code}/" hreflang="{code}">{code.upper()}</a></li>'
                                        for code in outlet.languages))
    return f"""<header class="site-header">
<div class="top-bar"><a href="{prefix}/subscribe">{_e(ui["subscribe_page"])}</a> · <a href="{prefix}/advertise">{_e(ui["advertise"])}</a> · <a href="https://social.example/{outlet.id}">X</a> · <a href="https://video.example/{outlet.id}">YouTube</a>{editions}</div>
<a class="logo" href="{outlet.home_path(lang)}">{_e(outlet.site_name)}</a>
<nav class="main-nav"><ul>{"".join(items)}</ul></nav>
<form class="search" action="{prefix}{outlet.search_path}" method="get"><input type="search" name="q" placeholder="{_e(ui["search"])}"><button>{_e(ui["search"])}</button></form>
</header>"""


def _cookie_banner(lang: str) -> str:
    ui = TEXTS[lang].UI
    return (f'<div id="cookie-consent" class="cookie-banner" role="dialog"><p>{_e(ui["cookie"])}</p>'
            f'<button type="button" class="accept">{_e(ui["accept"])}</button> '
            f'<a href="/privacy">{_e(ui["cookie_settings"])}</a></div>')


def _footer(outlet: Outlet, lang: str) -> str:
    ui = TEXTS[lang].UI
    prefix = f"/{lang}" if outlet.multi else ""
    links = "".join(f'<li><a href="{prefix}/{p}">{_e(ui[p])}</a></li>'
                    for p in ("about", "contact", "advertise", "privacy", "terms", "careers"))
    feed = outlet.feed_url_path(lang)
    if feed:
        links += f'<li><a href="{feed}">{_e(ui["rss"])}</a></li>'
    return f"""<footer class="site-footer">
<div class="newsletter"><p>{_e(ui["newsletter"])}</p><form action="{prefix}/subscribe" method="post"><input type="email" name="email" placeholder="{_e(ui["email"])}"><button>{_e(ui["subscribe"])}</button></form></div>
<nav class="footer-nav"><ul>{links}</ul></nav>
<p class="copyright">© 2025 {_e(outlet.site_name)}. {_e(ui["rights"])}</p>
</footer>
<script src="/static/js/app.js" defer></script>"""


def _head(title: str, lang: str, outlet: Outlet, extra: str, charset: str = '<meta charset="utf-8">') -> str:
    feed = outlet.feed_url_path(lang)
    alternate = ""
    if feed:
        kind = "application/rss+xml" if outlet.feed_kind == "rss" else "application/atom+xml"
        alternate = f'<link rel="alternate" type="{kind}" title="{_e(outlet.site_name)}" href="{feed}">'
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
{charset}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
{extra}
<link rel="stylesheet" href="/static/css/main.css">
{alternate}
<script>window.dataLayer = window.dataLayer || []; window.dataLayer.push({{"site": "{outlet.id}"}});</script>
</head>"""


def _teaser(art: Article, href: str, lang: str) -> str:
    fmt = TEXTS[lang].format_date
    return (f'<article class="teaser"><h3><a href="{href}">{_e(art.title)}</a></h3>'
            f'<time datetime="{_iso(art.published)}">{_e(fmt(art.published))}</time>'
            f'<p>{_e(_excerpt(art))}</p></article>')


def _comments(web: SampleWeb, art: Article) -> str:
    mod = TEXTS[art.language]
    ui = mod.UI
    rng = random.Random(f"{web.seed}:comments:{art.uid}")  # same comments on every request
    items = []
    when = art.published
    for _ in range(rng.randint(0, 4)):
        when += timedelta(minutes=rng.randint(5, 600))
        items.append(f'<div class="comment"><strong class="comment-author">{_e(rng.choice(mod.COMMENTERS))}</strong> '
                     f'<span class="comment-date">{_e(mod.format_date(when))}</span>'
                     f'<p>{_e(rng.choice(mod.COMMENTS))}</p></div>')
    return f"""<section id="comments" class="comments"><h2>{_e(ui["comments"])} ({len(items)})</h2>
{"".join(items)}
<form class="comment-form" action="/comments" method="post"><h3>{_e(ui["leave_comment"])}</h3><input name="name" placeholder="{_e(ui["name"])}"><textarea name="body"></textarea><button>{_e(ui["post"])}</button></form>
</section>"""


# --- article pages --------------------------------------------------------------------
def _charset_meta(art: Article) -> str:
    if art.encoding == "windows-1254":
        return ""  # declared only in the HTTP header, as some Turkish CMSes do
    if art.encoding == "windows-1251":
        # declared only in the document; the header says plain text/html
        if art.uid % 2:
            return '<meta charset="windows-1251">'
        return '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    return '<meta charset="utf-8">'


def _json_ld(art: Article, outlet: Outlet, base: str, section: str) -> str:
    data = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": art.title,
        "datePublished": _iso(art.published), "dateModified": _iso(art.modified), "inLanguage": art.language,
        "mainEntityOfPage": {"@type": "WebPage", "@id": article_url(base, art)},
        "image": [f"{base}/static/img/{art.num}.jpg"], "articleSection": section,
        "author": ({"@type": "Person", "name": art.author} if art.author
                   else {"@type": "Organization", "name": outlet.site_name}),
        "publisher": {"@type": "Organization", "name": outlet.site_name,
                      "logo": {"@type": "ImageObject", "url": f"{base}/static/img/logo.png"}},
    }
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def article_page(web: SampleWeb, art: Article, base: str) -> str:
    """A full article page with realistic boilerplate around the text."""
    outlet = BY_ID[art.outlet]
    mod = TEXTS[art.language]
    ui, section = mod.UI, mod.SECTIONS[art.category]
    canonical = article_url(base, art)
    amp = amp_url(base, art)
    meta = [f'<meta name="description" content="{_e(_excerpt(art, 160))}">',
            f'<link rel="canonical" href="{canonical_href(base, art)}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{_e(art.title)}">',
            f'<meta property="og:url" content="{canonical}">',
            f'<meta property="og:site_name" content="{_e(outlet.site_name)}">',
            f'<meta property="og:image" content="{base}/static/img/{art.num}.jpg">',
            f'<meta property="article:section" content="{_e(section)}">']
    if amp:
        meta.append(f'<link rel="amphtml" href="{amp}">')
    if art.date_markup in ("both", "og"):
        meta.append(f'<meta property="article:published_time" content="{_iso(art.published)}">')
        meta.append(f'<meta property="article:modified_time" content="{_iso(art.modified)}">')
    if art.author:
        meta.append(f'<meta name="author" content="{_e(art.author)}">')
    if art.date_markup in ("both", "jsonld"):
        meta.append(_json_ld(art, outlet, base, section))
    head = _head(f"{art.title} | {outlet.site_name}", art.language, outlet, "\n".join(meta), _charset_meta(art))

    # Pages with both og and JSON-LD sometimes show the date as plain text only.
    stamp = "" if art.date_markup == "both" and art.uid % 3 == 0 else f' datetime="{_iso(art.published)}"'
    byline = ""
    if art.author:
        byline = (f'<span class="author">{_e(ui["by"])} <a href="/author/{slugify(art.author)}" rel="author">'
                  f'{_e(art.author)}</a></span> ')
    byline += f'<time class="published"{stamp}>{_e(mod.format_date(art.published))}</time>'
    if art.modified != art.published:
        byline += f' <span class="updated">{_e(ui["updated"])}: {_e(mod.format_date(art.modified))}</span>'

    paragraphs = [" ".join(p) for p in art.paragraphs]
    body = []
    for i, text in enumerate(paragraphs):
        body.append(f"<p>{_e(text)}</p>")
        if i == 1:
            body.append('<div class="ad-slot" data-slot="in-article"></div>')
    related = "".join(f'<li><a href="{article_url(base, r)}">{_e(r.title)}</a></li>' for r in web.related(art, 5))
    rng = random.Random(f"{web.seed}:mostread:{art.uid}")
    pool = [a for a in web.section_articles(art.outlet, art.language, art.category) if a.normal and a.uid != art.uid]
    most_read = "".join(f'<li><a href="{article_url(base, r)}">{_e(r.title)}</a></li>'
                        for r in rng.sample(pool, min(5, len(pool))))
    share = "".join(f'<a class="share-{name.lower()}" href="https://social.example/share?network={name.lower()}&amp;u={_e(canonical)}">{name}</a> '
                    for name in ("Facebook", "X", "Telegram", "WhatsApp"))
    return f"""{head}
<body class="article-page">
{_cookie_banner(art.language)}
{_nav(outlet, art.language, base)}
<main class="content">
<nav class="breadcrumb"><a href="{outlet.home_path(art.language)}">{_e(ui["home"])}</a> › <a href="{outlet.section_path(art.language, art.category)}">{_e(section)}</a></nav>
<article class="article">
<h1 class="headline">{_e(art.title)}</h1>
<div class="byline">{byline}</div>
<figure class="lead-image"><img src="/static/img/{art.num}.jpg" alt="" width="960" height="540"><figcaption>{_e(ui["photo"])}: {_e(outlet.site_name)}</figcaption></figure>
<div class="article-body">
{chr(10).join(body)}
</div>
<div class="share">{_e(ui["share"])}: {share}</div>
</article>
<aside class="related"><h2>{_e(ui["related"])}</h2><ul>{related}</ul></aside>
{_comments(web, art)}
</main>
<aside class="sidebar"><h2>{_e(ui["most_read"])}</h2><ol>{most_read}</ol><div class="ad-slot" data-slot="sidebar"></div></aside>
{_footer(outlet, art.language)}
</body>
</html>
"""


def truncated(page: str, art: Article) -> str:
    """The page cut off in the middle of the article text, as a dropped connection leaves it."""
    marker = " ".join(art.paragraphs[1]) if len(art.paragraphs) > 1 else art.lead
    start = page.index(_e(marker))
    return page[:start + len(_e(marker)) // 2]


def amp_page(web: SampleWeb, art: Article, base: str) -> str:
    """Minimal AMP version pointing back at the canonical article."""
    outlet = BY_ID[art.outlet]
    mod = TEXTS[art.language]
    body = "".join(f"<p>{_e(' '.join(p))}</p>" for p in art.paragraphs)
    author = f'{_e(art.author)} · ' if art.author else ""
    return f"""<!doctype html>
<html ⚡ lang="{art.language}">
<head>
<meta charset="utf-8">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<title>{_e(art.title)}</title>
<link rel="canonical" href="{article_url(base, art)}">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
{_json_ld(art, outlet, base, mod.SECTIONS[art.category])}
<style amp-boilerplate>body{{visibility:hidden}}</style><noscript><style amp-boilerplate>body{{visibility:visible}}</style></noscript>
<style amp-custom>body{{font-family:Georgia,serif;margin:0 1rem}}header{{border-bottom:1px solid #ccc}}</style>
</head>
<body>
<header><a href="{outlet.home_path(art.language)}">{_e(outlet.site_name)}</a></header>
<article>
<h1>{_e(art.title)}</h1>
<p class="byline">{author}<time datetime="{_iso(art.published)}">{_e(mod.format_date(art.published))}</time></p>
<amp-img src="/static/img/{art.num}.jpg" width="960" height="540" layout="responsive"></amp-img>
{body}
</article>
<footer>© 2025 {_e(outlet.site_name)}</footer>
</body>
</html>
"""


# --- listings -------------------------------------------------------------------------
def _listing_href(base: str, art: Article) -> str:
    """Links as real section pages write them: some with #comments, some to the AMP copy."""
    outlet = BY_ID[art.outlet]
    href = listed_url(base, art)
    if art.amp and outlet.amp_style == "query" and art.uid % 2 == 0:
        return base + outlet.amp_path(art.path)
    if outlet.id in ("trdaily", "haberler", "novosti") and art.uid % 5 == 0:
        return href + "#comments"
    return href


def section_page(web: SampleWeb, outlet: Outlet, lang: str, category: str, page: int, base: str) -> str | None:
    """One page of a section listing, newest first; None past the last page."""
    items = web.section_articles(outlet.id, lang, category)
    pages = max(1, -(-len(items) // PAGE_SIZE))
    if not 1 <= page <= pages:
        return None
    ui, label = TEXTS[lang].UI, TEXTS[lang].SECTIONS[category]
    path = outlet.section_path(lang, category)
    chunk = items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    teasers = "\n".join(_teaser(a, _listing_href(base, a), lang) for a in chunk)
    links, rels = [], []
    if page > 1:
        prev = path if page == 2 else f"{path}?page={page - 1}"
        links.append(f'<a rel="prev" href="{prev}">{_e(ui["prev"])}</a>')
        rels.append(f'<link rel="prev" href="{base}{prev}">')
    links += [f'<a href="{path if n == 1 else f"{path}?page={n}"}"{" aria-current=page" if n == page else ""}>{n}</a>'
              for n in range(1, pages + 1)]
    if page < pages:
        links.append(f'<a rel="next" class="next" href="{path}?page={page + 1}">{_e(ui["next"])}</a>')
        rels.append(f'<link rel="next" href="{base}{path}?page={page + 1}">')
    canonical = base + (path if page == 1 else f"{path}?page={page}")
    title = label if page == 1 else f"{label} – {ui['page']} {page}"
    head = _head(f"{title} | {outlet.site_name}", lang, outlet,
                 f'<link rel="canonical" href="{canonical}">\n' + "\n".join(rels))
    return f"""{head}
<body class="section-page">
{_cookie_banner(lang)}
{_nav(outlet, lang, base)}
<main class="content">
<h1>{_e(title)}</h1>
<div class="teasers">
{teasers}
</div>
<nav class="pagination">{" ".join(links)}</nav>
</main>
{_footer(outlet, lang)}
</body>
</html>
"""


def home_page(web: SampleWeb, outlet: Outlet, lang: str, base: str) -> str:
    """Front page of an outlet (or of one edition): newest stories per section."""
    ui, labels = TEXTS[lang].UI, TEXTS[lang].SECTIONS
    blocks = []
    for category in CATEGORIES:
        top = [a for a in web.section_articles(outlet.id, lang, category) if a.normal][:4]
        teasers = "\n".join(_teaser(a, listed_url(base, a), lang) for a in top)
        blocks.append(f'<section class="block"><h2><a href="{outlet.section_path(lang, category)}">'
                      f'{_e(labels[category])}</a></h2>\n{teasers}</section>')
    head = _head(f"{outlet.site_name} – {ui['latest']}", lang, outlet,
                 f'<link rel="canonical" href="{base}{outlet.home_path(lang)}">')
    return f"""{head}
<body class="home">
{_cookie_banner(lang)}
{_nav(outlet, lang, base)}
<main class="content">
{chr(10).join(blocks)}
</main>
{_footer(outlet, lang)}
</body>
</html>
"""


def editions_page(outlet: Outlet, base: str) -> str:
    """Root of a multi-language outlet: a chooser of editions."""
    links = "".join(f'<li><a href="/{code}/" hreflang="{code}">{_e(outlet.site_name)} {code.upper()}</a></li>'
                    for code in outlet.languages)
    alternates = "".join(f'<link rel="alternate" hreflang="{code}" href="{base}/{code}/">' for code in outlet.languages)
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{_e(outlet.site_name)}</title>{alternates}</head>
<body><h1>{_e(outlet.site_name)}</h1><ul class="editions">{links}</ul></body>
</html>
"""


def simple_page(outlet: Outlet, lang: str, base: str, title_key: str, text_key: str) -> str:
    """Static pages, 404 and 500 pages: furniture around a short text."""
    ui = TEXTS[lang].UI
    head = _head(f"{ui[title_key]} | {outlet.site_name}", lang, outlet, '<meta name="robots" content="noindex">')
    return f"""{head}
<body class="simple">
{_nav(outlet, lang, base)}
<main class="content"><h1>{_e(ui[title_key])}</h1><p>{_e(ui[text_key])}</p></main>
{_footer(outlet, lang)}
</body>
</html>
"""


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
            description = _cdata(f'<p>{_e(_excerpt(art, 240))}</p><img src="{base}/static/img/{art.num}.jpg" alt="">')
        else:
            description = _e(_excerpt(art, 240))
        creator = f"<dc:creator>{_e(art.author)}</dc:creator>" if art.author else ""
        guid = (f'<guid isPermaLink="true">{article_url(base, art)}</guid>' if outlet.id == "trdaily"
                else f'<guid isPermaLink="false">{outlet.id}-{art.num}</guid>')
        out.append(f"""<item>
<title>{_e(art.title)}</title>
<link>{_e(link)}</link>
{guid}
<pubDate>{format_datetime(art.published)}</pubDate>
{creator}
<category>{_e(labels[art.category])}</category>
<description>{description}</description>
</item>""")
    self_url = base + outlet.feed_url_path(lang)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>{_e(outlet.site_name)} – {_e(ui["latest"])}</title>
<link>{base}{outlet.home_path(lang)}</link>
<description>{_e(outlet.site_name)}</description>
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
        author = f"<author><name>{_e(art.author)}</name></author>" if art.author else ""
        if art.uid % 2:
            summary = f'<summary type="html">{_cdata("<p>" + _e(_excerpt(art, 240)) + "</p>")}</summary>'
        else:
            summary = f"<summary>{_e(_excerpt(art, 240))}</summary>"
        out.append(f"""<entry>
<title>{_e(art.title)}</title>
<link rel="alternate" type="text/html" href="{_e(_feed_link(base, art))}"/>
<id>tag:{outlet.id}.sample,{art.published:%Y}:{art.num}</id>
<published>{_iso(art.published)}</published>
<updated>{_iso(art.modified)}</updated>
{author}
{summary}
</entry>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">
<title>{_e(outlet.site_name)} – {_e(ui["latest"])}</title>
<id>tag:{outlet.id}.sample,2024:feed</id>
<updated>{_iso(newest)}</updated>
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
    body = "\n".join(f"<sitemap><loc>{base}{path}</loc><lastmod>{_iso(mod)}</lastmod></sitemap>"
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
    body = "\n".join(f"<url><loc>{listed_url(base, a)}</loc><lastmod>{_iso(a.modified)}</lastmod>"
                     f"<changefreq>monthly</changefreq><priority>0.6</priority></url>" for a in arts)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{body}
</urlset>
"""


def news_sitemap(web: SampleWeb, outlet: Outlet, base: str) -> str:
    arts = web.sitemap_articles(outlet.id)[:NEWS_SITEMAP_SIZE]
    body = "\n".join(f"""<url><loc>{listed_url(base, a)}</loc><lastmod>{_iso(a.modified)}</lastmod>
<news:news><news:publication><news:name>{_e(outlet.site_name)}</news:name><news:language>{a.language}</news:language></news:publication>
<news:publication_date>{_iso(a.published)}</news:publication_date><news:title>{_e(a.title)}</news:title></news:news></url>"""
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
