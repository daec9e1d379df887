"""The pages for what is not a search: Alerts (each alert, its counts, deliveries and failures,
no target or secret) and Sources (each outlet's health, as `newsmon stats` prints it).

The Alerts page never writes by itself: its script sends POST and DELETE /api/alerts with the
API key the user enters once per browser session (kept in the tab's sessionStorage, never in
the page, a cookie or a URL), so the API's own checks and errors apply unchanged.
"""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from monitor.web.api import newsmon

RECENT = 5  # deliveries listed per alert, runs per source


def search_link(alert: dict) -> str:
    """The search page for an alert's query and filters."""
    params = {"q": alert.get("query", ""), "lang": alert.get("languages", []), "source": alert.get("sources", []),
              "entity": alert.get("entities", [])}
    return "/?" + urlencode({k: v for k, v in params.items() if v}, doseq=True)


def prefill(request: Request) -> dict:
    """The new-alert form filled from a search (`/alerts?q=…&lang=…`, the search page's link)."""
    params = request.query_params
    return {"query": params.get("q", ""), **{field: ", ".join(params.getlist(name)) for field, name in
                                               (("languages", "lang"), ("sources", "source"), ("entities", "entity"))}}


def alerts_page(request: Request):
    alerts = newsmon(request).alerts_overview(RECENT)
    return request.app.state.templates.TemplateResponse(request, "alerts.html", {
        "alerts": alerts, "form": prefill(request), "writes": bool(request.app.state.config.api_key),
        "search_link": search_link})


def sources_page(request: Request):
    doc = newsmon(request).sources_overview(recent=RECENT)
    return request.app.state.templates.TemplateResponse(request, "sources.html", {"doc": doc})


def router() -> APIRouter:
    """GET /alerts (beside each alert's /alerts/NAME.atom) and /sources."""
    pages = APIRouter(include_in_schema=False)
    pages.add_api_route("/alerts", alerts_page, response_class=HTMLResponse)
    pages.add_api_route("/sources", sources_page, response_class=HTMLResponse)
    return pages
