"""Extraction stage: HTML in, article fields out (trafilatura for text, dates.py for dates)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import trafilatura
from lxml import html as lxml_html
from w3lib.encoding import html_to_unicode

from crawler import dates
from crawler.urls import canonical

# Below this many characters of body text a page is navigation or an error page, not an article.
MIN_BODY_CHARS = 200


class ExtractionError(ValueError):
    """A page that yields no article, with the reason."""


@dataclass
class Extracted:
    url: str
    canonical_url: str
    title: str
    body: str
    authors: list[str] = field(default_factory=list)
    sitename: str = ""
    tags: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    modified_at: datetime | None = None
    date_source: str = ""
    date_flags: list[str] = field(default_factory=list)
    html_lang: str = ""


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode page bytes by HTTP header, BOM, meta tag, then detection; returns (encoding, text)."""
    encoding, text = html_to_unicode(content_type, body)
    return encoding, text


def canonical_link(html: str, url: str) -> str:
    """The page's rel=canonical target (canonicalised), or the URL itself."""
    match = re.search(r"<link[^>]+rel=[\"']?canonical[\"']?[^>]*>", html[:200_000], re.I)
    if match:
        href = re.search(r"href=[\"']([^\"']+)[\"']", match.group(0), re.I)
        if href and href.group(1).strip():
            return canonical(href.group(1), base=url)
    return canonical(url)


def is_truncated(html: str) -> bool:
    """True when the document stops before its closing </html> (a cut-off transfer)."""
    return "</html>" not in html[-2000:].lower()


def _html_lang(html: str) -> str:
    match = re.search(r"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", html[:5000])
    return match.group(1).lower() if match else ""


def _split_authors(author: str | None) -> list[str]:
    if not author:
        return []
    return [a.strip() for a in re.split(r";|\s+and\s+|,\s*(?=[A-ZА-ЯƏÇĞİÖŞÜ])", author) if a.strip()]


def extract_article(
    html: str,
    url: str,
    zone: str | None = None,
    external_dates: list[dates.DateCandidate] | None = None,
) -> Extracted:
    """Extract title, body, authors and dates from one article page.

    `external_dates` are candidates seen outside the page (feed pubDate, news sitemap);
    `zone` is the outlet's time zone for times written without one.
    """
    if not html or not html.strip():
        raise ExtractionError("empty page")
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=True, deduplicate=True,
        )
    except (ValueError, lxml_html.etree.LxmlError) as exc:
        raise ExtractionError(f"trafilatura failed: {exc}") from exc
    if doc is None or not (doc.text or "").strip():
        raise ExtractionError("no article text found")
    body = doc.text.strip()
    if len(body) < MIN_BODY_CHARS:
        raise ExtractionError(f"body too short ({len(body)} chars)")
    published, modified = dates.page_candidates(html, url, zone)
    published += external_dates or []
    if not published:
        fallback = dates.htmldate_candidate(html, url)
        if fallback:
            published.append(fallback)
    chosen = dates.choose(published, modified)
    return Extracted(
        url=canonical(url),
        canonical_url=canonical_link(html, url),
        title=(doc.title or "").strip(),
        body=body,
        authors=_split_authors(doc.author),
        sitename=doc.sitename or "",
        tags=[t.strip() for tag in (doc.tags or []) for t in tag.split(",") if t.strip()],
        published_at=chosen.published_at,
        modified_at=chosen.modified_at,
        date_source=chosen.source,
        date_flags=list(chosen.flags),
        html_lang=_html_lang(html),
    )
