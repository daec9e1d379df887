"""`newsmon brief`: the period's stories, largest first (`--json` as GET /api/brief)."""
from __future__ import annotations

import json
from typing import Optional

import typer

from index.store import StoreUnavailable
from monitor.cli.session import fail, out, session

OUTLETS_SHOWN = 4


def brief(
    ctx: typer.Context,
    query: list[str] = typer.Argument(None, help="Only stories with articles matching these words (as in search)."),
    since: str = typer.Option("24h", help="The period: a duration back from now (24h, 7d) or a day (2025-03-01)."),
    until: Optional[str] = typer.Option(None, help="The period's end: now (default), a day or a time."),
    lang: list[str] = typer.Option([], "--lang", help="Only articles in these languages."),
    source: list[str] = typer.Option([], "--source", help="Only articles of these source ids."),
    entity: list[str] = typer.Option([], "--entity", help="Only articles naming one of these entities."),
    size: str = typer.Option("20", help="How many stories, 0 for every one."),
    as_json: bool = typer.Option(False, "--json", help="The document GET /api/brief returns."),
):
    """A brief of the period's stories, largest first: languages, outlets, who reported first."""
    from monitor.app import Newsmon
    from monitor.search import RequestError

    s = session(ctx)
    s.use_demo_store_if_default_is_empty()
    s.require_existing_store()
    params = {"q": " ".join(query or []), "since": since, "until": until, "lang": lang, "source": source, "entity": entity,
              "size": size}
    try:
        with Newsmon(s.config()) as newsmon:
            doc = newsmon.brief({k: v for k, v in params.items() if v})
    except RequestError as exc:
        fail(f"{exc.param}: {exc.message}", exc.param, exc.position)
    except StoreUnavailable as exc:
        fail(str(exc))
    print(json.dumps(doc, ensure_ascii=False, indent=2)) if as_json else print_brief(doc)


def print_brief(doc: dict) -> None:
    period = doc["period"]
    out.print(f"[bold]Brief {period['since'][:16].replace('T', ' ')} to {period['until'][:16].replace('T', ' ')} "
              f"UTC[/bold]: {doc['total']} stories, {doc['articles']} articles", highlight=False)
    if not doc["stories"]:
        out.print("No story has an article published in this period.", highlight=False)
    for n, story in enumerate(doc["stories"], 1):
        outlets = story["outlets"]
        more = f" +{len(outlets) - OUTLETS_SHOWN}" if len(outlets) > OUTLETS_SHOWN else ""
        status = "new" if story["new"] else f"continues, {story['articles']} in all"
        out.print(f"\n{n}. {story['headline']}", highlight=False, markup=False)
        out.print(f"   {story['matching']} articles ({status}) · {' '.join(story['languages'])} · "
                  f"{len(outlets)} outlets: {', '.join(outlets[:OUTLETS_SHOWN])}{more}", highlight=False, markup=False)
        out.print(f"   first: {story['first_source']} {(story['first_seen_at'] or '')[:16].replace('T', ' ')} "
                  f"{story['first_url']}", highlight=False, markup=False)
