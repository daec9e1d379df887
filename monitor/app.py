"""Newsmon: the application object the CLI and the web app both build (as Datasette's `Datasette`).

Every read is one document (a dict or list of plain JSON values) that `--json` prints, the API
returns and the page renders; every write (an alert) goes through here once.

    >>> from monitor.config import load_config
    >>> with Newsmon(load_config("sqlite:////tmp/news.db")) as newsmon:   # doctest: +SKIP
    ...     doc = newsmon.search(SearchRequest.from_params({"q": "Shusha", "size": "5"}))
    ...     doc["total"], [h["title"] for h in doc["hits"]]
    ...     newsmon.stats()["by_language"]          # what `newsmon stats --json` prints, GET /api/stats returns

The store is opened once, on first use (with the configuration's Elasticsearch credentials and
spool), and shared by the threads of a web server; `Newsmon.over(store, config)` wraps one
already open (tests, benchmarks, a CLI command that opened it to report its own errors).
"""
from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import date, datetime, timezone
from pathlib import Path

from crawler.sources import Source
from index.article import iso
from index.query import QueryError
from index.store import Store
from monitor.alerts.model import Alert
from monitor.alerts.service import AlertsService, alert_document, show_document, test_document
from monitor.config import Config
from monitor.search import RequestError, SearchRequest, article_json, export_csv, export_json, result_json


# the facets a search filters by, and the filter each one sets
FACET_FILTERS = (("language", "languages"), ("source", "sources"), ("entity", "entities"))


class Newsmon:
    """One configured store and every read and write over it, as documents."""

    def __init__(self, config: Config, store: Store | None = None):
        self.config = config
        self._store = store
        self._lock = threading.Lock()

    @classmethod
    def over(cls, store: Store, config: Config) -> "Newsmon":
        """The application over an already open store (tests, benchmarks, the CLI)."""
        return cls(config, store)

    @property
    def store(self) -> Store:
        with self._lock:
            if self._store is None:
                self._store = self.config.open_store()
            return self._store

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def __enter__(self) -> "Newsmon":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- search ------------------------------------------------------------------------------
    def search(self, request: SearchRequest, with_volume: bool = False, with_choices: bool = False) -> dict:
        """The response document for a validated request (monitor.search.result_json); the page
        adds `volume` (every stored article per bucket) and `choices` (facet_choices)."""
        try:
            result = self.store.search(request.query, filters=request.filters(), interval=request.interval,
                                       page=request.page, size=request.size, sort=request.sort,
                                       group=request.group or None, concepts=request.concepts, near=request.near)
        except QueryError as exc:
            raise RequestError("q", str(exc), exc.position) from None
        headlines = self.store.story_headlines([k for k, _ in result.facets.get("story", [])])
        background = None
        if with_volume:
            # every stored article under the same date, language and source filters: what was there to match
            everything = self.store.search("", filters=replace(request.filters(), entities=[]), facets=("date",),
                                           interval=request.interval, size=0)
            background = everything.facets.get("date", [])
        choices = self.facet_choices(request) if with_choices else None
        return result_json(request, result, background, headlines, choices)

    def facet_choices(self, request: SearchRequest) -> dict[str, list[tuple[str, int]]]:
        """Each facet with a value chosen, counted under every filter but its own: the values beside
        the chosen ones stay listed with the articles choosing them too would add (the values of one
        facet are alternatives). At most three more searches, without hits."""
        filters = request.filters()
        choices = {}
        for facet, field in FACET_FILTERS:
            if getattr(filters, field):
                others = self.store.search(request.query, filters=replace(filters, **{field: []}), facets=(facet,),
                                           interval=request.interval, size=0, concepts=request.concepts)
                choices[facet] = others.facets.get(facet, [])
        return choices

    def feed_entries(self, request: SearchRequest) -> list[dict]:
        """The request's newest matching articles (by publication date, a page of `size`) as feed
        entries (monitor.feeds), each `updated` when newsmon first stored it."""
        from monitor.alerts.payload import article_payload

        try:
            result = self.store.search(request.query, filters=request.filters(), facets=(), sort="date",
                                       size=request.size, page=request.page)
        except QueryError as exc:
            raise RequestError("q", str(exc), exc.position) from None
        return [{**article_payload(hit), "updated": (hit.article.first_seen_at or hit.article.crawled_at).timestamp()}
                for hit in result.hits]

    def stories(self, request: SearchRequest, size: int = 10) -> dict:
        """Stories with an article matching the request, most covered first (monitor.stories)."""
        from monitor.stories import stories_document

        try:
            total, records = self.store.stories(request.query, filters=request.filters(), size=size,
                                                concepts=request.concepts)
        except QueryError as exc:
            raise RequestError("q", str(exc), exc.position) from None
        return stories_document(request, size, total, records)

    def brief(self, params: Mapping[str, object], now: datetime | None = None) -> dict:
        """The period's stories, largest first (monitor.brief); `params` as GET /api/brief takes them."""
        from monitor.brief import brief_document, brief_filters, brief_request

        now = now or datetime.now(timezone.utc)
        request, since, until, size = brief_request(params, now)
        filters = brief_filters(request, since, until)
        try:
            total, records = self.store.stories(request.query, filters=filters, size=size)
            articles = self.store.search(request.query, filters=filters, facets=(), size=0).total
        except QueryError as exc:
            raise RequestError("q", str(exc), exc.position) from None
        return brief_document(request, since, until, size, total, articles, records)

    def story(self, story_id: str) -> dict | None:
        """One story and its articles, or None."""
        from monitor.stories import story_document

        story_id = self.store.story_survivor(story_id)  # an id held from before a merge finds the survivor
        articles = self.store.story_articles([story_id]).get(story_id)
        return story_document(story_id, articles) if articles else None

    def article(self, article_id: str, request: SearchRequest | None = None) -> dict | None:
        found = self.store.get(article_id)
        return article_json(found, request) if found else None

    def coverage(self, since: date | None = None, until: date | None = None, sources: tuple[str, ...] = ()) -> dict:
        rows = self.store.coverage(since=since, until=until, sources=list(sources))
        return {"coverage": [{"day": d, "source": s, "crawled": n} for d, s, n in rows]}

    def export_csv(self, request: SearchRequest) -> Iterator[str]:
        """Every matching article, not only one page (newest first where the store can), as CSV."""
        return export_csv(self.store.scan(request.query, request.filters(), request.concepts))

    def export_json(self, request: SearchRequest) -> Iterator[str]:
        return export_json(self.store.scan(request.query, request.filters(), request.concepts))

    # --- the store and its crawls --------------------------------------------------------------
    def stats(self, sources: list[Source] | None = None, state: Path | None = None) -> dict:
        """What the store holds and the health of each source (of `sources`, else the packaged
        file): its schedule's flags from the run history, its crawl state's outcomes (of `state`,
        else the store's own)."""
        from crawler.sources import load_sources
        from monitor.health import crawl_health
        from monitor.schedule import health_table

        chosen = load_sources() if sources is None else sources
        data = self.store.stats()
        data["schedule_health"] = [{**asdict(h), "flags": list(h.flags)} for h in health_table(self.store, chosen)]
        data["sources_health"] = crawl_health(
            state or self.config.state_path, [s.id for s in chosen], data.get("by_source", {}),
            store_url=None if state else self.config.store_url, store_options=self.config.store_options())
        return data

    def sources_overview(self, sources: list[Source] | None = None, recent: int = 5) -> dict:
        """Each source's health from stats() with its last `recent` runs and next due time (the Sources page)."""
        from crawler.sources import load_sources
        from monitor.sources_overview import sources_document

        chosen = load_sources() if sources is None else sources
        runs = {s.id: self.store.runs(source=s.id, limit=recent) for s in chosen}
        return sources_document(self.stats(chosen), chosen, runs, datetime.now(timezone.utc))

    def runs(self, source: str | None = None, since: datetime | None = None, limit: int = 50) -> list[dict]:
        """The crawl history, newest first."""
        return self.store.runs(source=source, since=iso(since) if since else None, limit=limit)

    # --- alerts --------------------------------------------------------------------------------
    @contextmanager
    def alerts(self) -> Iterator[AlertsService]:
        """The store's alerts and outbox (with the configured delivery settings)."""
        with AlertsService(self.config.store_url, store=self.store, outbox=str(self.config.outbox_path),
                           settings=self.config.alerts) as service:
            yield service

    def alert_list(self, with_targets: bool = True) -> list[dict]:
        """Every alert with its delivery counts (`alerts list --json`, GET /api/alerts)."""
        with self.alerts() as svc:
            return [alert_document(a, svc.outbox.counts(a.name), with_targets) for a in svc.all()]

    def alerts_overview(self, recent: int = 5) -> list[dict]:
        """Every alert with its counts, last deliveries and failures, no target or secret (the Alerts page)."""
        from monitor.alerts.overview import overview_document

        with self.alerts() as svc:
            return overview_document(svc, recent)

    def alert(self, name: str, recent: int = 20) -> dict:
        with self.alerts() as svc:
            return show_document(svc.show(name, recent))

    def alert_test(self, name: str, days: int = 7, limit: int = 20) -> dict:
        with self.alerts() as svc:
            return test_document(svc.test(name, days, limit))

    def alert_feed(self, name: str, self_url: str = "") -> str:
        with self.alerts() as svc:
            return svc.atom(name, self_url=self_url)

    def add_alert(self, alert: Alert, since: datetime | None = None) -> dict:
        """Save an alert (raises AlertError naming the field); the document holds its secret and
        `backlog_queued`, the stored articles published since `since` queued as a backlog digest."""
        if since is not None:
            since = since.astimezone(timezone.utc) if since.tzinfo else since.replace(tzinfo=timezone.utc)
        with self.alerts() as svc:
            queued = svc.add(alert, since)
        return {**alert_document(alert), "secret": alert.secret, "backlog_queued": queued}

    def remove_alert(self, name: str) -> None:
        with self.alerts() as svc:
            svc.remove(name)
