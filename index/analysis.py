"""Text analysis shared by every store: tokens, Turkic casing, folding, stemming.

Both stores index the terms produced here and compile queries from the variants produced
here, so the SQLite and Elasticsearch stores match the same articles.
"""
from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

# Snowball has no Azerbaijani stemmer; Turkish suffixes are close enough once ə is folded.
STEMMERS = {"en": "english", "tr": "turkish", "az": "turkish", "ru": "russian"}
STEMMED_LANGUAGES = tuple(STEMMERS)
# Shortest stem allowed per language: Turkic stems of three letters collide too often
# (Şuşa→şuş meets susuz→sus), Russian ones rarely (Шуша→шуш).
MIN_STEM = {"tr": 4, "az": 4}
DEFAULT_MIN_STEM = 3

# A word, optionally with apostrophe-joined parts (Erdoğan'ın, Turkey's, O'Neil).
_WORD = re.compile(r"\w+(?:['’ʼ]\w+)*")
_APOSTROPHES = re.compile(r"['’ʼ]")

# Letters that NFKD does not decompose but that readers treat as plain Latin letters.
_LATIN_FOLD = str.maketrans({"ı": "i", "ə": "e", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"})


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split text into word tokens with their character offsets in the original."""
    return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def lower(text: str, lang: str = "") -> str:
    """Lowercase with Turkish and Azerbaijani dotted/dotless i rules where they apply."""
    if lang in ("tr", "az"):
        text = text.replace("I", "ı").replace("İ", "i")
    return text.lower()


def fold(word: str) -> str:
    """Fold a lowercased word: ş→s, ğ→g, ı→i, ə→e, ö→o, ё→е; keep other Cyrillic letters."""
    word = word.translate(_LATIN_FOLD)
    out = []
    for char in unicodedata.normalize("NFD", word):
        if unicodedata.combining(char):
            # й must stay й: only Cyrillic ё (е + diaeresis) loses its mark.
            if out and "\u0400" <= out[-1] <= "\u04ff" and char != "\u0308":
                out[-1] = unicodedata.normalize("NFC", out[-1] + char)
            continue
        out.append(char)
    return "".join(out)


def _strip_suffix(word: str, lang: str) -> str:
    """Drop what follows an apostrophe: Turkic case endings on names, English 's."""
    parts = _APOSTROPHES.split(word)
    if len(parts) == 1:
        return word
    if lang in ("tr", "az") or parts[-1] in ("s", "ın", "in", "un", "ün", "nın", "nin"):
        return parts[0]
    return "".join(parts)


@lru_cache(maxsize=8)
def _stemmer(lang: str) -> Stemmer.Stemmer | None:
    name = STEMMERS.get(lang)
    return Stemmer.Stemmer(name) if name else None


@lru_cache(maxsize=200_000)
def term(word: str, lang: str) -> str:
    """The index term of one word in a text of language `lang`."""
    # Folding before stemming lets an ASCII spelling (Erdogan, isbirligi) meet the native
    # one (Erdoğan, işbirliği): both reach the stemmer as the same letters.
    word = fold(_strip_suffix(lower(word, lang), lang))
    stemmer = _stemmer(lang)
    if stemmer is not None:
        # Snowball is not idempotent on names (Эрдоган→эрдога but Эрдоганом→эрдоган):
        # stemming to a fixed point joins the forms of one name; a floor (MIN_STEM) keeps
        # short names (Алиев, Şuşa) from collapsing into unrelated words.
        for _ in range(3):
            stemmed = stemmer.stemWord(word)
            if stemmed == word or len(stemmed) < MIN_STEM.get(lang, DEFAULT_MIN_STEM):
                break
            word = stemmed
    return fold(word)


def analyze(text: str, lang: str) -> list[str]:
    """Index terms of a text, one per token, positions preserved (no stopwords dropped)."""
    return [term(tok.text, lang) for tok in tokenize(text)]


def variants(text: str) -> frozenset[tuple[str, ...]]:
    """Every term sequence a query word or phrase may have been indexed as.

    A text is analysed with one language, so a phrase is expanded per language (not per
    word), which keeps the expansion small and exact.
    """
    words = [tok.text for tok in tokenize(text)]
    out = {tuple(term(w, lang) for w in words) for lang in (*STEMMED_LANGUAGES, "")}
    return frozenset(seq for seq in out if seq and all(seq))


def term_places(terms: list[str]) -> dict[str, list[int]]:
    """Where each term stands in a text's terms (its positions, in order): a phrase is looked up
    by its first term instead of tried at every position."""
    places: dict[str, list[int]] = {}
    for i, term in enumerate(terms):
        places.setdefault(term, []).append(i)
    return places


def index_text(text: str, lang: str) -> str:
    """Space-joined index terms, the form both stores keep in their analysed field."""
    return " ".join(analyze(text, lang))


@dataclass(frozen=True)
class IndexTerms:
    """An article's analysed title and body, with a checksum of the text they were made from."""

    title: str
    body: str
    key: int

    @classmethod
    def of(cls, title: str, body: str, lang: str) -> "IndexTerms":
        return cls(index_text(title, lang), index_text(body, lang), _text_key(title, body, lang))

    def fits(self, title: str, body: str, lang: str) -> bool:
        """True when these terms were made from this very text (an edited article needs new ones)."""
        return self.key == _text_key(title, body, lang)


def _text_key(title: str, body: str, lang: str) -> int:
    return zlib.crc32(f"{lang}\0{title}\0{body}".encode("utf-8"))


def terms_of(article) -> IndexTerms:
    """The article's index terms: the ones computed with the other stages, or made now."""
    terms = getattr(article, "terms", None)
    if isinstance(terms, IndexTerms) and terms.fits(article.title, article.body, article.language):
        return terms
    return IndexTerms.of(article.title, article.body, article.language)
