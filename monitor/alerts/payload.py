"""What a channel sends about one article: its fields, highlighted title and snippet."""
from __future__ import annotations

import json
from functools import lru_cache
from types import SimpleNamespace
from typing import Callable

from index.article import Article, iso
from index.store import Hit
from monitor.alerts.batch_match import LazyHighlights

REFERENCE = '{"$article": '  # how a payload made when read starts (`lazy_payload`)


def article_payload(hit: Hit) -> dict:
    """What a channel sends about one article: fields, highlighted title and snippet."""
    return payload_of(article_snapshot(hit.article), hit.highlights)


def article_snapshot(a: Article) -> dict:
    """The article as the outbox keeps it for payloads made when sent: the payload's fields and the body."""
    return {"id": a.id, "url": a.url, "title": a.title, "body": a.body, "source": a.source, "language": a.language,
            "published_at": iso(a.published_at), "matched": a.matched, "relevance": a.relevance,
            "duplicate_of": a.duplicate_of, "seq": a.seq}


def payload_of(snapshot: dict, highlights) -> dict:
    """The payload from an article's snapshot and its highlights for one query."""
    return {"id": snapshot["id"], "url": snapshot["url"], "title": snapshot["title"],
            "title_html": (highlights.get("title") or [snapshot["title"]])[0], "source": snapshot["source"],
            "language": snapshot["language"], "published_at": snapshot["published_at"],
            "matched": snapshot["matched"], "relevance": snapshot["relevance"],
            "duplicate_of": snapshot["duplicate_of"], "snippet": join_snippets(highlights.get("body", [])[:2]),
            "seq": snapshot["seq"]}


def lazy_payload(ref: str, query: str) -> str:
    """An outbox row's payload made when read: the article's snapshot (`ref`) highlighted for `query`."""
    return f"{REFERENCE}{_quoted(ref)}, \"$query\": {_quoted(query)}}}"


@lru_cache(maxsize=16384)  # a round's articles and alerts, each quoted once for all its rows
def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def snapshot_ref(article_id: str, seq: int) -> str:
    """The article as written at one seq: what a row made when read refers to."""
    return f"{article_id}@{seq}"


def stored_payload(text: str, snapshot: Callable[[str], dict]) -> dict:
    """An outbox row's payload: as stored, or made now from the article's snapshot (`snapshot(ref)`)
    and the alert's query, the same as `article_payload` made when the row was queued."""
    if not text.startswith(REFERENCE):
        return json.loads(text)
    data = json.loads(text)
    found = snapshot(data.pop("$article"))
    article = SimpleNamespace(title=found["title"], body=found["body"], language=found["language"])
    return {**payload_of(found, LazyHighlights(article, data.pop("$query"))), **data}


def join_snippets(fragments: list[str]) -> str:
    """Fragments joined by one ellipsis: each already carries its own "…" where it was cut."""
    text = ""
    for fragment in fragments:
        fragment = fragment.strip()
        if not fragment:
            continue
        text = f"{text.rstrip('…').rstrip()} … {fragment.lstrip('…').lstrip()}" if text else fragment
    return text
