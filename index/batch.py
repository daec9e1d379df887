"""How every store plans an upsert batch: each id once, and the first sighting an id keeps."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import TypeVar

from index.article import iso

T = TypeVar("T")


def plan_batch(items: Iterable[T], key: Callable[[T], str]) -> list[tuple[T, T]]:
    """Each id of a batch once, as (last copy, first copy), in the order of the last copies.

    An id twice in one batch: its last copy is written, in the last copy's place in the write
    order, with the first copy's first sighting. Works on Articles (SQLite) and on documents
    (Elasticsearch, whose spool holds documents).

    >>> plan_batch(["a1", "b1", "a2"], key=lambda s: s[0])
    [('b1', 'b1'), ('a2', 'a1')]
    """
    latest: dict[str, T] = {}
    earliest: dict[str, T] = {}
    for item in items:
        earliest.setdefault(key(item), item)
        latest.pop(key(item), None)
        latest[key(item)] = item
    return [(item, earliest[name]) for name, item in latest.items()]


def first_seen(*candidates: str | datetime | None) -> str:
    """The first of these times that is set (a stored copy's first, then this batch's), ISO; else now."""
    for value in candidates:
        if value:
            return iso(value) if isinstance(value, datetime) else value
    return iso(datetime.now(timezone.utc))
