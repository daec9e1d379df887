"""Discovery parsing: feeds, sitemaps and robots.txt into candidate article URLs (pure)."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timezone

import feedparser
from lxml import etree

from crawler.stages.dates import to_utc
from crawler.urls import canonical


@dataclass(frozen=True)
class Candidate:
    url: str  # canonicalised
    title: str = ""
    published_at: datetime | None = None
    changed_at: datetime | None = None  # feed <updated> or sitemap <lastmod>
    via: str = ""  # feed | sitemap | section


class DiscoveryError(ValueError):
    """A feed or sitemap that could not be read at all."""


def _struct_to_utc(value) -> datetime | None:
    return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc) if value else None


def parse_feed(body: bytes, base_url: str) -> list[Candidate]:
    """Items of an RSS or Atom feed; items without a guid are keyed by their link."""
    # Real feeds often start with whitespace before the XML declaration, which strict
    # parsers reject; feedparser copes once it is stripped.
    parsed = feedparser.parse(body.lstrip(), response_headers={"content-location": base_url})
    if not parsed.entries and parsed.get("bozo"):
        raise DiscoveryError(f"not a feed: {parsed.get('bozo_exception')}")
    seen: set[str] = set()
    out = []
    for entry in parsed.entries:
        link = entry.get("link") or (entry.get("id") if str(entry.get("id", "")).startswith("http") else "")
        if not link:
            continue
        url = canonical(link, base=base_url)
        if url in seen:  # repeated items, or a guid reused for several links
            continue
        seen.add(url)
        published = _struct_to_utc(dict.get(entry, "published_parsed"))
        # dict.get skips feedparser's deprecated updated→published fallback
        updated = _struct_to_utc(dict.get(entry, "updated_parsed"))
        out.append(Candidate(url, entry.get("title", "").strip(), published or updated, updated, "feed"))
    return out


_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, recover=True)


def parse_sitemap(body: bytes, base_url: str) -> tuple[str, list[Candidate]]:
    """('index', child sitemaps) or ('urlset', article candidates with lastmod and news dates)."""
    try:
        root = etree.fromstring(body.lstrip(), parser=_SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"not a sitemap: {exc}") from None
    if root is None:
        raise DiscoveryError("not a sitemap: empty document")
    kind = "index" if etree.QName(root).localname == "sitemapindex" else "urlset"
    out = []
    for entry in root:
        if not isinstance(entry.tag, str):
            continue
        fields = {}
        for child in entry.iter():
            if isinstance(child.tag, str) and child.text:
                fields[etree.QName(child).localname] = child.text.strip()
        loc = fields.get("loc")
        if not loc:
            continue
        lastmod = to_utc(fields.get("lastmod"))
        published = to_utc(fields.get("publication_date"))
        out.append(Candidate(
            canonical(loc, base=base_url), fields.get("title", ""),
            published[0] if published else None, lastmod[0] if lastmod else None, "sitemap",
        ))
    return kind, out


def robots_sitemaps(text: str, base_url: str) -> list[str]:
    """Sitemap: lines of a robots.txt."""
    return [canonical(m.group(1), base=base_url) for m in re.finditer(r"(?im)^\s*sitemap:\s*(\S+)", text)]
