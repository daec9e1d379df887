"""Story assignment at write time: each on-topic article of a batch joins a story or starts one.

The store writer (crawler/writer.py) hands every batch it is about to write to a StoryAssigner,
in write order. The method is crawler/stages/stories.py (pure); this module is its bookkeeping
against a store: it reads, with one query each per batch, the vocabulary of the batch's keys
and the live stories found by their rarest keys, decides article by article (an article sees
the stories the earlier articles of its batch made or grew), and returns a StoryChange that
the writer saves before the articles themselves.

Saved first, because a story that counts an article not yet written costs nothing: a state
remembers its members, so the same article written again (after a failed write, a rewrite) is
not counted twice. A story's id is the id of its first article: two crawls of the same web in
the same order make the same stories, on either store.

A syndicated copy joins its original's story; a rewrite keeps the story it had. When a story
that grew turns out to be another one (the first articles of an event in two languages often
start two stories), the younger is merged into the older: its articles move, its state keeps
`merged_into` so an id held elsewhere (an alert's outbox) resolves to the survivor.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from crawler.outcomes import Outcome
from crawler.stages.stories import (DEFAULT_STORY_OPTIONS, StoryCandidate, StoryFeatures, StoryOptions,
                                    Vocabulary, choose_story, lookup_keys, should_merge)
from index.article import Article
from index.store import Store, StoreUnavailable
from index.stories import StoryChange, StoryState

LOOKUP_KEYS = 12  # an article's rarest keys, by which stories are found and find it
STORY_KEYS = 64  # a story is indexed by at most this many of its members' lookup keys
MEMBERS = 1000  # article ids a state remembers (a story's later articles beyond this may count twice)
log = logging.getLogger(__name__)


@dataclass
class _Story:
    candidate: StoryCandidate
    members: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    merged_into: str | None = None

    @classmethod
    def of(cls, state: StoryState) -> "_Story":
        return cls(StoryCandidate.from_record(state.state["story"]), list(state.state.get("members", [])),
                   list(state.keys), state.merged_into)

    def to_state(self) -> StoryState:
        story = self.candidate
        return StoryState(story.id, {"story": story.to_record(), "members": self.members[-MEMBERS:]},
                          self.keys[:STORY_KEYS], story.last_day, self.merged_into)


class StoryAssigner:
    """Stories for one store's batches (one per writer; `assign` is called with its batch)."""

    def __init__(self, store: Store, options: StoryOptions = DEFAULT_STORY_OPTIONS):
        self.store, self.options = store, options

    def assign(self, batch: list[tuple[Article, str]]) -> StoryChange:
        """Set `story_id` on the batch's articles, (article, outcome) in write order; what to save."""
        staged = [(a, o) for a, o in batch if a.story_features is not None or a.duplicate_of]
        if not staged:
            return StoryChange()
        try:
            return self._assign(staged)
        except StoreUnavailable as exc:  # written without a story, as a spooled article is
            log.warning("stories not assigned to %d articles: %s", len(staged), exc)
            return StoryChange()

    def _assign(self, batch: list[tuple[Article, str]]) -> StoryChange:
        features = [a.story_features for a, _ in batch if a.story_features is not None]
        keys = sorted({k for f in features for k, _ in f.keys})
        documents, known = self.store.story_vocabulary(keys)
        vocabulary = Vocabulary({k: n for k, (n, _) in known.items()}, documents,
                                {k: langs for k, (_, langs) in known.items()})
        change = StoryChange()
        for article, outcome in batch:  # the batch's new articles count in the IDF it is decided with
            if article.story_features is not None and outcome != Outcome.UPDATED:  # a rewrite was counted
                vocabulary.add(article.story_features)
                _count(change, article.story_features)
        wanted = sorted({k for f in features for k in lookup_keys(f, vocabulary, LOOKUP_KEYS)})
        days = [f.day for f in features if f.day is not None]
        since = min(days) - self.options.window_days if days and len(days) == len(features) else None
        stories = {s.id: _Story.of(s) for s in self.store.story_candidates(wanted, since) if not s.merged_into}
        # the stories' summaries are weighed with today's IDF (crawler/stages/stories.py): their keys' counts too
        unknown = sorted({k for s in stories.values() for c in s.candidate.centroids.values() for k in c}
                         - vocabulary.counts.keys())
        if unknown:
            known = self.store.story_vocabulary(unknown)[1]
            vocabulary.know({k: n for k, (n, _) in known.items()}, {k: langs for k, (_, langs) in known.items()})
        for story in stories.values():  # saved before summaries were kept before IDF: once, in the new form
            story.candidate.unweigh(vocabulary)
        story_of = self._originals_stories(batch)
        touched: set[str] = set()
        for article, outcome in batch:
            chosen = self._place(article, outcome, vocabulary, stories, story_of)
            if chosen is not None:
                story_of[article.id] = article.story_id = chosen
                touched.add(chosen)
                touched |= self._merge_around(chosen, stories, story_of, change, vocabulary)
        change.merged = {gone: _survivor(change.merged, gone) for gone in change.merged}
        for article, _ in batch:  # an article of a story merged later in the batch is in the survivor
            article.story_id = change.merged.get(article.story_id, article.story_id)
        change.stories = [stories[i].to_state() for i in sorted(touched) if i in stories]
        return change

    def _originals_stories(self, batch: list[tuple[Article, str]]) -> dict[str, str]:
        """The stories of the stored originals the batch's copies copy."""
        ids = {a.duplicate_of for a, _ in batch if a.duplicate_of} - {a.id for a, _ in batch}
        return {i: a.story_id for i, a in self.store.get_many(ids).items() if a.story_id} if ids else {}

    def _place(self, article: Article, outcome: str, vocabulary: Vocabulary, stories: dict[str, _Story],
               story_of: dict[str, str]) -> str | None:
        """The story the article is in after this batch (None: it has none)."""
        features: StoryFeatures | None = article.story_features
        if outcome == Outcome.UPDATED and article.story_id:
            return article.story_id  # a rewrite keeps its story
        original = story_of.get(article.duplicate_of) if article.duplicate_of else None
        if features is None:
            return original
        keys = set(lookup_keys(features, vocabulary, LOOKUP_KEYS))
        found = [s.candidate for s in stories.values() if not s.merged_into and (keys & set(s.keys))]
        chosen = choose_story(features, found, vocabulary, self.options, original_story=original)
        story = stories.get(chosen) if chosen else None
        if story is None:
            chosen = chosen or article.id
            story = stories[chosen] = stories.get(chosen) or _Story(StoryCandidate(chosen))
        if article.id not in story.members:  # written again: counted once
            story.candidate.absorb(features, vocabulary)
            story.members.append(article.id)
        story.keys = sorted(set(story.keys) | keys)[:STORY_KEYS] if len(story.keys) < STORY_KEYS else story.keys
        return chosen

    def _merge_around(self, grown: str, stories: dict[str, _Story], story_of: dict[str, str],
                      change: StoryChange, vocabulary: Vocabulary) -> set[str]:
        """Merge the story that grew with every live story it turns out to be; the older id survives."""
        touched: set[str] = set()
        while True:
            live = sorted(i for i, s in stories.items() if i != grown and not s.merged_into)
            other = next((i for i in live if should_merge(stories[grown].candidate, stories[i].candidate,
                                                          vocabulary, self.options)), None)
            if other is None:
                return touched
            keep, gone = min(grown, other), max(grown, other)
            survivor, merged = stories[keep], stories[gone]
            survivor.candidate.merge(merged.candidate, vocabulary)
            survivor.members += [m for m in merged.members if m not in survivor.members]
            survivor.keys = sorted(set(survivor.keys) | set(merged.keys))[:STORY_KEYS]
            merged.merged_into = keep
            change.merged[gone] = keep
            for article_id, story in story_of.items():
                if story == gone:
                    story_of[article_id] = keep
            touched |= {keep, gone}
            grown = keep


def _survivor(merged: dict[str, str], story: str) -> str:
    while story in merged:
        story = merged[story]
    return story


def _count(change: StoryChange, features: StoryFeatures) -> None:
    """The vocabulary's growth by one article."""
    change.documents += 1
    for key, _ in features.keys:
        n, langs = change.vocabulary.get(key, (0, frozenset()))
        change.vocabulary[key] = (n + 1, langs | {features.lang})
