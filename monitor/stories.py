"""The stories request and its documents: what `newsmon stories --json` prints and /api/stories returns."""
from __future__ import annotations

from collections.abc import Mapping

from index.article import Article, iso
from index.stories import ALL_STORIES, StoryRecord, story_record
from monitor.search import RequestError, SearchRequest

STORY_PARAMS = ("q", "since", "until", "lang", "source", "entity", "size")


def stories_request(params: Mapping[str, object]) -> tuple[SearchRequest, int]:
    """The search part (validated as a search is) and how many stories: 0 to ALL_STORIES, 0 meaning all."""
    unknown = sorted(set(params) - set(STORY_PARAMS))
    if unknown:
        raise RequestError(unknown[0], f"unknown parameter; known: {', '.join(STORY_PARAMS)}")
    raw = params.get("size")
    raw = raw[0] if isinstance(raw, (list, tuple)) and len(raw) == 1 else raw
    try:
        size = 10 if raw in (None, "") else int(str(raw))
    except ValueError:
        raise RequestError("size", f"{raw!r} is not a whole number") from None
    if not 0 <= size <= ALL_STORIES:
        raise RequestError("size", f"must be 0 (every story) to {ALL_STORIES}")
    return SearchRequest.from_params({k: v for k, v in params.items() if k != "size"}), size


def stories_document(request: SearchRequest, size: int, total: int, records: list[StoryRecord]) -> dict:
    params = {k: v for k, v in request.to_params().items() if k not in ("interval", "sort", "page", "size")}
    return {"request": {**params, "size": size}, "total": total, "stories": [r.to_dict() for r in records]}


def story_document(story_id: str, articles: list[Article]) -> dict:
    """One story with its articles in the order they were first seen."""
    record = story_record(story_id, articles)
    by_id = {a.id: a for a in articles}
    return {**record.to_dict(), "articles": [
        {"id": a.id, "url": a.url, "title": a.title, "source": a.source, "language": a.language,
         "published_at": iso(a.published_at), "first_seen_at": iso(a.first_seen_at),
         "duplicate_of": a.duplicate_of, "first": a.id == record.article_ids[0]}
        for a in (by_id[i] for i in record.article_ids)]}
