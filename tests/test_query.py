"""The query parser, the shared alias expansion, and highlighting."""
from __future__ import annotations

import random

import pytest

from index.analysis import term, variants
from index.article import Article
from index.highlight import highlight, snippets
from index.query import (MAX_DEPTH, And, Filter, MatchAll, Not, Or, Phrase, QueryError, Term, expand, parse,
                         positive_terms)


def w(text: str, field: str = "") -> Term:
    return Term(text, field, variants(text))


def p(text: str, field: str = "") -> Phrase:
    return Phrase(text, field, variants(text))


@pytest.mark.parametrize("query, ast", [
    ("", MatchAll()),
    ("  \t\n", MatchAll()),
    ("Shusha", w("Shusha")),
    ("energy deal", And((w("energy"), w("deal")))),
    ("energy AND deal", And((w("energy"), w("deal")))),
    ('"energy deal"', p("energy deal")),
    ("«Шуша Баку»", p("Шуша Баку")),
    ("a OR b", Or((w("a"), w("b")))),
    ("a | b|c", Or((w("a"), w("b"), w("c")))),
    ("a b OR c", Or((And((w("a"), w("b"))), w("c")))),  # AND binds tighter than OR
    ("a (b OR c)", And((w("a"), Or((w("b"), w("c")))))),
    ("((a))", w("a")),
    ("-a b", And((Not(w("a")), w("b")))),
    ("NOT a", Not(w("a"))),
    ('-"a b"', Not(p("a b"))),
    ("-(a OR b)", Not(Or((w("a"), w("b"))))),
    ("--a", w("a")),
    ("lang:tr", Filter("lang", ("tr",))),
    ("LANG:TR", Filter("lang", ("tr",))),
    ("Language:az", Filter("lang", ("az",))),
    ("source:dailysabah", Filter("source", ("dailysabah",))),
    ("entity:Shusha", Filter("entity", ("shusha",))),
    ('entity:"Ilham Aliyev"', Filter("entity", ("ilham aliyev",))),
    ("lang:(tr OR az)", Or((Filter("lang", ("tr",)), Filter("lang", ("az",))))),
    ("title:word", w("word", "title")),
    ("TITLE:word", w("word", "title")),
    ('title:"a phrase"', p("a phrase", "title")),
    ("title:(a -b)", And((w("a", "title"), Not(w("b", "title"))))),
    ("lang:tr -football", And((Filter("lang", ("tr",)), Not(w("football"))))),
    ("-lang:en", Not(Filter("lang", ("en",)))),
    ("Turkey - Azerbaijan", And((w("Turkey"), w("Azerbaijan")))),  # lone dash: punctuation
    ("a , b", And((w("a"), w("b")))),
    ("10:30", w("10:30")),  # not a field: names are letters only
    ("Şuşa-ziyareti", w("Şuşa-ziyareti")),
    ("title:OR", w("OR", "title")),
])
def test_parse(query, ast):
    assert parse(query) == ast


def test_hyphenated_word_is_a_term_sequence():
    assert (term("Şuşa", "tr"), term("ziyareti", "tr")) in parse("Şuşa-ziyareti").sequences


@pytest.mark.parametrize("query, message, position", [
    ("(Shusha", "unbalanced parenthesis: '(' at position 0 is never closed", 0),
    ("a (b (c)", "'(' at position 2 is never closed", 2),
    ("Shusha)", "unbalanced parenthesis: ')' at position 6 has no matching '('", 6),
    ('say "hello', "unterminated quote: '\"' at position 4 is never closed", 4),
    ("«Шуша", "unterminated quote", 0),
    ("a OR", "dangling OR at position 2", 2),
    ("a |", "dangling OR at position 2", 2),
    ("a OR OR b", "dangling OR at position 2", 2),
    ("a OR )", "dangling OR", 2),
    ("OR a", "OR at position 0 has nothing before it", 0),
    ("(| a)", "| at position 1 has nothing before it", 1),
    ("AND a", "AND at position 0 has nothing before it", 0),
    ("a AND", "dangling AND", 2),
    ("a NOT", "dangling NOT", 2),
    ("lang:", "empty value for field 'lang:' at position 0", 0),
    ("a title: b", "empty value for field 'title:' at position 2", 2),
    ('lang:""', "empty value for field 'lang:'", 5),
    ('title:""', "empty phrase at position 6", 6),
    ("foo:bar", "unknown field 'foo:' at position 0; known fields: entity:, lang:, source:, title:", 0),
    ("()", "empty parentheses '()' at position 0", 0),
    ("-", "nothing to search for", None),
    ("(" * (MAX_DEPTH + 5) + "a" + ")" * (MAX_DEPTH + 5), "nested too deeply", MAX_DEPTH),
    (" ".join(["a"] * 300), "query too long", 512),
])
def test_errors_name_the_problem_and_position(query, message, position):
    with pytest.raises(QueryError) as info:
        parse(query)
    assert message in str(info.value)
    assert info.value.position == position
    assert isinstance(info.value, ValueError)


def test_non_text_query_is_a_query_error():
    with pytest.raises(QueryError):
        parse(42)
    assert parse(None) == MatchAll()


def test_fuzz_only_query_errors():
    rng = random.Random(2024)
    pieces = ['a', 'b', 'Şuşa', 'Шуша', ' ', ' ', '"', '«', '»', '“', '”', '(', ')', '-', '|', 'OR', 'AND', 'NOT',
              ':', 'lang:', 'title:', 'entity:', 'source:', 'foo:', '*', "'", '\\', '\x00', '\t', 'ə', 'İ', '_', '²']
    for _ in range(3000):
        query = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 15)))
        try:
            expand(parse(query))
        except QueryError:
            pass
    for _ in range(1000):
        query = "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(0, 20)))
        try:
            expand(parse(query))
        except QueryError:
            pass


# --- expansion ---------------------------------------------------------------------------------

@pytest.mark.parametrize("query, other_spellings", [
    ("Shusha", ["Şuşa", "Шуша"]),
    ("Şuşa", ["Shusha", "Шуша"]),
    ("Aliyev", ["Əliyev", "Алиев"]),
    ("Erdogan", ["Erdoğan", "Эрдоган"]),
    ('"Ilham Aliyev"', ["Ильхам Алиев", "Əliyev"]),
])
def test_expand_adds_every_alias(query, other_spellings):
    node = expand(parse(query))
    for spelling in other_spellings:
        assert variants(spelling) <= node.sequences
    assert parse(query).sequences <= node.sequences


def test_expand_reaches_every_leaf_and_keeps_structure():
    node = expand(parse("title:Shusha -(Aliyev OR lang:ru) entity:Şuşa"))
    title, excluded, entity = node.children
    assert title.field == "title" and variants("Шуша") <= title.sequences
    assert variants("Алиев") <= excluded.child.children[0].sequences
    assert excluded.child.children[1] == Filter("lang", ("ru",))
    assert entity == Filter("entity", ("şuşa", "shusha"))


def test_expand_leaves_unknown_words_alone():
    assert expand(parse("football")) == parse("football")
    assert expand(parse("pipeline"), concepts=False) == parse("pipeline")  # a concept, but switched off


def test_positive_terms_skip_exclusions():
    node = parse('a -b (c OR -d) title:"e f" lang:tr')
    assert [t.text for t in positive_terms(node)] == ["a", "c", "e f"]


# --- highlights --------------------------------------------------------------------------------

def article(title: str, body: str, lang: str = "en") -> Article:
    return Article(url="u", canonical_url="u", source="s", title=title, body=body, language=lang)


def test_highlight_marks_words_and_phrases_and_escapes():
    a = article("Gas & oil <deal>", "The gas pipeline opened. Gas prices fell.")
    h = highlight(a, expand(parse('"gas pipeline" -oil')))
    assert h["title"] == ["Gas &amp; oil &lt;deal&gt;"]
    assert h["body"] == ["The <mark>gas pipeline</mark> opened. Gas prices fell."]
    h = highlight(a, parse("gas"))
    assert h["title"] == ["<mark>Gas</mark> &amp; oil &lt;deal&gt;"]
    assert h["body"] == ["The <mark>gas</mark> pipeline opened. <mark>Gas</mark> prices fell."]


def test_highlight_uses_the_article_language():
    a = article("İSTANBUL'DA seçimler", "Seçimlerde Erdoğan'ın partisi kazandı.", "tr")
    h = highlight(a, expand(parse("istanbul seçim Erdogan")))
    assert h["title"] == ["<mark>İSTANBUL'DA</mark> <mark>seçimler</mark>"]
    assert h["body"] == ["<mark>Seçimlerde</mark> <mark>Erdoğan'ın</mark> partisi kazandı."]


def test_snippets_cut_at_words_and_stop_at_three():
    filler = " ".join(["lorem"] * 60)
    body = f"{filler} alpha {filler} beta {filler} gamma {filler} delta {filler}"
    parts = highlight(article("t", body), parse("alpha OR beta OR gamma OR delta"))["body"]
    assert len(parts) == 3
    for part, word in zip(parts, ["alpha", "beta", "gamma"]):
        assert part.startswith("…") and part.endswith("…")
        assert f"<mark>{word}</mark>" in part
        text = part.strip("…").replace("<mark>", "").replace("</mark>", "")
        assert 120 <= len(text) <= 170
        assert all(token in ("lorem", word) for token in text.split())


def test_body_without_match_gives_its_opening():
    body = "word " * 100
    assert highlight(article("Shusha", body), parse("Shusha"))["body"] == [body[:159].strip() + "…"]
    assert highlight(article("t", "short body"), parse("x"))["body"] == ["short body"]
    assert highlight(article("t", ""), parse("x"))["body"] == []


def test_close_matches_share_one_snippet():
    body = "Shusha and Şuşa are one city. " + "filler " * 60
    assert len(snippets(body, [(0, 6), (11, 15)])) == 1
