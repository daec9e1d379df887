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
import time
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone

from crawler.stages import dedup
from index.alert_store import AlertRecord, AlertStore
from index.article import Article, signature_bands
from index.query import QueryError
from index.store import Filters, Hit, SearchResult, Store
from monitor.alerts.batch_match import SPAN, LazyHighlights, Rounds, match_in_memory
from monitor.alerts.model import Alert
from monitor.alerts.outbox import BACKLOG, Outbox, delivery_id, period_of
from monitor.alerts.payload import article_payload, article_snapshot, lazy_payload, snapshot_ref
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


def copy_keys(article: Article) -> list[str]:
    """What finds an article's copies: its content hash and its signature bands (as the store finds candidates)."""
    return ([f"hash:{article.content_hash}"] if article.content_hash else []) + signature_bands(article.signature)


class Neighbours:
    """A round's matched articles by content hash and signature band: each article's possible
    copies among them, found once per round whatever the number of alerts that match it."""

    def __init__(self, articles: list[Article]):
        self._by_key: dict[str, dict[str, Article]] = defaultdict(dict)
        self._keys: dict[str, list[str]] = {}
        for article in sorted(articles, key=lambda a: a.seq):
            for key in self.keys(article):
                self._by_key[key][article.id] = article
        self.ids = {a.id for a in articles}
        self._of: dict[str, list[Article]] = {}

    def keys(self, article: Article) -> list[str]:
        keys = self._keys.get(article.id)
        if keys is None:
            keys = self._keys[article.id] = copy_keys(article)
        return keys

    def of(self, article: Article) -> list[Article]:
        """The round's other articles sharing a key with this one, oldest write first within each key."""
        near = self._of.get(article.id)
        if near is None:
            found = {a.id: a for key in self.keys(article) for a in self._by_key.get(key, {}).values()}
            near = self._of[article.id] = [a for a in found.values() if a.id != article.id]
        return near


class SeenStories(dict):
    """One alert's new stories of this round (root id -> its article), each found again by its
    content hash or a shared signature band, as the store finds candidates: an article is
    compared with the few that could be its copy, not with every story of the round.

    `neighbours`: the round's articles by those keys (every hit of the round among them), so
    that an alert's copies are the neighbours it has seen.
    """

    def __init__(self, neighbours: Neighbours | None = None):
        super().__init__()
        self._neighbours = neighbours or Neighbours([])
        self._ids: set[str] = set()
        self._by_key: dict[str, list[Article]] = defaultdict(list)  # those not among the neighbours

    def add(self, root: str, article: Article) -> None:
        self[root] = article
        self._ids.add(article.id)
        if article.id not in self._neighbours.ids:  # not one of the round's articles: kept here
            for key in self._neighbours.keys(article):
                self._by_key[key].append(article)

    def near(self, article: Article) -> list[Article]:
        if not self._ids:
            return []
        found = {a.id: a for a in self._neighbours.of(article) if a.id in self._ids}
        if self._by_key:
            found.update((a.id, a) for key in self._neighbours.keys(article) for a in self._by_key.get(key, ()))
        return [a for a in found.values() if a.id != article.id]


def copied_story(store: Store, outbox: Outbox, alert: str, article: Article, seen: SeenStories,
                 candidates: dict[str, list[Article]], stories: set[str] | None = None) -> str | None:
    """The story (its original's id) this article belongs to, when the alert already has it; else None.

    A copy is the stored link (`duplicate_of`) or a near-duplicate of an article the alert
    already has, found as the writer finds originals (same hash or close MinHash signature).
    `stories`: those the outbox had for the alert before this round (`Outbox.stories_had`), if asked
    for already (they must include this article's and its candidates' roots).
    """
    def had(story: str) -> bool:
        return story in seen or (outbox.has_story(alert, story) if stories is None else story in stories)

    root = article.duplicate_of or article.id
    if had(root):
        return root
    if article.id not in candidates:  # asked once per article per round, whatever the number of alerts
        candidates[article.id] = store.duplicate_candidates(article.content_hash, article.signature)
    known = [c for c in candidates[article.id] if c.id != article.id and had(c.duplicate_of or c.id)]
    known += seen.near(article)
    return dedup.find_original(article.id, article.content_hash, article.signature, known) if known else None


def ask_candidates(store: Store, articles: list[Article], candidates: dict[str, list[Article]]) -> None:
    """The store's duplicate candidates of the articles not asked yet this round (one request on
    Elasticsearch: `duplicate_candidates_many`)."""
    missing = list({a.id: a for a in articles if a.id not in candidates}.values())
    if not missing:
        return
    many = getattr(store, "duplicate_candidates_many", None)
    if many is not None:
        found = many([(a.content_hash, a.signature) for a in missing])
    else:
        found = [store.duplicate_candidates(a.content_hash, a.signature) for a in missing]
    candidates.update(zip((a.id for a in missing), found))


class RoundRows:
    """A round's outbox rows, written together at its end (`Outbox.write_rows`: one transaction)."""

    GROUPS = ("added", "backlog", "suppressed")

    def __init__(self, snapshots: dict[str, str] | None = None):
        self.snapshots: dict[str, str] = {} if snapshots is None else snapshots  # the round's, shared
        self.groups: dict[str, list[tuple]] = {name: [] for name in self.GROUPS}
        self.copies = 0  # suppressed copies are counted by article, not by row
        self.now = time.time()

    def extend(self, other: "RoundRows") -> None:
        if other.snapshots is not self.snapshots:
            self.snapshots.update(other.snapshots)
        for name, rows in other.groups.items():
            self.groups[name] += rows
        self.copies += other.copies

    def add(self, group: str, alert: str, hit: Hit, channels: list[str], story: str, status: str,
            period: str | None) -> None:
        article = hit.article
        self.copies += group == "suppressed"
        if isinstance(hit.highlights, LazyHighlights):  # made when read: a reference to the article as matched
            ref = snapshot_ref(article.id, article.seq)
            if ref not in self.snapshots:
                self.snapshots[ref] = json.dumps(article_snapshot(article), ensure_ascii=False)
            payload = lazy_payload(ref, hit.highlights.query)
        else:  # a searched hit, with the store's highlights
            payload = json.dumps(article_payload(hit), ensure_ascii=False)
        rows = self.groups[group]
        for channel in channels:
            rows.append((delivery_id(alert, article.id, channel), alert, article.id, channel, story, status, period,
                         payload, self.now))

    def write(self, outbox: Outbox) -> tuple[int, int, int]:
        added = outbox.write_rows(self.snapshots, self.groups)
        return added["added"], added["backlog"], self.copies


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
    rows = plan(store, outbox, alert, hits, candidates, stored_before)
    return rows.write(outbox) if rows is not None else (0, 0, 0)


def plan(store: Store, outbox: Outbox, alert: Alert, hits: list[Hit], candidates: dict[str, list[Article]],
         stored_before: datetime | None = None, neighbours: Neighbours | None = None,
         snapshots: dict[str, str] | None = None) -> RoundRows | None:
    """An alert's rows for its hits (`queue` without the write), or None when none is new.

    What the outbox already has is asked once per alert (its articles, its stories), not per hit.
    """
    # re-scanned (overlap, rewrite, crash before the watermark moved): already queued, skipped
    if hits:
        had = outbox.articles_had(alert.name, [h.article.id for h in hits])
        hits = [h for h in hits if h.article.id not in had]
    if not hits:
        return None
    ask_candidates(store, [h.article for h in hits], candidates)
    roots = {h.article.duplicate_of or h.article.id for h in hits}
    roots.update(c.duplicate_of or c.id for h in hits for c in candidates[h.article.id] if c.id != h.article.id)
    had_stories = outbox.stories_had(alert.name, sorted(roots))
    channels = [c.key for c in alert.channels]
    now = datetime.now(timezone.utc)
    status, period = ("pending", None) if alert.mode == "instant" else ("waiting", period_of(alert.mode, now))
    old = ("skipped" if alert.backlog == "skip" else "waiting", BACKLOG)
    rows = RoundRows(snapshots)
    seen = SeenStories(neighbours)  # this round's new stories, for copies in the same batch
    for hit in hits:
        article = hit.article
        story = copied_story(store, outbox, alert.name, article, seen, candidates, had_stories)
        if story is not None:
            rows.add("suppressed", alert.name, hit, channels, story, "suppressed", None)
            continue
        root = article.duplicate_of or article.id  # copies of one story share their original's id
        seen.add(root, article)
        if alert.is_backlog(article.published_at, article.first_seen_at or article.crawled_at, stored_before):
            rows.add("backlog", alert.name, hit, channels, root, *old)
        else:
            rows.add("added", alert.name, hit, channels, root, status, period)
    return rows


def _hits_of_each(store: Store, alerts: list[Alert], windows: list[Filters], top: int, rounds: Rounds,
                  keys: list, fingerprint=None) -> list:
    """Each alert's new hits, its query's error, or (searched) a call that pages them in.

    Alerts whose window is recent are matched in memory against the articles written since
    (monitor/alerts/batch_match.py); the others, by searching the store: the first page of
    every such search goes out together (`store.search_many`: one request per 50 alerts on
    Elasticsearch), the rest when asked (a store away fails that alert, not the round).
    """
    recent = [i for i, w in enumerate(windows) if (w.after_seq or 0) >= top - SPAN]
    near = set(recent)
    far = [i for i in range(len(alerts)) if i not in near]
    out: list = [None] * len(alerts)
    for i, hits in zip(recent, match_in_memory(store, [alerts[i] for i in recent], [windows[i] for i in recent],
                                               rounds, [keys[i] for i in recent], fingerprint)):
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
    rounds = _ROUNDS.setdefault(alerts, Rounds())
    parsed, keys = _parsed(records, rounds)
    windows = [window(alerts, record, alert) for record, alert in parsed]
    found = _hits_of_each(store, [alert for _, alert in parsed], windows, top, rounds, keys,
                          alerts.fingerprint if alerts.overlap else None)
    candidates: dict[str, list[Article]] = {}
    stories = StoryRound()
    moved: dict[str, int] = {}
    rows = RoundRows()  # every alert's rows but --per story ones, written in one transaction
    for i, ((record, alert), hits) in enumerate(zip(parsed, found)):
        report.alerts += 1
        if isinstance(hits, QueryError):
            report.errors[record.name] = f"bad query: {hits}"
            continue
        try:
            found[i] = hits() if callable(hits) else hits
        except Exception as exc:  # a store away or refusing: tried again after the next batch
            log.error("matching alert %s failed: %s", record.name, exc)
            report.errors[record.name] = f"{type(exc).__name__}: {exc}"
    neighbours = Neighbours([h.article for hits in found if isinstance(hits, list) for h in hits])
    for (record, alert), hits in zip(parsed, found):
        if record.name in report.errors:
            continue
        try:
            if alert.per == "story":
                added, backlog, suppressed = queue(store, outbox, alert, hits, candidates, stories=stories)
                report.queued += added
                report.backlog += backlog
                report.suppressed += suppressed
            else:
                planned = plan(store, outbox, alert, hits, candidates, neighbours=neighbours,
                               snapshots=rows.snapshots)
                if planned is not None:
                    rows.extend(planned)
        except Exception as exc:  # a store away or refusing: tried again after the next batch
            log.error("matching alert %s failed: %s", record.name, exc)
            report.errors[record.name] = f"{type(exc).__name__}: {exc}"
            continue
        if top > record.watermark:
            moved[record.name] = top
    added, backlog, suppressed = rows.write(outbox)
    report.queued += added
    report.backlog += backlog
    report.suppressed += suppressed
    # only after every alert's matches are committed to the outbox; a crash before re-matches (harmless)
    alerts.set_watermarks(moved)
    rounds.done({key for key, (record, _) in zip(keys, parsed) if record.name not in report.errors})
    return report


def _parsed(records: list[AlertRecord], rounds: Rounds) -> tuple[list[tuple[AlertRecord, Alert]], list[tuple]]:
    """Each record with its alert, and each alert's identity: an alert whose definition (the same
    object, kept by the memo) and start the last round parsed is not parsed again."""
    known, rounds.parsed = rounds.parsed, {}
    out: list[tuple[AlertRecord, Alert]] = []
    keys: list[tuple] = []
    for record in records:
        memo = known.get(id(record.data))
        if memo is None or memo[0] is not record.data or memo[1] != (record.name, record.floor):
            memo = record.data, (record.name, record.floor), Alert.from_dict(record.data), _identity(record)
        rounds.parsed[id(record.data)] = memo
        out.append((record, memo[2]))
        keys.append(memo[3])
    return out, keys


def _identity(record: AlertRecord) -> tuple:
    """An alert across rounds: its name, where it starts and what it asks (made again, it is another)."""
    return record.name, record.floor, json.dumps(record.data, sort_keys=True, default=str)
