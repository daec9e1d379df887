"""The alerts service: what the CLI (and the web API, `newsmon serve`) call. One store, its alerts, its outbox."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from index.alert_store import AlertRecord, alert_store_for
from index.query import QueryError, parse
from index.store import MAX_WINDOW, Filters, Store
from monitor.alerts import channels, notify
from monitor.alerts.deliver import deliver
from monitor.alerts.feed import render_atom
from monitor.alerts.matcher import MatchReport, article_payload, match_alert, match_all, matching_hits
from monitor.alerts.model import Alert, AlertError, channel_label
from monitor.alerts.outbox import Delivery, Outbox
from monitor.alerts.paths import outbox_path
from monitor.alerts.per_story import StoryRound
from monitor.config import AlertSettings, load_alert_settings, load_config


@dataclass
class TestResult:
    """What an alert would have sent over some days: the counts of all of it, the newest items."""

    total: int  # matching articles
    would_send: int  # of them, not a copy of an article already listed (per story: a story's first): one message each
    items: list[dict]  # the newest `size`, each with would_send and backlog
    backlog: int = 0  # of them, published long before they were found: one backlog digest
    at_least: bool = False  # the alert matches more than the store pages through: the counts are lower bounds
    per: str = "article"  # story: would_send counts stories (one message each), the rest go in digest lines


@dataclass
class AlertView:
    alert: Alert
    watermark: int
    counts: dict[str, int]
    recent: list[Delivery]


class AlertsService:
    """One store's alerts and outbox; `settings` None reads the delivery settings when they are used."""

    def __init__(self, store_url: str, store: Store | None = None, outbox: str | None = None,
                 settings: AlertSettings | None = None):
        self.store_url = store_url
        self._own_store = store is None
        self._settings = settings
        # opened as the configuration says: an Elasticsearch store with its credentials and spool
        self.store = store or load_config(store_url).open_store()
        self.alerts = alert_store_for(self.store)
        self.outbox = Outbox(outbox or outbox_path(store_url))
        self._known_sources: set[str] | None = None

    def close(self) -> None:
        self.outbox.close()
        self.alerts.close()
        if self._own_store:
            self.store.close()

    def __enter__(self) -> "AlertsService":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def settings(self) -> AlertSettings:
        return self._settings or load_alert_settings()

    # --- managing alerts -----------------------------------------------------------------
    def known_sources(self) -> set[str]:
        """Source ids an alert may name: the configured ones and those the store holds articles of."""
        from crawler.sources import SourcesError, load_sources

        if self._known_sources is None:  # once per service: adding many alerts asks the store once
            try:
                known = {s.id for s in load_sources()}
            except SourcesError:
                known = set()
            self._known_sources = known | set(self.store.stats().get("by_source", {}))
        return self._known_sources

    def add(self, alert: Alert, since: datetime | None = None) -> int:
        """Save an alert that starts from now; with `since`, queue the stored backlog published since then
        (as one backlog digest per channel, sent by the next delivery; refused with `backlog` skip).

        Returns how many backlog articles were queued.
        """
        alert.validate(self.known_sources())
        if since is not None and alert.backlog == "skip":
            raise AlertError("--since asks for the stored backlog and --backlog skip drops it: use one of them",
                             "since")
        try:
            parse(alert.full_query())
        except QueryError as exc:
            raise AlertError(f"bad query: {exc}") from None
        for channel in alert.channels:
            if channel.kind in ("webhook", "notify"):
                check = channels.check_target if channel.kind == "webhook" else notify.check_target
                try:
                    check(channel.target, alert.allow_private, self.settings.allow_private_targets)
                except channels.Refused as exc:
                    raise AlertError(str(exc), None if channel.kind == "webhook" else "notify") from None
                except OSError:
                    pass  # a host that does not resolve yet: checked again at every send
        if self.alerts.get(alert.name) is not None:
            raise AlertError(f"an alert named {alert.name!r} exists; `newsmon alerts remove {alert.name}` first")
        alert.created_at = alert.created_at or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        top = self.store.last_seq()
        record = AlertRecord(alert.name, alert.to_dict(), floor=top, watermark=top)
        queued = 0
        if since is not None:
            backlog = Filters(since=since, languages=alert.languages, sources=alert.sources, after_seq=None)
            added, old, _ = match_alert(self.store, self.alerts, record, self.outbox, filters=backlog,
                                        move_watermark=False, stored_before=alert.created())
            queued = added + old
        self.alerts.save(record)
        return queued

    def get(self, name: str) -> Alert:
        record = self.alerts.get(name)
        if record is None:
            raise AlertError(f"no alert named {name!r}; `newsmon alerts list` shows them")
        return Alert.from_dict(record.data)

    def all(self) -> list[Alert]:
        return [Alert.from_dict(r.data) for r in self.alerts.all()]

    def show(self, name: str, recent: int = 20) -> AlertView:
        alert = self.get(name)
        record = self.alerts.get(name)
        return AlertView(alert, record.watermark, self.outbox.counts(name), self.outbox.recent(name, recent))

    def remove(self, name: str) -> None:
        self.get(name)
        self.alerts.remove(name)
        self.outbox.forget(name)

    def test(self, name: str, days: int = 7, size: int = 20) -> TestResult:
        """What the alert would have sent for the articles found in the last `days` days of crawling
        (nothing is sent or queued): the counts of all of them and the newest `size`.

        Found, not published: an alert answers to what crawls bring, and an article published
        long before it was found goes in the backlog digest, as it would for the alert.
        """
        alert = self.get(name)
        since = datetime.now(timezone.utc) - timedelta(days=days)

        def found(hit) -> datetime | None:
            return hit.article.first_seen_at or hit.article.crawled_at

        # every match, then those found in the window: no store filter on the time found (yet), so
        # a very broad alert is read as far as the store pages go and counted as "at least"
        matches = matching_hits(self.store, alert, Filters(languages=alert.languages, sources=alert.sources),
                                at_most=MAX_WINDOW)
        hits = [h for h in matches if found(h) and found(h) >= since]
        old = {h.article.id for h in hits if alert.is_backlog(h.article.published_at, found(h))}
        originals = [h for h in hits if not h.article.duplicate_of]
        sent = {h.article.id for h in originals}  # one message each; a copy of one listed is not sent again
        story_of: dict[str, str] = {}
        if alert.per == "story":  # one message per story, its first article found; the rest in digest lines
            stories = StoryRound()
            story_of = {h.article.id: stories.story_of(self.store, h.article) for h in hits}
            firsts: dict[str, str] = {}
            for hit in sorted(hits, key=lambda h: (found(h), h.article.id)):
                if hit.article.id not in old:
                    firsts.setdefault(story_of[hit.article.id], hit.article.id)
            sent = set(firsts.values()) | {h.article.id for h in originals if h.article.id in old}
        out = []
        for hit in sorted(hits, key=lambda h: h.article.published_at or since, reverse=True)[:size]:
            item = article_payload(hit)
            item["would_send"] = hit.article.id in sent
            item["backlog"] = hit.article.id in old
            if story_of:
                item["story_id"] = story_of[hit.article.id]
            out.append(item)
        return TestResult(total=len(hits), would_send=len(sent - old), items=out, backlog=len(sent & old),
                          at_least=len(matches) >= MAX_WINDOW, per=alert.per)

    # --- running -------------------------------------------------------------------------
    def match(self) -> MatchReport:
        return match_all(self.store, self.alerts, self.outbox)

    def deliver(self, wait: float = 0.0, close_all_digests: bool = False, close_backlog: bool = False) -> Counter:
        """Send what is due; `close_backlog` (the end of a crawl, `alerts deliver`) sends the backlog
        found so far as one digest per (alert, channel) instead of waiting for more."""
        return deliver(self.outbox, {a.name: a for a in self.all()}, wait=wait, close_all_digests=close_all_digests,
                       claims=self.store, close_backlog=close_backlog, settings=self.settings)

    def retry_dead(self, name: str | None = None) -> int:
        return self.outbox.retry_dead(name)

    def atom(self, name: str, self_url: str = "") -> str:
        """The alert's Atom feed (for `newsmon serve`'s /alerts/NAME.atom)."""
        return render_atom(self.get(name), self.outbox.feed_items(name), self_url)


# --- documents: what `alerts … --json` prints and the API returns ------------------------
def alert_document(alert: Alert, counts: dict | None = None, with_targets: bool = True) -> dict:
    """An alert without its secret; its webhook URLs and addresses only `with_targets` (the API's key holder),
    its apprise URLs to no one (`notify:tgram://…`: their tokens and passwords are never printed or served)."""
    data = alert.to_dict()
    data.pop("secret")
    data["channels"] = [c.label if with_targets else c.kind for c in alert.channels]
    if counts is not None:
        data["deliveries"] = counts
    return data


def show_document(view: AlertView) -> dict:
    """An alert with its secret, watermark, counts and recent deliveries (`alerts show --json`)."""
    return {**alert_document(view.alert), "secret": view.alert.secret, "watermark": view.watermark,
            "deliveries": view.counts,
            "recent": [{"id": d.id, "status": d.status, "channel": channel_label(d.channel), "kind": d.kind,
                        "article_id": d.article_id, "title": d.payload.get("title"),
                        "attempts": d.attempts, "last_error": d.last_error} for d in view.recent]}


def test_document(result: TestResult) -> dict:
    """What an alert would send (`alerts test --json`)."""
    return {"total": result.total, "at_least": result.at_least, "per": result.per, "would_send": result.would_send,
            "backlog": result.backlog, "copies": result.total - result.would_send - result.backlog,
            "shown": len(result.items), "items": result.items}
