"""The third dialect: a query evaluated on articles in memory, for matching alerts against a batch.

A store answers one query over many articles; alert matching asks the opposite, many queries
over the few articles just written. Each alert's query is compiled once into a predicate on an
article's index terms (the same terms both stores index, from index/analysis.py), and the alerts
are indexed by the terms they require (as Lucene's Monitor and Elasticsearch's percolator do),
so an article is only tried against the alerts that could match it. The predicates follow the
stores' semantics exactly: a word is any of its term sequences in the title or the body, a
phrase is adjacent within one field; tests/test_memory_match.py checks them against both stores.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import Callable

from index.analysis import term_places, terms_of
from index.article import Article, iso
from index.dialect import evaluate, filter_parts
from index.query import And, Filter, MatchAll, Node, Not, Or, Term
from index.store import Filters


class Terms:
    """A text's index terms, as the predicates read them (the same for every alert and round)."""

    def __init__(self, title: list[str], body: list[str]):
        self.title, self.body = title, body
        self.words = frozenset(title) | frozenset(body)
        self.title_words = frozenset(title)

    @cached_property
    def places(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """Where each term stands in the title and in the body (for phrases)."""
        return term_places(self.title), term_places(self.body)


_TERMS: OrderedDict[tuple[str, str, str], Terms] = OrderedDict()  # analysed texts, for the rounds that re-read them
KEPT_TERMS = 10_000


class Doc:
    """An article as it stands now, with its text's index terms (analysed once, then kept)."""

    def __init__(self, article: Article):
        self.article = article
        key = (article.language, article.title, article.body)
        terms = _TERMS.get(key)
        if terms is None:
            analysed = terms_of(article)
            terms = _TERMS[key] = Terms(analysed.title.split(), analysed.body.split())
            if len(_TERMS) > KEPT_TERMS:
                _TERMS.popitem(last=False)
        self.terms = terms
        self.title, self.body, self.words, self.title_words = terms.title, terms.body, terms.words, terms.title_words

    @property
    def places(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        return self.terms.places


Predicate = Callable[[Doc], bool]


def _holds(terms: list[str], places: dict[str, list[int]], first: str, rest: list[str]) -> bool:
    return any(terms[i + 1:i + 1 + len(rest)] == rest for i in places.get(first, ()))


def holds_any(terms: list[str], sequences) -> bool:
    """Whether one of the term sequences stands in `terms` (a field's index terms, in order)."""
    return any(terms[i:i + len(seq)] == list(seq) for seq in sequences for i, t in enumerate(terms) if t == seq[0])


class MemoryDialect:
    """Predicates on a Doc (index/dialect.py)."""

    def match_all(self) -> Predicate:
        return lambda doc: True

    def term(self, leaf: Term) -> Predicate:
        title_only = leaf.field == "title"
        singles = frozenset(seq[0] for seq in leaf.sequences if len(seq) == 1)
        phrases = [(seq[0], list(seq[1:])) for seq in leaf.sequences if len(seq) > 1]

        def holds(doc: Doc) -> bool:
            if not singles.isdisjoint(doc.title_words if title_only else doc.words):
                return True
            if not phrases:
                return False
            fields = list(zip((doc.title, doc.body), doc.places))[:1 if title_only else 2]
            return any(_holds(terms, places, first, rest) for first, rest in phrases for terms, places in fields)
        return holds

    def field(self, name: str, values) -> Predicate:
        wanted = frozenset(values)
        if name == "entity":
            return lambda doc: not wanted.isdisjoint(doc.article.matched or ())
        return lambda doc: getattr(doc.article, name) in wanted

    def negate(self, inner: Predicate) -> Predicate:
        return lambda doc: not inner(doc)

    def all_of(self, parts: list[Predicate]) -> Predicate:
        return lambda doc: all(p(doc) for p in parts)

    def any_of(self, parts: list[Predicate]) -> Predicate:
        return lambda doc: any(p(doc) for p in parts)

    def published_between(self, since: str | None, until: str | None) -> Predicate:
        def holds(doc: Doc) -> bool:
            when = iso(doc.article.published_at)
            return when is not None and (since is None or when >= since) and (until is None or when <= until)
        return holds

    def originals(self) -> Predicate:
        return lambda doc: not doc.article.duplicate_of

    def written_after(self, seq: int) -> Predicate:
        return lambda doc: doc.article.seq > seq


@dataclass(frozen=True)
class Compiled:
    """One query with its filters, as a predicate, and the terms one of which a match must hold."""

    matches: Predicate
    required: frozenset[str] | None  # None: it can match without any word (a filter, an exclusion)


def compile_match(node: Node, filters: Filters) -> Compiled:
    dialect = MemoryDialect()
    parts = [evaluate(node, dialect), *filter_parts(filters, dialect)]
    return Compiled(dialect.all_of(parts), required_terms(node))


def required_terms(node: Node) -> frozenset[str] | None:
    """Terms of which every match holds at least one (a word's sequences' first terms), or None.

    An AND needs only one of its parts' sets (the smallest is the sharpest); an OR needs one of
    every part's.
    """
    if isinstance(node, Term):
        return frozenset(seq[0] for seq in node.sequences)
    if isinstance(node, And):
        sets = [s for s in map(required_terms, node.children) if s is not None]
        return min(sets, key=len) if sets else None
    if isinstance(node, Or):
        sets = [required_terms(c) for c in node.children]
        return None if any(s is None for s in sets) else frozenset().union(*sets)
    assert isinstance(node, (MatchAll, Filter, Not))
    return None
