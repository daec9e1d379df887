"""The web app: the JSON API and the search page over one SearchService (FastAPI + Jinja2).

`create_app(config)` builds it; `newsmon serve` runs it with uvicorn. Reading endpoints are open;
write endpoints (alerts) are served only when NEWSMON_API_KEY is set, and monitor.web.gates checks
the key (and the Host every request names) before any route reads a body.
"""
from __future__ import annotations

import json
import logging
import shlex
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from fastapi_offline import FastAPIOffline
from markupsafe import Markup
from starlette.exceptions import HTTPException as StarletteHTTPException

from index.store import StoreUnavailable, bucket_end
from monitor.config import Config
from monitor.service import RequestError, SearchRequest, SearchService
from monitor.alerts.model import PLACEHOLDER_NAME, PLACEHOLDER_WEBHOOK
from monitor.web.alert_routes import CLI_ONLY, add_alert_routes
from monitor.web.gates import HostCheck, WriteGate, error_body, key_matches

HERE = Path(__file__).parent
log = logging.getLogger("newsmon.web")
# No inline script anywhere: titles and bodies come from the open web.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
# The API's /docs page (fastapi-offline: Swagger UI served from this server, so it works
# offline) starts Swagger UI with an inline script: no CSP there. No /redoc: ReDoc fetches its
# logo from its CDN.
DOCS_PATHS = ("/docs", "/docs/oauth2-redirect")
FINER = {"year": "month", "month": "day", "week": "day", "day": "day"}
# The page names its fields as its form labels them; the API's parameter names mean nothing there.
FIELD_LABELS = {"q": "Search", "since": "From", "until": "To", "interval": "By", "sort": "Sort",
                "lang": "Language", "source": "Outlet", "entity": "Entity", "page": "Page", "size": "Page size"}
STORE_AWAY = "The article store is not answering right now; try again in a minute."
LANGUAGE_NAMES = {"en": "English", "tr": "Türkçe", "az": "Azərbaycanca", "ru": "Русский"}

# Documented parameters; SearchRequest.from_params validates them all in one place.
Q = Query(None, description='Query: words, "phrases", OR, -exclusion, (groups), lang:, source:, entity:, title:')
SINCE = Query(None, description="First day (UTC), e.g. 2025-01-01")
UNTIL = Query(None, description="Last day (UTC), inclusive")
LANG = Query(None, description="Languages, repeated or comma-separated: en, tr, az, ru")
SOURCE = Query(None, description="Source ids, repeated or comma-separated")
ENTITY = Query(None, description="Entity ids or names, e.g. shusha, erdogan")
INTERVAL = Query(None, description="Date histogram buckets: day, week, month (default) or year")
SORT = Query(None, description="relevance (default) or date")
PAGE = Query(None, description="Page number, from 1")
SIZE = Query(None, description="Hits per page, 0 to 100 (default 10)")


def parse_request(request: Request) -> SearchRequest:
    """The SearchRequest of a query string (repeated list parameters kept)."""
    qp = request.query_params
    return SearchRequest.from_params({k: qp.getlist(k) for k in qp.keys()})


def require_api_key(x_api_key: str = Header("", alias="X-API-Key"), request: Request = None) -> None:
    """Guard for write routes: the X-API-Key header must equal NEWSMON_API_KEY."""
    if not key_matches(x_api_key, request.app.state.config.api_key):
        raise HTTPException(status_code=401, detail="a valid X-API-Key header is required")


# Write endpoints (the alerts issue adds them here) are included only when an API key is set.
write_routes = APIRouter(dependencies=[Depends(require_api_key)])


def create_app(config: Config, service: SearchService | None = None) -> FastAPI:
    """The API and the page over `config`'s store (opened once, on first use)."""
    service = service or SearchService(config)
    app = FastAPIOffline(title="newsmon", version="0.1.0",
                         description="Search Turkey–Azerbaijan news coverage: the same documents as "
                                     "`newsmon search --json`.",
                         static_url="/static/api-docs", redoc_url=None)
    app.state.config = config
    app.state.service = service
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(language_names=LANGUAGE_NAMES)
    templates.env.filters["link"] = safe_link
    templates.env.filters["marked"] = marked
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def page_error(request: Request, message: str, status: int, param: str | None = None):
        """The search page with one error line, its form filled with what the user sent."""
        return templates.TemplateResponse(request, "index.html", {
            "form": SearchForm.of_params(request.query_params), "error": message, "invalid": param,
            "doc": None, "view": None}, status_code=status)

    if config.api_key and write_routes.routes:
        app.include_router(write_routes, prefix="/api")
    add_alert_routes(app, require_api_key)

    # the last added runs first: the Host, then the key and body size, then the headers below
    app.add_middleware(WriteGate, api_key=config.api_key)
    app.add_middleware(HostCheck, allowed=config.allowed_hosts)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        if request.url.path not in DOCS_PATHS:
            response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(RequestError)
    async def bad_request(_: Request, exc: RequestError):
        return JSONResponse(exc.to_json(), status_code=400)

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(_: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        # loc starts with where ("query", "body", ...); then the field, and a list item's index ("webhooks.0")
        param = ".".join(str(part) for part in first.get("loc", ())[1:]) or "body"
        message = first.get("msg", "bad parameter")
        if first.get("type") == "extra_forbidden":
            message = CLI_ONLY.get(param, "not a field of this request")
        elif first.get("type") == "json_invalid":  # its loc is a character offset, not a field
            param, message = "body", f"the body is not JSON ({first.get('ctx', {}).get('error', 'malformed')})"
        return JSONResponse(error_body(message, param), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException):
        # 401, 404, 405 ... in the same shape as every other error ({"detail"} is FastAPI's own)
        param = "X-API-Key" if exc.status_code == 401 else None
        return JSONResponse(error_body(str(exc.detail), param), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(StoreUnavailable)
    async def store_away(request: Request, exc: StoreUnavailable):
        # the detail (cluster URL, spool path) is the operator's, in the log; the client gets one line
        log.warning("store unavailable serving %s: %s", request.url.path, exc)
        if not request.url.path.startswith("/api/"):
            return page_error(request, STORE_AWAY, 503)
        return JSONResponse(error_body(STORE_AWAY), status_code=503)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception):
        log.exception("error serving %s", request.url.path)  # the trace goes to the log, never to the client
        return JSONResponse(error_body("internal error; see the server log"), status_code=500)

    # --- JSON API ------------------------------------------------------------------------
    @app.get("/api/search", tags=["search"], summary="Search articles: hits with highlights, total, facets")
    def api_search(request: Request, q: str | None = Q, since: str | None = SINCE, until: str | None = UNTIL,
                   lang: list[str] | None = LANG, source: list[str] | None = SOURCE,
                   entity: list[str] | None = ENTITY, interval: str | None = INTERVAL, sort: str | None = SORT,
                   page: str | None = PAGE, size: str | None = SIZE) -> dict:
        return service.search(parse_request(request))

    @app.get("/api/articles/{article_id}", tags=["search"], summary="One article, full text, matches marked")
    def api_article(article_id: str, request: Request, q: str | None = Q) -> dict:
        found = service.article(article_id, _query_only(request))
        if found is None:
            return JSONResponse(error_body(f"no article {article_id!r}", "id"), status_code=404)
        return found

    @app.get("/api/stats", tags=["store"], summary="Totals by language and source, date range")
    def api_stats() -> dict:
        return service.stats()

    @app.get("/api/coverage", tags=["store"], summary="Articles crawled per source per day")
    def api_coverage(request: Request, since: str | None = SINCE, until: str | None = UNTIL,
                     source: list[str] | None = SOURCE) -> dict:
        params = {k: request.query_params.getlist(k) for k in request.query_params.keys()}
        unknown = sorted(set(params) - {"since", "until", "source"})
        if unknown:
            raise RequestError(unknown[0], "unknown parameter; known: since, until, source")
        req = SearchRequest.from_params(params)
        return service.coverage(req.since, req.until, req.sources)

    @app.get("/api/export.csv", tags=["export"], summary="Every matching article as CSV, streamed")
    def export_csv(request: Request, q: str | None = Q, since: str | None = SINCE, until: str | None = UNTIL,
                   lang: list[str] | None = LANG, source: list[str] | None = SOURCE,
                   entity: list[str] | None = ENTITY):
        req = _export_request(request)
        return StreamingResponse(service.export_csv(req), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="newsmon.csv"'})

    @app.get("/api/export.json", tags=["export"], summary="Every matching article (with body) as JSON, streamed")
    def export_json(request: Request, q: str | None = Q, since: str | None = SINCE, until: str | None = UNTIL,
                    lang: list[str] | None = LANG, source: list[str] | None = SOURCE,
                    entity: list[str] | None = ENTITY):
        req = _export_request(request)
        return StreamingResponse(service.export_json(req), media_type="application/json",
                                 headers={"Content-Disposition": 'attachment; filename="newsmon.json"'})

    # --- the page ------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page(request: Request):
        try:
            req = parse_request(request)
        except RequestError as exc:
            label = FIELD_LABELS.get(exc.param, exc.param)
            return page_error(request, f"{label}: {exc.message}", 400, exc.param)
        doc = service.search(req, with_volume=True)
        return templates.TemplateResponse(request, "index.html", {
            "req": req, "form": SearchForm.of_request(req), "doc": doc, "error": None, "view": PageView(req, doc)})

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str, request: Request):
        try:
            req = parse_request(request)
        except RequestError:
            req = SearchRequest()
        found = service.article(article_id, req)
        if found is None:
            return templates.TemplateResponse(request, "article.html", {"a": None, "back": "/"}, status_code=404)
        return templates.TemplateResponse(request, "article.html",
                                          {"a": found, "back": "/" + _qs(req.to_params()), "req": req})

    return app


def _query_only(request: Request) -> SearchRequest:
    q = request.query_params.get("q", "")
    return SearchRequest.from_params({"q": q})


def _export_request(request: Request) -> SearchRequest:
    params = {k: request.query_params.getlist(k) for k in request.query_params.keys()}
    # the page's own paging does not limit an export
    for name in ("page", "size", "sort", "interval"):
        params.pop(name, None)
    return SearchRequest.from_params(params)


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

    @classmethod
    def of_request(cls, req: SearchRequest) -> "SearchForm":
        return cls(req.query, str(req.since or ""), str(req.until or ""), req.interval, req.sort,
                   req.languages, req.sources, req.entities, str(req.size))

    @classmethod
    def of_params(cls, params) -> "SearchForm":
        first = {k: params.get(k) or "" for k in ("q", "since", "until", "interval", "sort", "size")}
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

    def export(self, kind: str) -> str:
        params = {k: v for k, v in self.params.items() if k not in ("page", "size", "sort", "interval")}
        return f"/api/export.{kind}" + _qs(params)

    def article_link(self, article_id: str) -> str:
        # the whole search rides along, so "back" returns to it and its words stay marked
        return f"/articles/{article_id}" + _qs(self.params)

    @property
    def pages(self) -> int:
        size = self.req.size or 1
        return max(1, min((self.doc["total"] + size - 1) // size, 10_000 // size))

    def bars(self, height: int = 120) -> list[dict]:
        """The chart: per bucket the matches and, behind them, every stored article of that period."""
        matches = {b["key"]: b["count"] for b in self.doc["facets"].get("date", [])}
        volume = {b["key"]: b["count"] for b in self.doc.get("volume") or []}
        keys = sorted(matches)
        if not keys:
            return []
        keys = [k for k in sorted(volume) if keys[0] <= k <= keys[-1]] or keys
        peak = max([volume.get(k, 0) for k in keys] + [matches.get(k, 0) for k in keys]) or 1
        interval = self.req.interval
        out = []
        for key in keys:
            start = date.fromisoformat(key)
            end = bucket_end(start, interval)
            out.append({
                "key": key, "label": _label(key, interval), "matches": matches.get(key, 0),
                "volume": volume.get(key, 0),
                "h": round(height * matches.get(key, 0) / peak), "vh": round(height * volume.get(key, 0) / peak),
                "href": self.link(since=start.isoformat(), until=end.isoformat(), interval=FINER[interval]),
            })
        return out


def _label(key: str, interval: str) -> str:
    return {"month": key[:7], "year": key[:4]}.get(interval, key)


def marked(html: str) -> Markup:
    """Highlights are escaped text with <mark> tags made by index.highlight: safe to insert."""
    return Markup(html)
