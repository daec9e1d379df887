"""The page's Stories view: the stories of the current search, each with its articles by time,
outlet and language, a small coverage chart (articles per hour or per day) and the first reporter."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from monitor.search import RequestError
from monitor.web.api import newsmon, parse_request
from monitor.web.pages import FIELD_LABELS, SearchForm, _qs, page_error

STORIES_SHOWN = 10
ROWS_SHOWN = 50  # a story's articles listed under it in the Stories view; /stories/ID lists them all
MAX_BARS = 400  # a story's chart: the last 400 hours or days up to its newest article
HOURLY_UNDER = timedelta(hours=48)  # a story told within two days is charted by hour
CHART_HEIGHT = 40


def router() -> APIRouter:
    """GET /stories (the stories of the search in the query string) and /stories/ID (one story)."""
    pages = APIRouter(include_in_schema=False)
    pages.add_api_route("/stories", stories_page, response_class=HTMLResponse)
    pages.add_api_route("/stories/{story_id}", one_story_page, response_class=HTMLResponse)
    return pages


def stories_page(request: Request):
    try:
        req = parse_request(request)
    except RequestError as exc:
        return page_error(request, f"{FIELD_LABELS.get(exc.param, exc.param)}: {exc.message}", 400, exc.param,
                          "stories.html")
    app = newsmon(request)
    listed = app.stories(req, STORIES_SHOWN)
    stories = [story_view(app.story(s["id"]) or {**s, "articles": []}, s["matching"], ROWS_SHOWN)
               for s in listed["stories"]]
    search = {k: v for k, v in req.to_params().items() if k not in ("page", "group")}
    return request.app.state.templates.TemplateResponse(request, "stories.html", {
        "req": req, "form": SearchForm.of_request(req), "error": None, "total": listed["total"],
        "stories": stories, "search_link": "/" + _qs(search)})


def one_story_page(story_id: str, request: Request):
    found = newsmon(request).story(story_id)
    stories = [story_view(found)] if found else []
    return request.app.state.templates.TemplateResponse(request, "stories.html", {
        "req": None, "form": SearchForm(), "error": None if found else f"No story {story_id!r}.", "total": len(stories),
        "stories": stories, "search_link": "/"}, status_code=200 if found else 404)


def _when(article: dict) -> datetime | None:
    stamp = article.get("published_at") or article.get("first_seen_at")
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")) if stamp else None


def story_view(doc: dict, matching: int | None = None, shown: int | None = None) -> dict:
    """A story document (monitor.stories.story_document: its articles first seen first, as the first
    reporter is the first seen) with its chart; the first `shown` of its articles listed (all: None)."""
    articles = doc["articles"]
    listed = articles if shown is None else articles[:shown]
    return {**doc, "count": len(articles), "matching": len(articles) if matching is None else matching,
            "by_time": listed, "hidden": len(articles) - len(listed), "chart": coverage_chart(articles)}


def coverage_chart(articles: list[dict]) -> dict:
    """Articles per hour (a story told within two days) or per day, empty buckets included."""
    times = [t for t in (_when(a) for a in articles) if t is not None]
    if not times:
        return {"unit": "day", "bars": [], "before": 0}
    hourly = max(times) - min(times) < HOURLY_UNDER
    step = timedelta(hours=1) if hourly else timedelta(days=1)

    def bucket(t: datetime) -> datetime:
        return t.replace(minute=0, second=0, microsecond=0) if hourly else t.replace(hour=0, minute=0, second=0,
                                                                                       microsecond=0)

    counts = Counter(bucket(t) for t in times)
    last = max(counts)
    # up to the newest article, at most MAX_BARS back: a stray date (1970, a typo) leaves the chart
    # instead of stretching it over decades; how many articles fell before it is said
    spans = min(int((last - min(counts)) / step), MAX_BARS - 1)
    keys = [last - step * i for i in range(spans, -1, -1)]
    shown = {k: counts[k] for k in keys if k in counts}
    peak = max(shown.values())
    bars = [{"key": k.strftime("%Y-%m-%d %H:00" if hourly else "%Y-%m-%d"), "count": shown.get(k, 0),
             "h": round(CHART_HEIGHT * shown.get(k, 0) / peak)} for k in keys]
    return {"unit": "hour" if hourly else "day", "bars": bars, "before": len(times) - sum(shown.values())}
