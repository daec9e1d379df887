"""Search hits grouped by story: what a group is, and what both stores make of one.

A group is a story with a matching article, or a matching article without a story (it stands
alone). The group's hit is its best-ranked matching article in the search's order; `more` counts
the story's other matching articles and `more_languages` names their languages. Groups are
paged in the order of their hits; how many there are is the stories plus the lone articles.
"""
from __future__ import annotations

from datetime import datetime

from index.article import Article


def more_of(article: Article, matching: int, per_language: dict[str, int]) -> tuple[int, list[str]]:
    """(the story's other matching articles, their languages) beside its hit `article`."""
    others = dict(per_language)
    if article.language in others:
        others[article.language] -= 1
    return max(matching - 1, 0), sorted(lang for lang, n in others.items() if n > 0)


def order_key(article: Article, score: float, sort: str) -> tuple:
    """The search's order as a sort key: score (for relevance), newest published first (undated last), id."""
    published = article.published_at
    when = (published is None, -published.timestamp() if isinstance(published, datetime) else 0.0)
    return ((-score,) if sort == "relevance" else ()) + when + (article.id,)
