"""Alerts matched against the articles just written, in memory: a round costs about the batch, not
one search per alert, nor one try per (alert, article).

The articles written since the oldest window are read once (a scan by seq) and analysed once
(their texts' index terms are kept for the next rounds: index/memory.py). The round's articles
are bit positions: each word of a query is looked up once for the whole round, as the set of
articles holding it (a Python int, one bit per article), and each alert is its query's AND, OR
and NOT of those sets (`BatchDialect`, the fourth dialect of index/dialect.py). A word's
single-term sequences are exact from the round's postings; a phrase is tried, with the in-memory
dialect's own predicate (index/memory.py), only on the articles holding all of its terms.
The hits are what the alert's search would give (`matcher.matching_hits`): its query, language
and source filters, minimum relevance, oldest write first. Their highlights are made when first
read (`LazyHighlights`): the outbox keeps a reference and highlights when the row is sent.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from functools import lru_cache
from types import SimpleNamespace
from typing import Callable, Hashable

from index.article import Article, iso
from index.dialect import evaluate, filter_parts
from index.highlight import highlight
from index.memory import Doc, MemoryDialect, compile_match
from index.query import Node, Phrase, QueryError, Term, expand, parse
from index.store import Filters, Hit, Store
from monitor.alerts.model import Alert

# alerts whose window starts further back than this are matched by searching the store (a new
# store's backlog, an alert that failed for long): a round never reads more than this many
SPAN = 5_000


@lru_cache(maxsize=4096)
def query_node(query: str) -> Node:
    """An alert's full query as matched and highlighted (parsed and expanded once)."""
    return expand(parse(query))


class LazyHighlights(dict):
    """A hit's highlights for one query, made when first read: a round queues tens of thousands of
    hits and the outbox highlights each when it is sent (`query` says which, for the outbox)."""

    __slots__ = ("article", "query", "_made")

    def __init__(self, article: Article | SimpleNamespace, query: str):
        super().__init__()
        self.article, self.query, self._made = article, query, False

    def _make(self) -> None:
        if not self._made:
            self._made = True
            self.update(highlight(self.article, query_node(self.query)))

    def get(self, key, default=None):
        self._make()
        return super().get(key, default)

    def __getitem__(self, key):
        self._make()
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        self._make()
        return super().__contains__(key)

    def __iter__(self):
        self._make()
        return super().__iter__()

    def __len__(self) -> int:
        self._make()
        return super().__len__()

    def items(self):
        self._make()
        return super().items()

    def keys(self):
        self._make()
        return super().keys()

    def values(self):
        self._make()
        return super().values()

    def __eq__(self, other) -> bool:
        self._make()
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self._make()
        return super().__repr__()


class Batch:
    """A round's articles, oldest write first, with the sets of articles each term stands in."""

    def __init__(self, docs: list[Doc]):
        self.docs = sorted(docs, key=lambda d: d.article.seq)
        self.seqs = [d.article.seq for d in self.docs]
        self.all = (1 << len(self.docs)) - 1
        # a rewrite during the scan can show one id twice (two seqs): its hits are kept once
        self.repeats = len({d.article.id for d in self.docs}) < len(self.docs)
        self._words: dict[str, list[int]] = defaultdict(list)
        self._titles: dict[str, list[int]] = defaultdict(list)
        for i, doc in enumerate(self.docs):
            for word in doc.words:
                self._words[word].append(i)
            for word in doc.title_words:
                self._titles[word].append(i)
        self._bits: dict[tuple[bool, str], int] = {}
        self.cache: dict[Hashable, int] = {}  # a leaf's or a filter's articles, for every alert of the round

    def holding(self, term: str, title_only: bool = False) -> int:
        """The articles holding `term` (in the title only, or in the title or the body)."""
        key = (title_only, term)
        bits = self._bits.get(key)
        if bits is None:
            bits = 0
            for i in (self._titles if title_only else self._words).get(term, ()):
                bits |= 1 << i
            self._bits[key] = bits
        return bits

    def where(self, test) -> int:
        bits = 0
        for i, doc in enumerate(self.docs):
            if test(doc):
                bits |= 1 << i
        return bits

    def articles(self, bits: int) -> list[Article]:
        """The articles of a set, oldest write first."""
        out = []
        while bits:
            low = bits & -bits
            out.append(self.docs[low.bit_length() - 1].article)
            bits ^= low
        return out


class BatchDialect:
    """A query as the set of the round's articles that match it (index/dialect.py's pieces)."""

    def __init__(self, batch: Batch):
        self.batch = batch
        self.memory = MemoryDialect()

    def _cached(self, key: Hashable, make) -> int:
        bits = self.batch.cache.get(key)
        if bits is None:
            bits = self.batch.cache[key] = make()
        return bits

    def match_all(self) -> int:
        return self.batch.all

    def term(self, leaf: Term) -> int:
        if type(leaf) not in (Term, Phrase):  # a kind of word this dialect does not know: the in-memory predicate decides
            raise NotImplementedError(type(leaf).__name__)
        title_only = leaf.field == "title"

        def make() -> int:
            batch = self.batch
            exact = 0
            maybe = 0
            for seq in leaf.sequences:
                if len(seq) == 1:  # a single term: standing in the field is the match
                    exact |= batch.holding(seq[0], title_only)
                    continue
                holding = batch.all
                for term in seq:
                    holding &= batch.holding(term, title_only)
                    if not holding:
                        break
                maybe |= holding
            maybe &= ~exact
            if maybe:  # phrases: adjacent within one field, as the in-memory predicate says
                holds = self.memory.term(leaf)
                bits = maybe
                while bits:
                    low = bits & -bits
                    if holds(batch.docs[low.bit_length() - 1]):
                        exact |= low
                    bits ^= low
            return exact
        return self._cached(("term", leaf.field, leaf.sequences), make)

    def field(self, name: str, values) -> int:
        wanted = frozenset(values)
        if name == "entity":
            return self._cached(("entity", wanted), lambda: self.batch.where(
                lambda doc: not wanted.isdisjoint(doc.article.matched or ())))
        return self._cached((name, wanted), lambda: self.batch.where(lambda doc: getattr(doc.article, name) in wanted))

    def negate(self, inner: int) -> int:
        return self.batch.all & ~inner

    def all_of(self, parts: list[int]) -> int:
        bits = self.batch.all
        for part in parts:
            bits &= part
        return bits

    def any_of(self, parts: list[int]) -> int:
        bits = 0
        for part in parts:
            bits |= part
        return bits

    def published_between(self, since: str | None, until: str | None) -> int:
        def within(doc: Doc) -> bool:
            when = iso(doc.article.published_at)
            return when is not None and (since is None or when >= since) and (until is None or when <= until)
        return self._cached(("published", since, until), lambda: self.batch.where(within))

    def originals(self) -> int:
        return self._cached("originals", lambda: self.batch.where(lambda doc: not doc.article.duplicate_of))

    def written_after(self, seq: int) -> int:
        # the articles are in seq order: those after `seq` are the top bits
        return self.batch.all & ~((1 << bisect_right(self.batch.seqs, seq)) - 1)


def batch_matches(batch: Batch, node: Node, filters: Filters) -> int:
    """The round's articles matching a query under `filters` (the same as index/memory.py's predicate)."""
    dialect = BatchDialect(batch)
    try:
        return dialect.all_of([evaluate(node, dialect), *filter_parts(filters, dialect)])
    except NotImplementedError:  # a query piece only the in-memory dialect knows: each article tried
        compiled = compile_match(node, filters)
        return batch.where(compiled.matches)


class Rounds:
    """What the last round of one alert store tried (kept by its caller across rounds).

    On Elasticsearch every round re-reads the seqs below the watermarks for late writes; an
    article the last round already tried against an alert that it matched without error is
    not tried against that alert again (a rewrite has a new seq, so it is tried).
    `seen`: what the store held after the seqs the last round read from (its count and highest
    seq there, `AlertStore.fingerprint`), so a round that finds the same can skip the re-read.
    """

    def __init__(self):
        self.articles: frozenset[tuple[str, int]] = frozenset()
        self.alerts: frozenset[Hashable] = frozenset()
        self.scanned: set[tuple[str, int]] = set()
        self.seen: tuple[int, tuple] | None = None  # (after seq, fingerprint) the last round read
        self.reading: tuple[int, tuple] | None = None
        # each alert as the last round parsed it (by its definition's object, which it keeps): an
        # alert store that hands out the same definitions while they are unchanged is not parsed again
        self.parsed: dict[int, tuple] = {}

    def done(self, matched: set[Hashable]) -> None:
        """The round is committed: `matched` are the alerts (their keys) whose hits reached the outbox."""
        self.articles, self.alerts, self.scanned = frozenset(self.scanned), frozenset(matched), set()
        self.seen, self.reading = self.reading, None


def match_in_memory(store: Store, alerts: list[Alert], windows: list[Filters], rounds: Rounds | None = None,
                    keys: list[Hashable] | None = None,
                    fingerprint: Callable[[int], tuple | None] | None = None) -> list[list[Hit] | QueryError]:
    """Each alert's new hits over its window (or its query's error), from one read of the store.

    `keys`: each alert's identity across rounds (an alert deleted and made again under its name
    is another alert); by default its name. `fingerprint` (Elasticsearch's, whose rounds re-read
    below the watermarks for late seqs): when the store holds the same after the seqs the last
    round read from, and every alert matched without error then, nothing is read: every article
    there was tried against every alert already. It is taken before the read, so an article
    written during the read changes the next round's.
    """
    rounds = rounds or Rounds()
    keys = keys or [alert.name for alert in alerts]
    rounds.scanned = set()
    nodes: dict[int, Node] = {}
    out: list[list[Hit] | QueryError] = [[] for _ in alerts]
    for i, alert in enumerate(alerts):
        try:
            nodes[i] = query_node(alert.full_query())
        except QueryError as exc:
            out[i] = exc
    if not nodes:
        return out
    oldest = min(windows[i].after_seq or 0 for i in nodes)
    if fingerprint is not None:
        seen = rounds.seen
        if seen is not None and oldest >= seen[0] and all(keys[i] in rounds.alerts for i in nodes) \
                and fingerprint(seen[0]) == seen[1]:
            rounds.scanned, rounds.reading = set(rounds.articles), seen
            return out
        rounds.reading = (oldest, fingerprint(oldest))
    docs = [Doc(article) for article in store.scan("", Filters(after_seq=oldest))]
    batch = Batch(docs)
    rounds.scanned = {(d.article.id, d.article.seq) for d in batch.docs}
    tried = batch.where(lambda doc: (doc.article.id, doc.article.seq) in rounds.articles) if rounds.articles else 0
    for i, node in nodes.items():
        bits = batch_matches(batch, node, windows[i])
        if tried and keys[i] in rounds.alerts:
            bits &= ~tried
        floor = alerts[i].min_relevance
        query = alerts[i].full_query()
        found = batch.articles(bits)
        if batch.repeats:
            found = sorted({a.id: a for a in found}.values(), key=lambda a: a.seq)
        out[i] = [Hit(a, 0.0, LazyHighlights(a, query)) for a in found if floor is None or a.relevance >= floor]
    return out
