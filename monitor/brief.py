"""The morning brief: the period's stories, largest first (`newsmon brief --json` is GET /api/brief).

A brief answers "what happened since yesterday": every story with an article published in the
period, ranked by how many of its articles fall in it, each with its languages, outlets and
first reporter, and marked `new` when the story itself began in the period (else it continues
coverage that began before). Articles with no publication date are not in any period.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone

from crawler.sources import duration_seconds
from index.article import iso
from index.store import Filters
from index.stories import ALL_STORIES, StoryRecord
from monitor.search import RequestError, SearchRequest

BRIEF_PARAMS = ("since", "until", "q", "lang", "source", "entity", "size")
DEFAULT_PERIOD = "24h"
DEFAULT_SIZE = 20


def _one(params: Mapping[str, object], name: str) -> str | None:
    value = params.get(name)
    if isinstance(value, (list, tuple)):
        if len(value) > 1:
            raise RequestError(name, "given more than once")
        value = value[0] if value else None
    return None if value in (None, "") else str(value)


def period_start(since: str, end: datetime) -> datetime:
    """The period's first moment: `since` is a duration back from its end (24h, 7d) or a day or time (UTC)."""
    seconds = duration_seconds(since)
    if seconds is not None:
        try:
            return end - timedelta(seconds=seconds)
        except OverflowError:
            raise RequestError("since", f"{since!r} reaches before the first year") from None
    try:
        start = datetime.fromisoformat(since)
    except ValueError:
        raise RequestError("since", f"{since!r} is neither a duration like 24h or 7d nor a date like 2025-03-01") \
            from None
    return start if start.tzinfo else start.replace(tzinfo=timezone.utc)


def period_end(until: str | None, now: datetime) -> tuple[datetime, datetime]:
    """(the period's last moment, the moment a duration counts back from): now; the end of a given
    day (2025-03-01 or 20250301), a duration then counting back from the next midnight; or a time (UTC)."""
    if until is None:
        return now, now
    try:
        day = date.fromisoformat(until)
    except ValueError:
        day = None
    if day is not None:
        if day == date.max:
            raise RequestError("until", f"{until!r} is the last day there is: give an earlier one")
        midnight = datetime.combine(day + timedelta(days=1), time.min, timezone.utc)
        return midnight - timedelta(seconds=1), midnight
    try:
        end = datetime.fromisoformat(until)
    except ValueError:
        raise RequestError("until", f"{until!r} is not a date like 2025-03-01") from None
    end = end if end.tzinfo else end.replace(tzinfo=timezone.utc)
    return end, end


def brief_request(params: Mapping[str, object], now: datetime) -> tuple[SearchRequest, datetime, datetime, int]:
    """(the search part, validated as a search is; the period's first and last moments; how many
    stories, 0 meaning all)."""
    unknown = sorted(set(params) - set(BRIEF_PARAMS))
    if unknown:
        raise RequestError(unknown[0], f"unknown parameter; known: {', '.join(BRIEF_PARAMS)}")
    until, anchor = period_end(_one(params, "until"), now)
    since = period_start(_one(params, "since") or DEFAULT_PERIOD, anchor)
    if since > until:
        raise RequestError("since", "is after the period's end")
    raw = _one(params, "size")
    try:
        size = DEFAULT_SIZE if raw is None else int(raw)
    except ValueError:
        raise RequestError("size", f"{raw!r} is not a whole number") from None
    if not 0 <= size <= ALL_STORIES:
        raise RequestError("size", f"must be 0 (every story) to {ALL_STORIES}")
    search = SearchRequest.from_params({k: v for k, v in params.items() if k not in ("since", "until", "size")})
    return search, since, until, size


def brief_filters(request: SearchRequest, since: datetime, until: datetime) -> Filters:
    return replace(request.filters(), since=since, until=until)


def brief_document(request: SearchRequest, since: datetime, until: datetime, size: int, total: int,
                   articles: int, records: list[StoryRecord]) -> dict:
    params = {k: v for k, v in request.to_params().items() if k not in ("since", "until", "interval", "sort",
                                                                         "page", "size")}
    start = iso(since)
    return {"request": {**params, "size": size}, "period": {"since": start, "until": iso(until)},
            "total": total, "articles": articles,
            "stories": [{**r.to_dict(), "new": (r.first_published or r.first_seen_at or "") >= start}
                        for r in records]}
