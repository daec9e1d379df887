"""The beat lexicon: concepts the beat's news is written in (a pipeline, an exercise, a visit) and their
words in English, Turkish, Azerbaijani and Russian, as the gazetteer is for names (index/lexicon.toml)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from index.analysis import STEMMED_LANGUAGES, term, tokenize

DEFAULT_LEXICON = Path(__file__).with_name("lexicon.toml")


@dataclass(frozen=True)
class Concept:
    id: str
    forms: dict[str, tuple[str, ...]]  # language -> the words (or phrases) it is written with

    def words(self) -> list[str]:
        """Every form, in the order listed (en, tr, az, ru)."""
        return [w for lang in STEMMED_LANGUAGES for w in self.forms.get(lang, ())]


class Lexicon:
    def __init__(self, concepts: list[Concept]):
        self.concepts = concepts
        self.by_id = {c.id: c for c in concepts}
        # language ("" = unstemmed) -> term sequence of a form -> concept ids
        self._tables: dict[str, dict[tuple[str, ...], set[str]]] = {}

    def concepts_for(self, text: str) -> list[Concept]:
        """Concepts one of whose forms `text` (a query word or phrase) is.

        A query has no language: it names a concept when its analysis in some language is that
        of a form listed for that language (or when it is a form as written). A form is not
        looked up under the other languages' stemmers: Turkish stems of English words say nothing.
        """
        ids: set[str] = set()
        for lang in (*STEMMED_LANGUAGES, ""):
            seq = tuple(term(t.text, lang) for t in tokenize(text))
            ids |= self._table(lang).get(seq, set())
        return [self.by_id[i] for i in sorted(ids)]

    def expand(self, text: str) -> list[str]:
        """The forms, in every language, of the concepts `text` names (not the text itself)."""
        out: list[str] = []
        for concept in self.concepts_for(text):
            out.extend(w for w in concept.words() if w not in out and w != text)
        return out

    def _table(self, lang: str) -> dict[tuple[str, ...], set[str]]:
        table = self._tables.get(lang)
        if table is None:
            table = {}
            for concept in self.concepts:
                for form_lang, words in concept.forms.items():
                    if lang not in ("", form_lang):
                        continue
                    for word in words:
                        seq = tuple(term(t.text, lang) for t in tokenize(word))
                        if seq:
                            table.setdefault(seq, set()).add(concept.id)
            self._tables[lang] = table
        return table


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read a lexicon file (default: the packaged one)."""
    if path is None:
        return _default()
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    concepts = []
    for entry in data.get("concept", []):
        unknown = set(entry) - {"id", *STEMMED_LANGUAGES}
        if unknown:
            raise ValueError(f"concept {entry.get('id')!r}: unknown keys {sorted(unknown)}")
        concepts.append(Concept(entry["id"], {lang: tuple(entry.get(lang, ())) for lang in STEMMED_LANGUAGES}))
    return Lexicon(concepts)


@lru_cache(maxsize=1)
def _default() -> Lexicon:
    return load_lexicon(DEFAULT_LEXICON)
