"""An alert's Atom feed, rendered from the outbox so feed readers see the items the channels got."""
from __future__ import annotations

from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from monitor.alerts.channels import plain
from monitor.alerts.model import Alert

ATOM = "http://www.w3.org/2005/Atom"


def _stamp(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_atom(alert: Alert, items: list[dict], self_url: str = "") -> str:
    """Atom 1.0 XML for an alert: one entry per matched article, newest first (`Outbox.feed_items`)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"urn:newsmon:alert:{alert.name}"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"newsmon alert {alert.name}: {alert.query}"
    updated = max((i["matched_at"] for i in items), default=0.0)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(updated)
    if self_url:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url)
    for item in items:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:newsmon:article:{item['id']}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = plain(item["title"])
        ET.SubElement(entry, f"{{{ATOM}}}link", href=item["url"])
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(item["matched_at"])
        if item.get("published_at"):
            ET.SubElement(entry, f"{{{ATOM}}}published").text = item["published_at"]
        ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = item["source"]
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = plain(item.get("snippet", ""))
    return ET.tostring(feed, encoding="unicode", xml_declaration=True)
