"""Two ASGI gates in front of the app: the Host a request names, and who may send a body, how big.

Pure ASGI (not Starlette's TrustedHostMiddleware): the address a server was reached on is known
only per connection (`scope["server"]`, e.g. with `--host 0.0.0.0`), and a refusal must have the
API's error shape. Both answer before any route runs, so before FastAPI reads a body.
"""
from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from monitor.errors import error_document

LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_BODY = 64 * 1024  # an alert is a few hundred bytes; nothing else the API takes has a body


async def refuse(send: Send, status: int, message: str, param: str | None = None) -> None:
    body = json.dumps(error_document(message, param)).encode()
    # the request body is left unread: the server closes the connection after this answer
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def key_matches(given: str, expected: str) -> bool:
    """Constant-time comparison; Starlette decodes headers as latin-1, so that gives back the sent bytes."""
    return bool(expected) and hmac.compare_digest(given.encode("latin-1", "replace"), expected.encode())


def _host_name(header: str) -> str:
    """The host of a Host header without its port: 'example.org:8000', '[::1]:8000', 'localhost.'."""
    host = header.strip().lower()
    if host.startswith("["):
        host = host[1:host.find("]")] if "]" in host else ""
    elif host.count(":") == 1:
        host = host.split(":")[0]
    return _plain_address(host.rstrip("."))


def _plain_address(host: str) -> str:
    """An address in one spelling: '::ffff:10.0.0.5' (an IPv4 client of a dual-stack socket) is '10.0.0.5'."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host
    return str(getattr(ip, "ipv4_mapped", None) or ip)


class HostCheck:
    """Answer only requests naming this server: localhost, the address it was reached on, or a configured name.

    A web page on another site can make a browser resolve its own name to this server (DNS
    rebinding) and read the answers as same-origin; such a request still names that site.
    """

    def __init__(self, app: ASGIApp, allowed: Iterable[str] = ()):
        self.app = app
        allowed = tuple(allowed)
        self.allowed = frozenset(_host_name(h) for h in allowed if h != "*")
        self.any = "*" in allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.any:
            return await self.app(scope, receive, send)
        host = _host_name(Headers(scope=scope).get("host", ""))
        server = scope.get("server") or ("", None)
        if host in LOCAL_NAMES or host in self.allowed or (host and host == _plain_address(str(server[0]))):
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        await refuse(send, 400, f"this server does not answer to the host name {host!r}; "
                                "its operator can add it to NEWSMON_ALLOWED_HOSTS", "Host")


class WriteGate:
    """Every request with a body is a write: the API key is checked first, then at most MAX_BODY bytes are read.

    Without a key configured writing is off, and saying so beats a bare 405.
    """

    def __init__(self, app: ASGIApp, api_key: str, max_body: int = MAX_BODY):
        self.app = app
        self.api_key = api_key
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            # no route reads a GET body; uvicorn stops reading the socket once its small buffer is full
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        if not self.api_key:
            return await refuse(send, 403, "writing through the API is off: the server has no API key "
                                           "(start `newsmon serve` with NEWSMON_API_KEY set)")
        if not key_matches(headers.get("x-api-key", ""), self.api_key):
            return await refuse(send, 401, "a valid X-API-Key header is required", "X-API-Key")
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            return await refuse(send, 413, f"request body over {self.max_body} bytes")
        # read the (small) body here, counting, so a chunked one cannot grow without limit either
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return await refuse(send, 413, f"request body over {self.max_body} bytes")
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # a disconnect, when it comes

        await self.app(scope, replay, send)
