"""Real receivers on loopback for alert tests: an HTTP webhook server and an aiosmtpd SMTP server."""
from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


SIGNATURE_TOLERANCE = 300  # seconds a signed request stays acceptable (Stripe's default)


def signature_valid(secret: str, request: dict, now: float | None = None,
                    tolerance: float = SIGNATURE_TOLERANCE) -> bool:
    """Check X-Newsmon-Signature as the README tells a receiver to: `t=UNIX,v1=HMAC-SHA256(secret, "t." + body)`
    with `t` within `tolerance` of the time the request arrived (or `now`); an older one is a replay."""
    header = request["headers"].get("X-Newsmon-Signature", "")
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        sent = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs((request["at"] if now is None else now) - sent) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{sent}.".encode() + request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(fields.get("v1", ""), expected)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parsed(content_type: str, body: bytes) -> dict:
    """{"json": …} for a JSON body (a webhook's, apprise's json://); for a form (apprise's form://),
    {"json": None, "form": {field: value}}."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        return {"json": None, "form": {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}}
    return {"json": json.loads(body)}


class WebhookReceiver:
    """Records every POST (its JSON, or its form fields); answers the scripted statuses in order (then 200),
    or holds a request."""

    def __init__(self, statuses: list[int] | None = None):
        self.requests: list[dict] = []
        self.statuses = list(statuses or [])
        self.hold = threading.Event()  # set: requests are recorded, then held unanswered until release
        self.released = threading.Event()
        self.got = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.got:
                    receiver.requests.append({"headers": dict(self.headers), "body": body, "at": time.time(),
                                              "path": self.path, **parsed(self.headers.get("Content-Type", ""), body)})
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.got.notify_all()
                if receiver.hold.is_set():
                    receiver.released.wait(60)
                    return
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def wait_for(self, n: int, timeout: float = 30.0) -> bool:
        with self.got:
            return self.got.wait_for(lambda: len(self.requests) >= n, timeout)

    def __enter__(self) -> "WebhookReceiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


class SmtpReceiver:
    """A real SMTP server (aiosmtpd) on loopback keeping every message it accepts."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list[email.message.EmailMessage] = []
        receiver = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                receiver.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
                return "250 OK"

        self.port = _free_port()  # aiosmtpd's start-up check cannot use port 0
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SmtpReceiver":
        self.controller.start()
        return self

    def env(self) -> dict[str, str]:
        return {"NEWSMON_SMTP_HOST": "127.0.0.1", "NEWSMON_SMTP_PORT": str(self.port),
                "NEWSMON_SMTP_FROM": "alerts@newsmon.test"}

    def __exit__(self, *exc) -> None:
        self.controller.stop()
