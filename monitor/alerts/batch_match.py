"""Alerts matched against the articles just written, in memory: a round costs about the batch, not
one search per alert.

The articles written since the oldest window are read once (a scan by seq) and analysed once
(their texts' index terms are kept for the next rounds: index/memory.py); every alert is compiled once into a predicate
(index/memory.py); each article is tried only against the alerts whose required terms it holds.
The hits are what the alert's search would give (`matcher.matching_hits`): its query, language
and source filters, minimum relevance, oldest write first.
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Hashable

from index.highlight import highlight
from index.memory import Compiled, Doc, compile_match
from index.query import Node, QueryError, expand, parse
from index.store import Filters, Hit, Store
from monitor.alerts.model import Alert

# alerts whose window starts further back than this are matched by searching the store (a new
# store's backlog, an alert that failed for long): a round never reads more than this many
SPAN = 5_000


@lru_cache(maxsize=4096)
def _node(query: str) -> Node:
    return expand(parse(query))


class Rounds:
    """What the last round of one alert store tried (kept by its caller across rounds).

    On Elasticsearch every round re-reads the seqs below the watermarks for late writes; an
    article the last round already tried against an alert that it matched without error is
    not tried against that alert again (a rewrite has a new seq, so it is tried).
    """

    def __init__(self):
        self.articles: frozenset[tuple[str, int]] = frozenset()
        self.alerts: frozenset[Hashable] = frozenset()
        self.scanned: set[tuple[str, int]] = set()

    def done(self, matched: set[Hashable]) -> None:
        """The round is committed: `matched` are the alerts (their keys) whose hits reached the outbox."""
        self.articles, self.alerts, self.scanned = frozenset(self.scanned), frozenset(matched), set()


def match_in_memory(store: Store, alerts: list[Alert], windows: list[Filters], rounds: Rounds | None = None,
                    keys: list[Hashable] | None = None) -> list[list[Hit] | QueryError]:
    """Each alert's new hits over its window (or its query's error), from one read of the store.

    `keys`: each alert's identity across rounds (an alert deleted and made again under its name
    is another alert); by default its name.
    """
    rounds = rounds or Rounds()
    keys = keys or [alert.name for alert in alerts]
    rounds.scanned = set()
    compiled: dict[int, tuple[Node, Compiled]] = {}
    out: list[list[Hit] | QueryError] = [[] for _ in alerts]
    for i, (alert, filters) in enumerate(zip(alerts, windows)):
        try:
            node = _node(alert.full_query())
        except QueryError as exc:
            out[i] = exc
            continue
        compiled[i] = (node, compile_match(node, filters))
    if not compiled:
        return out
    by_term: dict[str, list[int]] = defaultdict(list)
    always: list[int] = []
    for i, (_, c) in compiled.items():
        for term in c.required if c.required is not None else ():
            by_term[term].append(i)
        if c.required is None:
            always.append(i)
    oldest = min(windows[i].after_seq or 0 for i in compiled)
    for article in store.scan("", Filters(after_seq=oldest)):
        doc = Doc(article)
        key = (article.id, article.seq)
        rounds.scanned.add(key)
        tried = key in rounds.articles
        candidates = set(always)
        for term in doc.words:
            candidates.update(by_term.get(term, ()))
        for i in sorted(candidates):
            if tried and keys[i] in rounds.alerts:
                continue
            node, c = compiled[i]
            if c.matches(doc):
                out[i].append(Hit(article, 0.0, highlight(article, node)))
    for i in compiled:
        hits = sorted({h.article.id: h for h in out[i]}.values(), key=lambda h: h.article.seq)
        floor = alerts[i].min_relevance
        out[i] = [h for h in hits if floor is None or h.article.relevance >= floor]
    return out
