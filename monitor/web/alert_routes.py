"""The alerts in the API: reading open like search, writing behind the API key; an Atom feed per alert.

Thin over monitor.alerts.service.AlertsService, which the `newsmon alerts` commands use too, so
an alert made here is the alert the CLI shows, and the feed lists what the outbox delivered.
What only the machine's owner may choose stays on the command line: JSON-lines files (a path
on the server) and `allow_private` (switching off the address check).
"""
from __future__ import annotations

from datetime import datetime, timezone

from fastapi import APIRouter, Depends, FastAPI, Header, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from monitor.alerts.model import DEFAULT_GRACE, Alert, AlertError, Channel
from monitor.alerts.service import AlertsService
from monitor.web.gates import error_body, key_matches

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
    digest: str | None = Field(None, pattern="^(hourly|daily)$")
    since: datetime | None = None  # also deliver stored articles published since then
    backlog: str = Field("digest", pattern="^(digest|skip)$")  # articles published long before they were found
    grace: float = Field(DEFAULT_GRACE, ge=0, allow_inf_nan=False)  # seconds: older than this when found is backlog


def public(alert: Alert, counts: dict | None = None, with_targets: bool = False) -> dict:
    """An alert as the API shows it: never its secret; its webhook URLs and addresses only to a key holder."""
    data = alert.to_dict()
    data.pop("secret")
    if not with_targets:
        data["channels"] = [c.kind for c in alert.channels]
    if counts is not None:
        data["deliveries"] = counts
    return data


def add_alert_routes(app: FastAPI, guard) -> None:
    """Mount GET /api/alerts, GET /alerts/NAME.atom, and (when a key is set) POST/DELETE /api/alerts."""
    def service(request: Request) -> AlertsService:
        state = request.app.state
        return AlertsService(state.config.store_url, store=state.service.store)

    @app.get("/api/alerts", tags=["alerts"],
             summary="Every alert with its delivery counts (webhook URLs and addresses need X-API-Key)")
    def list_alerts(request: Request, given: str | None = TARGETS_KEY) -> list[dict]:
        if given is not None and not key_matches(given, request.app.state.config.api_key):
            return JSONResponse(error_body("a valid X-API-Key header is required", "X-API-Key"), status_code=401)
        with service(request) as svc:
            return [public(a, svc.outbox.counts(a.name), with_targets=given is not None) for a in svc.all()]

    @app.get("/alerts/{name}.atom", tags=["alerts"], summary="An alert's deliveries as an Atom feed")
    def feed(name: str, request: Request) -> Response:
        with service(request) as svc:
            try:
                text = svc.atom(name, self_url=str(request.url))
            except AlertError as exc:
                return JSONResponse(error_body(str(exc), "name"), status_code=404)
        return Response(text, media_type="application/atom+xml; charset=utf-8")

    if not app.state.config.api_key:
        return  # writing is off until NEWSMON_API_KEY is set (monitor.web.gates.WriteGate says so)
    writes = APIRouter(dependencies=[Depends(guard)], tags=["alerts"])

    @writes.post("/api/alerts", status_code=201, summary="Save an alert (it starts from now unless `since`)")
    def add(body: AlertIn, request: Request) -> JSONResponse:
        channels = [Channel("webhook", u) for u in body.webhooks] + [Channel("email", a) for a in body.emails]
        alert = Alert(name=body.name, query=body.query, languages=body.languages, sources=body.sources,
                      entities=body.entities, min_relevance=body.min_relevance, mode=body.digest or "instant",
                      channels=channels, backlog=body.backlog, grace=body.grace)
        since = body.since.astimezone(timezone.utc) if body.since and body.since.tzinfo else (
            body.since.replace(tzinfo=timezone.utc) if body.since else None)
        with service(request) as svc:
            try:
                queued = svc.add(alert, since)
            except AlertError as exc:  # the same body shape as a bad search request
                return JSONResponse(error_body(str(exc), getattr(exc, "field", None) or "alert"), status_code=400)
        return JSONResponse(status_code=201, content={**public(alert, with_targets=True), "secret": alert.secret,
                                                      "backlog_queued": queued})

    @writes.delete("/api/alerts/{name}", status_code=204, summary="Remove an alert")
    def remove(name: str, request: Request) -> Response:
        with service(request) as svc:
            try:
                svc.remove(name)
            except AlertError as exc:
                return JSONResponse(error_body(str(exc), "name"), status_code=404)
        return Response(status_code=204)

    app.include_router(writes)
