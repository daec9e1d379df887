"""Outlet descriptions: read sources.toml into Source records."""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from croniter import croniter

from pydantic import ConfigDict, TypeAdapter, ValidationError, with_config

DEFAULT_SOURCES = Path(__file__).with_name("sources.toml")

_INTERVAL = re.compile(r"^(\d+)\s*([smhd])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# How far an endpoint has been seen to work (see ../shared/realdata/outlets.md):
# LIVE-OK someone fetched it and got items; LIVE-FAIL someone saw it fail; CODE it appears in
# a crawler's config only; GUESS a platform analogy or a generic path.
TRUST_LEVELS = ("LIVE-OK", "LIVE-FAIL", "CODE", "GUESS")
_EVIDENCE = re.compile(rf"^({'|'.join(TRUST_LEVELS)})\b")
# the languages the stages know (stemmers, detection, the gazetteer)
LANGUAGES = ("en", "tr", "az", "ru")


def duration_seconds(text: str) -> int | None:
    """Seconds of a duration like '30m', '2h', '1d' or '45s'; None when `text` is no duration."""
    match = _INTERVAL.match(text.strip())
    return int(match.group(1)) * _SECONDS[match.group(2)] if match else None


class SourcesError(ValueError):
    """A sources file that cannot be used, with the reason."""


# Loading validates every key's type (no "tr" read as the list t, r) and refuses unknown keys.
@with_config(ConfigDict(extra="forbid"))
@dataclass
class Source:
    id: str
    name: str
    country: str
    languages: list[str]
    base_url: str
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    # regexes searched in the URL path (plus query): only matching URLs are articles
    article_patterns: list[str] = field(default_factory=list)
    # how many pages of each paginated section to walk ("?page=N" links are followed up to this)
    max_section_pages: int = 5
    # child sitemaps of a sitemap index followed per crawl, newest first (archives can hold thousands)
    max_sitemaps: int = 50
    # read robots.txt for Sitemap: lines as well as for rules
    robots_sitemaps: bool = True
    crawl_interval: str = "1h"  # a duration ("30m", "2h") or a cron expression ("*/20 6-23 * * *")
    # adaptive: polled more often while it yields news, less when it does not, within these bounds
    adaptive: bool = False
    min_interval: str = "10m"
    max_interval: str = "24h"
    user_agent: str | None = None
    allowed_domains: list[str] = field(default_factory=list)
    # Private-network hosts (10/8, 172.16/12, 192.168/16) may be fetched: an intranet outlet.
    # Link-local and cloud-metadata addresses never are; loopback only in a --loopback run.
    allow_private: bool = False
    # Limits one hostile page cannot get past (each hit is counted as its own outcome):
    max_page_bytes: int = 5_000_000  # pages and feeds, decompressed size as it streams
    max_sitemap_bytes: int = 50_000_000  # sitemaps (the protocol's own limit)
    max_html_chars: int = 2_000_000  # HTML handed to extraction; the rest is cut off
    extraction_seconds: float = 20.0  # per page; then error:extraction_timeout
    notes: str = ""
    # Endpoints with weaker evidence: asked in order only when a configured feed or sitemap
    # fails during a crawl, and probed by `newsmon sources check`.
    fallback_feeds: list[str] = field(default_factory=list)
    fallback_sitemaps: list[str] = field(default_factory=list)
    # endpoint URL -> how it was verified: "LEVEL observed-date [evidence key] note"
    evidence: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.allowed_domains:
            host = urlparse(self.base_url).hostname
            self.allowed_domains = [host] if host else []
        for url, note in self.evidence.items():
            if not isinstance(note, str) or not _EVIDENCE.match(note):
                raise SourcesError(f"evidence for {url} must start with one of {', '.join(TRUST_LEVELS)}")
        odd = [code for code in self.languages if code not in LANGUAGES]
        if not self.languages or odd:
            raise SourcesError(f"languages {self.languages!r}: use some of {', '.join(LANGUAGES)}")
        for key in ("base_url", "feeds", "sitemaps", "sections", "fallback_feeds", "fallback_sitemaps"):
            values = getattr(self, key)
            for url in [values] if isinstance(values, str) else values:
                parts = urlparse(url)
                if parts.scheme not in ("http", "https") or not parts.hostname:
                    raise SourcesError(f"{key}: {url!r} is not an http(s) URL")
        if self.interval_seconds is None and not croniter.is_valid(self.crawl_interval):
            raise SourcesError(f"crawl_interval {self.crawl_interval!r} is neither a duration like '30m', '2h' or "
                               "'1d' nor a cron expression like '*/20 6-23 * * *'")
        if self.interval_seconds == 0:
            raise SourcesError(f"crawl_interval {self.crawl_interval!r} must be longer than nothing")
        for key in ("min_interval", "max_interval"):
            if duration_seconds(getattr(self, key)) is None:
                raise SourcesError(f"{key} {getattr(self, key)!r} is not like '10m', '2h' or '1d'")
        self._patterns = []
        for pattern in self.article_patterns:
            try:
                self._patterns.append(re.compile(pattern))
            except re.error as exc:
                raise SourcesError(f"bad article pattern {pattern!r}: {exc}") from None

    @property
    def interval_seconds(self) -> int | None:
        """Seconds of a duration interval; None for a cron expression."""
        return duration_seconds(self.crawl_interval)

    def endpoints(self) -> list[tuple[str, str, bool]]:
        """(kind, url, is_fallback) for every feed, sitemap and section, primaries first."""
        return ([("feed", u, False) for u in self.feeds] + [("sitemap", u, False) for u in self.sitemaps]
                + [("section", u, False) for u in self.sections]
                + [("feed", u, True) for u in self.fallback_feeds]
                + [("sitemap", u, True) for u in self.fallback_sitemaps])

    def hosts(self) -> set[str]:
        """Hosts this source may be fetched from: its domains and every configured endpoint's host."""
        urls = [self.base_url, *self.feeds, *self.sitemaps, *self.sections, *self.fallback_feeds,
                *self.fallback_sitemaps]
        return {h for h in (urlparse(u).hostname for u in urls) if h} | set(self.allowed_domains)

    def is_article_url(self, url: str) -> bool:
        """True when the URL belongs to this outlet and matches an article pattern."""
        parts = urlparse(url)
        if parts.hostname not in self.allowed_domains:
            return False
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        return any(p.search(target) for p in self._patterns) if self._patterns else True


_SOURCE = TypeAdapter(Source)


def load_sources(path: str | Path | None = None) -> list[Source]:
    """Load and validate a sources file (default: the packaged one); a SourcesError names source and key."""
    path = Path(path) if path else DEFAULT_SOURCES
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"sources file not found: {path}") from None
    except UnicodeDecodeError as exc:
        line = exc.object[:exc.start].count(b"\n") + 1
        raise SourcesError(f"{path}: not UTF-8 text (line {line}); save it as UTF-8") from None
    except OSError as exc:
        raise SourcesError(f"cannot read the sources file {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None
    entries = data.get("source", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SourcesError(f"{path}: each source must be a [[source]] table, not `source = ...`")
    unknown_top = sorted(set(data) - {"source"})
    if unknown_top:
        raise SourcesError(f"{path}: unknown top-level key {unknown_top[0]!r}; sources are [[source]] tables")
    sources = []
    for n, entry in enumerate(entries, 1):
        name = entry.get("id") if isinstance(entry.get("id"), str) else f"#{n}"
        try:
            sources.append(_SOURCE.validate_python(entry))
        except ValidationError as exc:
            raise SourcesError(f"{path}: source {name}: {_first_problem(exc)}") from None
        except SourcesError as exc:
            raise SourcesError(f"{path}: source {name}: {exc}") from None
    ids = [s.id for s in sources]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise SourcesError(f"{path}: duplicate source ids: {', '.join(repeated)}")
    return sources


def _first_problem(exc: ValidationError) -> str:
    """One line for pydantic's first error: the key, what is wrong, what was given."""
    problems = exc.errors()
    first = problems[0]
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    key = ".".join(str(part) for part in first["loc"])
    if first["type"] == "missing":
        return f"{key}: required key missing{more}"
    if first["type"] == "unexpected_keyword_argument":
        return f"unknown key {key!r}{more}"
    if first["type"] == "list_type" and isinstance(first["input"], str):
        return f"{key} must be a list: {key} = [{json.dumps(first['input'], ensure_ascii=False)}]{more}"
    if first["type"] == "value_error":  # raised by Source.__post_init__, already a sentence
        return f"{first['ctx']['error']}{more}"
    return f"{key}: {first['msg'].lower()} (got {first['input']!r}){more}"
