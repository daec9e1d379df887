"""`newsmon stories`: one event's coverage across outlets and languages (`--json` as GET /api/stories)."""
from __future__ import annotations

import json
from typing import Optional

import typer
from rich.table import Table

from index.store import StoreUnavailable
from monitor.cli.session import fail, out, session


def stories(
    ctx: typer.Context,
    query: list[str] = typer.Argument(None, help='Words as in `newsmon search`; or `show ID` for one story.'),
    since: Optional[str] = typer.Option(None, help="First day, e.g. 2025-01-01."),
    until: Optional[str] = typer.Option(None, help="Last day (inclusive)."),
    lang: list[str] = typer.Option([], "--lang", help="Only stories with articles in these languages."),
    size: str = typer.Option("10", help="How many stories, 0 for every one."),
    as_json: bool = typer.Option(False, "--json", help="The document GET /api/stories (or /api/stories/ID) returns."),
):
    """Stories: each event's articles across outlets and languages, most covered first; `stories show ID` one story."""
    from monitor.app import Newsmon
    from monitor.search import RequestError
    from monitor.stories import stories_request

    words = list(query or [])
    s = session(ctx)
    s.use_demo_store_if_default_is_empty()
    s.require_existing_store()
    if words[:1] == ["show"]:
        if len(words) != 2:
            fail("use: newsmon stories show ID")
        with Newsmon(s.config()) as newsmon:
            doc = _read(lambda: newsmon.story(words[1]))
        if doc is None:
            fail(f"no story {words[1]!r}", "id")
        print(json.dumps(doc, ensure_ascii=False, indent=2)) if as_json else print_story(doc)
        return
    params = {"q": " ".join(words), "since": since, "until": until, "lang": lang, "size": size}
    try:
        request, count = stories_request({k: v for k, v in params.items() if v is not None})
        with Newsmon(s.config()) as newsmon:
            doc = _read(lambda: newsmon.stories(request, count))
    except RequestError as exc:
        fail(f"{exc.param}: {exc}", exc.param, exc.position)
    print(json.dumps(doc, ensure_ascii=False, indent=2)) if as_json else print_stories(doc)


def _read(read):
    try:
        return read()
    except StoreUnavailable as exc:
        fail(str(exc))


def print_stories(doc: dict) -> None:
    table = Table(title=f"{doc['total']} stories")
    for column in ("story", "articles", "languages", "outlets", "first reported", "headline"):
        table.add_column(column)
    for story in doc["stories"]:
        table.add_row(story["id"], str(story["articles"]), " ".join(story["languages"]), str(len(story["outlets"])),
                      f"{story['first_source']} {(story['first_seen_at'] or '')[:16]}", story["headline"][:80])
    out.print(table)


def print_story(doc: dict) -> None:
    out.print(f"[bold]{doc['headline']}[/bold]: {doc['articles']} articles, {len(doc['languages'])} languages, "
              f"{len(doc['outlets'])} outlets, first reported by {doc['first_source']}", highlight=False)
    for a in doc["articles"]:
        mark = "*" if a["first"] else " "
        out.print(f"{mark} {(a['first_seen_at'] or '')[:16]}  {a['language']}  {a['source']}  {a['title'][:70]}",
                  highlight=False)
        out.print(f"    {a['url']}", highlight=False)
