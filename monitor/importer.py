"""Articles from a JSON-lines file into the store, through the stages after extraction and the crawl's writer.

Each line is one article: `url`, `title`, `text` (or `body`), and optionally `published_at`,
`language` and `source`. A line is checked, run through the stages a crawled page meets after
extraction (crawler.stages.build_from_extracted: language, relevance, signatures) and written
by the crawl's own store writer (crawler.writer.ArticleWriter), so it ends in the crawl's outcome
vocabulary (crawler.outcomes): stored, duplicate, updated, unchanged, spooled, off_topic, or an
error. A line that is not an article is one counted error naming its line number; nothing stops
the import but a store that cannot be written.

    >>> with open_store("sqlite:////tmp/news.db") as store, open("articles.jsonl", "rb") as lines:  # doctest: +SKIP
    ...     summary = import_lines(lines, store, "sqlite:////tmp/news.db", sources=load_sources())
    ...     summary.stored, summary.error_lines[:1]
    (42, [{'line': 17, 'message': 'not JSON: Expecting value (column 1)'}])
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from scrapy.signalmanager import SignalManager

from crawler.outcomes import NEW, Outcome, is_error
from crawler.signals import batch_written
from crawler.sources import Source
from crawler.stages import DEFAULT_STAGES, StageOptions, build_from_extracted, with_story_features
from crawler.stages.dates import COUNTRY_ZONES, given_date
from crawler.stages.extract import Extracted
from crawler.stages.language import normalise_language
from crawler.urls import canonical
from crawler.writer import ArticleWriter
from index.store import Store

TEXT_FIELDS = ("text", "body")  # the article's text, under either name
STRING_FIELDS = ("url", "title", *TEXT_FIELDS, "published_at", "language", "source")
OnError = Callable[[int, str], None]  # (line number, what is wrong): told of each line that is not imported
log = logging.getLogger(__name__)


class LineError(ValueError):
    """Why one line is not an article (the message names the field)."""


@dataclass
class ImportSummary:
    """What became of each line read: each is stored, updated, unchanged, spooled, off_topic (skipped)
    or an error. With --all nothing is skipped: off_topic then says how many of those written are off the beat."""

    read: int = 0  # lines read (blank lines are no article and not counted)
    stored: int = 0  # new articles written (copies of a stored story are counted under `duplicate` too)
    duplicate: int = 0
    updated: int = 0
    unchanged: int = 0
    spooled: int = 0  # written to the spool of an Elasticsearch store that is away: not yet searchable
    off_topic: int = 0  # not about Turkey–Azerbaijan relations: skipped (or, with --all, written all the same)
    errors: int = 0  # lines not imported: not an article (see error_lines), or not written (`not_written`)
    not_written: int = 0  # articles the store refused or could not take (a full disk): imported again next time
    # (a store that cannot be written fails a whole batch and stops the import: those are not in error_lines)
    error_lines: list[dict] = field(default_factory=list)  # {"line", "message"}, in line order
    unwritable: str = ""  # why the import stopped before the end of the file (a full or read-only disk)
    last_line: int = 0  # the number of the last line read (the file's last, unless the import stopped)

    def document(self) -> dict:
        """What `newsmon import --json` prints."""
        return asdict(self)

    def line(self) -> str:
        """The one summary line of the command."""
        return (f"read {self.read}, stored {self.stored} ({self.duplicate} duplicate), updated {self.updated}, "
                f"unchanged {self.unchanged}, " + (f"spooled {self.spooled}, " if self.spooled else "")
                + f"off_topic {self.off_topic}, errors {self.errors}")


@dataclass(frozen=True)
class ImportRecord:
    """One line's article, its fields already extracted, with where it came from."""

    page: Extracted
    source: str
    country: str
    language: str  # normalised; empty: to be detected


def parse_line(raw: bytes) -> dict:
    """The JSON object of one line (LineError if it is not one)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LineError(f"not UTF-8 (byte {exc.start + 1})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LineError(f"not JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(data, dict):
        raise LineError(f"not a JSON object but {type(data).__name__ if data is not None else 'null'}")
    return data


def to_record(data: dict, sources: list[Source] = ()) -> ImportRecord:
    """An article's fields from one line's object, checked (LineError naming the field otherwise).

    `source` names the outlet; without it the configured source the URL belongs to, else the
    URL's host. A configured source also gives the country whose zone reads a date without one.
    """
    wrong = [name for name in STRING_FIELDS if data.get(name) is not None and not isinstance(data[name], str)]
    if wrong:
        raise LineError(f"{wrong[0]} is not a string")
    url = (data.get("url") or "").strip()
    if not url:
        raise LineError("no url")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise LineError(f"url {url[:100]!r} is not an http(s) URL")
    title = (data.get("title") or "").strip()
    body = next((data[name].strip() for name in TEXT_FIELDS if (data.get(name) or "").strip()), "")
    if not title and not body:
        raise LineError("neither a title nor a text (or body)")
    owner = _owner(url, data.get("source") or "", sources)
    source = (data.get("source") or "").strip() or (owner.id if owner else _host(parts.hostname))
    country = owner.country if owner else ""
    language = ""
    if (data.get("language") or "").strip():
        language = normalise_language(data["language"]) or ""
        if not language:
            raise LineError(f"language {data['language'][:40]!r} is not a language code like en, tr, az, ru")
    page = Extracted(url=canonical(url), canonical_url=canonical(url), title=title, body=body)
    if (data.get("published_at") or "").strip():
        _date(page, data["published_at"], country)
    return ImportRecord(page, source, country, language)


def _date(page: Extracted, value: str, country: str) -> None:
    chosen = given_date(value, COUNTRY_ZONES.get(country))
    if chosen is None:
        raise LineError(f"published_at {value[:40]!r} is not a date (ISO 8601, e.g. 2025-03-04T10:00:00+03:00)")
    if chosen.published_at is None:
        raise LineError(f"published_at {value[:40]!r} is implausible for a news article "
                        "(before 1990 or more than a day ahead)")
    page.published_at, page.date_source, page.date_flags = chosen.published_at, chosen.source, list(chosen.flags)


def _owner(url: str, source_id: str, sources: Iterable[Source]) -> Source | None:
    """The configured source named, else the one whose articles the URL is."""
    sources = list(sources)
    if source_id.strip():
        return next((s for s in sources if s.id == source_id.strip()), None)
    return next((s for s in sources if s.is_article_url(url)), None)


def _host(hostname: str) -> str:
    return hostname.removeprefix("www.")


class Importer:
    """Lines in, articles through the crawl's writer out, each line counted in one outcome."""

    def __init__(self, writer: ArticleWriter, sources: list[Source] = (), options: StageOptions = DEFAULT_STAGES,
                 keep_off_topic: bool = False, on_error: OnError | None = None):
        self.writer, self.sources, self.options = writer, list(sources), options
        self.keep_off_topic, self.on_error = keep_off_topic, on_error
        self.summary = ImportSummary()

    def add(self, number: int, raw: bytes) -> None:
        """Line `number` (from 1): checked, staged and queued for the store, or counted as an error."""
        if not raw.strip():
            return
        self.summary.read += 1
        try:
            record = to_record(parse_line(raw), self.sources)
        except LineError as exc:
            self._error(number, str(exc))
            return
        try:
            result = build_from_extracted(record.page, record.source, record.country, options=self.options,
                                          language=record.language)
        except Exception:  # a stage bug costs this line, counted, never the import (as in a crawl)
            log.exception("the stages failed on line %d", number)
            self._error(number, "the stages failed on it (see the log)")
            return
        if result.status == Outcome.OFF_TOPIC:
            self.summary.off_topic += 1
            if not self.keep_off_topic:
                return
            with_story_features(result.article)  # kept, so in a story as every stored article is
        self.writer.add(result.article, lambda outcome: self._written(number, outcome))

    def _written(self, number: int, outcome: str) -> None:
        if is_error(outcome):
            self.summary.not_written += 1
            if self.writer.unwritable:  # the whole batch, and the import stops: said once, by the stop
                self.summary.errors += 1
            else:
                self._error(number, "not written: the store refused it (see the log)")
            return
        counted = Outcome.STORED if outcome in NEW else outcome
        setattr(self.summary, counted, getattr(self.summary, counted) + 1)
        if outcome == Outcome.DUPLICATE:
            self.summary.duplicate += 1

    def _error(self, number: int, message: str) -> None:
        self.summary.errors += 1
        self.summary.error_lines.append({"line": number, "message": message})
        if self.on_error is not None:
            self.on_error(number, message)

    def finish(self) -> ImportSummary:
        """Write what waits; the summary, with why the import stopped if the store could not be written."""
        self.writer.flush()
        self.summary.unwritable = self.writer.unwritable or ""
        self.summary.error_lines.sort(key=lambda e: e["line"])
        return self.summary


def import_lines(lines: Iterable[bytes], store: Store, store_url: str, sources: list[Source] = (),
                 options: StageOptions = DEFAULT_STAGES, keep_off_topic: bool = False,
                 on_error: OnError | None = None, on_batch: Callable | None = None) -> ImportSummary:
    """Import every line (stopping early only when the store cannot be written); `on_batch(store_url,
    articles)` hears of each batch written, as a crawl's batch_written receivers do (alert matching)."""
    signals = SignalManager()
    if on_batch is not None:
        signals.connect(on_batch, signal=batch_written)
    writer = ArticleWriter(store, store_url, signals=[signals], dedup_options=options.dedup)
    importer = Importer(writer, sources, options, keep_off_topic, on_error)
    for number, raw in enumerate(lines, 1):
        importer.add(number, raw)
        importer.summary.last_line = number
        if writer.unwritable:  # a full or read-only disk: nothing more can be written now
            break
    return importer.finish()

