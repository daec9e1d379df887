"""Matching an alert --per story: one message when a story first matches, its later articles digested.

Which story: the article's `story_id` resolved to its survivor (`store.story_survivor`), so an
article of a story merged into another counts for the story it is part of now; an article with
no story (off the beat, or written before stories) is a story of its own (its original's, for a copy).

An alert has a story when its outbox holds a row (not skipped) under the story's id, or a row of
any article the story holds now: a merge moves articles, so a story announced under an id that
was merged away, or one that another story was merged into, is still had, and the user gets no
"new story" for what they already got. The first message is keyed (alert, `story:ID`, channel),
whichever article brings it; each later article (alert, article, channel) as every row is: a
re-match after a crash finds both and adds nothing. Later articles wait in the alert's digest
period, or, for an instant alert, in `follow-ups`, one digest per (alert, channel) at the end of
each crawl (monitor/alerts/story_lines.py makes its lines).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from index.article import Article
from index.store import Hit, Store
from index.stories import StoryRecord, story_record
from monitor.alerts.model import Alert
from monitor.alerts.outbox import BACKLOG, FOLLOW_UPS, Outbox, period_of
from monitor.alerts.payload import article_payload


@dataclass
class StoryRound:
    """What one matching round asked the store about stories, shared by its alerts."""

    survivors: dict[str, str] = field(default_factory=dict)  # story id -> the story it is part of now
    records: dict[str, StoryRecord | None] = field(default_factory=dict)  # None: no story articles stored

    def story_of(self, store: Store, article: Article) -> str:
        if not article.story_id:
            return article.duplicate_of or article.id
        if article.story_id not in self.survivors:
            self.survivors[article.story_id] = store.story_survivor(article.story_id)
        return self.survivors[article.story_id]

    def load(self, store: Store, stories: set[str]) -> None:
        """Read the records of the stories not read yet in this round (one request)."""
        missing = sorted(stories - set(self.records))
        if missing:
            found = store.story_articles(missing)
            for story in missing:
                self.records[story] = story_record(story, found[story]) if found.get(story) else None


def summary(story: str, record: StoryRecord | None, article: Article, first: bool) -> dict:
    """The story an item belongs to, as its payload carries it (`first`: the item announces it)."""
    if record is None:
        return {"id": story, "headline": article.title, "first": first, "articles": 1, "outlets": [article.source],
                "languages": [article.language] if article.language else [], "first_source": article.source}
    return {"id": story, "headline": record.headline, "first": first, "articles": record.articles,
            "outlets": record.outlets, "languages": record.languages, "first_source": record.first_source}


def has_story(outbox: Outbox, alert: str, story: str, record: StoryRecord | None) -> bool:
    """The alert already has the story: a row under its id, or of any article it holds now."""
    return outbox.has_story(alert, story, with_skipped=False) or bool(
        record and outbox.has_any_article(alert, record.article_ids))


def queue_by_story(store: Store, outbox: Outbox, alert: Alert, hits: list[Hit], stories: StoryRound,
                   stored_before: datetime | None = None) -> tuple[int, int, int]:
    """Put an alert --per story's hits in the outbox: a story's first as its message, the rest for its
    next digest line; return (rows added, backlog rows, 0: no copies are held back, they are more of a story)."""
    hits = [h for h in hits if not outbox.has_article(alert.name, h.article.id)]  # a re-match: queued already
    if not hits:
        return 0, 0, 0
    story_of = {h.article.id: stories.story_of(store, h.article) for h in hits}
    stories.load(store, set(story_of.values()))
    channels = [c.key for c in alert.channels]
    period = None if alert.mode == "instant" else period_of(alert.mode, datetime.now(timezone.utc))
    news = ("pending", None) if period is None else ("waiting", period)
    later = ("waiting", period or FOLLOW_UPS)
    old = ("skipped" if alert.backlog == "skip" else "waiting", BACKLOG)
    added = backlog = 0
    had: set[str] = set()  # this round's stories, before their rows are visible to has_story
    with outbox.transaction() as con:
        for hit in hits:
            article = hit.article
            story = story_of[article.id]
            record = stories.records.get(story)
            known = story in had or has_story(outbox, alert.name, story, record)
            payload = {**article_payload(hit), "story": summary(story, record, article, first=not known)}
            if alert.is_backlog(article.published_at, article.first_seen_at or article.crawled_at, stored_before):
                payload["story"]["first"] = False  # the backlog digest lists it; nothing announced
                backlog += outbox.add(con, alert.name, payload, channels, story, *old)
                if alert.backlog != "skip":
                    had.add(story)
                continue
            first = 0 if known else outbox.add(con, alert.name, payload, channels, story, *news, key=f"story:{story}")
            if not first:  # more of a story the alert has (or announced under this key before a merge)
                payload["story"]["first"] = False
                first = outbox.add(con, alert.name, payload, channels, story, *later)
            added += first
            had.add(story)
    return added, backlog, 0
