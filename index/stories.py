"""What a store keeps for stories, and what it gives back about them.

Story assignment (crawler/stories.py) keeps its state in the store, so every machine writing
into one Elasticsearch cluster groups into the same stories: per story a StoryState (a JSON
summary the store never reads, the keys it is found by, its last dated day, `merged_into`
once merged), and per key how many on-topic articles were met with it, in which languages.

What users see of a story is read from its articles (`Article.story_id`), never from the
state: a StoryRecord (headline, first reporter, outlets, languages, counts, span) is what both
stores make of a story's articles, the same for the same articles.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Collection, Protocol

from index.article import Article, iso


@dataclass(frozen=True)
class StoryState:
    id: str
    state: dict  # crawler/stories.py's summary (JSON-able), opaque to the store
    keys: list[str]  # the keys it is found by
    last_day: int | None  # last dated day of its articles (proleptic ordinal), None: undated
    merged_into: str | None = None


@dataclass
class StoryChange:
    """One batch's change to the stories: states to write, the vocabulary's growth, merges."""

    stories: list[StoryState] = field(default_factory=list)
    documents: int = 0  # on-topic articles added to the vocabulary
    vocabulary: dict[str, tuple[int, frozenset[str]]] = field(default_factory=dict)  # key -> (added, languages)
    merged: dict[str, str] = field(default_factory=dict)  # merged story -> the story it went into

    def __bool__(self) -> bool:
        return bool(self.stories or self.documents or self.merged)


class StoryStorage(Protocol):
    """The story state a store keeps (SqliteStore and ElasticStore both)."""

    def story_vocabulary(self, keys: Collection[str]) -> tuple[int, dict[str, tuple[int, str]]]:
        """(on-topic articles counted, {key: (articles met in, languages space-joined)}) for the keys asked."""

    def story_candidates(self, keys: Collection[str], since_day: int | None) -> list[StoryState]:
        """Live stories found by any of the keys whose last dated day is on or after `since_day`
        (undated stories too); with no `since_day`, all of them. The most recent first, at most CANDIDATES."""

    def story_headlines(self, story_ids: Collection[str]) -> dict[str, str]:
        """Each story's headline (its first article's title, as in StoryRecord), one query for them all."""

    def save_stories(self, change: StoryChange) -> None:
        """Write the states, add the vocabulary's growth, and move a merged story's articles to the survivor."""


CANDIDATES = 300  # stories read per batch at most, most recent first


def merge_languages(have: str, added: Collection[str]) -> str:
    """Languages space-joined, sorted: what a vocabulary row keeps."""
    return " ".join(sorted(set(have.split()) | set(added)))


@dataclass
class StoryRecord:
    """A story as users see it, made from its articles (oldest written first)."""

    id: str
    headline: str
    headlines: dict[str, str]  # per language: the first article's title in it
    first_seen_at: str | None
    first_source: str
    first_url: str
    last_seen_at: str | None
    articles: int
    outlets: list[str]
    languages: list[str]
    first_published: str | None
    last_published: str | None
    matching: int = 0  # its articles matching the request that found it
    article_ids: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def story_record(story_id: str, articles: list[Article]) -> StoryRecord:
    """The record of one story from its articles (any order)."""
    ordered = sorted(articles, key=lambda a: (a.first_seen_at is None, a.first_seen_at or 0, a.id))
    first = ordered[0]
    headlines: dict[str, str] = {}
    for article in ordered:
        if article.title and article.language:
            headlines.setdefault(article.language, article.title)
    dated = sorted(a.published_at for a in ordered if a.published_at)
    seen = [a.first_seen_at for a in ordered if a.first_seen_at]
    return StoryRecord(
        id=story_id, headline=first.title or next(iter(headlines.values()), ""), headlines=headlines,
        first_seen_at=iso(seen[0] if seen else None), first_source=first.source, first_url=first.url,
        last_seen_at=iso(max(seen) if seen else None), articles=len(ordered),
        outlets=sorted({a.source for a in ordered}), languages=sorted({a.language for a in ordered if a.language}),
        first_published=iso(dated[0] if dated else None), last_published=iso(dated[-1] if dated else None),
        article_ids=[a.id for a in ordered], urls=[a.url for a in ordered])


ALL_STORIES = 10000  # what `size 0` (every story) reads at most


def ranked_stories(store, node, filters, size: int) -> tuple[int, list[StoryRecord]]:
    """(stories with a matching article, the `size` most covered: most matching articles first, then the
    most recently seen); `size` 0: all of them (up to ALL_STORIES)."""
    total, counts = store._story_counts(node, filters, size or ALL_STORIES)
    articles = store.story_articles([story for story, _ in counts])
    records = []
    for story, matching in counts:
        if articles.get(story):
            record = story_record(story, articles[story])
            record.matching = matching
            records.append(record)
    records.sort(key=lambda r: (-r.matching, _descending(r.last_seen_at or ""), r.id))
    return total, records


def _descending(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)
