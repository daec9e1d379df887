"""What a digest holds: its key and body, from the rows waiting for it (monitor/alerts/outbox.py)."""
from __future__ import annotations

from collections.abc import Callable, Collection

# story ids -> the story each is part of now (a merge moved it); what it cannot tell, it leaves out
StoriesNow = Callable[[Collection[str]], dict[str, str]]

BACKLOG = "backlog"  # the period backlog rows wait in
# the later articles of stories an alert --per story has sent wait here, and go out like the
# backlog: one digest per (alert, channel), at the end of each crawl, a line per story
FOLLOW_UPS = "follow-ups"
CRAWL_PERIODS = (BACKLOG, FOLLOW_UPS)


def digest_body(mode: str, period: str, rows: list[tuple], copies: list[tuple],
                stories_now: StoriesNow | None = None) -> tuple[str, dict]:
    """(the digest's key, its body) from its waiting rows (story, payload, article id) and the
    alert's copies not yet listed (story, payload), each listed under its original as "also in".

    An item of an alert --per story names the story it is part of when the digest closes
    (`stories_now`), not the one it was matched in: two stories merged since then are one line."""
    also: dict[str, list[str]] = {}
    for story, payload in copies:
        also.setdefault(story, []).append(payload["source"])
    items = []
    for story, payload, _ in rows:
        item = dict(payload)
        item["also_in"] = sorted(set(also.get(story, [])))
        items.append(item)
    items = newest_first(_as_stories_now(items, stories_now) if stories_now else items)
    if period not in CRAWL_PERIODS:
        return f"digest:{period}", {"period": period, "mode": mode, "items": items}
    # one key per closing: its items are in no other digest of this kind for this (alert, channel)
    digest_key = f"{period}:{min(article_id for _, _, article_id in rows)}"
    if period == FOLLOW_UPS:
        return digest_key, {"period": FOLLOW_UPS, "mode": FOLLOW_UPS, "follow_ups": True, "items": items}
    dated = sorted(i["published_at"] for i in items if i.get("published_at"))
    return digest_key, {"period": BACKLOG, "mode": BACKLOG, "backlog": True, "items": items,
                        "published_from": dated[0] if dated else None, "published_to": dated[-1] if dated else None}


def newest_first(items: list[dict]) -> list[dict]:
    """A digest's items by publication, newest first; undated ones last."""
    dated = sorted((i for i in items if i.get("published_at")), key=lambda i: (i["published_at"], i["id"]),
                   reverse=True)
    return dated + sorted((i for i in items if not i.get("published_at")), key=lambda i: i["id"])


def _as_stories_now(items: list[dict], stories_now: StoriesNow) -> list[dict]:
    matched = {item["story"]["id"] for item in items if (item.get("story") or {}).get("id")}
    now = stories_now(matched) if matched else {}
    return [dict(item, story={**item["story"], "id": now[item["story"]["id"]]})
            if (item.get("story") or {}).get("id") in now else item for item in items]
