"""The multilingual gazetteer: entities of the beat and their aliases in four languages."""
from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from index.analysis import STEMMED_LANGUAGES, fold, lower, term, tokenize

DEFAULT_GAZETTEER = Path(__file__).with_name("gazetteer.toml")


@dataclass
class Entity:
    id: str
    name: str
    kind: str
    side: str  # "TR", "AZ" or "BOTH" (bilateral by itself: the Shusha Declaration, TANAP)
    aliases: list[str] = field(default_factory=list)
    # alias -> the only languages whose text it is matched in (its stem is a common word in others)
    alias_languages: dict[str, list[str]] = field(default_factory=dict)

    def matches_in(self, alias: str, lang: str) -> bool:
        """Whether an alias is looked for in text of language `lang` ("" = unstemmed, always)."""
        return lang == "" or lang in self.alias_languages.get(alias, [lang])


@dataclass(frozen=True)
class _Entry:
    entity_id: str
    prefixes: tuple[str, ...]  # how each text word must begin, as written (see _prefix)
    limited: bool  # the alias is limited to some languages by alias_languages

    def accepts(self, surfaces: list[str]) -> bool:
        return all(s.startswith(p) for s, p in zip(surfaces, self.prefixes))


def _surface(word: str, lang: str) -> str:
    """A word lowercased as written (without the dot str.lower() leaves on İ outside tr/az)."""
    return unicodedata.normalize("NFC", lower(word, lang)).replace("\u0307", "")


def _prefix(word: str, lang: str) -> str:
    """The written start of an alias word that its stem covers: Şuşa → şuş, Bakı → bak.

    Folding before comparing stems joins words that differ in letters (susuz → sus like
    Şuşa → sus; bağlantı → bak like Bakı → bak); requiring the text word to begin with the
    alias's own letters keeps them apart while declensions (Şuşada, Bakıda, Шуше) still match.
    """
    surface, stem = _surface(word, lang), term(word, lang)
    pos = 0
    for k, char in enumerate(surface):
        folded = fold(char)
        if not folded or stem[pos:pos + len(folded)] != folded:
            return surface[:k]
        pos += len(folded)
    return surface


class Gazetteer:
    def __init__(self, entities: list[Entity]):
        self.entities = entities
        self.by_id = {e.id: e for e in entities}
        # language -> alias term sequence -> entries; built on first use of each language
        self._tables: dict[str, dict[tuple[str, ...], list[_Entry]]] = {}
        self._start_terms: dict[str, tuple[frozenset[str], int]] = {}

    def entities_for(self, text: str) -> list[Entity]:
        """Entities of which `text` (a query word or phrase) is an alias, in any language."""
        ids: set[str] = set()
        for lang in (*STEMMED_LANGUAGES, ""):
            terms, surfaces = self._analyze(text, lang)
            for entry in self._table(lang).get(tuple(terms), []):
                # A query has no language: a limited alias matches it only as spelled, or
                # "bakınca" (Turkish: when looking) would expand to Baku through Azerbaijani Bakı.
                if (lang == "" or not entry.limited) and entry.accepts(surfaces):
                    ids.add(entry.entity_id)
        return [self.by_id[i] for i in sorted(ids)]

    def expand(self, text: str) -> list[str]:
        """The text plus every alias of the entities it names, in every script."""
        out = [text]
        for entity in self.entities_for(text):
            for alias in [entity.name, *entity.aliases]:
                if alias not in out:
                    out.append(alias)
        return out

    @staticmethod
    def _analyze(text: str, lang: str) -> tuple[list[str], list[str]]:
        tokens = tokenize(text)
        return [term(t.text, lang) for t in tokens], [_surface(t.text, lang) for t in tokens]

    def _table(self, lang: str) -> dict[tuple[str, ...], list[_Entry]]:
        table = self._tables.get(lang)
        if table is None:
            table = {}
            for entity in self.entities:
                for alias in [entity.name, *entity.aliases]:
                    if not entity.matches_in(alias, lang):
                        continue
                    words = [t.text for t in tokenize(alias)]
                    seq = tuple(term(w, lang) for w in words)
                    if seq:
                        entry = _Entry(entity.id, tuple(_prefix(w, lang) for w in words),
                                       alias in entity.alias_languages)
                        table.setdefault(seq, []).append(entry)
            self._tables[lang] = table
        return table

    def _starts(self, lang: str) -> tuple[frozenset[str], int]:
        """First terms of the language's aliases and the longest alias: most words start none."""
        starts = self._start_terms.get(lang)
        if starts is None:
            table = self._table(lang)
            starts = self._start_terms[lang] = (frozenset(seq[0] for seq in table),
                                                max((len(seq) for seq in table), default=0))
        return starts

    def find(self, text: str, lang: str) -> dict[str, int]:
        """Count mentions of each entity in a text of language `lang`."""
        counts: dict[str, int] = {}
        for ids, _, _ in self.mentions(text, lang):
            for entity_id in ids:
                counts[entity_id] = counts.get(entity_id, 0) + 1
        return counts

    def mentions(self, text: str, lang: str) -> list[tuple[set[str], int, int]]:
        """Each mention in a text of language `lang`: the entity ids and its character span."""
        tokens = tokenize(text)
        terms = [term(t.text, lang) for t in tokens]
        table = self._table(lang)
        starts, longest = self._starts(lang)
        found = []
        i = 0
        while i < len(terms):
            step = 1
            if terms[i] in starts:
                for size in range(min(longest, len(terms) - i), 0, -1):
                    entries = table.get(tuple(terms[i:i + size]))
                    if not entries:
                        continue
                    # the written forms are needed only where an alias's terms matched
                    surfaces = [_surface(t.text, lang) for t in tokens[i:i + size]]
                    ids = {e.entity_id for e in entries if e.accepts(surfaces)}
                    if ids:
                        found.append((ids, tokens[i].start, tokens[i + size - 1].end))
                        step = size
                        break
            i += step
        return found


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """Read a gazetteer file (default: the packaged one)."""
    if path is None:
        return _default()
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return Gazetteer([Entity(**e) for e in data.get("entity", [])])


@lru_cache(maxsize=1)
def _default() -> Gazetteer:
    return load_gazetteer(DEFAULT_GAZETTEER)
