"""Topic relevance: does an article concern Turkey–Azerbaijan relations?

Score = the weaker side's weighted mentions:

    weight(entity) = TITLE_WEIGHT × mentions in the title + mentions in the body
    TR = Σ weight of Turkish-side entities + Σ weight of bilateral (BOTH) entities
    AZ = Σ weight of Azerbaijani-side entities + Σ weight of bilateral (BOTH) entities
    score = min(TR, AZ)

An article is relevant when score ≥ THRESHOLD and it is not a sports report. A Turkish outlet's
domestic story may name Türkiye and Ankara twenty times and Azerbaijan never (AZ = 0); an
Azerbaijan–Armenia story may never name Turkey (TR = 0); either scores 0. A single passing
mention of the other side scores 1 and stays out. Bilateral entities (the Shusha Declaration,
TANAP, the BTC pipeline) count for both sides, so two mentions of one suffice.

Sports reports (SPORTS_MIN or more sports words) are not relations coverage even when the two
national teams meet: a Turkey–Azerbaijan football match is kept out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from index.gazetteer import Entity, Gazetteer, load_gazetteer

TITLE_WEIGHT = 3.0
# Two body mentions of the weaker side, or one in the title.
THRESHOLD = 2.0
SPORTS_MIN = 3

# Words of sports reports in the four languages (one spelling per stem; matched like aliases).
SPORTS_WORDS = [
    # English
    "football", "soccer", "UEFA", "FIFA", "league", "striker", "goalkeeper", "midfielder",
    "stadium", "qualifier", "World Cup", "national team", "match", "basketball",
    "volleyball", "wrestling", "tournament", "championship", "head coach",
    # Turkish
    "futbol", "maç", "gol", "Süper Lig", "lig", "teknik direktör", "stadyum", "milli takım",
    "kaleci", "forvet", "şampiyona", "turnuva", "basketbol", "voleybol", "güreş", "skor",
    # Azerbaijani
    "qol", "liqa", "matç", "millimiz", "yığma", "məşqçi", "baş məşqçi", "stadion", "qapıçı",
    "çempionat", "turnir", "güləş",
    # Russian
    "футбол", "матч", "гол", "лига", "сборная", "тренер", "стадион", "вратарь", "нападающий",
    "чемпионат", "турнир", "отборочный", "баскетбол", "волейбол", "УЕФА", "ФИФА",
]


@dataclass
class Relevance:
    score: float
    matched: list[str] = field(default_factory=list)  # entity ids, most mentioned first
    relevant: bool = False


@lru_cache(maxsize=1)
def _sports() -> Gazetteer:
    return Gazetteer([Entity("sports", "sports", "topic", "", SPORTS_WORDS)])


def _sports_mentions(title: str, body: str, lang: str) -> int:
    return _sports().find(title, lang).get("sports", 0) + _sports().find(body, lang).get("sports", 0)


def score_relevance(title: str, body: str, lang: str, gazetteer: Gazetteer | None = None) -> Relevance:
    """Score an article's Turkey–Azerbaijan relevance from the gazetteer entities it names."""
    gaz = gazetteer or load_gazetteer()
    in_title = gaz.find(title or "", lang)
    in_body = gaz.find(body or "", lang)
    sides = {"TR": 0.0, "AZ": 0.0}
    mentions: dict[str, int] = {}
    for entity_id in in_title.keys() | in_body.keys():
        weight = TITLE_WEIGHT * in_title.get(entity_id, 0) + in_body.get(entity_id, 0)
        side = gaz.by_id[entity_id].side
        for s in sides:
            if side in (s, "BOTH"):
                sides[s] += weight
        mentions[entity_id] = in_title.get(entity_id, 0) + in_body.get(entity_id, 0)
    score = min(sides.values())
    matched = sorted(mentions, key=lambda e: (-mentions[e], e))
    sports = _sports_mentions(title or "", body or "", lang) >= SPORTS_MIN
    return Relevance(score=score, matched=matched, relevant=score >= THRESHOLD and not sports)
