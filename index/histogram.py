"""Date histograms: which bucket a day falls in, and a facet's buckets with the empty ones filled in."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

# Past this many buckets a histogram lists only its filled ones (a date in 1900 or 9999 among news).
MAX_FILLED_BUCKETS = 5000
SPAN_DAYS = {"day": 1, "week": 7, "month": 28, "year": 365}


def bucket_start(day: date, interval: str) -> date:
    """Start of the histogram bucket holding `day` (weeks start on Monday)."""
    if interval == "day":
        return day
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def bucket_end(start: date, interval: str) -> date:
    """Last day of the bucket that begins on `start`."""
    return _next_bucket(start, interval) - timedelta(days=1)


def _next_bucket(start: date, interval: str) -> date:
    if interval == "day":
        return start + timedelta(days=1)
    if interval == "week":
        return start + timedelta(days=7)
    if interval == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def fill_histogram(buckets: Iterable[tuple[str, int]], interval: str) -> list[tuple[str, int]]:
    """Sorted buckets with the empty ones between the first and the last filled in, as a time axis."""
    counts = {key: n for key, n in buckets if n}
    if not counts:
        return []
    day, last = date.fromisoformat(min(counts)), date.fromisoformat(max(counts))
    if (last - day).days / SPAN_DAYS[interval] > MAX_FILLED_BUCKETS:
        return sorted(counts.items())  # a stray date far out: filled buckets only, not a 9,999-year axis
    out = []
    while day <= last:
        key = day.isoformat()
        out.append((key, counts.get(key, 0)))
        try:
            day = _next_bucket(day, interval)
        except OverflowError:  # the last bucket of the calendar (year 9999)
            break
    return out
