"""The beat lexicon (index/lexicon.toml) and what it does to queries: concepts widened across
languages, declined forms named, look-alike words left alone, the switch and `=word`, explain."""
from __future__ import annotations

import tomllib

import pytest

from index.analysis import STEMMED_LANGUAGES, variants
from index.explain import explain
from index.lexicon import DEFAULT_LEXICON, load_lexicon
from index.query import MAX_LEAVES, And, Or, Term, expand, parse


@pytest.fixture(scope="module")
def lex():
    return load_lexicon()


def concepts(lex, text: str) -> list[str]:
    return [c.id for c in lex.concepts_for(text)]


@pytest.mark.parametrize("text, concept", [
    ("reconstruction", "reconstruction"), ("bərpası", "reconstruction"), ("восстановления", "reconstruction"),
    ("earthquakes", "earthquake"), ("depremin", "earthquake"), ("zəlzələnin", "earthquake"),
    ("землетрясением", "earthquake"), ("tatbikatı", "exercise"), ("təlimlərində", "exercise"),
    ("военные учения", "exercise"), ("paradda", "parade"), ("параде", "parade"), ("boru hattının", "pipeline"),
    ("газопровода", "pipeline"), ("Zafer Günü", "victory"), ("phone call", "phone-call"),
    ("temeli atıldı", "groundbreaking"), ("demiryolu", "railway"), ("железнодорожной", "railway"),
    ("zirvesi", "summit"), ("саммите", "summit"), ("açılışı", "opening"), ("ziyarette", "visit"),
])
def test_declined_forms_name_their_concept(lex, text, concept):
    assert concept in concepts(lex, text)


@pytest.mark.parametrize("text", [
    "учёные",     # scientists: stems like учения (exercises), which is listed only in phrases
    "учение",     # teaching
    "açıldı",     # Turkish stem açıl folds to acil (emergency): only açılış is listed
    "мины",       # stems to мин (minutes, ministers)
    "parada",     # Azerbaijani: to the parade, but stems to para (money), so it is not listed
    "Karabakh", "Erdogan", "football",
])
def test_lookalike_and_other_words_name_no_concept(lex, text):
    assert concepts(lex, text) == []


def test_data_is_well_formed(lex):
    data = tomllib.loads(DEFAULT_LEXICON.read_text(encoding="utf-8"))
    ids = [c["id"] for c in data["concept"]]
    assert len(ids) == len(set(ids))
    for concept in lex.concepts:
        assert all(concept.forms[lang] for lang in STEMMED_LANGUAGES), concept.id  # every language has words


def test_a_word_is_widened_to_the_concept_in_every_language():
    node = expand(parse("Karabakh reconstruction"))
    word = node.children[1]
    for form in ("bərpası", "восстановление", "yeniden inşa", "restoration"):
        assert variants(form) <= word.sequences
    assert not (variants("bərpası") & expand(parse("Karabakh reconstruction"), concepts=False).children[1].sequences)


def test_an_exact_word_is_not_widened():
    node = expand(parse('=reconstruction =Shusha ="gas pipeline"'))
    assert [t.exact for t in node.children] == [True, True, True]
    assert all(t.sequences == variants(t.text) for t in node.children)
    assert expand(parse("=(visit OR summit)")).children[0].sequences == variants("visit")
    assert parse("a = b") == parse("a b")  # a lone = is no operator
    titled = parse('title:=reconstruction title:="gas pipeline"').children
    assert [(t.field, t.exact) for t in titled] == [("title", True), ("title", True)]
    assert expand(parse("title:=reconstruction")).sequences == variants("reconstruction")


def test_words_naming_a_concept_together_also_match_its_phrase():
    node = expand(parse("phone call"))
    assert isinstance(node, Or) and isinstance(node.children[0], And)
    assert variants("телефонный разговор") <= node.children[1].sequences


def test_widening_adds_sequences_not_leaves():
    query = " ".join(["reconstruction"] * MAX_LEAVES)
    node = expand(parse(query))
    assert len(node.children) == MAX_LEAVES and all(isinstance(c, Term) for c in node.children)


def test_explain_says_what_each_word_became():
    found = {e["text"]: e for e in explain(parse('Karabakh reconstruction -=pipeline "phone call"'))}
    assert found["Karabakh"]["entities"] == ["karabakh"] and "Qarabağ" in found["Karabakh"]["forms"]
    assert found["reconstruction"]["concepts"] == ["reconstruction"] and "bərpası" in found["reconstruction"]["forms"]
    assert found["pipeline"] == {"text": "pipeline", "field": "", "exact": True, "entities": [], "concepts": [],
                                 "forms": []}
    assert "телефонный разговор" in found["phone call"]["forms"]
    off = {e["text"]: e for e in explain(parse("Karabakh reconstruction"), concepts=False)}
    assert off["reconstruction"]["forms"] == [] and off["Karabakh"]["forms"]  # names are still widened
