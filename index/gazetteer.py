"""The multilingual gazetteer: entities of the beat and their aliases in four languages."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from index.analysis import analyze, variants

DEFAULT_GAZETTEER = Path(__file__).with_name("gazetteer.toml")


@dataclass
class Entity:
    id: str
    name: str
    kind: str
    side: str  # "TR", "AZ" or "BOTH" (bilateral by itself: the Shusha Declaration, TANAP)
    aliases: list[str] = field(default_factory=list)


class Gazetteer:
    def __init__(self, entities: list[Entity]):
        self.entities = entities
        self.by_id = {e.id: e for e in entities}
        # term sequence (in any language's analysis) -> entity ids, for query expansion
        self._alias_index: dict[tuple[str, ...], set[str]] = {}
        for entity in entities:
            for alias in [entity.name, *entity.aliases]:
                for seq in variants(alias):
                    self._alias_index.setdefault(seq, set()).add(entity.id)
        self._per_language: dict[str, dict[tuple[str, ...], set[str]]] = {}

    def entities_for(self, text: str) -> list[Entity]:
        """Entities of which `text` (a query word or phrase) is an alias."""
        ids: set[str] = set()
        for seq in variants(text):
            ids |= self._alias_index.get(seq, set())
        return [self.by_id[i] for i in sorted(ids)]

    def expand(self, text: str) -> list[str]:
        """The text plus every alias of the entities it names, in every script."""
        out = [text]
        for entity in self.entities_for(text):
            for alias in [entity.name, *entity.aliases]:
                if alias not in out:
                    out.append(alias)
        return out

    def _aliases_in(self, lang: str) -> dict[tuple[str, ...], set[str]]:
        table = self._per_language.get(lang)
        if table is None:
            table = {}
            for entity in self.entities:
                for alias in [entity.name, *entity.aliases]:
                    seq = tuple(analyze(alias, lang))
                    if seq:
                        table.setdefault(seq, set()).add(entity.id)
            self._per_language[lang] = table
        return table

    def find(self, text: str, lang: str) -> dict[str, int]:
        """Count mentions of each entity in a text of language `lang`."""
        terms = analyze(text, lang)
        table = self._aliases_in(lang)
        longest = max((len(seq) for seq in table), default=0)
        counts: dict[str, int] = {}
        i = 0
        while i < len(terms):
            step = 1
            for size in range(min(longest, len(terms) - i), 0, -1):
                ids = table.get(tuple(terms[i:i + size]))
                if ids:
                    for entity_id in ids:
                        counts[entity_id] = counts.get(entity_id, 0) + 1
                    step = size
                    break
            i += step
        return counts


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """Read a gazetteer file (default: the packaged one)."""
    if path is None:
        return _default()
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return Gazetteer([Entity(**e) for e in data.get("entity", [])])


@lru_cache(maxsize=1)
def _default() -> Gazetteer:
    return load_gazetteer(DEFAULT_GAZETTEER)
