"""Publication dates with provenance: gather every candidate, pick one by a fixed rule.

The rule: the first candidate in PRIORITY order wins, because structured, machine-written
dates (JSON-LD, article meta tags) carry time and zone, while feeds and sitemaps are often
rewritten on republication and URL or page-text dates carry only a day. Candidates that
disagree with the winner by more than a day, or a winner in the future, raise a flag.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser
from lxml import html as lxml_html

from crawler.stages import jsonld

PRIORITY = ("jsonld", "meta", "feed", "sitemap", "time", "byline", "url", "page")

# Where an outlet states a time without a zone, it means its own local time.
COUNTRY_ZONES = {"TR": "Europe/Istanbul", "AZ": "Asia/Baku", "RU": "Europe/Moscow", "GE": "Asia/Tbilisi"}

_META_PUBLISHED = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "dc.date.issued", "dc.date", "date", "parsely-pub-date", "sailthru.date", "publish-date",
)
_META_MODIFIED = ("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified")
_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")

# Month names as outlets of the beat print them (en, tr, az, ru; full and short forms).
MONTHS = {
    1: "jan january ocak yanvar январь января янв", 2: "feb february şubat fevral февраль февраля фев",
    3: "mar march mart март марта", 4: "apr april nisan aprel апрель апреля апр",
    5: "may mayıs май мая", 6: "jun june haziran iyun июнь июня",
    7: "jul july temmuz iyul июль июля", 8: "aug august ağustos avqust август августа авг",
    9: "sep sept september eylül sentyabr сентябрь сентября сен",
    10: "oct october ekim oktyabr октябрь октября окт", 11: "nov november kasım noyabr ноябрь ноября ноя",
    12: "dec december aralık dekabr декабрь декабря дек",
}
_MONTH_OF = {name: number for number, names in MONTHS.items() for name in names.split()}
_NAMED = "|".join(sorted(_MONTH_OF, key=len, reverse=True))
_TIME = r"(?:[,\s]+(\d{1,2}):(\d{2}))?"
# "13 Oct 2020 18:29", "05.04.2025 14:10", "2025-04-05", "October 13, 2020"
_BYLINE_DATES = [
    (re.compile(rf"\b(\d{{1,2}})\s+({_NAMED})\.?,?\s+(\d{{4}}){_TIME}", re.I), ("d", "m", "y")),
    (re.compile(rf"\b({_NAMED})\.?\s+(\d{{1,2}}),?\s+(\d{{4}}){_TIME}", re.I), ("m", "d", "y")),
    (re.compile(rf"\b(\d{{1,2}})[./](\d{{1,2}})[./](\d{{4}}){_TIME}"), ("d", "m", "y")),
    (re.compile(rf"\b(\d{{4}})-(\d{{2}})-(\d{{2}}){_TIME}"), ("y", "m", "d")),
]
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class DateCandidate:
    value: datetime  # aware, UTC
    source: str  # one of PRIORITY
    precise: bool = True  # False when only a day is known


EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class DateOptions:
    """The date stage's knobs: which kind of date wins, and what is plausible."""

    priority: tuple[str, ...] = PRIORITY  # the first candidate in this order wins (every kind in PRIORITY)
    earliest: datetime = EARLIEST  # a publication date before this is implausible: never chosen

    def __post_init__(self):
        object.__setattr__(self, "priority", tuple(self.priority))  # from a JSON list too
        if isinstance(self.earliest, str):  # an ISO date, from JSON
            parsed = to_utc(self.earliest)
            if parsed is None:
                raise ValueError(f"dates earliest {self.earliest!r} is not a date")
            object.__setattr__(self, "earliest", parsed[0])
        if sorted(self.priority) != sorted(PRIORITY):
            raise ValueError(f"dates priority orders all of {list(PRIORITY)}")


DEFAULT_DATES = DateOptions()


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
    try:
        return dt.astimezone(timezone.utc), precise
    except (OverflowError, ValueError):  # year 1 or 9999 shifted past the calendar's ends
        return None


def given_date(value: str, zone: str | None = None, now: datetime | None = None,
               options: DateOptions = DEFAULT_DATES) -> ChosenDate | None:
    """A publication date stated outside any page (an imported record): ISO 8601 or RFC 2822, read
    in `zone` when it has none; None when it is neither. Flagged as `choose` flags: an implausible
    date is kept out of `published_at`, a future one is marked."""
    try:
        parsed = dateparser.isoparse(value.strip())
    except (ValueError, OverflowError):
        try:
            parsed = parsedate_to_datetime(value.strip())
        except (ValueError, TypeError, IndexError):
            return None
    found = to_utc(parsed, zone)
    if found is None:
        return None
    candidate = DateCandidate(found[0], "page", precise=len(value.strip()) > 10)
    chosen = choose([candidate], [], now, options)
    return ChosenDate(chosen.published_at, None, "given" if chosen.published_at else "", chosen.flags, (candidate,))


def _jsonld_dates(tree) -> tuple[list[str], list[str]]:
    found = list(jsonld.nodes(tree))
    published = [str(n["datePublished"]) for n in found if "datePublished" in n]
    modified = [str(n["dateModified"]) for n in found if "dateModified" in n]
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


_H1 = re.compile(r"<h1[^>]*>(.*?)</h1\s*>", re.I | re.S)


def byline_candidate(html: str, zone: str | None = None, title: str = "") -> DateCandidate | None:
    """The first date printed after the headline's <h1>: where news pages put the byline."""
    headings = list(_H1.finditer(html))
    if not headings:
        return None
    # pages often have a logo <h1> too: take the one that holds the headline
    wanted = " ".join(title.split())
    heading = next((h for h in headings if wanted and wanted in " ".join(_TAGS.sub(" ", h.group(1)).split())),
                   headings[0])
    text = _TAGS.sub(" ", html[heading.end():heading.end() + 3000])
    found = []
    for pattern, order in _BYLINE_DATES:
        match = pattern.search(text)
        if match:
            found.append((match.start(), match, order))
    for _, match, order in sorted(found, key=lambda f: f[0]):
        parts = dict(zip(order, match.groups()[:3]))
        month = parts["m"]
        month = _MONTH_OF.get(month.lower().rstrip("."), None) if not month.isdigit() else int(month)
        hour, minute = match.group(4), match.group(5)
        try:
            local = datetime(int(parts["y"]), month, int(parts["d"]), int(hour or 0), int(minute or 0))
        except (TypeError, ValueError):
            continue
        return DateCandidate(to_utc(local, zone)[0], "byline", precise=hour is not None)
    return None


def page_candidates(html: str, url: str, zone: str | None = None, title: str = "",
                    tree=None) -> tuple[list[DateCandidate], list[DateCandidate]]:
    """Published and modified candidates found in the page (parsed `tree` if at hand) and its URL."""
    published: list[DateCandidate] = []
    modified: list[DateCandidate] = []
    if tree is None:
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
    byline = byline_candidate(html, zone, title)
    if byline:
        published.append(byline)
    match = _URL_DATE.search(url)
    if match:
        try:
            day = datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=timezone.utc)
            published.append(DateCandidate(day, "url", precise=False))
        except ValueError:
            pass
    return published, modified


def htmldate_candidate(html, url: str) -> DateCandidate | None:
    """htmldate's reading of the page (its HTML or parsed tree), used only when nothing structured was found."""
    from htmldate import find_date

    try:
        found = find_date(html, url=url, original_date=True, extensive_search=True)
    except Exception:  # htmldate raises assorted errors on hostile markup
        return None
    parsed = to_utc(found) if found else None
    return DateCandidate(parsed[0], "page", precise=False) if parsed else None


def plausible(value: datetime, now: datetime, earliest: datetime = EARLIEST) -> bool:
    """A publication date a news page can really have: from 1990 (`earliest`) to a day from now."""
    return earliest <= value <= now + timedelta(days=1)


def choose(published: list[DateCandidate], modified: list[DateCandidate], now: datetime | None = None,
           options: DateOptions = DEFAULT_DATES) -> ChosenDate:
    """Pick the publication date by PRIORITY and flag disagreement, future and implausible dates.

    A candidate before 1990 or more than a day ahead is kept as a candidate but never chosen
    (flagged "implausible"): nothing a page says can break a search or the histogram.
    """
    now = now or datetime.now(timezone.utc)
    ordered = sorted(published, key=lambda c: (options.priority.index(c.source), not c.precise))
    ranked = [c for c in ordered if plausible(c.value, now, options.earliest)]
    winner = ranked[0] if ranked else None
    flags = ["implausible"] if len(ranked) < len(ordered) else []
    if winner:
        for other in ranked[1:]:
            # a day-only candidate is compared by calendar day in any zone within ±14 h
            slack = timedelta(days=1, hours=0 if other.precise else 14)
            if abs(other.value - winner.value) > slack:
                flags.append("disagree")
                break
        if winner.value > now + timedelta(hours=1):
            flags.append("future")
    mod = max((c.value for c in modified if plausible(c.value, now, options.earliest)), default=None)
    return ChosenDate(
        winner.value if winner else None, mod, winner.source if winner else "", tuple(flags), tuple(ordered)
    )
