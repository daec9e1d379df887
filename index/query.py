"""The query language: one parser to an AST, one shared alias expansion; stores compile the AST.

Syntax: words, "phrases", implicit AND (or `AND`), `OR` / `|`, `-word` / `-"phrase"` /
`-(group)` / `NOT x` exclusion, parentheses, and field prefixes `lang:tr`, `source:dailysabah`,
`entity:shusha`, `title:word`, `title:"a phrase"`, `title:(a OR b)`. Field names are
case-insensitive. An empty query matches every article. `=word`, `="a phrase"`, `=(a OR b)` or
`title:=word`: exactly these words (their own inflections), not widened to aliases or concepts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import NamedTuple, Union

from index.analysis import variants
from index.gazetteer import Gazetteer, load_gazetteer
from index.lexicon import Lexicon, load_lexicon

TEXT_FIELDS = ("title",)
FILTER_FIELDS = ("entity", "lang", "source")
KNOWN_FIELDS = tuple(sorted(TEXT_FIELDS + FILTER_FIELDS))
FIELD_SYNONYMS = {"language": "lang"}
# Limits keep every backend inside its own limits (SQLite expression depth, ES clause count).
MAX_DEPTH = 32
MAX_LEAVES = 256

_QUOTES = {'"': '"', "“": "”", "«": "»"}
_BREAKS = set("()|") | set(_QUOTES)
_FIELD = re.compile(r"([A-Za-z]+):(.*)", re.S)


class QueryError(ValueError):
    """A malformed query; the message names the problem, `position` is its 0-based character offset."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


@dataclass(frozen=True)
class MatchAll:
    """Every article."""


@dataclass(frozen=True)
class Term:
    """A word to find in title or body (or only the title), with the term sequences it may be indexed as."""

    text: str
    field: str = ""  # "" = title or body, "title" = title only
    sequences: frozenset[tuple[str, ...]] = frozenset()
    exact: bool = False  # `=word`: not widened to aliases or concepts


@dataclass(frozen=True)
class Phrase(Term):
    """Quoted words that must appear adjacent and in order."""


@dataclass(frozen=True)
class Filter:
    """A metadata condition: the article's `field` is one of `values` (lang, source, entity)."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Not:
    child: "Node"


Node = Union[MatchAll, Term, Phrase, Filter, And, Or, Not]


class _Token(NamedTuple):
    kind: str  # WORD, PHRASE, FIELD, (, ), OR, AND, NOT, EXACT
    value: str
    pos: int


def parse(query: str) -> Node:
    """Parse a query into an AST; raise QueryError with the problem and position if malformed."""
    if query is None:
        query = ""
    if not isinstance(query, str):
        raise QueryError(f"a query must be text, not {type(query).__name__}")
    tokens = _lex(query)
    if not tokens:
        return MatchAll()
    node = _Parser(tokens).parse()
    if node is None:
        raise QueryError("nothing to search for: the query has no words, only punctuation")
    return node


def expand(node: Node, gazetteer: Gazetteer | None = None, concepts: bool = True,
           lexicon: Lexicon | None = None) -> Node:
    """Widen every word or phrase naming a gazetteer entity to all its aliases, in every script,
    and (with `concepts`) every word naming a lexicon concept to its forms in every language.

    Also resolves `entity:` values given as names (entity:Şuşa) to entity ids. Adjacent words
    that together name an entity or a concept (shusha declaration, phone call) also match as
    its phrase, in every language, so the words find at least what the quoted phrase finds.
    A word marked exact (`=word`) keeps its own forms only.
    """
    gaz = gazetteer or load_gazetteer()
    lex = (lexicon or load_lexicon()) if concepts else None

    def walk(n: Node) -> Node:
        if isinstance(n, Term):
            seqs = set(n.sequences)
            for alias in widenings(n, gaz, lex):
                seqs |= variants(alias)
            return replace(n, sequences=frozenset(seqs))
        if isinstance(n, Filter) and n.field == "entity":
            ids = [e.id for v in n.values for e in gaz.entities_for(v)]
            return Filter("entity", tuple(dict.fromkeys([*n.values, *ids])))
        if isinstance(n, And):
            return _combine(And, [_alias_words(c, walk) if isinstance(c, tuple) else walk(c)
                                  for c in alias_runs(n.children, gaz, lex)])
        if isinstance(n, Or):
            return Or(tuple(walk(c) for c in n.children))
        if isinstance(n, Not):
            return Not(walk(n.child))
        return n

    return walk(node)


def widenings(leaf: Term, gaz: Gazetteer, lex: Lexicon | None) -> list[str]:
    """What a word or phrase is widened to: its entity's aliases, then its concept's forms."""
    if leaf.exact:
        return []
    aliases = gaz.expand(leaf.text)[1:]
    forms = lex.expand(leaf.text) if lex is not None else []
    return aliases + [f for f in forms if f not in aliases]


MAX_ALIAS_WORDS = 6


def alias_runs(children: tuple[Node, ...], gaz: Gazetteer, lex: Lexicon | None = None) -> list:
    """The children, with each longest run of plain words naming an entity or a concept gathered in a tuple."""
    out: list = []
    i = 0
    while i < len(children):
        for size in range(min(MAX_ALIAS_WORDS, len(children) - i), 1, -1):
            run = children[i:i + size]
            if not all(type(c) is Term and c.field == run[0].field and not c.exact for c in run):
                continue
            text = " ".join(c.text for c in run)
            if gaz.entities_for(text) or (lex is not None and lex.concepts_for(text)):
                out.append(tuple(run))
                i += size
                break
        else:
            out.append(children[i])
            i += 1
    return out


def _alias_words(run: tuple[Term, ...], walk) -> Node:
    """Words naming an entity or a concept: the words anywhere (as typed), or its phrase in any language."""
    text = " ".join(t.text for t in run)
    phrase = walk(Phrase(text, run[0].field, variants(text)))
    return Or((And(tuple(walk(t) for t in run)), phrase))


def positive_terms(node: Node) -> list[Term]:
    """Words and phrases the matching articles contain (not those under an exclusion)."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, (And, Or)):
        return [t for c in node.children for t in positive_terms(c)]
    return []


def _lex(q: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
        elif c in "()":
            tokens.append(_Token(c, c, i))
            i += 1
        elif c == "|":
            tokens.append(_Token("OR", c, i))
            i += 1
        elif c in _QUOTES:
            end = q.find(_QUOTES[c], i + 1)
            if end < 0:
                raise QueryError(f"unterminated quote: {c!r} at position {i} is never closed", i)
            tokens.append(_Token("PHRASE", q[i + 1:end], i))
            i = end + 1
        elif c == "-" and i + 1 < n and not q[i + 1].isspace() and q[i + 1] not in ")|":
            tokens.append(_Token("NOT", c, i))
            i += 1
        elif c == "=" and i + 1 < n and not q[i + 1].isspace() and q[i + 1] not in ")|=":
            tokens.append(_Token("EXACT", c, i))
            i += 1
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] not in _BREAKS:
                j += 1
            tokens.extend(_word_tokens(q, i, j))
            i = j
    return tokens


def _word_tokens(q: str, i: int, j: int) -> list[_Token]:
    word = q[i:j]
    if word in ("OR", "AND", "NOT"):
        return [_Token(word, word, i)]
    match = _FIELD.fullmatch(word)
    if not match:
        return [_Token("WORD", word, i)]
    name = match.group(1).lower()
    name = FIELD_SYNONYMS.get(name, name)
    if name not in KNOWN_FIELDS:
        raise QueryError(
            f"unknown field '{match.group(1)}:' at position {i}; known fields: "
            + ", ".join(f"{f}:" for f in KNOWN_FIELDS)
            + " (put the text in quotes to search for it as words)", i)
    value, at = match.group(2), i + len(match.group(1)) + 1
    field = [_Token("FIELD", name, i)]
    if value.startswith("=") and (len(value) > 1 or (j < len(q) and (q[j] in _QUOTES or q[j] == "("))):
        field, value, at = field + [_Token("EXACT", "=", at)], value[1:], at + 1  # title:=word
    if value:
        return field + [_Token("WORD", value, at)]
    if j < len(q) and (q[j] in _QUOTES or q[j] == "("):
        return field  # the value is the phrase or group that follows
    raise QueryError(f"empty value for field '{match.group(1)}:' at position {i}", i)


class _Parser:
    """Recursive descent: or_expr := and_expr (OR and_expr)*; and_expr := unary+; unary := -unary | primary."""

    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.i = 0
        self.leaves = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node | None:
        node = self.or_expr("", 0)
        tok = self.peek()
        if tok is not None:  # or_expr stops only at an unmatched ')'
            raise QueryError(f"unbalanced parenthesis: ')' at position {tok.pos} has no matching '('", tok.pos)
        return node

    def or_expr(self, field: str, depth: int) -> Node | None:
        parts = [self.and_expr(field, depth)]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            self.operand_after(tok)
            parts.append(self.and_expr(field, depth))
        return _combine(Or, parts)

    def and_expr(self, field: str, depth: int) -> Node | None:
        items: list[Node | None] = []
        while (tok := self.peek()) is not None and tok.kind not in ("OR", ")"):
            if tok.kind == "AND":
                self.take()
                if not items:
                    raise QueryError(f"AND at position {tok.pos} has nothing before it", tok.pos)
                self.operand_after(tok)
                continue
            items.append(self.unary(field, depth))
        if not items:
            tok = self.peek()
            if tok is not None and tok.kind == "OR":
                raise QueryError(f"{tok.value} at position {tok.pos} has nothing before it", tok.pos)
            if tok is not None:
                raise QueryError(f"unbalanced parenthesis: ')' at position {tok.pos} has no matching '('", tok.pos)
        return _combine(And, items)

    def operand_after(self, op: _Token) -> None:
        """Fail when an operator is the last thing in its group."""
        nxt = self.peek()
        if nxt is None or nxt.kind in ("OR", "AND", ")"):
            label = "'-'" if op.value == "-" else op.kind
            raise QueryError(f"dangling {label} at position {op.pos}: nothing follows it", op.pos)

    def unary(self, field: str, depth: int) -> Node | None:
        tok = self.peek()
        if tok.kind == "NOT":
            self.take()
            self.operand_after(tok)
            if depth >= MAX_DEPTH:
                raise QueryError(f"query nested too deeply at position {tok.pos} (limit {MAX_DEPTH})", tok.pos)
            child = self.unary(field, depth + 1)
            if child is None:
                return None
            return child.child if isinstance(child, Not) else Not(child)
        if tok.kind == "EXACT":
            self.take()
            self.operand_after(tok)
            return _exact(self.unary(field, depth))
        return self.primary(field, depth)

    def primary(self, field: str, depth: int) -> Node | None:
        tok = self.take()
        if tok.kind in ("WORD", "PHRASE"):
            return self.leaf(tok, field)
        if tok.kind == "FIELD":
            return self.primary(tok.value, depth)
        if tok.kind == "EXACT":  # after a field name (title:=word)
            return _exact(self.primary(field, depth))
        # tok is "(": and_expr never hands over ")", "OR" or "AND"
        if depth >= MAX_DEPTH:
            raise QueryError(f"query nested too deeply at position {tok.pos} (limit {MAX_DEPTH})", tok.pos)
        nxt = self.peek()
        if nxt is None:
            raise QueryError(f"unbalanced parenthesis: '(' at position {tok.pos} is never closed", tok.pos)
        if nxt.kind == ")":
            raise QueryError(f"empty parentheses '()' at position {tok.pos}", tok.pos)
        node = self.or_expr(field, depth + 1)
        if self.peek() is None:
            raise QueryError(f"unbalanced parenthesis: '(' at position {tok.pos} is never closed", tok.pos)
        self.take()
        return node

    def leaf(self, tok: _Token, field: str) -> Node | None:
        self.leaves += 1
        if self.leaves > MAX_LEAVES:
            raise QueryError(f"query too long at position {tok.pos}: at most {MAX_LEAVES} words, phrases and filters", tok.pos)
        if field in FILTER_FIELDS:
            value = tok.value.strip().lower()
            if not value:
                raise QueryError(f"empty value for field '{field}:' at position {tok.pos}", tok.pos)
            return Filter(field, (value,))
        if tok.kind == "PHRASE" and not tok.value.strip():
            raise QueryError(f"empty phrase at position {tok.pos}", tok.pos)
        seqs = variants(tok.value)
        if not seqs:
            return None  # punctuation only ("Turkey - Azerbaijan"): nothing to look for
        cls = Phrase if tok.kind == "PHRASE" else Term
        return cls(tok.value, field, seqs)


def _exact(node: Node | None) -> Node | None:
    """The node with every word and phrase in it marked exact (`=word`, `=(a OR b)`)."""
    if isinstance(node, Term):
        return replace(node, exact=True)
    if isinstance(node, Not):
        return Not(_exact(node.child))
    if isinstance(node, (And, Or)):
        return type(node)(tuple(_exact(c) for c in node.children))
    return node


def _combine(cls: type, items: list[Node | None]) -> Node | None:
    """Build And/Or from the parts that remain, flattening nested ones of the same kind."""
    kept: list[Node] = []
    for item in items:
        if item is None:
            continue
        kept.extend(item.children if isinstance(item, cls) else [item])
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else cls(tuple(kept))
