"""Matching: each alert's query over the articles written after its watermark, into the outbox.

The same query compiler as search (`store.search` with `Filters(after_seq=...)`), on either
store. The watermark moves only after the matches are committed to the outbox, so a crash in
between matches them again, and the outbox key (alert, article, channel) makes that harmless.
On Elasticsearch a concurrent writer's lower seqs can become visible after a higher batch, so
each match re-scans `alert_store.overlap` seqs below the watermark (never below the alert's
floor, so a new alert is not flooded with old articles).

An article published more than the alert's grace before newsmon first stored it (a new store, a
newly added source, a backfill) is backlog, not news: it waits in the outbox as `waiting` in the
period `backlog`, and the end of the crawl makes one backlog digest per (alert, channel) of what
waits (or, with the alert's backlog `skip`, it is kept as `skipped` and never sent).
"""
from __future__ import annotations

import json
import logging
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone

from crawler.stages import dedup
from index.alert_store import AlertRecord, AlertStore
from index.article import Article, signature_bands
from index.query import QueryError
from index.store import Filters, Hit, SearchResult, Store
from monitor.alerts.batch_match import SPAN, Rounds, match_in_memory
from monitor.alerts.model import Alert
from monitor.alerts.outbox import BACKLOG, Outbox, period_of
from monitor.alerts.payload import article_payload
from monitor.alerts.per_story import StoryRound, queue_by_story

PAGE = 500
log = logging.getLogger(__name__)
# each alert store's last round (batch_match.Rounds), while the store's handle lives
_ROUNDS: "weakref.WeakKeyDictionary[AlertStore, Rounds]" = weakref.WeakKeyDictionary()


@dataclass
class MatchReport:
    alerts: int = 0
    queued: int = 0  # (alert, article, channel) rows added as news
    backlog: int = 0  # rows of articles published long before they were found (digested or skipped)
    suppressed: int = 0  # copies of a story the alert already has
    errors: dict[str, str] = field(default_factory=dict)  # alert name -> one-line reason


def matching_hits(store: Store, alert: Alert, filters: Filters, first: SearchResult | None = None,
                  at_most: int | None = None) -> list[Hit]:
    """Every hit of the alert's query under `filters`, oldest write first (`first`: page 1, if asked already).

    Pages are sorted by date then id: an article written meanwhile can push a hit to a later
    page (read twice, harmless) but never pull one out of the pages read. `at_most` stops after
    the pages holding that many (the newest published), for a count that may say "at least".
    """
    page = 1
    result = first or store.search(alert.full_query(), filters, facets=(), page=1, size=PAGE, sort="date")
    hits: list[Hit] = list(result.hits)
    while page * PAGE < result.total and result.hits and (at_most is None or page * PAGE < at_most):
        page += 1
        result = store.search(alert.full_query(), filters, facets=(), page=page, size=PAGE, sort="date")
        hits += result.hits
    unique = {h.article.id: h for h in hits}
    hits = sorted(unique.values(), key=lambda h: h.article.seq)
    if alert.min_relevance is not None:
        hits = [h for h in hits if h.article.relevance >= alert.min_relevance]
    return hits


def window(alerts: AlertStore, record: AlertRecord, alert: Alert) -> Filters:
    """The alert's filters over the articles it has not matched yet (plus the store's overlap)."""
    after = max(record.floor, record.watermark - alerts.overlap)
    return Filters(after_seq=after, languages=alert.languages, sources=alert.sources)


class SeenStories(dict):
    """One alert's new stories of this round (root id -> its article), each found again by its
    content hash or a shared signature band, as the store finds candidates: an article is
    compared with the few that could be its copy, not with every story of the round."""

    def __init__(self):
        super().__init__()
        self._by_key: dict[str, list[Article]] = defaultdict(list)

    def add(self, root: str, article: Article) -> None:
        self[root] = article
        for key in self._keys(article):
            self._by_key[key].append(article)

    def near(self, article: Article) -> list[Article]:
        found = {a.id: a for key in self._keys(article) for a in self._by_key.get(key, ())}
        return [a for a in found.values() if a.id != article.id]

    @staticmethod
    def _keys(article: Article) -> list[str]:
        return ([f"hash:{article.content_hash}"] if article.content_hash else []) + signature_bands(article.signature)


def copied_story(store: Store, outbox: Outbox, alert: str, article: Article, seen: SeenStories,
                 candidates: dict[str, list[Article]]) -> str | None:
    """The story (its original's id) this article belongs to, when the alert already has it; else None.

    A copy is the stored link (`duplicate_of`) or a near-duplicate of an article the alert
    already has, found as the writer finds originals (same hash or close MinHash signature).
    """
    def had(story: str) -> bool:
        return story in seen or outbox.has_story(alert, story)

    root = article.duplicate_of or article.id
    if had(root):
        return root
    if article.id not in candidates:  # asked once per article per round, whatever the number of alerts
        candidates[article.id] = store.duplicate_candidates(article.content_hash, article.signature)
    known = [c for c in candidates[article.id] if c.id != article.id and had(c.duplicate_of or c.id)]
    known += seen.near(article)
    return dedup.find_original(article.id, article.content_hash, article.signature, known)


def match_alert(store: Store, alerts: AlertStore, record: AlertRecord, outbox: Outbox,
                filters: Filters | None = None, move_watermark: bool = True,
                stored_before: datetime | None = None) -> tuple[int, int, int]:
    """Match one alert now (or over `filters`, for a backlog); return (rows added, backlog rows, copies).

    `stored_before`: the alert's making, for articles stored before it (its `--since`): published
    more than the grace before it, they are backlog however soon they were found.
    """
    alert = Alert.from_dict(record.data)
    top = store.last_seq()  # read before searching: everything up to it is looked at now
    hits = matching_hits(store, alert, filters or window(alerts, record, alert))
    counts = queue(store, outbox, alert, hits, {}, stored_before, StoryRound())
    if move_watermark and top > record.watermark:
        alerts.set_watermarks({alert.name: top})
    return counts


def queue(store: Store, outbox: Outbox, alert: Alert, hits: list[Hit], candidates: dict[str, list[Article]],
          stored_before: datetime | None = None, stories: StoryRound | None = None) -> tuple[int, int, int]:
    """Put an alert's hits in the outbox: news to send, backlog to digest or skip, copies of a story
    it has as `suppressed`; return (added, backlog, suppressed) rows. An alert --per story goes by
    story instead (monitor/alerts/per_story.py).

    `candidates` and `stories` cache what the store says of each article across the alerts of one round.
    """
    if alert.per == "story":
        return queue_by_story(store, outbox, alert, hits, stories or StoryRound(), stored_before)
    # re-scanned (overlap, rewrite, crash before the watermark moved): already queued, skipped
    hits = [h for h in hits if not outbox.has_article(alert.name, h.article.id)]
    if not hits:
        return 0, 0, 0
    channels = [c.key for c in alert.channels]
    now = datetime.now(timezone.utc)
    status, period = ("pending", None) if alert.mode == "instant" else ("waiting", period_of(alert.mode, now))
    old = ("skipped" if alert.backlog == "skip" else "waiting", BACKLOG)
    added = backlog = suppressed = 0
    seen = SeenStories()  # this round's new stories, for copies in the same batch
    with outbox.transaction() as con:
        for hit in hits:
            article = hit.article
            story = copied_story(store, outbox, alert.name, article, seen, candidates)
            if story is not None:
                suppressed += 1
                outbox.add(con, alert.name, article_payload(hit), channels, story, "suppressed")
                continue
            root = article.duplicate_of or article.id  # copies of one story share their original's id
            seen.add(root, article)
            if alert.is_backlog(article.published_at, article.first_seen_at or article.crawled_at, stored_before):
                backlog += outbox.add(con, alert.name, article_payload(hit), channels, root, *old)
            else:
                added += outbox.add(con, alert.name, article_payload(hit), channels, root, status, period)
    return added, backlog, suppressed


def _hits_of_each(store: Store, alerts: list[Alert], windows: list[Filters], top: int, rounds: Rounds,
                  keys: list) -> list:
    """Each alert's new hits, its query's error, or (searched) a call that pages them in.

    Alerts whose window is recent are matched in memory against the articles written since
    (monitor/alerts/batch_match.py); the others, by searching the store: the first page of
    every such search goes out together (`store.search_many`: one request per 50 alerts on
    Elasticsearch), the rest when asked (a store away fails that alert, not the round).
    """
    recent = [i for i, w in enumerate(windows) if (w.after_seq or 0) >= top - SPAN]
    far = [i for i in range(len(alerts)) if i not in set(recent)]
    out: list = [None] * len(alerts)
    for i, hits in zip(recent, match_in_memory(store, [alerts[i] for i in recent], [windows[i] for i in recent],
                                               rounds, [keys[i] for i in recent])):
        out[i] = hits
    firsts = store.search_many([(alerts[i].full_query(), windows[i]) for i in far], size=PAGE, sort="date")
    for i, first in zip(far, firsts):
        out[i] = first if isinstance(first, QueryError) else (
            lambda alert=alerts[i], filters=windows[i], first=first: matching_hits(store, alert, filters, first))
    return out


def match_all(store: Store, alerts: AlertStore, outbox: Outbox) -> MatchReport:
    """Match every alert once; one alert's bad query costs that alert, counted, not the others.

    The watermarks move in one write at the end.
    """
    report = MatchReport()
    top = store.last_seq()  # read before any search: everything up to it is looked at in this round
    # nothing written since an alert's watermark and no late seqs to look for: no search needed
    records = [r for r in alerts.all() if alerts.overlap or r.watermark < top]
    parsed = [(r, Alert.from_dict(r.data)) for r in records]
    windows = [window(alerts, record, alert) for record, alert in parsed]
    rounds = _ROUNDS.setdefault(alerts, Rounds())
    keys = [_identity(record) for record, _ in parsed]
    found = _hits_of_each(store, [alert for _, alert in parsed], windows, top, rounds, keys)
    candidates: dict[str, list[Article]] = {}
    stories = StoryRound()
    moved: dict[str, int] = {}
    for (record, alert), hits in zip(parsed, found):
        report.alerts += 1
        if isinstance(hits, QueryError):
            report.errors[record.name] = f"bad query: {hits}"
            continue
        try:
            added, backlog, suppressed = queue(store, outbox, alert, hits() if callable(hits) else hits,
                                               candidates, stories=stories)
        except Exception as exc:  # a store away or refusing: tried again after the next batch
            log.error("matching alert %s failed: %s", record.name, exc)
            report.errors[record.name] = f"{type(exc).__name__}: {exc}"
            continue
        report.queued += added
        report.backlog += backlog
        report.suppressed += suppressed
        if top > record.watermark:
            moved[record.name] = top
    # only after every alert's matches are committed to the outbox; a crash before re-matches (harmless)
    alerts.set_watermarks(moved)
    rounds.done({key for key, (record, _) in zip(keys, parsed) if record.name not in report.errors})
    return report


def _identity(record: AlertRecord) -> tuple:
    """An alert across rounds: its name, where it starts and what it asks (made again, it is another)."""
    return record.name, record.floor, json.dumps(record.data, sort_keys=True, default=str)
