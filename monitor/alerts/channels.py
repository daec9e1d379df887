"""Channels: a webhook (signed JSON POST), e-mail over SMTP, a JSON-lines file.

Each `send_*` either returns (delivered) or raises: `Refused` for a delivery that no retry can
fix (a private target without permission), any other exception for one worth retrying.
"""
from __future__ import annotations

import hashlib
import hmac
import html
import ipaddress
import json
import os
import re
import smtplib
import socket
import ssl
import time
from dataclasses import asdict
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import urllib3

from crawler.addresses import ip_kind
from monitor.alerts.story_lines import story_lines
from monitor.config import SmtpSettings

WEBHOOK_TIMEOUT = 10.0
SMTP_TIMEOUT = 20.0
MAX_REDIRECTS = 3
SIGNATURE_HEADER = "X-Newsmon-Signature"
USER_AGENT = "newsmon-alerts/0.1"


class Refused(Exception):
    """A delivery refused for good (not retried): the message says why and what to do."""


class ReceiverError(OSError):
    """A failed send worth retrying whose message is complete: the receiver (host and port) and
    the setting to check, as `alerts deliver` and `alerts show` print it."""


def check_target(url: str, allow_private: bool, operator_allows: bool = False) -> None:
    """Refuse a URL whose host resolves to a loopback, private, link-local or reserved address.

    Allowing private targets (the alert's `allow_private`, or the operator's
    NEWSMON_ALLOW_PRIVATE_TARGETS as `operator_allows`) allows loopback and private networks,
    never metadata, link-local or reserved addresses: as for the crawl, nothing switches those on.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"webhook {url!r} is not an http(s) URL")
    check_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), allow_private,
               operator_allows)


def check_host(host: str, port: int, allow_private: bool, operator_allows: bool = False,
               what: str = "webhook") -> None:
    """check_target's rule for a host and port (an apprise json:// or form:// URL's too)."""
    private_ok = allow_private or operator_allows
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise OSError(f"cannot resolve {host}: {exc}") from None  # may be passing: retried
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        kind = ip_kind(ip)
        if kind == "forbidden":
            raise Refused(f"{what} host {host} resolves to {ip}, a link-local, metadata or reserved "
                          "address: refused, whatever the alert allows")
        if kind != "public" and not private_ok:  # the crawl guard's rule: shared space and metadata addresses too
            raise Refused(f"{what} host {host} resolves to {ip}, a private, loopback or link-local "
                          "address: refused (use --allow-private on the alert or NEWSMON_ALLOW_PRIVATE_TARGETS=1)")


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The signature header's value, `t=UNIX_SECONDS,v1=HEX`: HMAC-SHA256 of `t.` + body with the alert's secret.

    The time is signed with the body (as Stripe and Slack do), so a receiver that refuses an old
    `t` cannot be fed a captured request again later.
    """
    signed = f"{timestamp}.".encode() + body
    return f"t={timestamp},v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


_http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(total=WEBHOOK_TIMEOUT))


def send_webhook(url: str, body: dict, delivery_id: str, secret: str, allow_private: bool,
                 operator_allows: bool = False) -> int:
    """POST the JSON body; redirects are followed only to targets that pass the same check."""
    data = json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "Idempotency-Key": delivery_id,
               "X-Newsmon-Delivery": delivery_id, SIGNATURE_HEADER: sign(secret, data, int(time.time()))}
    for _ in range(MAX_REDIRECTS + 1):
        check_target(url, allow_private, operator_allows)
        response = _http.request("POST", url, body=data, headers=headers, redirect=False)
        if response.status in (301, 302, 303, 307, 308) and response.headers.get("Location"):
            url = urljoin(url, response.headers["Location"])
            continue
        if 200 <= response.status < 300:
            return response.status
        raise OSError(f"webhook answered {response.status}")
    raise OSError(f"webhook redirected more than {MAX_REDIRECTS} times")


def send_email(to: str, subject: str, text: str, html_body: str, delivery_id: str,
               smtp_settings: SmtpSettings = SmtpSettings()) -> None:
    """One message with text and HTML parts; the Message-ID is the delivery id.

    A failure raises ReceiverError naming the SMTP server and the NEWSMON_SMTP_* setting to check.
    """
    cfg = asdict(smtp_settings)
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = cfg["sender"], to, subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = f"<{delivery_id}@newsmon>"
    msg["X-Newsmon-Delivery"] = delivery_id
    msg.set_content(text)
    msg.add_alternative(html_body, subtype="html")
    context = ssl.create_default_context()
    smtp_class = smtplib.SMTP_SSL if cfg["ssl"] else smtplib.SMTP
    kwargs = {"context": context} if cfg["ssl"] else {}
    server = f"SMTP server {cfg['host']}:{cfg['port']}"
    try:
        smtp = smtp_class(cfg["host"], cfg["port"], timeout=SMTP_TIMEOUT, **kwargs)
    except OSError as exc:  # refused, unresolvable, timed out, a TLS handshake that failed
        raise ReceiverError(f"cannot reach the {server}: {_reason(exc)}; set NEWSMON_SMTP_HOST and "
                            "NEWSMON_SMTP_PORT (NEWSMON_SMTP_SSL=1 for port 465)") from None
    with smtp:
        step = "STARTTLS", "NEWSMON_SMTP_STARTTLS"
        try:
            if cfg["starttls"]:
                smtp.starttls(context=context)
            step = f"login as {cfg['user']!r}", "NEWSMON_SMTP_USER and NEWSMON_SMTP_PASSWORD"
            if cfg["user"]:
                smtp.login(cfg["user"], cfg["password"])
            step = f"sending from {cfg['sender']} to {to}", "NEWSMON_SMTP_FROM and the alert's --email"
            smtp.send_message(msg)
        except OSError as exc:  # smtplib's errors are OSErrors too
            raise ReceiverError(f"the {server} failed the {step[0]}: {_reason(exc)}; check {step[1]}") from None


def _reason(exc: OSError) -> str:
    """One line for a socket or SMTP error: what the server or the system said."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{rcpt} refused ({code} {_text(msg)})" for rcpt, (code, msg) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return f"no answer within {SMTP_TIMEOUT:.0f} s"
    return exc.strerror or str(exc) or type(exc).__name__


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def send_jsonl(path: str, record: dict, delivery_id: str) -> None:
    """Append one line and fsync; a line already carrying this delivery id is not written twice."""
    file = Path(path).expanduser()
    file.parent.mkdir(parents=True, exist_ok=True)
    marker = f'"delivery_id": "{delivery_id}"'
    if file.exists():
        with open(file, "rb") as fh:  # a repeat after a crash lands at the end: read only the tail
            fh.seek(max(0, file.stat().st_size - 1_000_000))
            if marker.encode() in fh.read():
                return
    line = json.dumps({"delivery_id": delivery_id, **record}, ensure_ascii=False)
    with open(file, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())


# --- rendering -------------------------------------------------------------------------
_MARK = re.compile(r"</?mark>")


def plain(text: str) -> str:
    return html.unescape(_MARK.sub("", text or ""))


def article_lines(item: dict) -> list[str]:
    day = (item.get("published_at") or "")[:10] or "undated"
    lines = [plain(item["title"]), f"{item['source']} · {item.get('language', '')} · {day}", item["url"]]
    if item.get("snippet"):
        lines.append(plain(item["snippet"]))
    if item.get("also_in"):
        lines.append("also in: " + ", ".join(item["also_in"]))
    return lines


def article_html(item: dict) -> str:
    day = html.escape((item.get("published_at") or "")[:10] or "undated")
    # highlights come from newsmon's highlighter: escaped text with <mark> around matches
    snippet = f"<p>{item['snippet']}</p>" if item.get("snippet") else ""
    also = (f"<p><small>also in: {html.escape(', '.join(item['also_in']))}</small></p>"
            if item.get("also_in") else "")
    return (f'<h3><a href="{html.escape(item["url"], quote=True)}">{html.escape(plain(item["title"]))}</a></h3>'
            f"<p><small>{html.escape(item['source'])} · {html.escape(item.get('language', ''))} · {day}</small></p>"
            f"{snippet}{also}")


def story_text(items: list[dict]) -> tuple[str, str]:
    """Text and HTML of a digest of an alert --per story: a line per story, "+6 more: …" under it."""
    texts, htmls = [], []
    for line in story_lines(items):
        first = line["first"]
        mark = "New story: " if first else "More on: "
        about = (f"{len(line['items'])} new here · {' '.join(line['languages'])} · "
                 f"first reported by {line['first_source']}")
        text = [mark + plain(line["headline"]), about] + (article_lines(first) if first else []) + [line["text"]]
        texts.append("\n".join(t for t in text if t))
        htmls.append(f"<h3>{html.escape(mark + plain(line['headline']))}</h3><p><small>{html.escape(about)}</small></p>"
                     + (article_html(first) if first else "")
                     + (f"<p>{html.escape(line['text'])}</p>" if line["text"] else ""))
    return "\n\n".join(texts), "".join(htmls)


def render_mail(alert_name: str, kind: str, payload: dict) -> tuple[str, str, str]:
    """Subject, text and HTML of an article, story, digest, follow-up or backlog message."""
    subject, text, body = render_message(alert_name, kind, payload)
    return subject, text, f"<html><body><h2>newsmon alert {html.escape(alert_name)}</h2>{body}</body></html>"


def render_message(alert_name: str, kind: str, payload: dict) -> tuple[str, str, str]:
    """Subject, text and an HTML fragment of any message kind: the mail's, and a chat message's."""
    if kind == "digest" and any("story" in i for i in payload["items"]) and not payload.get("backlog"):
        lines = story_lines(payload["items"])
        new = sum(1 for line in lines if line["first"])
        stories = f"{len(lines)} stor{'y' if len(lines) == 1 else 'ies'}"
        subject = (f"[newsmon] {alert_name}: more on {stories}" if payload.get("follow_ups")
                   else f"[newsmon] {alert_name}: {stories} ({new} new), {payload['period']}")
        text, body = story_text(payload["items"])
    elif kind == "digest" and payload.get("backlog"):
        items = payload["items"]
        span = " to ".join(dict.fromkeys(d[:10] for d in (payload.get("published_from"), payload.get("published_to"))
                                          if d))
        subject = f"[newsmon] {alert_name}: backlog of {len(items)} earlier article(s)" + (
            f", published {span}" if span else "")
        intro = ("Found now, published long before newsmon found them or before this alert was made (a new "
                 "source, a new store, an archive backfill, --since): one message for all of them, not one each.")
        text = intro + "\n\n" + "\n\n".join("\n".join(article_lines(i)) for i in items)
        body = f"<p>{html.escape(intro)}</p>" + "".join(article_html(i) for i in items)
    elif kind == "digest":
        items = payload["items"]
        subject = f"[newsmon] {alert_name}: {len(items)} new article(s), {payload['period']}"
        text = "\n\n".join("\n".join(article_lines(i)) for i in items)
        body = "".join(article_html(i) for i in items)
    elif (payload.get("story") or {}).get("first"):
        subject = f"[newsmon] {alert_name}: new story: {plain(payload['story']['headline'])}"
        text = "\n".join(article_lines(payload))
        body = article_html(payload)
    else:
        subject = f"[newsmon] {alert_name}: {plain(payload['title'])}"
        text = "\n".join(article_lines(payload))
        body = article_html(payload)
    return subject, text + "\n", body
