"""The JSON API's reading routes: each returns the document the matching `--json` command prints."""
from __future__ import annotations

from datetime import datetime, time, timezone

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from monitor.app import Newsmon
from monitor.errors import error_document
from monitor.search import RequestError, SearchRequest

# Documented parameters; SearchRequest.from_params validates them all in one place.
Q = Query(None, description='Query: words, "phrases", OR, -exclusion, (groups), lang:, source:, entity:, title:, '
                            '=word (exact: not widened to aliases or concepts)')
SINCE = Query(None, description="First day (UTC), e.g. 2025-01-01")
UNTIL = Query(None, description="Last day (UTC), inclusive")
LANG = Query(None, description="Languages, repeated or comma-separated: en, tr, az, ru")
SOURCE = Query(None, description="Source ids, repeated or comma-separated")
ENTITY = Query(None, description="Entity ids or names, e.g. shusha, erdogan")
INTERVAL = Query(None, description="Date histogram buckets: day, week, month (default) or year")
SORT = Query(None, description="relevance (default) or date")
PAGE = Query(None, description="Page number, from 1")
SIZE = Query(None, description="Hits per page, 0 to 100 (default 10)")
GROUP = Query(None, description="story: one hit per story (its best match, +N more in K languages); "
                                "page and size then count groups, `groups` says how many")
CONCEPTS = Query(None, description="on (default) or off: widen words to the beat lexicon's concepts in every "
                                   "language (pipeline: boru hattı, трубопровод)")
EXPLAIN = Query(None, description="on: the answer's `expansion` says what each word was widened to")
NEAR = Query(None, description="on (default) or off: ranked by relevance, after the last full match of three or "
                               "more words come the articles lacking one (`near_total`; each hit's `missing`)")


def newsmon(request: Request) -> Newsmon:
    return request.app.state.newsmon


def params_of(request: Request) -> dict[str, list[str]]:
    """The query string, repeated list parameters kept."""
    return {k: request.query_params.getlist(k) for k in request.query_params.keys()}


def parse_request(request: Request) -> SearchRequest:
    """The SearchRequest of a query string."""
    return SearchRequest.from_params(params_of(request))


def search(request: Request, q: str | None = Q, since: str | None = SINCE, until: str | None = UNTIL,
           lang: list[str] | None = LANG, source: list[str] | None = SOURCE, entity: list[str] | None = ENTITY,
           interval: str | None = INTERVAL, sort: str | None = SORT, page: str | None = PAGE,
           size: str | None = SIZE, group: str | None = GROUP, concepts: str | None = CONCEPTS,
           explain: str | None = EXPLAIN, near: str | None = NEAR) -> dict:
    return newsmon(request).search(parse_request(request))


def article(article_id: str, request: Request, q: str | None = Q) -> dict:
    found = newsmon(request).article(article_id, SearchRequest.from_params({"q": request.query_params.get("q", "")}))
    if found is None:
        return JSONResponse(error_document(f"no article {article_id!r}", "id"), status_code=404)
    return found


def stories(request: Request, q: str | None = Q, since: str | None = SINCE, until: str | None = UNTIL,
            lang: list[str] | None = LANG, source: list[str] | None = SOURCE, entity: list[str] | None = ENTITY,
            size: str | None = Query(None, description="Stories, 0 (every story) to 10000 (default 10)")) -> dict:
    from monitor.stories import stories_request

    search_request, count = stories_request(params_of(request))
    return newsmon(request).stories(search_request, count)


def brief(request: Request, since: str | None = Query(None, description="The period: 24h (default), 7d, or a day"),
          until: str | None = Query(None, description="The period's end: now (default), a day or a time"),
          q: str | None = Q, lang: list[str] | None = LANG, source: list[str] | None = SOURCE,
          entity: list[str] | None = ENTITY,
          size: str | None = Query(None, description="Stories, 0 (every story) to 10000 (default 20)")) -> dict:
    return newsmon(request).brief(params_of(request))


def story(story_id: str, request: Request) -> dict:
    found = newsmon(request).story(story_id)
    if found is None:
        return JSONResponse(error_document(f"no story {story_id!r}", "id"), status_code=404)
    return found


def stats(request: Request) -> dict:
    return newsmon(request).stats()


def runs(request: Request, source: str | None = Query(None, description="Only this source."),
         since: str | None = Query(None, description="Runs started on or after this day (UTC)"),
         limit: int = Query(50, ge=0, description="At most this many, newest first")) -> list[dict]:
    started = SearchRequest.from_params({"since": since}).since if since else None
    first = datetime.combine(started, time.min, timezone.utc) if started else None
    return newsmon(request).runs(source=source, since=first, limit=limit)


def coverage(request: Request, since: str | None = SINCE, until: str | None = UNTIL,
             source: list[str] | None = SOURCE) -> dict:
    params = params_of(request)
    unknown = sorted(set(params) - {"since", "until", "source"})
    if unknown:
        raise RequestError(unknown[0], "unknown parameter; known: since, until, source")
    req = SearchRequest.from_params(params)
    return newsmon(request).coverage(req.since, req.until, req.sources)


def _export_request(request: Request) -> SearchRequest:
    params = params_of(request)
    # the page's own paging does not limit an export
    for name in ("page", "size", "sort", "interval", "group"):
        params.pop(name, None)
    return SearchRequest.from_params(params)


def export_csv(request: Request, q: str | None = Q, since: str | None = SINCE, until: str | None = UNTIL,
               lang: list[str] | None = LANG, source: list[str] | None = SOURCE, entity: list[str] | None = ENTITY):
    chunks = newsmon(request).export_csv(_export_request(request))
    return StreamingResponse(chunks, media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="newsmon.csv"'})


def export_json(request: Request, q: str | None = Q, since: str | None = SINCE, until: str | None = UNTIL,
                lang: list[str] | None = LANG, source: list[str] | None = SOURCE, entity: list[str] | None = ENTITY):
    chunks = newsmon(request).export_json(_export_request(request))
    return StreamingResponse(chunks, media_type="application/json",
                             headers={"Content-Disposition": 'attachment; filename="newsmon.json"'})


def router() -> APIRouter:
    """GET /api/search, /api/articles/ID, /api/stories, /api/stories/ID, /api/brief, /api/stats, /api/runs, /api/coverage, /api/export.{csv,json}."""
    api = APIRouter()
    api.add_api_route("/api/search", search, tags=["search"],
                      summary="Search articles: hits with highlights, total, facets")
    api.add_api_route("/api/articles/{article_id}", article, tags=["search"],
                      summary="One article, full text, matches marked")
    api.add_api_route("/api/stories", stories, tags=["stories"],
                      summary="Stories (one event's articles across outlets and languages), most covered first")
    api.add_api_route("/api/stories/{story_id}", story, tags=["stories"],
                      summary="One story and its articles, first seen first")
    api.add_api_route("/api/brief", brief, tags=["stories"],
                      summary="The period's stories, largest first, with languages, outlets and first reporter")
    api.add_api_route("/api/stats", stats, tags=["store"],
                      summary="Totals by language and source, date range, each source's health")
    api.add_api_route("/api/runs", runs, tags=["store"], summary="The crawl history: each source's runs")
    api.add_api_route("/api/coverage", coverage, tags=["store"], summary="Articles crawled per source per day")
    api.add_api_route("/api/export.csv", export_csv, tags=["export"],
                      summary="Every matching article as CSV, streamed")
    api.add_api_route("/api/export.json", export_json, tags=["export"],
                      summary="Every matching article (with body) as JSON, streamed")
    return api
