"""The search page: the response document of a search rendered as HTML, and links that change it."""
from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from monitor.alerts.model import PLACEHOLDER_NAME, PLACEHOLDER_WEBHOOK
from monitor.search import RequestError, SearchRequest
from monitor.web.api import newsmon, parse_request
from monitor.web.chart import date_chart

HERE = Path(__file__).parent
# The page names its fields as its form labels them; the API's parameter names mean nothing there.
FIELD_LABELS = {"q": "Search", "since": "From", "until": "To", "interval": "By", "sort": "Sort",
                "lang": "Language", "source": "Outlet", "entity": "Entity", "page": "Page", "size": "Page size",
                "group": "Group by story"}
LANGUAGE_NAMES = {"en": "English", "tr": "Türkçe", "az": "Azərbaycanca", "ru": "Русский"}


def templates() -> Jinja2Templates:
    """The page's templates with their filters (link: only http(s); marked: the highlighter's HTML)."""
    found = Jinja2Templates(directory=HERE / "templates")
    found.env.globals.update(language_names=LANGUAGE_NAMES)
    found.env.filters["link"] = safe_link
    found.env.filters["marked"] = marked
    return found


def page_error(request: Request, message: str, status: int, param: str | None = None, template: str = "index.html"):
    """The search page (or another view of the search) with one error line, its form filled with what the user sent."""
    return request.app.state.templates.TemplateResponse(request, template, {
        "form": SearchForm.of_params(request.query_params), "error": message, "invalid": param,
        "doc": None, "view": None, "req": None, "stories": [], "total": 0, "search_link": "/"}, status_code=status)


def page(request: Request):
    try:
        req = parse_request(request)
    except RequestError as exc:
        label = FIELD_LABELS.get(exc.param, exc.param)
        return page_error(request, f"{label}: {exc.message}", 400, exc.param)
    doc = newsmon(request).search(req, with_volume=True, with_choices=True)
    return request.app.state.templates.TemplateResponse(request, "index.html", {
        "req": req, "form": SearchForm.of_request(req), "doc": doc, "error": None, "view": PageView(req, doc)})


def article_page(article_id: str, request: Request):
    try:
        req = parse_request(request)
    except RequestError:
        req = SearchRequest()
    found = newsmon(request).article(article_id, req)
    render = request.app.state.templates.TemplateResponse
    if found is None:
        return render(request, "article.html", {"a": None, "back": "/"}, status_code=404)
    return render(request, "article.html", {"a": found, "back": "/" + _qs(req.to_params()), "req": req})


def router() -> APIRouter:
    """GET / (the search page) and /articles/ID (one article, the search's words marked)."""
    pages = APIRouter(include_in_schema=False)
    pages.add_api_route("/", page, response_class=HTMLResponse)
    pages.add_api_route("/articles/{article_id}", article_page, response_class=HTMLResponse)
    return pages


def _qs(params: dict) -> str:
    return ("?" + urlencode(params, doseq=True)) if params else ""


def safe_link(url: str | None) -> str:
    """The URL if it is http(s), else '#': a stored javascript: or data: URL never becomes a link."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url
    return "#"


@dataclass(frozen=True)
class SearchForm:
    """What the search form shows: the validated request, or after an error the raw text as sent."""

    q: str = ""
    since: str = ""
    until: str = ""
    interval: str = "month"
    sort: str = "relevance"
    lang: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    entity: tuple[str, ...] = ()
    size: str = "10"
    group: str = ""

    @classmethod
    def of_request(cls, req: SearchRequest) -> "SearchForm":
        return cls(req.query, str(req.since or ""), str(req.until or ""), req.interval, req.sort,
                   req.languages, req.sources, req.entities, str(req.size), req.group)

    @classmethod
    def of_params(cls, params) -> "SearchForm":
        first = {k: params.get(k) or "" for k in ("q", "since", "until", "interval", "sort", "size", "group")}
        lists = {k: tuple(params.getlist(k)) for k in ("lang", "source", "entity")}
        return cls(**{k: v for k, v in first.items() if v}, **lists)

    @staticmethod
    def is_day(text: str) -> bool:
        """A date input shows only YYYY-MM-DD; anything else would come back as an empty box."""
        try:
            date.fromisoformat(text)
            return True
        except ValueError:
            return False


class PageView:
    """What the page needs beyond the response document: links that change one parameter."""

    def __init__(self, req: SearchRequest, doc: dict):
        self.req = req
        self.doc = doc
        self.params = req.to_params()

    def link(self, **changes) -> str:
        """This search with some parameters changed (None removes one); paging restarts."""
        params = dict(self.params)
        params.pop("page", None)
        for key, value in changes.items():
            if value is None or value == [] or value == "":
                params.pop(key, None)
            else:
                params[key] = value
        return "/" + _qs(params)

    def page_link(self, page: int) -> str:
        params = dict(self.params)
        if page > 1:
            params["page"] = str(page)
        else:
            params.pop("page", None)
        return "/" + _qs(params)

    def toggle(self, name: str, value: str) -> tuple[str, bool]:
        """A facet link adding the value to the filter, or removing it when already there."""
        current = list(self.params.get(name, []))
        active = value in current
        values = [v for v in current if v != value] if active else current + [value]
        return self.link(**{name: values}), active

    def alert_command(self) -> str:
        """This search as an alert: the `newsmon alerts add` command (the page itself never writes)."""
        req = self.req
        parts = ["newsmon", "alerts", "add", PLACEHOLDER_NAME, shlex.quote(req.query or "")]
        for flag, values in (("--lang", req.languages), ("--source", req.sources), ("--entity", req.entities)):
            parts += [a for v in values for a in (flag, shlex.quote(v))]
        return " ".join(parts + ["--webhook", PLACEHOLDER_WEBHOOK])

    def alert_request(self) -> str:
        """The same as a POST /api/alerts body (write routes need the X-API-Key header)."""
        req = self.req
        # placeholders refused unchanged wherever an alert is made (monitor.alerts.model.Alert.validate)
        body = {"name": PLACEHOLDER_NAME, "query": req.query or "", "languages": list(req.languages),
                "sources": list(req.sources), "entities": list(req.entities), "webhooks": [PLACEHOLDER_WEBHOOK]}
        return json.dumps({k: v for k, v in body.items() if v or k in ("name", "query")}, ensure_ascii=False)

    def alerts_link(self) -> str:
        """The Alerts page with its new-alert form filled with this search."""
        params = {k: v for k, v in self.params.items() if k in ("q", "lang", "source", "entity")}
        return "/alerts" + _qs(params)

    def export(self, kind: str) -> str:
        params = {k: v for k, v in self.params.items() if k not in ("page", "size", "sort", "interval", "group")}
        return f"/api/export.{kind}" + _qs(params)

    def article_link(self, article_id: str) -> str:
        # the whole search rides along, so "back" returns to it and its words stay marked
        return f"/articles/{article_id}" + _qs(self.params)

    def stories_link(self, story_id: str | None = None) -> str:
        """The Stories view of this search, or one story's."""
        if story_id:
            return f"/stories/{story_id}"
        params = {k: v for k, v in self.params.items() if k in ("q", "since", "until", "lang", "source", "entity")}
        return "/stories" + _qs(params)

    @property
    def pages(self) -> int:
        size = self.req.size or 1
        # grouped, the pages hold groups; near matches follow the full ones
        pages_of = self.doc.get("groups", self.doc["total"] + self.doc.get("near_total", 0))
        return max(1, min((pages_of + size - 1) // size, 10_000 // size))

    def chart(self) -> dict | None:
        """The date chart (monitor.web.chart): matches per bucket in front of every stored article."""
        matches = {b["key"]: b["count"] for b in self.doc["facets"].get("date", [])}
        volume = {b["key"]: b["count"] for b in self.doc.get("volume") or []}
        return date_chart(matches, volume, self.req.interval, self.link)

    def facet(self, name: str, param: str) -> list[dict]:
        """A facet's values as links: once one is chosen, the values beside it are still listed,
        counted without the facet's own filter (the document's `choices`); a chosen value the
        counts do not name (an entity chosen by a name, not its id) stays listed, so it can be unchosen."""
        buckets = (self.doc.get("choices") or {}).get(name) or self.doc["facets"].get(name, [])
        counts = {b["key"]: b["count"] for b in buckets}
        chosen = {b["key"]: b["count"] for b in self.doc["facets"].get(name, [])}
        for value in self.params.get(param, []):
            counts.setdefault(value, chosen.get(value))
        out = []
        for key, count in counts.items():
            href, active = self.toggle(param, key)
            out.append({"key": key, "count": count, "href": href, "active": active})
        return out


def marked(html: str) -> Markup:
    """Highlights are escaped text with <mark> tags made by index.highlight: safe to insert."""
    return Markup(html)
