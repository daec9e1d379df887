"""`newsmon search`: the search document (`--json`, as GET /api/search returns it) or hits and a histogram."""
from __future__ import annotations

import json
import re
from typing import Optional

import typer

from index.store import StoreUnavailable
from monitor.cli.session import fail, out, session

# Unknown "options" are query words: `newsmon search -football Shusha` excludes football.
SEARCH_CONTEXT = {"ignore_unknown_options": True, "allow_interspersed_args": True}


def search(
    ctx: typer.Context,
    query: list[str] = typer.Argument(None, help='e.g. Shusha "energy deal" -football lang:tr'),
    since: Optional[str] = typer.Option(None, help="First day, e.g. 2025-01-01."),
    until: Optional[str] = typer.Option(None, help="Last day (inclusive)."),
    lang: list[str] = typer.Option([], "--lang", help="Only these languages (en, tr, az, ru)."),
    source: list[str] = typer.Option([], "--source", help="Only these source ids."),
    entity: list[str] = typer.Option([], "--entity", help="Only articles naming these entities (e.g. shusha)."),
    interval: str = typer.Option("month", help="Histogram buckets: day, week, month or year."),
    page: str = typer.Option("1", help="Page number, from 1."),
    size: str = typer.Option("10", help="Hits per page, 0 to 100."),
    sort: str = typer.Option("relevance", help="relevance or date."),
    group: Optional[str] = typer.Option(None, help="story: one hit per story, with +N more in K languages."),
    concepts: bool = typer.Option(True, "--concepts/--no-concepts",
                                  help="Widen words to the beat lexicon's concepts in every language "
                                       "(pipeline: boru hattı, трубопровод); `=word` keeps one word exact."),
    explain: bool = typer.Option(False, "--explain", help="Show what each word was widened to (entities, "
                                                          "concepts, the forms searched for)."),
    near: bool = typer.Option(True, "--near/--no-near", help="After the full matches of three or more words, "
                              "the articles lacking one of them, marked with the word they lack."),
    as_json: bool = typer.Option(False, "--json", help="The response document, as GET /api/search returns it."),
):
    """Search stored articles and show a coverage histogram."""
    from monitor.app import Newsmon
    from monitor.search import RequestError, SearchRequest

    check_words(query or [])
    params = {"q": " ".join(query or []), "since": since, "until": until, "lang": lang, "source": source,
              "entity": entity, "interval": interval, "sort": sort, "page": page, "size": size, "group": group,
              "concepts": concepts, "explain": explain, "near": near}
    try:
        request = SearchRequest.from_params({k: v for k, v in params.items() if v is not None})
    except RequestError as exc:
        fail(_request_error(exc), exc.param, exc.position)
    s = session(ctx)
    s.use_demo_store_if_default_is_empty()
    s.require_existing_store()
    newsmon = Newsmon(s.config())
    try:
        doc = newsmon.search(request)
    except RequestError as exc:
        fail(_request_error(exc), exc.param, exc.position)
    except StoreUnavailable as exc:
        fail(str(exc))
    finally:
        newsmon.close()
    if as_json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    if "expansion" in doc:
        print_expansion(doc["expansion"])
    print_hits(doc)
    print_histogram([(b["key"], b["count"]) for b in doc["facets"].get("date", [])], request.interval)


def check_words(words: list[str]) -> None:
    """Fail on a query word that is a mistyped option."""
    misspelt = [word for word in words if word.startswith("--")]
    if misspelt:
        fail(f"no such option: {misspelt[0]} (see `newsmon search --help`)")
    # `-football` leaves out a word, but `-lang en` is a missed dash, not a search without "lang"
    options = {"lang", "since", "until", "source", "entity", "interval", "sort", "page", "size", "group", "json",
               "explain", "near"}
    one_dash = [word[1:] for word in words if word[:1] == "-" and word[1:].lower() in options]
    if one_dash:
        fail(f"-{one_dash[0]} would leave out the word {one_dash[0]!r}: the option is --{one_dash[0].lower()} "
             f"(to leave out the word, write NOT {one_dash[0]})")


def _request_error(exc) -> str:
    if exc.param == "q":
        return f"bad query: {exc.message}"
    return f"--{ {'q': 'query', 'lang': 'lang'}.get(exc.param, exc.param)} {exc.message}"


def _marks(text: str) -> str:
    """Turn <mark> highlights into terminal emphasis."""
    import html

    text = text.replace("[", r"\[")
    text = re.sub(r"<mark>(.*?)</mark>", r"[bold yellow]\1[/bold yellow]", text)
    return html.unescape(text)


def print_expansion(expansion: list[dict]) -> None:
    """Each word of the query and what it was widened to (a search's `expansion`)."""
    out.print("[bold]Searched for[/bold]")
    for item in expansion:
        named = [f"entity {e}" for e in item["entities"]] + [f"concept {c}" for c in item["concepts"]]
        field = f"{item['field']}:" if item["field"] else ""
        how = "exact" if item["exact"] else (", ".join(named) or "as written")
        out.print(f"  {_plain(field + item['text'])} ({how})" + (": " if item["forms"] else ""), highlight=False)
        if item["forms"]:
            out.print("    " + _plain(" · ".join(item["forms"])), highlight=False)
    out.print("")


def print_hits(doc: dict) -> None:
    """Hits of a response document (monitor.search.result_json) for the terminal."""
    first = (doc["page"] - 1) * doc["size"] + 1
    grouped = f" in {doc['groups']} groups (one per story; an article without one stands alone)" if "groups" in doc else ""
    out.print(f"[bold]{doc['total']}[/bold] matching articles{grouped}" +
              (f", showing {first}–{first + len(doc['hits']) - 1}" if doc["hits"] else ""))
    near_shown = False
    for n, hit in enumerate(doc["hits"], first):
        if hit.get("missing") and not near_shown:
            near_shown = True
            out.print(f"\n[bold]{doc['near_total']}[/bold] near matches: each lacks one of the query's words")
        title = hit["highlights"]["title"][0] if hit["highlights"].get("title") else hit["title"]
        day = hit["published_at"][:10] if hit["published_at"] else "undated"
        dup = " [dim](copy)[/dim]" if hit["duplicate_of"] else ""
        if hit.get("missing"):
            dup += " [dim]missing: " + _plain(", ".join(hit["missing"])) + "[/dim]"
        out.print(f"\n[bold]{n}. {_marks(title)}[/bold]{dup}")
        out.print(f"   [cyan]{hit['source']}[/cyan] · {hit['language']} · {day} · [dim]{_plain(hit['url'])}[/dim]")
        for snippet in hit["highlights"].get("body", [])[:2]:
            out.print(f"   {_marks(snippet)}")
        if hit.get("more", {}).get("count"):
            out.print(f"   [green]{more_text(hit['more'])}[/green] · story {hit['story_id']}", highlight=False)


def more_text(more: dict) -> str:
    """'+4 more in 3 languages (az, ru, tr)': a grouped hit's other matching articles."""
    languages = more["languages"]
    spread = f" in {len(languages)} language{'s' if len(languages) != 1 else ''} ({', '.join(languages)})"
    return f"+{more['count']} more" + (spread if languages else "")


def _plain(text: str) -> str:
    return text.replace("[", r"\[")


def print_histogram(buckets: list[tuple[str, int]], interval: str, width: int = 40) -> None:
    if not buckets:
        return
    peak = max(c for _, c in buckets) or 1
    out.print(f"\n[bold]Coverage by {interval}[/bold]")
    for key, count in buckets:
        label = {"month": key[:7], "year": key[:4]}.get(interval, key)
        bar = "█" * max(1 if count else 0, round(width * count / peak))
        out.print(f"{label:>10} {bar} {count}")
