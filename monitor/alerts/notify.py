"""The chat and push channel: any apprise URL (slack://, tgram://, ntfy://, discord://, json://, form://…).

apprise's notify() answers a result instead of raising: a send that is not a success is raised
here as a ReceiverError, so the outbox retries it like a webhook's 500. apprise's own log lines
stay out of newsmon's logs (at debug level some carry the URL with its token); the reason of a
failure is read from the result apprise captured, with every part of the URL but its scheme and
host wiped from it.
"""
from __future__ import annotations

import logging
import re
from urllib.parse import unquote

from monitor.alerts.channels import ReceiverError, Refused, check_host
from monitor.alerts.model import notify_label

# apprise URLs that post to the host they name: that host is checked as a webhook's is
HOST_SCHEMES = {"json": 80, "jsons": 443, "form": 80, "forms": 443, "xml": 80, "xmls": 443}
NOTIFY_TIMEOUT = 30.0  # a whole send; apprise's own connect and read timeouts are 4 s each
DELIVERY_HEADER = "X-Newsmon-Delivery"  # on json://, form:// and xml:// posts: the receiver drops a repeat

_apprise_log = logging.getLogger("apprise")
_apprise_log.propagate = False  # never into the crawl's or the server's log files
_apprise_log.addHandler(logging.NullHandler())
_apprise_log.setLevel(logging.WARNING)  # what a failure says is captured; debug lines are not even made


def _service(url: str):
    """The apprise service for `url`, or None when apprise does not understand it."""
    import apprise  # a quarter of a second: loaded only for an alert that has such a channel

    asset = apprise.AppriseAsset(http_redirects=False, storage_mode="memory", secure_logging=True)
    service = apprise.Apprise.instantiate(url, asset=asset)
    if service is not None:
        service.optional = False  # "?optional=yes" would report a failed send as sent
        service.redirects = False  # a redirect would skip the address check (and "?redirect=yes" too)
    return service


def _scheme(url: str) -> str:
    return url.partition("://")[0].lower()


def notify_problem(url: str) -> str | None:
    """Why apprise cannot send to `url` (what follows "--notify LABEL" in the error), or None."""
    from apprise import NotificationManager  # apprise's registry of services, by scheme

    scheme = _scheme(url)
    if "://" not in url:
        return "is not an apprise URL (scheme://…, e.g. tgram://BOT_TOKEN/CHAT_ID or json://host/path)"
    services = NotificationManager()
    if scheme not in services:
        teams = "; for Microsoft Teams apprise takes workflows://" if scheme == "msteams" else ""
        return f"is not a service apprise knows (https://appriseit.com/services/ lists them{teams})"
    if _service(url) is None:
        return (f"is not a {scheme}:// URL apprise can use: a field is missing or malformed "
                f"({services[scheme].setup_url or 'https://appriseit.com/services/'} shows its form)")
    return None


def check_target(url: str, allow_private: bool, operator_allows: bool = False) -> None:
    """The webhook's address rule for a json://, form:// or xml:// URL's host (others post to their service)."""
    service = _service(url) if _scheme(url) in HOST_SCHEMES else None
    if service is not None:
        # the host and port apprise will post to, as it parsed them (not as another parser reads the URL)
        check_host(service.host.strip("[]"), service.port or HOST_SCHEMES[_scheme(url)], allow_private,
                   operator_allows, what=f"--notify {notify_label(url)}:")


def send(url: str, title: str, text: str, html_body: str, delivery_id: str, allow_private: bool,
         operator_allows: bool = False) -> None:
    """Send one message; return when apprise says it was delivered, raise otherwise.

    `html_body` goes to services that take HTML or Markdown (apprise converts it; <mark> becomes
    bold), `text` to those that take plain text, as the service (or the URL's ?format=) says.
    """
    from apprise import Apprise, AppriseResultStatus, NotifyFormat

    service = _service(url)
    label = f"notify {notify_label(url)}"
    if service is None:
        raise Refused(f"{label}: apprise no longer understands this URL (a plugin or its library missing?)")
    check_target(url, allow_private, operator_allows)
    if _scheme(url) in HOST_SCHEMES:
        service.headers[DELIVERY_HEADER] = delivery_id
    if service.resolve_format(None) == NotifyFormat.TEXT:
        body, body_format = text, NotifyFormat.TEXT
    else:
        body, body_format = html_body.replace("<mark>", "<b>").replace("</mark>", "</b>"), NotifyFormat.HTML
    sender = Apprise(asset=service.asset)
    sender.add(service)
    try:
        result = sender.notify(body=body, title=title, body_format=body_format, timeout=NOTIFY_TIMEOUT)
    except Exception as exc:  # a message apprise refuses to prepare: worth another try, said without the URL
        raise ReceiverError(f"{label} failed: {scrub(f'{type(exc).__name__}: {exc}', url)}") from None
    if result.status != AppriseResultStatus.SUCCESS:
        said = list(dict.fromkeys(e.message for e in result.logs() if e.level in ("WARNING", "ERROR")))
        reason = scrub("; ".join(said), url) or f"apprise answered {result.status.name.lower()}"
        if result.status == AppriseResultStatus.TIMEOUT:
            reason = f"no answer within {NOTIFY_TIMEOUT:.0f} s"
        raise ReceiverError(f"{label} failed: {reason}"[:500])


def scrub(message: str, url: str) -> str:
    """`message` without any part of `url` but its scheme and the host its label shows."""
    shown = notify_label(url).partition("://")[2].split("/")[0]
    rest = url.partition("://")[2]
    pieces = {p for part in re.split(r"[/:@?&=#;,+]", rest) for p in (part, unquote(part)) if len(p) >= 3}
    pieces -= set(re.split(r"[:\[\]]", shown))
    for piece in sorted(pieces | {url, rest}, key=len, reverse=True):
        message = message.replace(piece, "…")
    return message
