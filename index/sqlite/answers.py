"""What the SQLite store's searches compute, kept for one generation of the store (its bitmaps' lifetime).

A newsroom's readers repeat requests: the page's default search, a facet click, the next page.
The matching set, the facet counts and a ranked page depend only on the request and the articles,
so at one generation (index/sqlite/schema.py: it moves with every change of an article row) the
same request gets the same answer; the next generation starts empty.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import Future
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

# bytes of matching-set bitmaps kept per generation (one bitmap is an eighth of a byte per article)
BUDGET = 32 << 20


class Answers:
    """Answers by request key, least recently used dropped first past `entries`; one thread makes
    an answer while the others asking for it wait (after a write, twenty readers of one page
    would otherwise all compute it at once)."""

    def __init__(self, entries: int):
        self.entries = entries
        self._kept: OrderedDict[Hashable, object] = OrderedDict()
        self._making: dict[Hashable, Future] = {}
        self._lock = threading.Lock()

    @classmethod
    def for_articles(cls, articles: int) -> "Answers":
        return cls(max(64, min(1024, BUDGET // max(1, articles // 8))))

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The kept answer of `key`, else the one another thread is making, else `make()` kept."""
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]  # type: ignore[return-value]
            making = self._making.get(key)
            if making is None:
                self._making[key] = mine = Future()
        if making is not None:
            try:
                return making.result()
            except Exception:  # the maker's failure: try for ourselves
                return make()
        try:
            value = make()
        except BaseException as exc:
            with self._lock:
                del self._making[key]
            mine.set_exception(exc)
            raise
        with self._lock:
            self._kept[key] = value
            while len(self._kept) > self.entries:
                self._kept.popitem(last=False)
            del self._making[key]
        mine.set_result(value)
        return value

    def __len__(self) -> int:
        return len(self._kept)
