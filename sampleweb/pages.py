"""Rendering the HTML pages from generator data (feeds, sitemaps and robots.txt: listings.py).

Every function takes the absolute base URL ("http://127.0.0.11:43123") because links,
canonicals and sitemap locations must be absolute and the port is only known at serve time.
"""
from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from html import escape

from sampleweb.articles import Article, slugify
from sampleweb.compose import TEXTS
from sampleweb.generator import SampleWeb
from sampleweb.outlets import BY_ID, CATEGORIES, Outlet

PAGE_SIZE = 20
NEWS_SITEMAP_SIZE = 40
STATIC_PAGES = ("about", "contact", "advertise", "privacy", "terms", "careers", "video", "opinion", "gallery",
                "subscribe")


def esc(text: str) -> str:
    return escape(text, quote=True)


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def excerpt(art: Article, limit: int = 180) -> str:
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
    items = [f'<li><a href="{base}{outlet.home_path(lang)}">{esc(ui["home"])}</a></li>']
    items += [f'<li><a href="{outlet.section_path(lang, c)}">{esc(labels[c])}</a></li>' for c in CATEGORIES]
    items += [f'<li class="secondary"><a href="{prefix}/{p}">{esc(ui[p])}</a></li>'
              for p in ("video", "opinion", "gallery")]
    editions = ""
    if outlet.multi:
        editions = '<ul class="editions" aria-label="{}">{}</ul>'.format(
            esc(ui["editions"]), "".join(f'<li><a href="/{code}/" hreflang="{code}">{code.upper()}</a></li>'
                                        for code in outlet.languages))
    return f"""<header class="site-header">
<div class="top-bar"><a href="{prefix}/subscribe">{esc(ui["subscribe_page"])}</a> · <a href="{prefix}/advertise">{esc(ui["advertise"])}</a> · <a href="https://social.example/{outlet.id}">X</a> · <a href="https://video.example/{outlet.id}">YouTube</a>{editions}</div>
<a class="logo" href="{outlet.home_path(lang)}">{esc(outlet.site_name)}</a>
<nav class="main-nav"><ul>{"".join(items)}</ul></nav>
<form class="search" action="{prefix}{outlet.search_path}" method="get"><input type="search" name="q" placeholder="{esc(ui["search"])}"><button>{esc(ui["search"])}</button></form>
</header>"""


def _cookie_banner(lang: str) -> str:
    ui = TEXTS[lang].UI
    return (f'<div id="cookie-consent" class="cookie-banner" role="dialog"><p>{esc(ui["cookie"])}</p>'
            f'<button type="button" class="accept">{esc(ui["accept"])}</button> '
            f'<a href="/privacy">{esc(ui["cookie_settings"])}</a></div>')


def _footer(outlet: Outlet, lang: str) -> str:
    ui = TEXTS[lang].UI
    prefix = f"/{lang}" if outlet.multi else ""
    links = "".join(f'<li><a href="{prefix}/{p}">{esc(ui[p])}</a></li>'
                    for p in ("about", "contact", "advertise", "privacy", "terms", "careers"))
    feed = outlet.feed_url_path(lang)
    if feed:
        links += f'<li><a href="{feed}">{esc(ui["rss"])}</a></li>'
    return f"""<footer class="site-footer">
<div class="newsletter"><p>{esc(ui["newsletter"])}</p><form action="{prefix}/subscribe" method="post"><input type="email" name="email" placeholder="{esc(ui["email"])}"><button>{esc(ui["subscribe"])}</button></form></div>
<nav class="footer-nav"><ul>{links}</ul></nav>
<p class="copyright">© 2025 {esc(outlet.site_name)}. {esc(ui["rights"])}</p>
</footer>
<script src="/static/js/app.js" defer></script>"""


def _head(title: str, lang: str, outlet: Outlet, extra: str, charset: str = '<meta charset="utf-8">') -> str:
    feed = outlet.feed_url_path(lang)
    alternate = ""
    if feed:
        kind = "application/rss+xml" if outlet.feed_kind == "rss" else "application/atom+xml"
        alternate = f'<link rel="alternate" type="{kind}" title="{esc(outlet.site_name)}" href="{feed}">'
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
{charset}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
{extra}
<link rel="stylesheet" href="/static/css/main.css">
{alternate}
<script>window.dataLayer = window.dataLayer || []; window.dataLayer.push({{"site": "{outlet.id}"}});</script>
</head>"""


def _teaser(art: Article, href: str, lang: str) -> str:
    fmt = TEXTS[lang].format_date
    return (f'<article class="teaser"><h3><a href="{href}">{esc(art.title)}</a></h3>'
            f'<time datetime="{iso(art.published)}">{esc(fmt(art.published))}</time>'
            f'<p>{esc(excerpt(art))}</p></article>')


def _comments(web: SampleWeb, art: Article) -> str:
    mod = TEXTS[art.language]
    ui = mod.UI
    rng = random.Random(f"{web.seed}:comments:{art.uid}")  # same comments on every request
    items = []
    when = art.published
    for _ in range(rng.randint(0, 4)):
        when += timedelta(minutes=rng.randint(5, 600))
        items.append(f'<div class="comment"><strong class="comment-author">{esc(rng.choice(mod.COMMENTERS))}</strong> '
                     f'<span class="comment-date">{esc(mod.format_date(when))}</span>'
                     f'<p>{esc(rng.choice(mod.COMMENTS))}</p></div>')
    return f"""<section id="comments" class="comments"><h2>{esc(ui["comments"])} ({len(items)})</h2>
{"".join(items)}
<form class="comment-form" action="/comments" method="post"><h3>{esc(ui["leave_comment"])}</h3><input name="name" placeholder="{esc(ui["name"])}"><textarea name="body"></textarea><button>{esc(ui["post"])}</button></form>
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


def json_ld(art: Article, outlet: Outlet, base: str, section: str) -> str:
    data = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": art.title,
        "datePublished": iso(art.published), "dateModified": iso(art.modified), "inLanguage": art.language,
        "mainEntityOfPage": {"@type": "WebPage", "@id": article_url(base, art)},
        "image": [f"{base}/static/img/{art.num}.jpg"], "articleSection": section,
        "author": ({"@type": "Person", "name": art.author} if art.author
                   else {"@type": "Organization", "name": outlet.site_name}),
        "publisher": {"@type": "Organization", "name": outlet.site_name,
                      "logo": {"@type": "ImageObject", "url": f"{base}/static/img/logo.png"}},
    }
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def _article_meta(art: Article, outlet, base: str, section: str, canonical: str) -> list[str]:
    """The head's description, canonical, Open Graph, author and date markup of an article page."""
    amp = amp_url(base, art)
    meta = [f'<meta name="description" content="{esc(excerpt(art, 160))}">',
            f'<link rel="canonical" href="{canonical_href(base, art)}">',
            '<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{esc(art.title)}">',
            f'<meta property="og:url" content="{canonical}">',
            f'<meta property="og:site_name" content="{esc(outlet.site_name)}">',
            f'<meta property="og:image" content="{base}/static/img/{art.num}.jpg">',
            f'<meta property="article:section" content="{esc(section)}">']
    if amp:
        meta.append(f'<link rel="amphtml" href="{amp}">')
    if art.date_markup in ("both", "og"):
        meta.append(f'<meta property="article:published_time" content="{iso(art.published)}">')
        meta.append(f'<meta property="article:modified_time" content="{iso(art.modified)}">')
    if art.author:
        meta.append(f'<meta name="author" content="{esc(art.author)}">')
    if art.date_markup in ("both", "jsonld"):
        meta.append(json_ld(art, outlet, base, section))
    return meta


def _byline(art: Article, mod) -> str:
    """Author link, publication time and update note."""
    ui = mod.UI
    # Pages with both og and JSON-LD sometimes show the date as plain text only.
    stamp = "" if art.date_markup == "both" and art.uid % 3 == 0 else f' datetime="{iso(art.published)}"'
    byline = ""
    if art.author:
        byline = (f'<span class="author">{esc(ui["by"])} <a href="/author/{slugify(art.author)}" rel="author">'
                  f'{esc(art.author)}</a></span> ')
    byline += f'<time class="published"{stamp}>{esc(mod.format_date(art.published))}</time>'
    if art.modified != art.published:
        byline += f' <span class="updated">{esc(ui["updated"])}: {esc(mod.format_date(art.modified))}</span>'
    return byline


def article_page(web: SampleWeb, art: Article, base: str) -> str:
    """A full article page with realistic boilerplate around the text."""
    outlet = BY_ID[art.outlet]
    mod = TEXTS[art.language]
    ui, section = mod.UI, mod.SECTIONS[art.category]
    canonical = article_url(base, art)
    meta = _article_meta(art, outlet, base, section, canonical)
    head = _head(f"{art.title} | {outlet.site_name}", art.language, outlet, "\n".join(meta), _charset_meta(art))

    byline = _byline(art, mod)
    paragraphs = [" ".join(p) for p in art.paragraphs]
    body = []
    for i, text in enumerate(paragraphs):
        body.append(f"<p>{esc(text)}</p>")
        if i == 1:
            body.append('<div class="ad-slot" data-slot="in-article"></div>')
    related = "".join(f'<li><a href="{article_url(base, r)}">{esc(r.title)}</a></li>' for r in web.related(art, 5))
    rng = random.Random(f"{web.seed}:mostread:{art.uid}")
    pool = [a for a in web.section_articles(art.outlet, art.language, art.category) if a.normal and a.uid != art.uid]
    most_read = "".join(f'<li><a href="{article_url(base, r)}">{esc(r.title)}</a></li>'
                        for r in rng.sample(pool, min(5, len(pool))))
    share = "".join(f'<a class="share-{name.lower()}" href="https://social.example/share?network={name.lower()}&amp;u={esc(canonical)}">{name}</a> '
                    for name in ("Facebook", "X", "Telegram", "WhatsApp"))
    return f"""{head}
<body class="article-page">
{_cookie_banner(art.language)}
{_nav(outlet, art.language, base)}
<main class="content">
<nav class="breadcrumb"><a href="{outlet.home_path(art.language)}">{esc(ui["home"])}</a> › <a href="{outlet.section_path(art.language, art.category)}">{esc(section)}</a></nav>
<article class="article">
<h1 class="headline">{esc(art.title)}</h1>
<div class="byline">{byline}</div>
<figure class="lead-image"><img src="/static/img/{art.num}.jpg" alt="" width="960" height="540"><figcaption>{esc(ui["photo"])}: {esc(outlet.site_name)}</figcaption></figure>
<div class="article-body">
{chr(10).join(body)}
</div>
<div class="share">{esc(ui["share"])}: {share}</div>
</article>
<aside class="related"><h2>{esc(ui["related"])}</h2><ul>{related}</ul></aside>
{_comments(web, art)}
</main>
<aside class="sidebar"><h2>{esc(ui["most_read"])}</h2><ol>{most_read}</ol><div class="ad-slot" data-slot="sidebar"></div></aside>
{_footer(outlet, art.language)}
</body>
</html>
"""


def truncated(page: str, art: Article) -> str:
    """The page cut off in the middle of the article text, as a dropped connection leaves it."""
    marker = " ".join(art.paragraphs[1]) if len(art.paragraphs) > 1 else art.lead
    start = page.index(esc(marker))
    return page[:start + len(esc(marker)) // 2]


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
        links.append(f'<a rel="prev" href="{prev}">{esc(ui["prev"])}</a>')
        rels.append(f'<link rel="prev" href="{base}{prev}">')
    links += [f'<a href="{path if n == 1 else f"{path}?page={n}"}"{" aria-current=page" if n == page else ""}>{n}</a>'
              for n in range(1, pages + 1)]
    if page < pages:
        links.append(f'<a rel="next" class="next" href="{path}?page={page + 1}">{esc(ui["next"])}</a>')
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
<h1>{esc(title)}</h1>
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
                      f'{esc(labels[category])}</a></h2>\n{teasers}</section>')
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
    links = "".join(f'<li><a href="/{code}/" hreflang="{code}">{esc(outlet.site_name)} {code.upper()}</a></li>'
                    for code in outlet.languages)
    alternates = "".join(f'<link rel="alternate" hreflang="{code}" href="{base}/{code}/">' for code in outlet.languages)
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{esc(outlet.site_name)}</title>{alternates}</head>
<body><h1>{esc(outlet.site_name)}</h1><ul class="editions">{links}</ul></body>
</html>
"""


def simple_page(outlet: Outlet, lang: str, base: str, title_key: str, text_key: str) -> str:
    """Static pages, 404 and 500 pages: furniture around a short text."""
    ui = TEXTS[lang].UI
    head = _head(f"{ui[title_key]} | {outlet.site_name}", lang, outlet, '<meta name="robots" content="noindex">')
    return f"""{head}
<body class="simple">
{_nav(outlet, lang, base)}
<main class="content"><h1>{esc(ui[title_key])}</h1><p>{esc(ui[text_key])}</p></main>
{_footer(outlet, lang)}
</body>
</html>
"""
