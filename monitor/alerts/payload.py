"""What a channel sends about one article: its fields, highlighted title and snippet."""
from __future__ import annotations

from index.article import iso
from index.store import Hit


def article_payload(hit: Hit) -> dict:
    """What a channel sends about one article: fields, highlighted title and snippet."""
    a = hit.article
    return {"id": a.id, "url": a.url, "title": a.title, "title_html": (hit.highlights.get("title") or [a.title])[0],
            "source": a.source, "language": a.language, "published_at": iso(a.published_at),
            "matched": a.matched, "relevance": a.relevance, "duplicate_of": a.duplicate_of,
            "snippet": join_snippets(hit.highlights.get("body", [])[:2]), "seq": a.seq}


def join_snippets(fragments: list[str]) -> str:
    """Fragments joined by one ellipsis: each already carries its own "…" where it was cut."""
    text = ""
    for fragment in fragments:
        fragment = fragment.strip()
        if not fragment:
            continue
        text = f"{text.rstrip('…').rstrip()} … {fragment.lstrip('…').lstrip()}" if text else fragment
    return text
