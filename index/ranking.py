"""Ranking that is fair to every language: how well an article matches, not its language's statistics.

Both stores score with BM25 over one index that holds four languages, so a score carries its
language's word statistics: a name whose Russian spelling is rarer than its English one (and whose
Russian forms stem to two index terms, Шуше and Шушинской) scores three times higher in Russian,
and an English article titled with the very word came 26th. Scores are therefore compared only
within a language: each article's BM25 is divided by the best of its language for the query (the
languages are separate collections whose scores are normalised before merging), and half of the
final score is how much of the query its title holds, so a title match counts more than a passing
mention in the body in any language. Ties go to the store's own order (newest first).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable

from index.analysis import STEMMED_LANGUAGES
from index.query import And, Node, Or, Term

TITLE_WEIGHT = 0.5  # the share of the score that is the title's match of the query


def language_group(language: str) -> str:
    """The collection an article is normalised in: its language, or "" for the languages the
    index does not stem (too few articles each to have statistics of their own)."""
    return language if language in STEMMED_LANGUAGES else ""


@dataclass(frozen=True)
class Candidate:
    key: Hashable  # the store's handle of the article (a rowid, or an article id)
    language: str
    bm25: float  # the store's raw score
    title_share: float  # 0..1: how much of the query the title holds (title_share below)
    tiebreak: tuple  # the store's own order among equal scores


def title_share(node: Node, in_title: dict[Term, bool]) -> float | None:
    """How much of the query an article's title holds: a word 1 or 0, AND the mean of its parts,
    OR the best of them. None for a query part without words (filters and exclusions)."""
    if isinstance(node, Term):
        return 1.0 if in_title.get(node) else 0.0
    if isinstance(node, (And, Or)):
        parts = [s for s in (title_share(c, in_title) for c in node.children) if s is not None]
        if not parts:
            return None
        return max(parts) if isinstance(node, Or) else sum(parts) / len(parts)
    return None


def fair_order(candidates: list[Candidate]) -> list[tuple[Candidate, float]]:
    """The candidates with their fair scores, best first.

    Each language's candidates must include its best-scoring match: the normalisation divides
    by it.
    """
    best: dict[str, float] = {}
    for c in candidates:
        group = language_group(c.language)
        best[group] = max(best.get(group, 0.0), c.bm25)
    scored = []
    for c in candidates:
        top = best[language_group(c.language)]
        relative = c.bm25 / top if top > 0 else 0.0
        scored.append((c, round((1 - TITLE_WEIGHT) * relative + TITLE_WEIGHT * c.title_share, 9)))
    scored.sort(key=lambda pair: (-pair[1], pair[0].tiebreak))
    return scored
