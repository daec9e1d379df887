"""The web app: the JSON API and the search page over one Newsmon (FastAPI + Jinja2).

`create_app(config)` builds it; `newsmon serve` runs it with uvicorn (`from_environment` is the
factory its worker processes call). Reading endpoints are open; write endpoints (alerts) are
served only when NEWSMON_API_KEY is set, and monitor.web.gates checks the key (and the Host every
request names) before any route reads a body.
"""
from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException

from index.store import StoreUnavailable
from monitor.app import Newsmon
from monitor.config import Config, load_config
from monitor.errors import error_document
from monitor.metrics import registry
from monitor.search import RequestError
from monitor.web import admin_pages, alerts_api, api, feeds, pages, stories_page
from monitor.web.gates import HostCheck, WriteGate

HERE = Path(__file__).parent
log = logging.getLogger("newsmon.web")
# No inline script anywhere: titles and bodies come from the open web.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
# The API's /docs page (fastapi-offline: Swagger UI served from this server, so it works
# offline) starts Swagger UI with an inline script: no CSP there. No /redoc: ReDoc fetches its
# logo from its CDN.
DOCS_PATHS = ("/docs", "/docs/oauth2-redirect")
STORE_AWAY = "The article store is not answering right now; try again in a minute."


def create_app(config: Config, newsmon: Newsmon | None = None) -> FastAPI:
    """The API and the page over `config`'s store (opened once, on first use)."""
    app = FastAPIOffline(title="newsmon", version="0.1.0",
                         description="Search Turkey–Azerbaijan news coverage: the same documents as "
                                     "`newsmon search --json`.",
                         static_url="/static/api-docs", redoc_url=None)
    app.state.config = config
    app.state.newsmon = newsmon or Newsmon(config)
    app.state.templates = pages.templates()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # the last added runs first: the Host, then the key and body size, then the headers below
    app.add_middleware(WriteGate, api_key=config.api_key)
    app.add_middleware(HostCheck, allowed=config.allowed_hosts)
    app.middleware("http")(security_headers)
    app.state.metrics, app.state.search_seconds = registry(lambda: app.state.newsmon.store, config.outbox_path,
                                                           config.spool_path)
    app.middleware("http")(time_searches)
    for kind, handler in ((RequestError, bad_request), (RequestValidationError, bad_parameters),
                          (StarletteHTTPException, http_error), (StoreUnavailable, store_away),
                          (Exception, internal)):
        app.add_exception_handler(kind, handler)
    app.include_router(api.router())
    app.include_router(alerts_api.router(writes=bool(config.api_key)))
    app.include_router(pages.router())
    app.include_router(stories_page.router())
    app.include_router(admin_pages.router())
    app.include_router(feeds.router())
    app.add_api_route("/metrics", metrics, include_in_schema=False)
    return app


# the routes that search, by path: their answer times are newsmon_search_seconds{route}
SEARCHES = {"/": "page", "/api/search": "api_search", "/api/stories": "api_stories", "/api/brief": "api_brief",
            "/stories": "stories_page", "/feed.atom": "feed", "/feed.rss": "feed"}


async def time_searches(request: Request, call_next):
    route = SEARCHES.get(request.url.path)
    if route is None:
        return await call_next(request)
    with request.app.state.search_seconds.labels(route).time():
        return await call_next(request)


def metrics(request: Request) -> Response:
    """Prometheus's text format (monitor/metrics.py): this process's view (each `--workers` process its own)."""
    return Response(generate_latest(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)


def from_environment() -> FastAPI:
    """The app of the environment's store: what `newsmon serve --workers N` runs in each worker."""
    return create_app(load_config())


async def security_headers(request: Request, call_next):
    response = await call_next(request)
    if request.url.path not in DOCS_PATHS:
        response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


async def bad_request(_: Request, exc: RequestError):
    return JSONResponse(exc.to_json(), status_code=400)


async def bad_parameters(_: Request, exc: RequestValidationError):
    first = exc.errors()[0] if exc.errors() else {}
    # loc starts with where ("query", "body", ...); then the field, and a list item's index ("webhooks.0")
    param = ".".join(str(part) for part in first.get("loc", ())[1:]) or "body"
    message = first.get("msg", "bad parameter")
    if first.get("type") == "extra_forbidden":
        message = alerts_api.CLI_ONLY.get(param, "not a field of this request")
    elif first.get("type") == "json_invalid":  # its loc is a character offset, not a field
        param, message = "body", f"the body is not JSON ({first.get('ctx', {}).get('error', 'malformed')})"
    return JSONResponse(error_document(message, param), status_code=400)


async def http_error(_: Request, exc: StarletteHTTPException):
    # 401, 404, 405 ... in the same shape as every other error ({"detail"} is FastAPI's own)
    param = "X-API-Key" if exc.status_code == 401 else None
    return JSONResponse(error_document(str(exc.detail), param), status_code=exc.status_code, headers=exc.headers)


async def store_away(request: Request, exc: StoreUnavailable):
    # the detail (cluster URL, spool path) is the operator's, in the log; the client gets one line
    log.warning("store unavailable serving %s: %s", request.url.path, exc)
    if not request.url.path.startswith("/api/"):
        return pages.page_error(request, STORE_AWAY, 503)
    return JSONResponse(error_document(STORE_AWAY), status_code=503)


async def internal(request: Request, exc: Exception):
    log.exception("error serving %s", request.url.path)  # the trace goes to the log, never to the client
    return JSONResponse(error_document("internal error; see the server log"), status_code=500)
