"""The alerts in the API: reading open like search, writing behind the API key; an Atom feed per alert.

Thin over monitor.alerts.service.AlertsService, which the `newsmon alerts` commands use too, so
an alert made here is the alert the CLI shows, and the feed lists what the outbox delivered.
"""
from __future__ import annotations

from datetime import datetime, timezone

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from monitor.alerts.model import Alert, AlertError, Channel
from monitor.alerts.service import AlertsService


class AlertIn(BaseModel):
    """An alert as the API takes it (the same fields as `newsmon alerts add`)."""

    name: str = Field(min_length=1, max_length=80)
    query: str = Field(max_length=2000)
    languages: list[str] = []
    sources: list[str] = []
    entities: list[str] = []
    min_relevance: float | None = None
    webhooks: list[str] = []
    emails: list[str] = []
    jsonl: list[str] = []
    digest: str | None = Field(None, pattern="^(hourly|daily)$")
    since: datetime | None = None  # also deliver stored articles published since then
    allow_private: bool = False


def public(alert: Alert, counts: dict | None = None) -> dict:
    data = alert.to_dict()
    data.pop("secret")
    if counts is not None:
        data["deliveries"] = counts
    return data


def add_alert_routes(app: FastAPI, guard) -> None:
    """Mount GET /api/alerts, GET /alerts/NAME.atom, and (when a key is set) POST/DELETE /api/alerts."""
    def service(request: Request) -> AlertsService:
        state = request.app.state
        return AlertsService(state.config.store_url, store=state.service.store)

    @app.get("/api/alerts", tags=["alerts"], summary="Every alert with its delivery counts")
    def list_alerts(request: Request) -> list[dict]:
        with service(request) as svc:
            return [public(a, svc.outbox.counts(a.name)) for a in svc.all()]

    @app.get("/alerts/{name}.atom", tags=["alerts"], summary="An alert's deliveries as an Atom feed")
    def feed(name: str, request: Request) -> Response:
        with service(request) as svc:
            try:
                text = svc.atom(name, self_url=str(request.url))
            except AlertError as exc:
                raise HTTPException(status_code=404, detail=str(exc)) from None
        return Response(text, media_type="application/atom+xml; charset=utf-8")

    if not app.state.config.api_key:
        return  # writing is off until NEWSMON_API_KEY is set
    writes = APIRouter(dependencies=[Depends(guard)], tags=["alerts"])

    @writes.post("/api/alerts", status_code=201, summary="Save an alert (it starts from now unless `since`)")
    def add(body: AlertIn, request: Request) -> JSONResponse:
        channels = ([Channel("webhook", u) for u in body.webhooks] + [Channel("email", a) for a in body.emails]
                    + [Channel("jsonl", p) for p in body.jsonl])
        alert = Alert(name=body.name, query=body.query, languages=body.languages, sources=body.sources,
                      entities=body.entities, min_relevance=body.min_relevance, mode=body.digest or "instant",
                      channels=channels, allow_private=body.allow_private)
        since = body.since.astimezone(timezone.utc) if body.since and body.since.tzinfo else (
            body.since.replace(tzinfo=timezone.utc) if body.since else None)
        with service(request) as svc:
            try:
                queued = svc.add(alert, since)
            except AlertError as exc:  # the same body shape as a bad search request
                return JSONResponse(status_code=400, content={"error": {"param": "alert", "message": str(exc)}})
        return JSONResponse(status_code=201, content={**public(alert), "secret": alert.secret, "backlog_queued": queued})

    @writes.delete("/api/alerts/{name}", status_code=204, summary="Remove an alert")
    def remove(name: str, request: Request) -> Response:
        with service(request) as svc:
            try:
                svc.remove(name)
            except AlertError as exc:
                raise HTTPException(status_code=404, detail=str(exc)) from None
        return Response(status_code=204)

    app.include_router(writes)
