"""Chat and push channels through apprise, over real stores (SQLite and Elasticsearch): apprise's
json:// and form:// posting to a real HTTP receiver on loopback, with the outbox's guarantees as a
webhook has them, and no secret of an apprise URL printed, served or logged."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from monitor.alerts import deliver as delivery
from monitor.alerts.model import Alert, AlertError, Channel, notify_label
from monitor.alerts.service import AlertsService
from monitor.app import Newsmon
from monitor.config import Config
from monitor.web import create_app
from tests.test_alerts import article, write
from tests.test_alerts_per_story import in_story
from tests.test_api import store_url
from testkit.alert_receivers import WebhookReceiver
from testkit.webserver import serving

ROOT = Path(__file__).resolve().parents[1]
KEY = "notify-key"
TELEGRAM_TOKEN = "123456789:AAHs3cretBotTokenQwErTyUiOpAsDfGhJkL"  # never sent: its alert matches nothing


@pytest.fixture
def service(store, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSMON_ALLOW_PRIVATE_TARGETS", "0")
    monkeypatch.setenv("NEWSMON_ALERT_BACKOFF", "300")  # nothing is due again until a test makes it so
    with AlertsService("sqlite:///unused.db", store=store, outbox=str(tmp_path / "outbox.db")) as svc:
        yield svc


def apprise_url(hook: WebhookReceiver, scheme: str = "json", path: str = "/hook", auth: str = "") -> str:
    return f"{scheme}://{auth}127.0.0.1:{hook.server.server_address[1]}{path}"


def retry_now(service) -> None:
    """The outbox's retry time reached at once: its failed rows are due now (no sleeping through the backoff)."""
    pending = [row.id for row in service.outbox.recent("gas", 100) if row.status == "pending"]
    service.outbox.postpone(pending, 0)


def test_json_and_form_carry_title_outlet_language_snippet_and_link_once(service):
    with WebhookReceiver() as hook:
        service.add(Alert("gas", "TANAP", allow_private=True, channels=[
            Channel("notify", apprise_url(hook, "json")), Channel("notify", apprise_url(hook, "form", "/form"))]))
        gas = article(1, "gas")
        write(service.store, gas, article(2, "football"))
        assert service.match().queued == 2  # one row per (alert, article, channel)
        assert service.deliver() == {"sent": 2}
        service.match()
        assert service.deliver() == {}  # a re-match adds nothing
    by_path = {r["path"]: r for r in hook.requests}
    assert set(by_path) == {"/hook", "/form"}
    sent = {row.channel: row.id for row in service.show("gas").recent}
    for path, fields in (("/hook", by_path["/hook"]["json"]), ("/form", by_path["/form"]["form"])):
        assert fields["title"] == f"[newsmon] gas: {gas.title}"
        message = fields["message"].splitlines()
        assert message[:3] == [gas.title, "apa · en · 2026-11-30", gas.url]  # title, outlet, language, link
        assert "TANAP" in message[3] and "<mark>" not in message[3]  # plain text: json:// takes text
        # the delivery id a receiver drops a repeat by, as on webhooks
        scheme = "json" if path == "/hook" else "form"
        assert by_path[path]["headers"]["X-Newsmon-Delivery"] == sent[f"notify:{apprise_url(hook, scheme, path)}"]
    assert service.show("gas").counts == {"sent": 2}


def test_html_services_get_the_highlights_and_the_link_as_html(service):
    """A service that takes HTML (here json:// asked for it with ?format=html) gets the mail's HTML part."""
    with WebhookReceiver() as hook:
        service.add(Alert("gas", "TANAP", allow_private=True,
                          channels=[Channel("notify", apprise_url(hook, path="/hook?format=html"))]))
        write(service.store, article(1, "gas"))
        service.match()
        assert service.deliver() == {"sent": 1}
    message = hook.requests[0]["json"]["message"]
    assert f'<a href="{article(1, "gas").url}">' in message and "<b>TANAP</b>" in message


def test_a_receiver_answering_500_three_times_gets_the_message_once(service):
    with WebhookReceiver(statuses=[500, 500, 500]) as hook:
        service.add(Alert("gas", "TANAP", allow_private=True, channels=[Channel("notify", apprise_url(hook))]))
        write(service.store, article(1, "gas"))
        service.match()
        for attempt in (1, 2, 3):
            assert service.deliver() == {"retry": 1}, attempt  # apprise's False is a failure, not a send
            (row,) = service.show("gas").recent
            assert row.status == "pending" and row.attempts == attempt and "error=500" in row.last_error
            assert service.deliver() == {}  # waiting for its retry time, with backoff
            retry_now(service)
        assert service.deliver() == {"sent": 1}
        service.match()
        assert service.deliver() == {}
    assert len(hook.requests) == 4 and len({r["headers"]["X-Newsmon-Delivery"] for r in hook.requests}) == 1
    (row,) = service.show("gas").recent
    assert row.status == "sent" and row.attempts == 4


def test_a_receiver_that_never_accepts_leaves_a_dead_row(service, monkeypatch):
    monkeypatch.setenv("NEWSMON_ALERT_MAX_ATTEMPTS", "2")
    with WebhookReceiver(statuses=[503] * 5) as hook:
        service.add(Alert("gas", "TANAP", allow_private=True,
                          channels=[Channel("notify", apprise_url(hook, "form", auth="desk:s3cret@"))]))
        write(service.store, article(1, "gas"))
        service.match()
        assert service.deliver() == {"retry": 1}
        retry_now(service)
        assert service.deliver() == {"dead": 1}
        (row,) = service.show("gas").recent
        assert row.status == "dead" and "gave up after 2 attempts" in row.last_error and "503" in row.last_error
        assert service.show("gas").counts == {"dead": 1}
        ((alert, channel, status, error, rows),) = service.outbox.failures()
        assert status == "dead" and "s3cret" not in error


def test_a_daily_digest_and_a_story_s_messages_go_through_apprise_as_by_mail(service):
    with WebhookReceiver() as hook:
        service.add(Alert("daily", "TANAP", mode="daily", allow_private=True,
                          channels=[Channel("notify", apprise_url(hook, path="/daily"))]))
        service.add(Alert("story", "TANAP", per="story", allow_private=True,
                          channels=[Channel("notify", apprise_url(hook, path="/story"))]))
        write(service.store, in_story(1, "S1"), in_story(2, "S1", "report"), in_story(3, "S2", "tass"))
        service.match()
        assert service.deliver(close_backlog=True) == {"sent": 3}  # two stories, one follow-ups digest
        tomorrow = datetime.now(timezone.utc) + timedelta(days=1)
        alerts = {a.name: a for a in service.all()}
        assert delivery.deliver_due(service.outbox, alerts, now=tomorrow) == {"sent": 1}
    titles = {}
    for r in hook.requests:
        titles.setdefault(r["path"], []).append(r["json"]["title"])
    assert titles["/daily"] == [f"[newsmon] daily: 3 new article(s), {datetime.now(timezone.utc):%Y-%m-%d}"]
    assert sorted(titles["/story"]) == sorted(["[newsmon] story: more on 1 story"]
                                              + [f"[newsmon] story: new story: {article(n, 'gas').title}" for n in (1, 3)])
    (follow,) = [r["json"]["message"] for r in hook.requests if "more on" in r["json"]["title"]]
    assert "+1 more: report" in follow


def test_notify_urls_are_checked_when_the_alert_is_added(service):
    for url, field, words in [("tgram://s3cret", "notify", "a field is missing or malformed"),
                              ("nosuch://s3cret/x", "notify", "not a service apprise knows"),
                              ("s3cret", "notify", "not an apprise URL"),
                              ("json://127.0.0.1:9/s3cret", "notify", "private, loopback"),
                              ("form://user:s3cret@169.254.169.254/latest", "notify", "metadata"),
                              ("xmls://localhost/s3cret", "notify", "resolves to")]:
        with pytest.raises(AlertError, match=words) as caught:
            service.add(Alert("bad", "TANAP", channels=[Channel("notify", url)]))
        assert caught.value.field == field and "--notify" in str(caught.value) and "s3cret" not in str(caught.value)
    assert service.all() == []
    service.add(Alert("chat", "TANAP", channels=[Channel("notify", f"tgram://{TELEGRAM_TOKEN}/-1001234")]))


def test_masks_show_scheme_and_host_only():
    assert notify_label("json://user:s3cret@127.0.0.1:8080/hook/t0ken?x=1") == "json://127.0.0.1:8080/…"
    assert notify_label(f"tgram://{TELEGRAM_TOKEN}/-1001234") == "tgram://…"
    assert notify_label("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ") == "slack://…"
    assert notify_label("ntfy://user:pw@ntfy.example.org/topic") == "ntfy://ntfy.example.org/…"
    assert notify_label("ntfy://secret-topic") == "ntfy://…"
    assert notify_label("json://user:pa/ss@host.example/") == "json://…"


def test_no_secret_is_printed_served_or_logged(store, tmp_path, monkeypatch, caplog):
    """`alerts list --json`, `alerts show` (text and --json), `alerts deliver`, GET /api/alerts with and
    without the key, the outbox's failures and every log record: the masked URL, never its secrets."""
    for library in ("urllib3", "elastic_transport", "elasticsearch"):
        # at debug these write every request's path and body (a webhook's too): newsmon's logs are
        # INFO at most (a crawl's log file), so they are held there
        caplog.set_level(logging.INFO, logger=library)
    caplog.set_level(logging.DEBUG)  # last: it sets caplog's handler too. apprise's debug lines carry URLs
    home = tmp_path / "home"
    monkeypatch.setenv("NEWSMON_HOME", str(home))  # an Elasticsearch store's outbox lives there
    url = store_url(store)
    secrets = ["s3cret", "t0ken-in-path", TELEGRAM_TOKEN, TELEGRAM_TOKEN.split(":")[1], "-1001234"]
    env = {**os.environ, "NEWSMON_HOME": str(home)}

    def cli(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "monitor.cli", "--store", url, "alerts", *args],
                              capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout + done.stderr

    with WebhookReceiver(statuses=[500]) as hook:
        leaky = apprise_url(hook, path="/hook/t0ken-in-path", auth="desk:s3cret@")
        said = cli("add", "gas", "TANAP", "--notify", leaky, "--allow-private")
        said += cli("add", "chat", "cricket Armenia", "--notify", f"tgram://{TELEGRAM_TOKEN}/-1001234")
        write(store, article(1, "gas"))
        with AlertsService(url, store=store) as alerts:  # in this process: its log records are caplog's
            alerts.match()
            assert alerts.deliver() == {"retry": 1}
        said += cli("show", "gas") + cli("show", "gas", "--json") + cli("show", "chat") + cli("list", "--json")
        said += cli("list") + cli("deliver")  # deliver's failures name the channel
        config = Config(store_url=url, home=home, api_key=KEY)
        with serving(create_app(config, Newsmon.over(store, config))) as base:
            anyone = httpx.get(f"{base}/api/alerts")
            holder = httpx.get(f"{base}/api/alerts", headers={"X-API-Key": KEY})
    assert hook.requests and hook.requests[0]["path"] == "/hook/t0ken-in-path"  # the secrets were in use
    masked = notify_label(leaky)
    assert masked in said and "notify:tgram://…" in said and "error=500" in said
    assert sorted(a["channels"] for a in holder.json()) == [[f"notify:{masked}"], ["notify:tgram://…"]]
    assert [a["channels"] for a in anyone.json()] == [["notify"], ["notify"]]
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    for text in (said, anyone.text, holder.text, logged):
        for secret in secrets:
            assert secret not in text
