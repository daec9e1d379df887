"""Atom 1.0 and RSS 2.0 from entries: an alert's deliveries (monitor/alerts/feed.py) and any search
(GET /feed.atom, /feed.rss). An entry is a dict: id, title, url, source, snippet (plain text),
published_at (ISO or None) and updated (when newsmon found it, epoch seconds)."""
from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime
from xml.etree import ElementTree as ET

from monitor.alerts.channels import plain

ATOM = "http://www.w3.org/2005/Atom"


def atom_stamp(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def http_date(epoch: float) -> str:
    """RFC 1123, as Last-Modified and RSS's pubDate want it."""
    return format_datetime(datetime.fromtimestamp(epoch, tz=timezone.utc), usegmt=True)


def atom(feed_id: str, title: str, entries: list[dict], self_url: str = "") -> str:
    """Atom XML, the entries in the order given (newest first)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = atom_stamp(max((e["updated"] for e in entries), default=0.0))
    if self_url:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url)
    for item in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:newsmon:article:{item['id']}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = plain(item["title"])
        ET.SubElement(entry, f"{{{ATOM}}}link", href=item["url"])
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = atom_stamp(item["updated"])
        if item.get("published_at"):
            ET.SubElement(entry, f"{{{ATOM}}}published").text = item["published_at"]
        ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = item["source"]
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = plain(item.get("snippet", ""))
    return ET.tostring(feed, encoding="unicode", xml_declaration=True)


def rss(title: str, link: str, entries: list[dict]) -> str:
    """RSS 2.0 XML, the entries in the order given (newest first)."""
    root = ET.Element("rss", version="2.0")
    channel = ET.SubElement(root, "channel")
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = link
    ET.SubElement(channel, "description").text = title
    if entries:
        ET.SubElement(channel, "lastBuildDate").text = http_date(max(e["updated"] for e in entries))
    for item in entries:
        node = ET.SubElement(channel, "item")
        ET.SubElement(node, "title").text = plain(item["title"])
        ET.SubElement(node, "link").text = item["url"]
        ET.SubElement(node, "guid", isPermaLink="false").text = f"urn:newsmon:article:{item['id']}"
        if item.get("published_at"):
            published = datetime.fromisoformat(item["published_at"].replace("Z", "+00:00"))
            ET.SubElement(node, "pubDate").text = http_date(published.timestamp())
        ET.SubElement(node, "description").text = plain(item.get("snippet", ""))
        ET.SubElement(node, "category", domain="outlet").text = item["source"]
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
