"""The Alerts and Sources pages in a real headless Chromium (issue 24, item 3).

The Alerts page writes only through the API, with the key the user enters (kept in the tab's
sessionStorage); the Sources page is the source health `newsmon stats` prints. Screenshots go
to test-artifacts/ (ignored by git).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import pytest

from crawler.sources import load_sources
from index.store import open_store
from monitor.alerts.model import Alert
from monitor.alerts.outbox import delivery_id
from monitor.app import Newsmon
from monitor.config import Config
from monitor.schedule import record_runs
from monitor.web import create_app
from tests.test_store_contract import BY_ID, CORPUS
from tests.test_web import ARTIFACTS
from testkit.webserver import serving

KEY = "page-key-5c1e"
HOOK = "https://hooks.example.org/services/T0/B0/XyZsecretToken"
MAIL = "desk@example.org"
NOTIFY = "json://desk:s3cretNotifyPass@hooks.example.net/n0tifyPathToken"


def _deliveries(newsmon: Newsmon) -> None:
    """One article sent to the webhook, one dead after its receiver failed, one pending after a failure."""
    webhook, email = f"webhook:{HOOK}", f"email:{MAIL}"
    with newsmon.alerts() as svc:
        box = svc.outbox
        with box.transaction() as con:
            for article_id in ("en1", "tr1", "az1"):
                a = BY_ID[article_id]
                box.add(con, "shusha-desk", {"id": a.id, "title": a.title, "source": a.source, "url": a.url},
                        [webhook, email] if article_id == "az1" else [webhook], story=a.id, status="pending")
        box.mark_sent(delivery_id("shusha-desk", "en1", webhook))
        box.mark_failed(delivery_id("shusha-desk", "tr1", webhook),
                        f"gave up after 5 attempts: webhook {HOOK!r} answered 500", None)
        box.mark_failed(delivery_id("shusha-desk", "az1", email),
                        f"the SMTP server failed the sending to {MAIL}: {MAIL} refused (550 no such user)", 60)


@pytest.fixture(scope="module")
def admin(tmp_path_factory):
    """(base URL of a server with a key, base URL of one without, the failing source, a healthy one, the alert's secret)."""
    folder = tmp_path_factory.mktemp("web-admin")
    url = f"sqlite:///{folder / 'admin.db'}"
    failing, healthy = load_sources()[:2]
    now = datetime.now(timezone.utc)
    with open_store(url) as store:
        store.upsert(CORPUS)
        for hours in (5, 3, 1):  # three crashed runs in a row: failing
            record_runs(store, [failing], [], "scheduled", now - timedelta(hours=hours), exit_code=1, reason="crashed")
        record_runs(store, [healthy], [{"source": healthy.id, "pages": 14, "article_responses": 9,
                                        "outcomes": {"stored": 6, "duplicate": 1, "off_topic": 2},
                                        "errors": {}, "finish_reason": "finished"}],
                    "scheduled", now - timedelta(minutes=20), exit_code=0)
    keyed, open_ = Config(store_url=url, home=folder, api_key=KEY), Config(store_url=url, home=folder)
    newsmon = Newsmon(keyed)
    made = newsmon.add_alert(Alert.from_fields("shusha-desk", "Shusha", languages=["en", "tr", "az"],
                                               entities=["shusha"], webhooks=[HOOK], emails=[MAIL],
                                               notify=[NOTIFY]))
    _deliveries(newsmon)
    with serving(create_app(keyed, newsmon)) as base, serving(create_app(open_, Newsmon(open_))) as base_open:
        yield base, base_open, failing.id, healthy.id, made["secret"]
    newsmon.close()


def test_the_alerts_page_lists_an_alert_with_its_secrets_masked(admin, page):
    from playwright.sync_api import expect

    base, _, _, _, secret = admin
    page.goto(base + "/")
    page.click("#nav-alerts")
    page.wait_for_url("**/alerts")
    alert = page.locator("#alert-shusha-desk")
    expect(alert).to_be_visible()
    assert alert.locator(".query").inner_text() == "Shusha"
    assert alert.locator(".channel").all_inner_texts() == ["webhook", "email", "notify"]
    counts = {c.get_attribute("data-status"): c.inner_text() for c in alert.locator(".count").all()}
    assert counts["sent"] == "1 sent" and counts["dead"] == "1 dead" and counts["pending"] == "2 pending"
    failures = alert.locator("tr.failure")
    assert failures.count() == 2
    dead = alert.locator("tr.failure.status-dead")
    assert dead.locator("td").all_inner_texts()[:3] == ["webhook", "dead", "1"]
    assert dead.locator(".error-text").inner_text() == "gave up after 5 attempts: webhook '[webhook]' answered 500"
    assert alert.locator("tr.failure.status-pending .error-text").inner_text() \
        == "the SMTP server failed the sending to [email]: [email] refused (550 no such user)"
    assert alert.locator("tr.delivery").count() == 4
    assert alert.locator("a.search").get_attribute("href") == "/?q=Shusha&lang=en&lang=tr&lang=az&entity=shusha"
    html = page.content()
    for hidden in ("XyZsecretToken", "hooks.example.org", MAIL, secret, KEY, "s3cretNotifyPass", "n0tifyPathToken"):
        assert hidden not in html
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "alerts-page.png"), full_page=True)


def test_an_alert_made_and_removed_from_the_page_with_the_key(admin, page):
    from playwright.sync_api import expect

    base, *_ = admin
    # the search page's offer opens the form filled with the search
    page.goto(base + "/?q=energy&lang=tr")
    page.click("#make-alert summary")
    page.click("#save-alert")
    page.wait_for_url("**/alerts?q=energy&lang=tr")
    form = page.locator("#alert-form")
    assert form.locator('[name="query"]').input_value() == "energy"
    assert form.locator('[name="languages"]').input_value() == "tr"

    page.fill("#api-key", KEY)
    page.click("#key-save")
    expect(page.locator("#key-state")).to_have_text("A key is in use for this browser session.")
    assert page.locator("#api-key").input_value() == ""  # not left in the page
    form.locator('[name="name"]').fill("energy-tr")
    form.locator('[name="webhooks"]').fill("https://hooks.example.org/T1/tokenTwo")
    form.locator('button[type="submit"]').click()
    expect(page.locator("#alert-status")).to_contain_text("Saved alert energy-tr.")
    made = page.locator("#alert-energy-tr")
    expect(made).to_be_visible()
    assert made.locator(".channel").all_inner_texts() == ["webhook"] and "tokenTwo" not in page.content()
    listed = httpx.get(base + "/api/alerts", headers={"X-API-Key": KEY}).json()
    saved = next(a for a in listed if a["name"] == "energy-tr")
    assert saved["query"] == "energy" and saved["languages"] == ["tr"]
    assert saved["channels"] == ["webhook:https://hooks.example.org/T1/tokenTwo"]
    # the key stays in the tab's session storage only: not in a cookie, the URL or the page
    assert page.context.cookies() == [] and KEY not in page.url and KEY not in page.content()
    assert page.evaluate("sessionStorage.getItem('newsmon.apiKey')") == KEY
    page.screenshot(path=str(ARTIFACTS / "alerts-page-made.png"), full_page=True)

    remove = made.locator("button.remove")
    remove.click()
    expect(remove).to_have_text("Remove energy-tr: click again")  # one stray click removes nothing
    assert "energy-tr" in {a["name"] for a in httpx.get(base + "/api/alerts").json()}
    remove.click()
    expect(page.locator("#alert-status")).to_have_text("Removed alert energy-tr.")
    expect(page.locator("#alert-energy-tr")).to_have_count(0)
    assert "energy-tr" not in {a["name"] for a in httpx.get(base + "/api/alerts").json()}
    assert page.dialogs == []


def test_the_page_shows_the_apis_refusal_without_the_key(admin, page):
    from playwright.sync_api import expect

    base, base_open, *_ = admin
    page.goto(base + "/alerts")  # a new browser session: no key entered
    expect(page.locator("#key-state")).to_have_text("No key entered.")
    form = page.locator("#alert-form")
    form.locator('[name="name"]').fill("nokey")
    form.locator('[name="query"]').fill("Shusha")
    form.locator('[name="webhooks"]').fill("https://hooks.example.org/T2/x")
    form.locator('button[type="submit"]').click()
    status = page.locator("#alert-status")
    expect(status).to_have_text("401 X-API-Key: a valid X-API-Key header is required")
    expect(status).to_have_class("error")
    remove = page.locator("#alert-shusha-desk button.remove")
    remove.click()
    expect(remove).to_have_text("Remove shusha-desk: click again")
    remove.click()
    expect(status).to_have_text("401 X-API-Key: a valid X-API-Key header is required")
    expect(page.locator("#alert-shusha-desk")).to_be_visible()

    # a server with no key set refuses every write, and the page says why
    page.goto(base_open + "/alerts")
    expect(page.locator("#writes-off")).to_be_visible()
    page.fill("#api-key", "anything")
    page.click("#key-save")
    form.locator('[name="name"]').fill("nokey")
    form.locator('button[type="submit"]').click()
    expect(status).to_contain_text("403 writing through the API is off")
    expect(status).to_contain_text("NEWSMON_API_KEY")
    page.screenshot(path=str(ARTIFACTS / "alerts-page-refused.png"), full_page=True)
    names = {a["name"] for a in httpx.get(base + "/api/alerts").json()}
    assert names == {"shusha-desk"}


def test_a_failing_source_is_flagged_on_the_sources_page(admin, page):
    base, _, failing, healthy, _ = admin
    page.goto(base + "/")
    page.click("#nav-sources")
    page.wait_for_url("**/sources")
    first = page.locator("tbody.source").first
    assert first.get_attribute("data-id") == failing  # flagged sources first
    assert first.locator(".flag-failing").inner_text() == "failing"
    assert "failing" in first.get_attribute("data-flags").split()
    runs = first.locator("tr.run")
    assert runs.count() == 3 and first.locator("tr.run.failed").count() == 3
    assert runs.first.locator("td").nth(2).inner_text() == "crashed"
    assert "1 failing" in page.locator("#sources-summary").inner_text()
    ok = page.locator(f"#source-{healthy}")
    assert ok.get_attribute("data-flags") == "" and ok.locator(".flag").count() == 0
    ok.locator("details summary").click()  # a healthy source's runs are folded
    row = ok.locator("tr.run").first.locator("td").all_inner_texts()
    # new: stored and duplicate (a syndicated copy is a new article too), as the scheduler counts them
    assert row[2:] == ["finished", row[3], "14", "7", "duplicate 1, off_topic 2, stored 6", ""]
    assert ok.locator(".next-due").inner_text() != ""
    never = page.locator("tbody.source").nth(2)
    assert never.locator("tr.summary td").nth(1).inner_text() == "not run" and never.locator("tr.run").count() == 0
    assert never.locator(".next-due").inner_text() == "now"
    # the same health the API's stats document carries
    stats = httpx.get(base + "/api/stats").json()
    flags = {h["source"]: h["flags"] for h in stats["schedule_health"]}
    assert flags[failing] == ["failing"] and flags[healthy] == []
    page.screenshot(path=str(ARTIFACTS / "sources-page.png"), full_page=True)


def test_masking_names_the_alerts_targets_by_kind_and_cuts_other_urls_and_addresses():
    from monitor.alerts.overview import masked

    alert = Alert.from_fields("a", "x", webhooks=[HOOK], emails=[MAIL])
    assert masked(f"POST {HOOK} failed", alert) == "POST [webhook] failed"
    assert masked("tgram://123456:AAbbCC/987 refused; see https://x.example/p?token=1", alert) \
        == "tgram://… refused; see https://…"
    assert masked("other@example.net refused", alert) == "[address] refused"
    assert masked(None, alert) is None
