"""The search request (parsed and validated once) and its one response document.

The CLI (`newsmon search --json`), the JSON API (`GET /api/search`) and the web page all build a
SearchRequest from their parameters and ask monitor.app.Newsmon; the CLI's JSON is the API's body.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from datetime import date, datetime, time, timezone

from index.article import Article, iso
from index.explain import explain
from index.highlight import mark_text
from index.query import QueryError, expand, parse, positive_terms
from monitor.errors import error_document
from index.store import GROUPS, INTERVALS, MAX_WINDOW, SORTS, Filters, SearchResult

MAX_SIZE = 100
MAX_QUERY_CHARS = 2000
MAX_LIST = 50
_CODE = re.compile(r"[a-z]{2,3}")
_SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
# The parameters a request takes, in the order they are shown; list parameters repeat (?lang=tr&lang=az).
PARAMS = ("q", "since", "until", "lang", "source", "entity", "interval", "sort", "page", "size", "group",
          "concepts", "explain", "near")
_FLAGS = {"on": True, "true": True, "1": True, "yes": True, "off": False, "false": False, "0": False, "no": False}
EXPORT_COLUMNS = ("id", "url", "title", "source", "language", "published_at", "date_source", "crawled_at",
                  "relevance", "duplicate_of", "matched")


@lru_cache(maxsize=1)
def known_languages() -> frozenset[str]:
    """Codes the language stage can answer: langdetect's profiles, and Azerbaijani (newsmon's own)."""
    import langdetect

    profiles = Path(langdetect.__file__).with_name("profiles")
    # and those lingua answers where langdetect has no profile (see crawler/stages/language.py)
    return frozenset(p.name.split("-")[0] for p in profiles.iterdir()) | {"az", "kk", "hy", "ka", "be"}


class RequestError(ValueError):
    """A bad request parameter: which one, what is wrong, and for a query the character position."""

    def __init__(self, param: str, message: str, position: int | None = None):
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message
        self.position = position

    def to_json(self) -> dict:
        return error_document(self.message, self.param, self.position)


@dataclass(frozen=True)
class SearchRequest:
    """What an analyst asks for. `since`/`until` are whole days (UTC), both inclusive."""

    query: str = ""
    since: date | None = None
    until: date | None = None
    languages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    interval: str = "month"
    sort: str = "relevance"
    page: int = 1
    size: int = 10
    group: str = ""  # "story": one hit per story, paged over stories and lone articles
    concepts: bool = True  # words widened to the beat lexicon's concepts (index/lexicon.toml)
    explain: bool = False  # the response says what each word was widened to (`expansion`)
    near: bool = True  # after the full matches, those lacking one of three or more words (index/near.py)

    @classmethod
    def from_params(cls, params: Mapping[str, str | list[str] | tuple[str, ...] | None]) -> "SearchRequest":
        """Validate raw parameters (query strings, CLI options); raise RequestError naming the bad one."""
        unknown = sorted(set(params) - set(PARAMS))
        if unknown:
            raise RequestError(unknown[0], f"unknown parameter; known: {', '.join(PARAMS)}")

        def one(name: str) -> str | None:
            value = params.get(name)
            if isinstance(value, (list, tuple)):
                if len(value) > 1:
                    raise RequestError(name, "given more than once")
                value = value[0] if value else None
            return value

        def many(name: str) -> tuple[str, ...]:
            value = params.get(name)
            values = [value] if isinstance(value, str) else list(value or [])
            # "tr,az" and repeated parameters both work
            items = [v.strip() for item in values for v in item.split(",") if v.strip()]
            if len(items) > MAX_LIST:
                raise RequestError(name, f"at most {MAX_LIST} values")
            return tuple(dict.fromkeys(items))

        query = one("q") or ""
        if len(query) > MAX_QUERY_CHARS:
            raise RequestError("q", f"query longer than {MAX_QUERY_CHARS} characters", MAX_QUERY_CHARS)
        languages = tuple(v.lower() for v in many("lang"))
        for code in languages:
            if not _CODE.fullmatch(code) or code not in known_languages():
                raise RequestError("lang", f"{code!r} is not a language code newsmon tags (en, tr, az, ru, "
                                           "or another ISO 639-1 code its detector knows)")
        sources = many("source")
        for sid in sources:
            if not _SOURCE_ID.fullmatch(sid):
                raise RequestError("source", f"{sid!r} is not a source id (letters, digits, - _ .)")
        request = cls(
            query=query, since=_day(one("since"), "since"), until=_day(one("until"), "until"),
            languages=languages, sources=sources, entities=tuple(v.lower() for v in many("entity")),
            interval=_choice(one("interval"), "interval", INTERVALS, "month"),
            sort=_choice(one("sort"), "sort", SORTS, "relevance"),
            page=_int(one("page"), "page", 1, 1), size=_int(one("size"), "size", 10, 0, MAX_SIZE),
            group=_choice(one("group"), "group", GROUPS, ""),
            concepts=_flag(one("concepts"), "concepts", True), explain=_flag(one("explain"), "explain", False),
            near=_flag(one("near"), "near", True),
        )
        return request.validated()

    def validated(self) -> "SearchRequest":
        """Check what crosses parameters, and that the query parses (with its position when not)."""
        if self.since and self.until and self.since > self.until:
            raise RequestError("until", f"{self.until} is before since {self.since}: nothing can match")
        if self.page * self.size > MAX_WINDOW:
            raise RequestError("page", f"page {self.page} of size {self.size} is past the first {MAX_WINDOW} "
                                       "results; narrow the query or use the export")
        try:
            parse(self.query)
        except QueryError as exc:
            raise RequestError("q", str(exc), exc.position) from None
        return self

    def filters(self) -> Filters:
        return Filters(
            since=datetime.combine(self.since, time.min, timezone.utc) if self.since else None,
            until=datetime.combine(self.until, time(23, 59, 59), timezone.utc) if self.until else None,
            languages=list(self.languages), sources=list(self.sources), entities=list(self.entities))

    def to_params(self) -> dict:
        """The request as parameters (defaults left out): for URLs, and echoed in responses."""
        out: dict = {}
        defaults = SearchRequest()
        for name, attr in (("q", "query"), ("since", "since"), ("until", "until"), ("lang", "languages"),
                           ("source", "sources"), ("entity", "entities"), ("interval", "interval"),
                           ("sort", "sort"), ("page", "page"), ("size", "size"), ("group", "group"),
                           ("concepts", "concepts"), ("explain", "explain"), ("near", "near")):
            value = getattr(self, attr)
            if value != getattr(defaults, attr):
                out[name] = (list(value) if isinstance(value, tuple) else ("on" if value else "off")
                             if isinstance(value, bool) else str(value))
        return out


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value).date() if len(value) > 10 else date.fromisoformat(value)
    except ValueError:
        raise RequestError(name, f"{value!r} is not a date like 2025-03-01") from None


def _flag(value: str | bool | None, name: str, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if value.strip().lower() not in _FLAGS:
        raise RequestError(name, f"{value!r} is not on or off")
    return _FLAGS[value.strip().lower()]


def _choice(value: str | None, name: str, allowed: tuple[str, ...], default: str) -> str:
    if value is None or value == "":
        return default
    if value not in allowed:
        raise RequestError(name, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _int(value: str | int | None, name: str, default: int, low: int, high: int | None = None) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise RequestError(name, f"{value!r} is not a whole number") from None
    if number < low or (high is not None and number > high):
        bounds = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise RequestError(name, f"must be {bounds} (got {number})")
    return number


def hit_json(hit, grouped: bool = False) -> dict:
    a = hit.article
    more = {"more": {"count": hit.more, "languages": hit.more_languages}} if grouped else {}
    return {
        "id": a.id, "url": a.url, "title": a.title, "source": a.source, "language": a.language,
        "published_at": iso(a.published_at), "date_source": a.date_source, "relevance": a.relevance,
        "duplicate_of": a.duplicate_of, "story_id": a.story_id, "matched": a.matched, "score": round(hit.score, 6),
        "highlights": hit.highlights, **more, **({"missing": hit.missing} if hit.missing else {}),
    }


def result_json(request: SearchRequest, result: SearchResult, background: list[tuple[str, int]] | None = None,
                headlines: Mapping[str, str] | None = None,
                choices: Mapping[str, list[tuple[str, int]]] | None = None) -> dict:
    """The one response document of a search (CLI --json, API body, what the page renders).

    Grouped by story, `groups` counts the hits to page through (stories with a matching article,
    and matching articles without a story), `total` still the matching articles, and each hit
    has `more`: the count of its story's other matching articles and their languages.
    When the page reaches past the last full match, `near_total` counts the near matches
    (index/near.py) that follow it, each hit of them with `missing`: the query's parts it lacks.
    """
    doc = {
        "request": request.to_params(),
        "total": result.total,
        **({"groups": result.groups} if result.groups is not None else {}),
        **({"near_total": result.near_total} if result.near_total is not None else {}),
        "page": result.page,
        "size": result.size,
        "hits": [hit_json(h, result.groups is not None) for h in result.hits],
        "facets": {name: [{"key": k, "count": c} for k, c in buckets] for name, buckets in result.facets.items()},
    }
    for bucket in doc["facets"].get("story", []):
        bucket["headline"] = (headlines or {}).get(bucket["key"], "")
    if background is not None:
        doc["volume"] = [{"key": k, "count": c} for k, c in background]
    if choices is not None:
        doc["choices"] = {name: [{"key": k, "count": c} for k, c in buckets] for name, buckets in choices.items()}
    if request.explain:
        doc["expansion"] = explain(parse(request.query), concepts=request.concepts)
    return doc


def article_json(article: Article, request: SearchRequest | None = None) -> dict:
    """One stored article, its text marked where the request's query matches (HTML-escaped)."""
    data = article.to_dict()
    data.pop("signature", None)
    node = expand(parse(request.query), concepts=request.concepts) if request else None
    seqs_title: set = set()
    seqs_body: set = set()
    for leaf in positive_terms(node) if node else []:
        seqs_title |= leaf.sequences
        if leaf.field != "title":
            seqs_body |= leaf.sequences
    data["marked"] = {"title": mark_text(article.title, article.language, seqs_title),
                      "body": [mark_text(p, article.language, seqs_body)
                               for p in article.body.split("\n") if p.strip()]}
    return data


def export_csv(articles: Iterable[Article]) -> Iterator[str]:
    """Articles as CSV chunks of about 64 kB (EXPORT_COLUMNS; formulas quoted)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for article in articles:
        row = {**article.to_dict()}
        row["matched"] = " ".join(article.matched)
        writer.writerow([_csv_cell(row.get(c)) for c in EXPORT_COLUMNS])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_json(articles: Iterable[Article]) -> Iterator[str]:
    """A JSON array of whole articles (body included), written as it is read."""
    yield "["
    first = True
    for article in articles:
        data = article.to_dict()
        data.pop("signature", None)
        yield ("\n" if first else ",\n") + json.dumps(data, ensure_ascii=False)
        first = False
    yield "\n]\n"


def _csv_cell(value) -> str:
    """A cell a spreadsheet will not run: formulas from untrusted titles are quoted with '."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
