"""Routing: which response each outlet gives for a path, and the crawler's sources.toml.

Pure functions of the SampleWeb state; the HTTP server adds caching headers on top.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from sampleweb import amp, listings, pages
from sampleweb.articles import Article
from sampleweb.generator import SampleWeb
from sampleweb.outlets import BY_ID, CATEGORIES, OUTLETS, Outlet

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    last_modified: datetime | None = None  # also decides whether ETag/304 apply
    location: str | None = None


def _html(text: str, status: int = 200, last_modified: datetime | None = None) -> Response:
    return Response(status, HTML, text.encode("utf-8"), last_modified)


def _article_response(web: SampleWeb, art: Article, base: str) -> Response:
    if art.broken == "500":
        return _html(pages.simple_page(BY_ID[art.outlet], art.language, base, "error", "error_text"), 500)
    if art.broken == "404":
        return _html(pages.simple_page(BY_ID[art.outlet], art.language, base, "not_found", "not_found_text"), 404)
    page = pages.article_page(web, art, base)
    if art.broken == "truncated":
        page = pages.truncated(page, art)
    if art.encoding == "windows-1254":
        return Response(200, "text/html; charset=windows-1254", page.encode("cp1254"), art.modified)
    if art.encoding == "windows-1251":
        return Response(200, "text/html", page.encode("cp1251"), art.modified)
    return _html(page, 200, art.modified)


def _xml(text: str, content_type: str, last_modified: datetime | None) -> Response:
    return Response(200, content_type, text.encode("utf-8"), last_modified)


def resolve(web: SampleWeb, outlet: Outlet, base: str, target: str) -> Response:
    """The response of one outlet for a request target ('/path?query'); call under web.lock."""
    parts = urlsplit(target)
    path, query = parts.path or "/", parse_qs(parts.query)
    if path == "/robots.txt":
        return Response(200, "text/plain; charset=utf-8", listings.robots_txt(outlet, base).encode("utf-8"))
    for route in (_article_route, _feed_route, _sitemap_route, _front_route):
        response = route(web, outlet, base, path, query)
        if response is not None:
            return response
    return _static_route(outlet, base, path)


def _edition(outlet: Outlet, path: str) -> str:
    """The language of the edition a path belongs to."""
    if not outlet.multi:
        return outlet.languages[0]
    first = path.strip("/").split("/")[0]
    return first if first in outlet.languages else "en"


def _article_route(web: SampleWeb, outlet: Outlet, base: str, path: str, query: dict) -> Response | None:
    """Moved articles, redirect quirks, articles, their AMP copies and the redirect loop."""
    moved = web.redirects.get((outlet.id, path))
    if moved is not None:
        return Response(301, HTML, b"", location=base + moved)
    art = web.by_path.get((outlet.id, path))
    if art is not None and art.quirk == "slash_redirect":
        return Response(301, HTML, b"", location=f"{base}{path}/")
    if art is None and path.endswith("/"):
        art = web.by_path.get((outlet.id, path.rstrip("/")))
        art = art if art is not None and art.quirk == "slash_redirect" else None
    if art is not None and art.quirk == "tracking_redirect" and "utm_source" not in query:
        return Response(301, HTML, b"", location=f"{base}{path}?utm_source=newsletter&utm_medium=email")
    if art is not None:
        if outlet.amp_style == "query" and query.get("amp") == ["1"] and art.amp and art.normal:
            return _html(amp.amp_page(web, art, base), 200, art.modified)
        if art.broken == "redirect_loop":
            return Response(301, HTML, b"", location=f"{base}/go/{art.num}")
        return _article_response(web, art, base)
    if outlet.amp_style == "prefix" and path.startswith("/amp/"):
        art = web.by_path.get((outlet.id, path[4:]))
        if art is not None and art.amp and art.normal:
            return _html(amp.amp_page(web, art, base), 200, art.modified)
    loop = web.loop_paths.get((outlet.id, path))
    if loop is not None:
        return Response(302, HTML, b"", location=base + loop.path)
    return None


def _feed_route(web: SampleWeb, outlet: Outlet, base: str, path: str, query: dict) -> Response | None:
    for code in outlet.languages:
        if outlet.feed_kind and path == outlet.feed_url_path(code):
            items = web.feed_articles(outlet.id, code)
            newest = max(a.modified for a in items)
            if outlet.feed_kind == "rss":
                return _xml(listings.rss_feed(web, outlet, code, base), "application/rss+xml; charset=utf-8", newest)
            return _xml(listings.atom_feed(web, outlet, code, base), "application/atom+xml; charset=utf-8", newest)
    return None


def _sitemap_route(web: SampleWeb, outlet: Outlet, base: str, path: str, query: dict) -> Response | None:
    listed = web.sitemap_articles(outlet.id)
    if path == outlet.sitemap_index:
        newest = max(a.modified for a in listed)
        return _xml(listings.sitemap_index(web, outlet, base), XML, newest)
    if path == outlet.news_sitemap:
        news = listed[:pages.NEWS_SITEMAP_SIZE]
        return _xml(listings.news_sitemap(web, outlet, base), XML, max(a.modified for a in news))
    month = re.fullmatch(re.escape(outlet.month_sitemap).replace(r"\{y\}", r"(\d{4})")
                         .replace(r"\{m:02d\}", r"(\d{2})"), path)
    if month:
        y, m = int(month.group(1)), int(month.group(2))
        text = listings.month_sitemap(web, outlet, y, m, base)
        if text is not None:
            arts = listings.sitemap_months(web, outlet)[(y, m)]
            return _xml(text, XML, max(a.modified for a in arts))
    return None


def _front_route(web: SampleWeb, outlet: Outlet, base: str, path: str, query: dict) -> Response | None:
    """Section pages and front pages."""
    for code in outlet.languages:
        for category in CATEGORIES:
            if path == outlet.section_path(code, category):
                try:
                    page = int(query.get("page", ["1"])[0])
                except ValueError:
                    page = 0
                text = pages.section_page(web, outlet, code, category, page, base)
                if text is not None:
                    return _html(text)
    if outlet.multi and path == "/":
        return _html(pages.editions_page(outlet, base))
    lang = _edition(outlet, path)
    if path == outlet.home_path(lang):
        return _html(pages.home_page(web, outlet, lang, base))
    return None


def _static_route(outlet: Outlet, base: str, path: str) -> Response:
    """Static pages, author and search pages (boilerplate only), else 404."""
    lang = _edition(outlet, path)
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if last in pages.STATIC_PAGES or path.rstrip("/").endswith(outlet.search_path) or path.startswith("/author/"):
        return _html(pages.simple_page(outlet, lang, base, "about" if last not in pages.STATIC_PAGES else last,
                                       "static_text"))
    return _html(pages.simple_page(outlet, lang, base, "not_found", "not_found_text"), 404)


def sources_toml(web: SampleWeb, base_urls: dict[str, str]) -> str:
    """The crawler's sources file for the running sample web (keys as crawler.sources expects)."""
    def strings(values: list[str]) -> str:
        return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"

    blocks = ["# Sources of the sample news web (generated by sampleweb; loopback only).\n"]
    for outlet in OUTLETS:
        base = base_urls[outlet.id].rstrip("/")
        feeds = [base + outlet.feed_url_path(code) for code in outlet.languages] if outlet.feed_kind else []
        sitemaps = [base + outlet.sitemap_index] if outlet.list_sitemaps else []
        sections = [base + outlet.section_path(code, c) for code in outlet.languages for c in CATEGORIES]
        # literal strings keep the regex backslashes as they are
        patterns = f"['{outlet.article_pattern}']"
        blocks.append(f"""[[source]]
id = "{outlet.id}"
name = {json.dumps(outlet.name, ensure_ascii=False)}
country = "{outlet.country}"
languages = {strings(list(outlet.languages))}
base_url = "{base}/"
feeds = {strings(feeds)}
sitemaps = {strings(sitemaps)}
sections = {strings(sections)}
article_patterns = {patterns}
max_section_pages = 20
crawl_interval = "1h"
""")
    return "\n".join(blocks)
