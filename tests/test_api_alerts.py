"""Alerts through the API (real HTTP on loopback), on both stores: the same alerts the CLI manages."""
from __future__ import annotations

import html
import json
import os
import re
import socket
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timezone
from urllib.parse import urlsplit

import httpx
import pytest

from monitor.alerts.service import AlertsService
from monitor.config import Config
from monitor.app import Newsmon
from monitor.web import create_app
from tests.test_api import store_url
from testkit.alert_receivers import WebhookReceiver, signature_valid
from tests.test_store_contract import BY_ID, CORPUS
from testkit.webserver import serving

KEY = "test-key-7f3a"


@pytest.fixture(scope="module")
def served(new_store, tmp_path_factory):
    """(base URL with write routes, base URL without, store URL, folder) over a store of each backend."""
    store = new_store()
    store.upsert(CORPUS)
    folder = tmp_path_factory.mktemp("api-alerts")
    home = folder / "home"
    old_home = os.environ.get("NEWSMON_HOME")
    os.environ["NEWSMON_HOME"] = str(home)  # the outbox of an Elasticsearch store lives there
    url = store_url(store)
    try:
        keyed = Config(store_url=url, home=home, api_key=KEY)
        open_ = Config(store_url=url, home=home)
        with serving(create_app(keyed, Newsmon.over(store, keyed))) as base, \
                serving(create_app(open_, Newsmon.over(store, open_))) as base_open:
            yield base, base_open, url, folder, store
    finally:
        if old_home is None:
            os.environ.pop("NEWSMON_HOME", None)
        else:
            os.environ["NEWSMON_HOME"] = old_home


def is_error(response: httpx.Response, status: int, param=None) -> dict:
    """The README's error shape, {"error": {"param", "message", "position"}}; returns the error."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"param", "message", "position"}, body
    # a tuple: the params acceptable (the alerts service names a field of its AlertError, or says "alert")
    assert body["error"]["param"] in (param if isinstance(param, tuple) else (param,)), body
    assert "Traceback" not in response.text
    return body["error"]


def test_writing_needs_the_key_and_is_off_without_one(served):
    """Issue 21 item 6: 401 in the documented shape; a server without a key says so (it answered 405)."""
    base, base_open, *_ = served
    body = {"name": "nokey", "query": "Shusha"}
    is_error(httpx.post(f"{base}/api/alerts", json=body), 401, "X-API-Key")
    is_error(httpx.post(f"{base}/api/alerts", json=body, headers={"X-API-Key": "wrong"}), 401, "X-API-Key")
    is_error(httpx.delete(f"{base}/api/alerts/nokey"), 401, "X-API-Key")
    off = is_error(httpx.post(f"{base_open}/api/alerts", json=body, headers={"X-API-Key": KEY}), 403)
    assert "NEWSMON_API_KEY" in off["message"]
    assert "NEWSMON_API_KEY" in is_error(httpx.delete(f"{base_open}/api/alerts/x"), 403)["message"]
    assert httpx.get(f"{base_open}/api/alerts").status_code == 200  # reading stays open
    is_error(httpx.delete(f"{base}/api/alerts/nobody", headers={"X-API-Key": KEY}), 404, "name")
    is_error(httpx.get(f"{base}/alerts/nobody.atom"), 404, "name")
    is_error(httpx.get(f"{base}/api/no-such-endpoint"), 404)


def raw_post(base: str, head: str, body: bytes = b"") -> bytes:
    """Send a request's head (and maybe part of its body) on a raw socket; the answer's bytes.

    The timeout only ends a test that already fails (a server waiting for the body it announced)."""
    host, port = urlsplit(base).hostname, urlsplit(base).port
    with socket.create_connection((host, port), timeout=60) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer


def test_the_key_is_checked_before_the_body_is_read_and_the_body_is_capped(served):
    """Issue 21 item 10: a 200 MB body without a key was read whole (the server grew to 683 MB)."""
    base, *_ = served
    port = urlsplit(base).port
    # 200 MB announced, not one byte of it sent: the answer comes from the headers alone
    head = f"POST /api/alerts HTTP/1.1\nHost: 127.0.0.1:{port}\nContent-Type: application/json\n" \
           f"Content-Length: {200 * 1024 * 1024}\n"
    assert raw_post(base, head).startswith(b"HTTP/1.1 401")
    assert raw_post(base, head + f"X-API-Key: {KEY}\n").startswith(b"HTTP/1.1 413")
    # a chunked body (no length announced) is cut off past the cap, not read to its end
    chunked = f"POST /api/alerts HTTP/1.1\nHost: 127.0.0.1:{port}\nContent-Type: application/json\n" \
              f"Transfer-Encoding: chunked\nX-API-Key: {KEY}\n"
    chunks = b"".join(b"4000\r\n" + b" " * 0x4000 + b"\r\n" for _ in range(5))  # 80 KiB, and no last chunk
    assert raw_post(base, chunked, chunks).startswith(b"HTTP/1.1 413")
    big = httpx.post(f"{base}/api/alerts", headers={"X-API-Key": KEY},
                     json={"name": "big", "query": "Shusha", "webhooks": [PUBLIC_HOOK], "entities": ["x" * 70_000]})
    assert "bytes" in is_error(big, 413)["message"]


PUBLIC_HOOK = "https://93.184.215.14/newsmon"  # a public address: no DNS lookup, and nothing is sent to it


@pytest.mark.parametrize("body, param, words", [
    ({"query": "(Shusha"}, ("query", "alert"), "bad query"),
    ({"query": "Shusha", "webhooks": ["http://127.0.0.1:9/hook"]}, ("webhooks", "alert"), "private"),
    ({"query": "Shusha", "webhooks": ["http://100.100.100.200/hook"]}, ("webhooks", "alert"), "metadata"),
    ({"query": "x", "digest": "weekly"}, "digest", "pattern"),
    ({"query": "x", "per": "bogus"}, "per", "use article or story"),
    ({"query": "Shusha", "min_relevance": -1}, "min_relevance", "greater than or equal to 0"),
    ({"query": "Shusha", "webhooks": ["https://…"]}, "webhooks", "placeholder"),
    ({"query": "Shusha", "webhooks": ["https://exa mple.org/x"]}, "webhooks", "no valid host name"),
    ({"query": "Shusha", "webhooks": ["ftp://example.org/x"]}, "webhooks", "not an http(s) URL"),
    ({"query": "Shusha", "jsonl": ["JSONL"]}, "jsonl", "newsmon alerts add --jsonl"),
    ({"query": "Shusha", "allow_private": True}, "allow_private", "--allow-private"),
    ({"query": "Shusha", "colour": "red"}, "colour", "not a field"),
    ({"query": "Shusha", "notify": ["tgram://s3cret"]}, "notify", "apprise can use"),
    ({"query": "Shusha", "notify": ["nosuch://s3cret/x"]}, "notify", "not a service apprise knows"),
    ({"query": "Shusha", "notify": ["json://user:s3cret@127.0.0.1:9/x"]}, "notify", "private"),
    ({"query": "Shusha", "notify": ["form://100.100.100.200/s3cret"]}, "notify", "metadata"),
])
def test_bad_alerts_are_400_naming_the_problem(served, body, param, words):
    base, *_ = served
    body = {"name": "bad", "webhooks": [PUBLIC_HOOK], **body}
    if "JSONL" in body.get("jsonl", []):
        body["jsonl"] = [str(served[3] / "written-by-the-api.jsonl")]
    error = is_error(httpx.post(f"{base}/api/alerts", json=body, headers={"X-API-Key": KEY}), 400, param)
    assert words in error["message"], error
    assert "s3cret" not in error["message"]
    assert "bad" not in [a["name"] for a in httpx.get(f"{base}/api/alerts").json()]
    assert not (served[3] / "written-by-the-api.jsonl").exists()


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_a_number_that_is_not_finite_is_a_400_not_a_saved_alert(served, number):
    """Issue 21 item 10: min_relevance NaN saved the alert and answered 500; Infinity reset the connection."""
    base, *_ = served
    raw = f'{{"name": "nan", "query": "Shusha", "webhooks": ["{PUBLIC_HOOK}"], "min_relevance": {number}}}'
    response = httpx.post(f"{base}/api/alerts", content=raw.encode(),
                          headers={"X-API-Key": KEY, "Content-Type": "application/json"})
    assert "finite number" in is_error(response, 400, "min_relevance")["message"]
    listed = httpx.get(f"{base}/api/alerts")
    assert listed.status_code == 200 and "nan" not in [a["name"] for a in listed.json()]
    is_error(httpx.post(f"{base}/api/alerts", content=b"{not json", headers={"X-API-Key": KEY,
                                                                             "Content-Type": "application/json"}),
             400, "body")


def page_alert_body(base: str, **params) -> dict:
    page = httpx.get(f"{base}/", params=params).text
    code = re.search(r'<code id="alert-request">(.*?)</code>', page, re.S).group(1)
    return json.loads(html.unescape(code))


def test_the_page_s_suggested_body_is_refused_until_its_placeholders_are_replaced(served):
    """Issue 21 item 6: the body the page offers was saved as is (an alert NAME posting to https://…)."""
    base, *_ = served
    headers = {"X-API-Key": KEY}
    body = page_alert_body(base, q="Shusha", lang="ru")
    assert body["languages"] == ["ru"]
    error = is_error(httpx.post(f"{base}/api/alerts", json=body, headers=headers), 400, "name")
    assert "placeholder" in error["message"]
    error = is_error(httpx.post(f"{base}/api/alerts", json={**body, "name": "shusha-ru"}, headers=headers),
                     400, "webhooks")
    assert "placeholder" in error["message"]
    assert httpx.get(f"{base}/api/alerts").json() == []
    made = httpx.post(f"{base}/api/alerts", json={**body, "name": "shusha-ru", "webhooks": [PUBLIC_HOOK]},
                      headers=headers)
    assert made.status_code == 201, made.text
    assert httpx.delete(f"{base}/api/alerts/shusha-ru", headers=headers).status_code == 204


def test_the_backlog_rule_is_chosen_over_http_as_on_the_command_line(served):
    base, *_ = served
    headers = {"X-API-Key": KEY}
    made = httpx.post(f"{base}/api/alerts", headers=headers, json={
        "name": "no-backlog", "query": "Shusha", "webhooks": [PUBLIC_HOOK], "backlog": "skip", "grace": 3600})
    assert made.status_code == 201, made.text
    try:
        saved = next(a for a in httpx.get(f"{base}/api/alerts").json() if a["name"] == "no-backlog")
        assert (saved["backlog"], saved["grace"]) == ("skip", 3600)
        for bad in ({"backlog": "never"}, {"grace": -1}):
            refused = httpx.post(f"{base}/api/alerts", headers=headers,
                                 json={"name": "bad", "query": "x", "webhooks": [PUBLIC_HOOK], **bad})
            is_error(refused, 400, next(iter(bad)))
    finally:
        httpx.delete(f"{base}/api/alerts/no-backlog", headers=headers)


def test_an_alert_per_story_is_made_over_http_as_on_the_command_line(served):
    base, *_ = served
    headers = {"X-API-Key": KEY}
    made = httpx.post(f"{base}/api/alerts", headers=headers, json={
        "name": "by-story", "query": "Shusha", "webhooks": [PUBLIC_HOOK], "per": "story", "digest": "daily"})
    assert made.status_code == 201, made.text
    try:
        saved = {a["name"]: a for a in httpx.get(f"{base}/api/alerts").json()}
        assert (saved["by-story"]["per"], saved["by-story"]["mode"]) == ("story", "daily")
        assert all(a["per"] == "article" for name, a in saved.items() if name != "by-story")  # the default
    finally:
        httpx.delete(f"{base}/api/alerts/by-story", headers=headers)


def test_targets_are_shown_only_to_a_key_holder(served):
    """Issue 21 item 10: GET /api/alerts showed every webhook URL and e-mail address to anyone."""
    base, *_ = served
    headers = {"X-API-Key": KEY}
    made = httpx.post(f"{base}/api/alerts", headers=headers, json={
        "name": "private-targets", "query": "Shusha", "webhooks": [PUBLIC_HOOK], "emails": ["desk@example.org"]})
    assert made.status_code == 201, made.text
    try:
        anyone = httpx.get(f"{base}/api/alerts")
        assert anyone.status_code == 200
        assert anyone.json()[0]["channels"] == ["webhook", "email"]
        assert "93.184.215.14" not in anyone.text and "desk@example.org" not in anyone.text
        holder = httpx.get(f"{base}/api/alerts", headers=headers).json()
        assert holder[0]["channels"] == [f"webhook:{PUBLIC_HOOK}", "email:desk@example.org"]
        assert "secret" not in holder[0]
        is_error(httpx.get(f"{base}/api/alerts", headers={"X-API-Key": "wrong"}), 401, "X-API-Key")
    finally:
        httpx.delete(f"{base}/api/alerts/private-targets", headers=headers)


def test_apprise_urls_are_served_masked_even_to_a_key_holder(served):
    """Issue 24 item 1: an apprise URL's token or password is never served back, not even to whoever made it."""
    base, *_ = served
    headers = {"X-API-Key": KEY}
    token = "123456789:AAHs3cretBotTokenQwErTyUiOpAsDfGhJkL"
    made = httpx.post(f"{base}/api/alerts", headers=headers, json={
        "name": "chat", "query": "Shusha", "notify": [f"tgram://{token}/-1001234", "ntfy://desk:s3cret@ntfy.example.org/t"]})
    assert made.status_code == 201, made.text
    try:
        assert made.json()["channels"] == ["notify:tgram://…", "notify:ntfy://ntfy.example.org/…"]
        anyone, holder = httpx.get(f"{base}/api/alerts"), httpx.get(f"{base}/api/alerts", headers=headers)
        assert anyone.json()[0]["channels"] == ["notify", "notify"]
        assert holder.json()[0]["channels"] == made.json()["channels"]
        for text in (made.text, anyone.text, holder.text):
            assert "s3cret" not in text and "1001234" not in text and "123456789" not in text
    finally:
        httpx.delete(f"{base}/api/alerts/chat", headers=headers)


def test_a_request_naming_another_host_is_refused(served):
    """Issue 21 item 10: DNS rebinding; a page on rebind.example read this server's answers."""
    base, *_ = served
    port = urlsplit(base).port
    for host in ("rebind.example", f"rebind.example:{port}", "127.0.0.1.nip.io", ""):
        error = is_error(httpx.get(f"{base}/api/alerts", headers={"Host": host}), 400, "Host")
        assert "NEWSMON_ALLOWED_HOSTS" in error["message"]
    is_error(httpx.get(f"{base}/", headers={"Host": "rebind.example"}), 400, "Host")
    for host in (f"localhost:{port}", "localhost", f"127.0.0.1:{port}", "LOCALHOST."):
        assert httpx.get(f"{base}/api/alerts", headers={"Host": host}).status_code == 200, host


def test_alert_made_by_the_api_is_the_cli_s_and_its_feed_lists_what_matched(served, monkeypatch):
    base, _, url, folder, store = served
    headers = {"X-API-Key": KEY}
    # the receiver is on loopback: allowed by the operator's setting, which the API cannot switch on
    monkeypatch.setenv("NEWSMON_ALLOW_PRIVATE_TARGETS", "1")
    with WebhookReceiver() as hook:
        made = httpx.post(f"{base}/api/alerts", headers=headers,
                          json={"name": "shusha", "query": "Shusha", "webhooks": [hook.url]})
        assert made.status_code == 201, made.text
        secret = made.json()["secret"]
        assert len(secret) == 64 and made.json()["channels"] == [f"webhook:{hook.url}"]
        listed = httpx.get(f"{base}/api/alerts").json()
        assert [a["name"] for a in listed] == ["shusha"] and "secret" not in listed[0]
        cli = subprocess.run([sys.executable, "-m", "monitor.cli", "--store", url, "alerts", "list", "--json"],
                             capture_output=True, text=True, timeout=120, env={**os.environ})
        assert cli.returncode == 0, cli.stderr
        assert [a["name"] for a in json.loads(cli.stdout)] == ["shusha"]
        # a new matching story is written after the alert was made: matched, delivered, in the feed
        new = replace(BY_ID["ru1"], id="ru-new", url="https://trend.example/ru-new",
                      canonical_url="https://trend.example/ru-new", title="Новый фестиваль в Шуше",
                      content_hash="hash-ru-new", published_at=datetime.now(timezone.utc),
                      crawled_at=datetime.now(timezone.utc))  # news, not backlog
        store.upsert([new])
        with AlertsService(url) as alerts:
            alerts.match()
            alerts.deliver()
    # no flood of the older Shusha stories; signed with the secret the POST answered
    assert [r["json"]["article"]["id"] for r in hook.requests] == ["ru-new"]
    assert signature_valid(secret, hook.requests[0])
    feed = httpx.get(f"{base}/alerts/shusha.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    assert "Новый фестиваль в Шуше" in feed.text and feed.text.count("<entry>") == 1
    assert httpx.delete(f"{base}/api/alerts/shusha", headers=headers).status_code == 204
    assert httpx.get(f"{base}/api/alerts").json() == []
    is_error(httpx.delete(f"{base}/api/alerts/shusha", headers=headers), 404, "name")


def test_the_page_offers_the_search_as_an_alert(served):
    base, *_ = served
    page = httpx.get(f"{base}/", params={"q": "Shusha <b>", "lang": "ru"}).text
    assert 'id="make-alert"' in page
    assert "newsmon alerts add NAME &#39;Shusha &lt;b&gt;&#39; --lang ru" in page  # escaped, and as typed
    assert "&#34;languages&#34;: [&#34;ru&#34;]" in page or "&quot;languages&quot;: [&quot;ru&quot;]" in page
