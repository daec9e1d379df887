"""The Article record: one per canonical URL, shared by every stage and store."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache


def article_id(canonical_url: str) -> str:
    """Stable id of an article: a hash of its canonical URL."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:20]


DATE_FIELDS = ("published_at", "modified_at", "crawled_at", "first_seen_at")


@dataclass
class Article:
    url: str
    canonical_url: str
    source: str
    title: str
    body: str
    source_country: str = ""
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    modified_at: datetime | None = None
    crawled_at: datetime | None = None
    language: str = ""
    language_confidence: float = 0.0
    relevance: float = 0.0
    matched: list[str] = field(default_factory=list)
    content_hash: str = ""
    signature: list[int] = field(default_factory=list)
    duplicate_of: str | None = None
    # The story (one event's coverage across outlets and languages) the article was grouped into
    # when it was written: crawler/stories.py decides, the store keeps it; None off the beat.
    story_id: str | None = None
    tags: list[str] = field(default_factory=list)
    sitename: str = ""
    date_source: str = ""  # where published_at came from: jsonld, meta, feed, sitemap, url, page
    date_flags: list[str] = field(default_factory=list)  # "disagree", "future"
    # When the store first wrote this id; kept by every later write of the same id.
    first_seen_at: datetime | None = None
    # Write-time sequence assigned by the store on every write: only grows, so "written after
    # seq N" is a watermark (crawled_at is set at extraction and says nothing about searchability).
    seq: int = 0
    id: str = ""
    # The index terms of title and body (index.analysis.IndexTerms), computed where the other
    # stages run so a store only writes them; not part of the record (to_dict leaves it out).
    terms: object | None = field(default=None, repr=False, compare=False)
    # Its story features (crawler.stages.stories.StoryFeatures), made in the stage worker for an
    # on-topic article; not part of the record either.
    story_features: object | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = article_id(self.canonical_url)

    def to_dict(self) -> dict:
        """JSON-ready dict: datetimes as ISO 8601 UTC strings."""
        # field by field, lists copied flat: asdict deep-copies every signature int by int
        data = {}
        for name in RECORD_FIELDS:
            value = getattr(self, name)
            data[name] = iso(value) if name in DATE_FIELDS else list(value) if isinstance(value, list) else value
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Article":
        data = dict(data)
        for key in DATE_FIELDS:
            data[key] = parse_iso(data.get(key))
        return cls(**{k: v for k, v in data.items() if k in RECORD_FIELDS})


RECORD_FIELDS = tuple(name for name in Article.__dataclass_fields__ if name not in ("terms", "story_features"))


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z suffix, or None."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    value = value.astimezone(timezone.utc)
    # isoformat pads the year to four digits (strftime's %Y does not for year 1 on Linux)
    return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def parse_iso(value: str | datetime | None) -> datetime | None:
    """Parse an ISO 8601 string into an aware UTC datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


SIGNATURE_BANDS = 16


def signature_bands(signature: list[int]) -> list[str]:
    """LSH band keys of a near-duplicate signature: articles sharing a band are candidates."""
    if not signature:
        return []
    # the crawl process needs one article's bands three times (the writer's batch, the store's
    # duplicate lookup and its write): made once, not 16 SHA-1s of joined numbers each time
    return list(_bands(tuple(signature)))


@lru_cache(maxsize=4096)
def _bands(signature: tuple[int, ...]) -> tuple[str, ...]:
    rows = max(1, len(signature) // SIGNATURE_BANDS)
    return tuple(
        f"{i}:" + hashlib.sha1(",".join(map(str, signature[i * rows:(i + 1) * rows])).encode()).hexdigest()[:16]
        for i in range(len(signature) // rows)
    )
