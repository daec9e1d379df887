"""Query compilation for SQLite: FTS5 MATCH text, SQL conditions on `articles a`, the bm25 expression."""
from __future__ import annotations

from index.dialect import evaluate, filter_parts
from index.query import And, Node, Or, Term
from index.store import Filters

# a SQL condition on `articles a` and its bound parameters
Sql = tuple[str, list]


def fts_match(leaf: Term) -> str:
    """FTS5 MATCH text for a word or phrase leaf: its term sequences as OR-ed FTS5 phrases."""
    phrases = " OR ".join('"' + " ".join(seq).replace('"', '""') + '"' for seq in sorted(leaf.sequences))
    return f"title : ({phrases})" if leaf.field == "title" else phrases


class SqlConditions:
    """The SQL dialect (index/dialect.py): all user text goes in as bound parameters."""

    def match_all(self) -> Sql:
        return "1", []

    def term(self, leaf: Term) -> Sql:
        return "a.seq IN (SELECT rowid FROM fts WHERE fts MATCH ?)", [fts_match(leaf)]

    def field(self, name: str, values) -> Sql:
        marks = ", ".join("?" * len(values))
        if name == "entity":
            return f"a.seq IN (SELECT seq FROM entities WHERE entity IN ({marks}))", list(values)
        return f"a.{name} IN ({marks})", list(values)

    def negate(self, inner: Sql) -> Sql:
        return f"NOT ({inner[0]})", inner[1]

    def all_of(self, parts: list[Sql]) -> Sql:
        return "(" + " AND ".join(sql for sql, _ in parts) + ")", [p for _, ps in parts for p in ps]

    def any_of(self, parts: list[Sql]) -> Sql:
        return "(" + " OR ".join(sql for sql, _ in parts) + ")", [p for _, ps in parts for p in ps]

    def published_between(self, since: str | None, until: str | None) -> Sql:
        conditions = [(sql, [value]) for sql, value in (("a.published_at >= ?", since), ("a.published_at <= ?", until))
                      if value is not None]
        return " AND ".join(sql for sql, _ in conditions), [v for _, vs in conditions for v in vs]

    def originals(self) -> Sql:
        return "a.duplicate_of IS NULL", []

    def written_after(self, seq: int) -> Sql:
        return "a.seq > ?", [seq]


def compile_query(node: Node) -> Sql:
    """SQL condition on `articles a` for a query AST."""
    return evaluate(node, SqlConditions())


def compile_filters(filters: Filters) -> Sql:
    """The request's filters as ` AND …` conditions to append to a WHERE clause."""
    parts = filter_parts(filters, SqlConditions())
    return "".join(f" AND {sql}" for sql, _ in parts), [p for _, ps in parts for p in ps]


def rank_match(node: Node) -> str | None:
    """The FTS5 expression bm25 ranks by: the query's words and phrases in its own AND/OR shape.

    Mirroring the query (rather than OR-ing every word) lets FTS5 score only rows that can
    match: `Aliyev Erdogan` scores the few thousand rows with both, not the tens of thousands
    with either. Exclusions and filters have no words to score; None when nothing is left.
    """
    expr = _rank_expr(node)
    return expr or None


def _rank_expr(node: Node, alone: bool = True) -> str | None:
    # "" = matches nothing (a word absent from the index), None = no words to score;
    # `alone`: not inside an AND, so a row this expression misses can still be a hit on its own
    if isinstance(node, Term):
        return f"({fts_match(node)})" if node.sequences else ""
    if isinstance(node, (And, Or)):
        parts = [_rank_expr(c, alone and isinstance(node, Or)) for c in node.children]
        if isinstance(node, Or):
            if None in parts and not alone:  # inside an AND the other words must still rank it
                return None
            # a branch without words (a filter) is not scored: the words alone rank, and what
            # matched only through the filter follows them with a score of 0
            kept = [p for p in parts if p]
            return "(" + " OR ".join(kept) + ")" if kept else ""
        if "" in parts:
            return ""
        kept = [p for p in parts if p is not None]
        return ("(" + " AND ".join(kept) + ")") if kept else None
    return None
