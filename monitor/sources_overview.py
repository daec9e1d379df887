"""What the Sources page shows: each outlet's health as `newsmon stats` reports it (the schedule's
flags, the crawl state's outcomes), with its last runs and when it is next due."""
from __future__ import annotations

from datetime import datetime

from crawler.sources import Source
from index.article import iso
from monitor.schedule import new_articles, next_due, run_failed

FLAGS = ("failing", "silent", "changed")


def run_row(run: dict) -> dict:
    """One crawl run as the page lists it."""
    return {"started_at": run.get("started_at"), "trigger": run.get("trigger", ""),
            "finish_reason": run.get("finish_reason") or "no result", "duration": run.get("duration"),
            "pages": run.get("pages", 0), "new": new_articles(run), "outcomes": run.get("outcomes", {}),
            "errors": run.get("errors", {}), "failed": run_failed(run)}


def sources_document(stats: dict, sources: list[Source], runs: dict[str, list[dict]], now: datetime) -> dict:
    """Each of `sources` from the stats document (Newsmon.stats: `schedule_health`, `sources_health`,
    `by_source`) and its last runs (newest first); flagged sources first, then in the file's order."""
    schedule = {h["source"]: h for h in stats.get("schedule_health", [])}
    crawl = stats.get("sources_health", {})
    stored = stats.get("by_source", {})
    rows = []
    for source in sources:
        last = runs.get(source.id, [])
        due = next_due(source, last[0] if last else None)
        health = schedule.get(source.id, {})
        rows.append({"id": source.id, "name": source.name, "country": source.country,
                     "languages": list(source.languages), "interval": source.crawl_interval,
                     "flags": list(health.get("flags", [])), "last_run": health.get("last_run"),
                     "last_ok_run": health.get("last_ok_run"), "last_new_article": health.get("last_new_article"),
                     "quiet_limit_hours": health.get("quiet_limit_hours"), "crawl": crawl.get(source.id),
                     "stored": stored.get(source.id, 0), "runs": [run_row(r) for r in last],
                     "next_due": None if due <= now else iso(due)})
    rows.sort(key=lambda r: not r["flags"])  # stable: the file's order within each part
    counts = {flag: sum(flag in r["flags"] for r in rows) for flag in FLAGS}
    return {"total": len(rows), "flagged": counts, "generated_at": iso(now), "sources": rows}
