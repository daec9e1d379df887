"""An alert's Atom feed, rendered from the outbox so feed readers see the items the channels got."""
from __future__ import annotations

from monitor.alerts.model import Alert
from monitor.feeds import atom


def render_atom(alert: Alert, items: list[dict], self_url: str = "") -> str:
    """Atom 1.0 XML for an alert: one entry per matched article, newest first (`Outbox.feed_items`)."""
    return atom(f"urn:newsmon:alert:{alert.name}", f"newsmon alert {alert.name}: {alert.query}",
                [{**i, "updated": i["matched_at"]} for i in items], self_url)
