"""Near matches: the articles lacking one of a longer query's words, shown after every full match.

An analyst types the event's key words (`Victory Day parade Baku Erdogan`); a report of the
ceremony that never says "parade", or an article that names Aliyev's capital only as "the
capital", lacks one of them and is not a match. Measured on the real coverage of 14 events
(benchmarks/search_quality.py), such articles were 31 of the 133 the queries should find. A
web search engine shows them after the full matches, saying which word each lacks; so does
newsmon's search, with these rules:

- only a query of three to eight parts joined by AND (a word, a "phrase", a name of several
  words, a parenthesised group); filters (lang:, source:, entity:) and exclusions stay required;
- a near match holds every part but one (and is no full match), and says which one it lacks;
- near matches follow the full ones, ranked among themselves, only when the page reaches past
  the last full match; `total`, the facets, the chart, exports and alerts count full matches only.
"""
from __future__ import annotations

from index.article import Article
from index.query import And, MatchAll, Filter, Node, Not, Or, Phrase, Term, positive_terms

MIN_PARTS = 3  # with two, one lacking leaves a single word: every article naming Shusha for `Shusha summit`
MAX_PARTS = 8  # the near query repeats each part once per other part: n × (n - 1) leaves


def near_query(node: Node) -> tuple[Node, list[Node]] | None:
    """The query for articles holding all its parts but one, and its parts; None when it has no near matches.

    `node` is an expanded query (index.query.expand), so a name of several words is one part.
    """
    if not isinstance(node, And):
        return None
    parts = [c for c in node.children if _is_part(c)]
    if not MIN_PARTS <= len(parts) <= MAX_PARTS:
        return None
    required = [c for c in node.children if not _is_part(c)]
    all_but_one = Or(tuple(And(tuple(p for p in parts if p is not left)) for left in parts))
    return And((*required, all_but_one, Not(node))), parts


def lacking(article: Article, parts: list[Node]) -> list[str]:
    """The parts of the query a near match does not hold, as the words the analyst typed."""
    from index.dialect import evaluate
    from index.memory import Doc, MemoryDialect

    doc = Doc(article)
    dialect = MemoryDialect()
    return [label(p) for p in parts if not evaluate(p, dialect)(doc)]


def label(part: Node) -> str:
    """A part of a query as its words: `parade`, `"victory day"`, `Victory Day`, `(a OR b)`."""
    if isinstance(part, Phrase):
        return f'"{part.text}"'
    if isinstance(part, Term):
        return part.text
    if isinstance(part, Or) and isinstance(part.children[-1], Phrase) and _spelt_out(part):
        return part.children[-1].text  # words naming an entity or a concept: as typed (index.query._alias_words)
    if isinstance(part, Not):
        return "-" + label(part.child)
    joiner = " OR " if isinstance(part, Or) else " "
    return "(" + joiner.join(label(c) for c in part.children) + ")"


def _spelt_out(part: Or) -> bool:
    words, phrase = part.children[0], part.children[-1]
    return len(part.children) == 2 and isinstance(words, And) and \
        " ".join(t.text for t in words.children if isinstance(t, Term)) == phrase.text


def _is_part(node: Node) -> bool:
    """A part the analyst looks for (words), not a condition (a filter, an exclusion)."""
    return not isinstance(node, (Filter, Not, MatchAll)) and bool(positive_terms(node))
