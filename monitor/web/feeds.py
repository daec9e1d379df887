"""A feed for any search: GET /feed.atom and /feed.rss take the search's parameters (newest
first by publication date, `size` entries, 10 by default) and answer a feed reader's conditional
GET with 304 when nothing changed (ETag over the entries, Last-Modified their newest)."""
from __future__ import annotations

import hashlib
from email.utils import parsedate_to_datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from monitor.feeds import atom, http_date, rss
from monitor.web.api import ENTITY, LANG, Q, SIZE, SOURCE, newsmon, parse_request


def _feed(request: Request, kind: str) -> Response:
    req = parse_request(request)  # a bad parameter is the API's one error document (400)
    entries = newsmon(request).feed_entries(req)
    seen = repr((kind, sorted(req.to_params().items()), [(e["id"], e["updated"], e["title"]) for e in entries]))
    tag = f'"{hashlib.sha256(seen.encode()).hexdigest()[:32]}"'
    newest = max((e["updated"] for e in entries), default=0.0)
    headers = {"ETag": tag, "Cache-Control": "no-cache"} | ({"Last-Modified": http_date(newest)} if entries else {})
    if _unchanged(request, tag, newest):
        return Response(status_code=304, headers=headers)
    title = f"newsmon: {req.query or 'every article'}"
    if kind == "atom":
        text = atom(f"urn:newsmon:search:{tag.strip(chr(34))}", title, entries, str(request.url))
        return Response(text, media_type="application/atom+xml; charset=utf-8", headers=headers)
    return Response(rss(title, str(request.url), entries), media_type="application/rss+xml; charset=utf-8",
                    headers=headers)


def _unchanged(request: Request, tag: str, newest: float) -> bool:
    """If-None-Match decides when sent (RFC 9110); else If-Modified-Since against the newest entry."""
    if (asked := request.headers.get("if-none-match")) is not None:
        return tag in [t.strip() for t in asked.split(",")] or asked.strip() == "*"
    if (since := request.headers.get("if-modified-since")) and newest:
        try:
            return int(newest) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False  # a date that cannot be read: the whole feed
    return False


def atom_feed(request: Request, q: str | None = Q, lang: list[str] | None = LANG, source: list[str] | None = SOURCE,
              entity: list[str] | None = ENTITY, size: str | None = SIZE) -> Response:
    return _feed(request, "atom")


def rss_feed(request: Request, q: str | None = Q, lang: list[str] | None = LANG, source: list[str] | None = SOURCE,
             entity: list[str] | None = ENTITY, size: str | None = SIZE) -> Response:
    return _feed(request, "rss")


def router() -> APIRouter:
    """GET /feed.atom and /feed.rss."""
    feeds = APIRouter(tags=["feeds"])
    feeds.add_api_route("/feed.atom", atom_feed, summary="Any search as an Atom feed, newest first (conditional GET)")
    feeds.add_api_route("/feed.rss", rss_feed, summary="Any search as an RSS feed, newest first (conditional GET)")
    return feeds
