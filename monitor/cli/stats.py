"""`newsmon stats` and `newsmon runs`: the store's documents (`--json`, as GET /api/stats and /api/runs return them)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from monitor.cli.session import err, out, parse_day, select_sources, session


def stats(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="The stats document, as GET /api/stats returns it."),
    sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file (default: the packaged one)."),
    state: Optional[Path] = typer.Option(None, "--state", help="Crawl state file (default: the store's own)."),
):
    """What the store holds (totals by language and source, date range) and each source's crawl health."""
    chosen = select_sources(sources, [])
    s = session(ctx)
    s.use_demo_store_if_default_is_empty()
    with s.newsmon(read_only=True) as newsmon:
        data = newsmon.stats(chosen, state)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    print_stats(s.store_url, data)


def print_stats(store_url: str, data: dict) -> None:
    """The stats document for the terminal: totals, tables, the health of each source."""
    from monitor.health import crawl_health_table, never_crawled

    out.print(f"[bold]{data.get('total', 0)}[/bold] articles in {store_url}")
    for key in ("by_language", "by_source"):
        table = Table(title=key.replace("_", " "))
        table.add_column("key")
        table.add_column("articles", justify="right")
        for k, v in sorted(data.get(key, {}).items(), key=lambda kv: -kv[1]):
            table.add_row(str(k), str(v))
        out.print(table)
    for key in ("duplicates", "first_published", "last_published", "last_crawled"):
        if key in data:
            out.print(f"{key.replace('_', ' ')}: {data[key]}")
    if data.get("spooled"):  # only while (or just after) Elasticsearch was away
        out.print(f"spooled, not yet searchable: {data['spooled']}")
    health = data["sources_health"]
    out.print(crawl_health_table(health))
    flagged = [h for h in data["schedule_health"] if h["flags"]]
    for h in flagged:
        err.print(f"[yellow]{h['source']}: {', '.join(h['flags'])}[/yellow] (last ok run {h['last_ok_run'] or 'never'}, "
                  f"last new article {h['last_new_article'] or 'never'})")
    unseen = never_crawled(health)
    if unseen:
        out.print(f"never crawled into this store: {len(unseen)} source(s) ({', '.join(unseen)}); "
                  "`newsmon crawl` crawls them", highlight=False)


def runs(
    ctx: typer.Context,
    source: Optional[str] = typer.Option(None, "--source", help="Only this source."),
    since: Optional[str] = typer.Option(None, "--since", help="Runs started on or after this date."),
    limit: int = typer.Option(50, "--limit"),
    as_json: bool = typer.Option(False, "--json", help="The runs, as GET /api/runs returns them."),
):
    """The crawl history: when each source ran, why, and what came of it."""
    started = parse_day(since, "since")
    with session(ctx).newsmon(read_only=True) as newsmon:
        history = newsmon.runs(source=source, since=started, limit=limit)
    if as_json:
        print(json.dumps(history, ensure_ascii=False, indent=2))
        return
    table = Table(title="Crawl runs")
    for column in ("started", "source", "trigger", "seconds", "pages", "articles", "new", "outcomes", "errors", "end"):
        table.add_column(column, justify="right" if column in ("seconds", "pages", "articles", "new") else "left")
    for r in history:
        o = r.get("outcomes", {})
        table.add_row(r["started_at"], r["source"], r.get("trigger", ""), str(r.get("duration", "")), str(r.get("pages", 0)),
                      str(r.get("article_responses", 0)), str(o.get("stored", 0) + o.get("duplicate", 0)),
                      ", ".join(f"{k} {v}" for k, v in sorted(o.items())) or "-",
                      ", ".join(f"{k} {v}" for k, v in sorted(r.get("errors", {}).items())) or "-",
                      r.get("finish_reason", ""))
    out.print(table)
