"""The alerts in the API: reading open like search, writing behind the API key; an Atom feed per alert.

Thin over monitor.app.Newsmon, which the `newsmon alerts` commands use too, so an alert made
here is the alert the CLI shows, made by the same path, and the feed lists what the outbox
delivered. What only the machine's owner may choose stays on the command line: JSON-lines files
(a path on the server) and `allow_private` (switching off the address check). The key of a
write is checked before any route runs, by monitor.web.gates.WriteGate.
"""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from monitor.alerts.model import DEFAULT_GRACE, Alert, AlertError
from monitor.errors import error_document
from monitor.web.api import newsmon
from monitor.web.gates import key_matches

# Fields of `newsmon alerts add` the API refuses, and why (the answer to a body that has them).
CLI_ONLY = {
    "jsonl": "JSON-lines files are a path on the server: add them with `newsmon alerts add --jsonl PATH`",
    "allow_private": "private, loopback and metadata targets are allowed only from the command line "
                     "(`newsmon alerts add --allow-private`)",
}
TARGETS_KEY = Header(None, alias="X-API-Key", description="The API key: the answer shows the channels' targets")


class AlertIn(BaseModel):
    """An alert as the API takes it (the fields of `newsmon alerts add` that are safe over HTTP)."""

    model_config = ConfigDict(extra="forbid")  # a misspelt or command-line-only field is an error, not ignored

    name: str = Field(min_length=1, max_length=64)
    query: str = Field(max_length=2000)
    languages: list[str] = Field([], max_length=20)
    sources: list[str] = Field([], max_length=50)
    entities: list[str] = Field([], max_length=20)
    # NaN would be saved and then fail every response that shows it; Infinity likewise
    min_relevance: float | None = Field(None, ge=0, allow_inf_nan=False)
    webhooks: list[str] = Field([], max_length=10)
    emails: list[str] = Field([], max_length=10)
    notify: list[str] = Field([], max_length=10)  # apprise URLs (slack://, tgram://, json://…): never served back
    digest: str | None = Field(None, pattern="^(hourly|daily)$")
    since: datetime | None = None  # also deliver stored articles published since then
    backlog: str = Field("digest", pattern="^(digest|skip)$")  # articles published long before they were found
    grace: float = Field(DEFAULT_GRACE, ge=0, allow_inf_nan=False)  # seconds: older than this when found is backlog
    per: str = Field("article", max_length=20)  # article or story: checked with the alert (a 400 naming `per`)


def list_alerts(request: Request, given: str | None = TARGETS_KEY) -> list[dict]:
    if given is not None and not key_matches(given, request.app.state.config.api_key):
        return JSONResponse(error_document("a valid X-API-Key header is required", "X-API-Key"), status_code=401)
    return newsmon(request).alert_list(with_targets=given is not None)


def feed(name: str, request: Request) -> Response:
    try:
        text = newsmon(request).alert_feed(name, self_url=str(request.url))
    except AlertError as exc:
        return JSONResponse(error_document(str(exc), "name"), status_code=404)
    return Response(text, media_type="application/atom+xml; charset=utf-8")


def add(body: AlertIn, request: Request) -> JSONResponse:
    alert = Alert.from_fields(body.name, body.query, body.languages, body.sources, body.entities, body.min_relevance,
                              webhooks=body.webhooks, emails=body.emails, digest=body.digest, backlog=body.backlog,
                              grace=body.grace, per=body.per, notify=body.notify)
    try:
        made = newsmon(request).add_alert(alert, body.since)
    except AlertError as exc:  # the same body shape as a bad search request
        return JSONResponse(error_document(str(exc), getattr(exc, "field", None) or "alert"), status_code=400)
    return JSONResponse(status_code=201, content=made)


def remove(name: str, request: Request) -> Response:
    try:
        newsmon(request).remove_alert(name)
    except AlertError as exc:
        return JSONResponse(error_document(str(exc), "name"), status_code=404)
    return Response(status_code=204)


def router(writes: bool) -> APIRouter:
    """GET /api/alerts, GET /alerts/NAME.atom, and with `writes` (an API key set) POST/DELETE /api/alerts."""
    api = APIRouter(tags=["alerts"])
    api.add_api_route("/api/alerts", list_alerts,
                      summary="Every alert with its delivery counts (webhook URLs and addresses need X-API-Key)")
    api.add_api_route("/alerts/{name}.atom", feed, summary="An alert's deliveries as an Atom feed")
    if writes:  # writing is off until NEWSMON_API_KEY is set (monitor.web.gates.WriteGate says so)
        api.add_api_route("/api/alerts", add, methods=["POST"], status_code=201,
                          summary="Save an alert (it starts from now unless `since`)")
        api.add_api_route("/api/alerts/{name}", remove, methods=["DELETE"], status_code=204,
                          summary="Remove an alert")
    return api
