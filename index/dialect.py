"""Query evaluation and filter handling written once: a store supplies the pieces (its dialect).

Each store turns a query AST and the request's Filters into its own form: SQLite into bitmaps
(index/sqlite/rowsets.py) and SQL conditions (index/sqlite/compile.py), Elasticsearch into
query DSL (index/elastic/dsl.py). Which filters exist, how their values are normalised and how
AND / OR / NOT nest is decided here; a dialect only says what one piece looks like.
"""
from __future__ import annotations

from typing import Protocol, TypeVar

from index.article import iso
from index.query import And, Filter, MatchAll, Node, Not, Term
from index.store import Filters

T = TypeVar("T")

# the query's field names (lang:, source:, entity:) as the article fields they filter
QUERY_FIELDS = {"lang": "language", "source": "source", "entity": "entity"}


class Dialect(Protocol[T]):
    """What one store makes of each piece of a query and of the filters.

    Example, a dialect that prints the query back::

        class Words:
            def match_all(self): return "*"
            def term(self, leaf): return leaf.text
            def field(self, name, values): return f"{name}:{'|'.join(values)}"
            ...
        evaluate(expand(parse("gas -lang:en")), Words())
    """

    def match_all(self) -> T: ...
    def term(self, leaf: Term) -> T: ...
    def field(self, name: str, values: tuple[str, ...] | list[str]) -> T: ...
    def negate(self, inner: T) -> T: ...
    def all_of(self, parts: list[T]) -> T: ...
    def any_of(self, parts: list[T]) -> T: ...
    def published_between(self, since: str | None, until: str | None) -> T: ...
    def originals(self) -> T: ...
    def written_after(self, seq: int) -> T: ...


def evaluate(node: Node, dialect: Dialect[T]) -> T:
    """A query AST in the dialect's form; `field` gets language, source or entity."""
    if isinstance(node, MatchAll):
        return dialect.match_all()
    if isinstance(node, Term):
        return dialect.term(node)
    if isinstance(node, Filter):
        return dialect.field(QUERY_FIELDS[node.field], node.values)
    if isinstance(node, Not):
        return dialect.negate(evaluate(node.child, dialect))
    parts = [evaluate(child, dialect) for child in node.children]
    return dialect.all_of(parts) if isinstance(node, And) else dialect.any_of(parts)


def filter_parts(filters: Filters, dialect: Dialect[T]) -> list[T]:
    """The request's filters (besides the query) in the dialect's form, each one condition; all must hold."""
    parts: list[T] = []
    if filters.since is not None or filters.until is not None:
        parts.append(dialect.published_between(iso(filters.since), iso(filters.until)))
    if filters.languages:
        parts.append(dialect.field("language", filters.languages))
    if filters.sources:
        parts.append(dialect.field("source", filters.sources))
    if not filters.include_duplicates:
        parts.append(dialect.originals())
    if filters.after_seq is not None:  # written after a watermark (seqs only grow)
        parts.append(dialect.written_after(filters.after_seq))
    return parts
