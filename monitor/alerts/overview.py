"""What the Alerts page shows: each alert, its delivery counts, its last deliveries and what fails
now, as a reader without the API key may see it (channels by kind, no target, no secret)."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from monitor.alerts.model import Alert, Channel
from monitor.alerts.service import AlertsService, alert_document

# An error line may quote a target (a webhook URL with its token in the path, a chat URL with
# its token as the host, an address): those are shown to the key holder only.
URL = re.compile(r"\b([a-z][a-z0-9+.-]{1,20})://[^\s'\"<>]+", re.IGNORECASE)
ADDRESS = re.compile(r"[^\s@'\"<>(),;:]+@[^\s@'\"<>(),;:]+")


def masked(text: str | None, alert: Alert) -> str | None:
    """`text` with the alert's targets named by their kind, and any other URL or address cut short."""
    if not text:
        return text
    for channel in sorted(alert.channels, key=lambda c: -len(c.target)):
        if channel.target:
            text = text.replace(channel.target, f"[{channel.kind}]")
    text = URL.sub(lambda m: f"{m.group(1)}://…", text)
    return ADDRESS.sub("[address]", text)


def _when(stamp: float | None) -> str | None:
    return datetime.fromtimestamp(stamp, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC") if stamp else None


def _about(payload: dict) -> str:
    """What a delivery carried: an article's title, a story's headline, or a digest's size."""
    if payload.get("title"):
        return payload["title"]
    if isinstance(payload.get("story"), dict) and payload["story"].get("headline"):
        return payload["story"]["headline"]
    items = payload.get("items") or payload.get("lines") or []
    return f"{payload.get('mode') or 'digest'} of {len(items)} ({payload.get('period') or 'now'})"


def overview_document(service: AlertsService, recent: int = 5, failures: int = 5) -> list[dict]:
    """Every alert as `GET /api/alerts` shows it without the key, with its last `recent` deliveries
    and its `failures` commonest failures (monitor.alerts.outbox.Outbox.failures)."""
    out = []
    for alert in service.all():
        doc = alert_document(alert, service.outbox.counts(alert.name), with_targets=False)
        doc["recent"] = [{"status": d.status, "kind": d.kind, "channel": Channel.from_key(d.channel).kind,
                          "about": _about(d.payload), "attempts": d.attempts, "queued_at": _when(d.created_at),
                          "sent_at": _when(d.sent_at), "last_error": masked(d.last_error, alert)}
                         for d in service.outbox.recent(alert.name, recent)]
        doc["failures"] = [{"channel": Channel.from_key(channel).kind, "status": status,
                            "error": masked(error, alert), "rows": rows}
                           for _, channel, status, error, rows in service.outbox.failures(alert.name, failures)]
        out.append(doc)
    return out
