"""A digest of an alert --per story: one line per story, its other new articles counted under it."""
from __future__ import annotations

SHOWN_OUTLETS = 3  # "+6 more: APA, Report, TASS…"


def story_lines(items: list[dict]) -> list[dict]:
    """Digest items (newest first) grouped by story, as a brief reads: the story with the most items
    first, then the one with the newest.

    Each line: the story's id and headline; `first`, the item announcing it when the story is new
    in this digest (else None: it was sent before); `more`, how many other items, and their outlets
    in order of publication; `text`, "+6 more: APA, Report, TASS…"; `items`, every item's id; the
    story's `languages` and `first_source` (who reported it first) as the newest item saw them.
    """
    groups: dict[str, list[dict]] = {}
    for item in items:
        groups.setdefault((item.get("story") or {}).get("id") or item["id"], []).append(item)
    lines = []
    for story, members in groups.items():
        # the earliest announcing item: two stories announced apart and merged since are one line
        first = next((i for i in reversed(members) if (i.get("story") or {}).get("first")), None)
        more = [i for i in members if i is not first]
        outlets = list(dict.fromkeys(i["source"] for i in reversed(more)))  # the earliest first
        headline = ((first or members[-1]).get("story") or {}).get("headline") or (first or members[-1])["title"]
        newest = members[0].get("story") or {}
        lines.append({"story": story, "headline": headline, "first": first, "more": len(more), "outlets": outlets,
                      "text": more_text(len(more), outlets), "items": [i["id"] for i in members],
                      "languages": newest.get("languages") or sorted({i["language"] for i in members if i.get("language")}),
                      "first_source": newest.get("first_source") or members[-1]["source"]})
    # sorted is stable: among stories of as many items, the one with the newest item stays first
    return sorted(lines, key=lambda line: -len(line["items"]))


def more_text(count: int, outlets: list[str]) -> str:
    """"+6 more: apa, report, tass…" ("" for none)."""
    if not count:
        return ""
    shown = ", ".join(outlets[:SHOWN_OUTLETS]) + ("…" if len(outlets) > SHOWN_OUTLETS else "")
    return f"+{count} more: {shown}"
