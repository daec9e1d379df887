"""Issue 21 item 10: a webhook's signature covers a timestamp, so a captured request cannot be replayed later.

A real send (monitor.alerts.channels.send_webhook over HTTP) to the real receiver, verified the way
the README tells a receiver to (tests/alert_receivers.signature_valid).
"""
from __future__ import annotations

import re

from monitor.alerts.channels import send_webhook
from testkit.alert_receivers import SIGNATURE_TOLERANCE, WebhookReceiver, signature_valid

SECRET = "a" * 64


def test_signature_covers_body_and_time_and_a_replay_is_refused():
    with WebhookReceiver() as hook:
        send_webhook(hook.url, {"article": {"id": "x1"}}, "delivery-1", SECRET, allow_private=True)
    (request,) = hook.requests
    header = request["headers"]["X-Newsmon-Signature"]
    assert re.fullmatch(r"t=\d{10},v1=[0-9a-f]{64}", header), header
    sent = int(header[2:12])
    assert abs(request["at"] - sent) <= 60  # the time of sending (a busy machine may take a while to deliver)
    assert signature_valid(SECRET, request)
    assert not signature_valid("b" * 64, request)  # another alert's secret
    # the same request captured and sent again past the tolerance: refused
    assert not signature_valid(SECRET, request, now=sent + SIGNATURE_TOLERANCE + 1)
    # ... and moving its time forward breaks the signature
    forged = {**request, "headers": {**request["headers"], "X-Newsmon-Signature": f"t={sent + 600}" + header[12:]}}
    assert not signature_valid(SECRET, forged, now=sent + 600)
    assert not signature_valid(SECRET, {**request, "body": request["body"].replace(b"x1", b"x2")})
