"""Publication dates with provenance: gather every candidate, pick one by a fixed rule.

The rule: the first candidate in PRIORITY order wins, because structured, machine-written
dates (JSON-LD, article meta tags) carry time and zone, while feeds and sitemaps are often
rewritten on republication and URL or page-text dates carry only a day. Candidates that
disagree with the winner by more than a day, or a winner in the future, raise a flag.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser
from lxml import html as lxml_html

PRIORITY = ("jsonld", "meta", "feed", "sitemap", "time", "url", "page")

# Where an outlet states a time without a zone, it means its own local time.
COUNTRY_ZONES = {"TR": "Europe/Istanbul", "AZ": "Asia/Baku", "RU": "Europe/Moscow", "GE": "Asia/Tbilisi"}

_META_PUBLISHED = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "dc.date.issued", "dc.date", "date", "parsely-pub-date", "sailthru.date", "publish-date",
)
_META_MODIFIED = ("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified")
_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")


@dataclass(frozen=True)
class DateCandidate:
    value: datetime  # aware, UTC
    source: str  # one of PRIORITY
    precise: bool = True  # False when only a day is known


@dataclass(frozen=True)
class ChosenDate:
    published_at: datetime | None
    modified_at: datetime | None
    source: str
    flags: tuple[str, ...]
    candidates: tuple[DateCandidate, ...]


def to_utc(value: str | datetime | None, zone: str | None = None) -> tuple[datetime, bool] | None:
    """Parse a date string into aware UTC; naive times are read in `zone` (an IANA name)."""
    if value is None or value == "":
        return None
    try:
        dt = value if isinstance(value, datetime) else dateparser.isoparse(value.strip())
    except (ValueError, OverflowError):
        try:
            dt = dateparser.parse(str(value).strip())
        except (ValueError, OverflowError, TypeError):
            return None
    text = value if isinstance(value, str) else ""
    precise = not (text and len(text.strip()) <= 10)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=ZoneInfo(zone) if zone else timezone.utc)
    return dt.astimezone(timezone.utc), precise


def _jsonld_dates(tree) -> tuple[list[str], list[str]]:
    published, modified = [], []

    def walk(node):
        if isinstance(node, dict):
            if "datePublished" in node:
                published.append(str(node["datePublished"]))
            if "dateModified" in node:
                modified.append(str(node["dateModified"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            walk(json.loads(script))
        except ValueError:
            continue  # broken JSON-LD is common; other candidates remain
    return published, modified


def _meta_dates(tree, names: tuple[str, ...]) -> list[str]:
    out = []
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in names:
            out.append(meta.get("content"))
    for node in tree.xpath('//*[@itemprop="datePublished"][@datetime]') if "datepublished" in names else []:
        out.append(node.get("datetime"))
    return out


def page_candidates(html: str, url: str, zone: str | None = None) -> tuple[list[DateCandidate], list[DateCandidate]]:
    """Published and modified candidates found in the page itself and its URL."""
    published: list[DateCandidate] = []
    modified: list[DateCandidate] = []
    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        tree = None

    def add(target, values, source):
        for value in values:
            parsed = to_utc(value, zone)
            if parsed:
                target.append(DateCandidate(parsed[0], source, parsed[1]))

    if tree is not None:
        ld_pub, ld_mod = _jsonld_dates(tree)
        add(published, ld_pub, "jsonld")
        add(modified, ld_mod, "jsonld")
        add(published, _meta_dates(tree, _META_PUBLISHED), "meta")
        add(modified, _meta_dates(tree, _META_MODIFIED), "meta")
        add(published, tree.xpath("//article//time/@datetime")[:1], "time")
    match = _URL_DATE.search(url)
    if match:
        try:
            day = datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=timezone.utc)
            published.append(DateCandidate(day, "url", precise=False))
        except ValueError:
            pass
    return published, modified


def htmldate_candidate(html: str, url: str) -> DateCandidate | None:
    """htmldate's reading of the page, used only when nothing structured was found."""
    from htmldate import find_date

    try:
        found = find_date(html, url=url, original_date=True, extensive_search=True)
    except Exception:  # htmldate raises assorted errors on hostile markup
        return None
    parsed = to_utc(found) if found else None
    return DateCandidate(parsed[0], "page", precise=False) if parsed else None


def choose(published: list[DateCandidate], modified: list[DateCandidate], now: datetime | None = None) -> ChosenDate:
    """Pick the publication date by PRIORITY and flag disagreement and future dates."""
    now = now or datetime.now(timezone.utc)
    ranked = sorted(published, key=lambda c: (PRIORITY.index(c.source), not c.precise))
    winner = ranked[0] if ranked else None
    flags = []
    if winner:
        for other in ranked[1:]:
            # a day-only candidate is compared by calendar day in any zone within ±14 h
            slack = timedelta(days=1, hours=0 if other.precise else 14)
            if abs(other.value - winner.value) > slack:
                flags.append("disagree")
                break
        if winner.value > now + timedelta(hours=1):
            flags.append("future")
    mod = max((c.value for c in modified), default=None)
    return ChosenDate(
        winner.value if winner else None, mod, winner.source if winner else "", tuple(flags), tuple(ranked)
    )
