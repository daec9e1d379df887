"""Alerts end to end: real crawls of the sample web (`newsmon crawl` in a subprocess) into both
stores, a real webhook receiver and a real SMTP server on loopback, and SIGKILLed deliveries."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler import writer as writers
from crawler.sources import load_sources
from index.store import Filters, open_store
from monitor.alerts.outbox import Outbox
from monitor.alerts.paths import outbox_path
from sampleweb import SampleWeb, SampleWebServer
from testkit.alert_receivers import SmtpReceiver, WebhookReceiver, signature_valid
from tests.test_alerts import article

QUERY = "Azerbaijan"
SAMPLE_WEB_GRACE = "3650d"


def run_cli(*args: str, store: str, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor.cli", "--store", store, *args],
                          capture_output=True, text=True, timeout=timeout, env={**os.environ, **env})


@pytest.fixture(scope="module")
def world(tmp_path_factory, es_node):
    """One sample web crawled into a SQLite and an Elasticsearch store, with alerts on both.

    Crawl 1 fills the stores; then alerts are added; 12 stories are published; crawl 2 should
    alert on the new matching ones; crawl 3 (nothing new) should send nothing more.
    """
    folder = tmp_path_factory.mktemp("alerts-e2e")
    web = SampleWeb(seed=7)
    stores = {"sqlite": f"sqlite:///{folder / 'store.db'}", "elasticsearch": f"{es_node.url}?index=alerts-e2e"}
    with SampleWebServer(web) as server, SmtpReceiver() as smtp, \
            WebhookReceiver() as hook_sqlite, WebhookReceiver() as hook_es, WebhookReceiver() as quiet:
        sources = folder / "sources.toml"
        sources.write_text(server.sources_toml(), encoding="utf-8")
        env = {"NEWSMON_HOME": str(folder / "home"), **smtp.env()}
        hooks = {"sqlite": hook_sqlite, "elasticsearch": hook_es}
        world = {"stores": stores, "hooks": hooks, "smtp": smtp, "quiet": quiet, "env": env, "folder": folder,
                 "jsonl": {name: folder / f"{name}.jsonl" for name in stores}, "runs": {name: [] for name in stores}}

        def crawl(name: str) -> subprocess.CompletedProcess:
            proc = run_cli("crawl", "--loopback", "--json", "--sources", str(sources),
                           "--state", str(folder / f"{name}.state.db"), store=stores[name], env=env)
            assert proc.returncode == 0, proc.stderr[-3000:]
            world["runs"][name].append(proc)
            return proc

        for name, url in stores.items():
            crawl(name)
            # the sample web's calendar ends in December 2025: its new stories count as news only
            # with a grace that reaches back there (item 7's backlog has its own tests below)
            add = run_cli("alerts", "add", "azerbaijan", QUERY, "--webhook", hooks[name].url, "--allow-private",
                          "--email", f"{name}@example.org", "--jsonl", str(world["jsonl"][name]),
                          "--grace", SAMPLE_WEB_GRACE, store=url, env=env)
            assert add.returncode == 0, add.stderr
            quiet_add = run_cli("alerts", "add", "quiet", "cricket Armenia", "--webhook", quiet.url,
                                "--allow-private", store=url, env=env)
            assert quiet_add.returncode == 0, quiet_add.stderr
            with open_store(url) as store:
                world.setdefault("seq_before", {})[name] = store.last_seq()
        world["published"] = web.publish(12)
        for name in stores:
            crawl(name)
        world["after_second"] = {name: len(h.requests) for name, h in hooks.items()}
        world["mails_after_second"] = len(smtp.messages)
        for name in stores:
            crawl(name)
        yield world


def expected_ids(world, name: str) -> set[str]:
    """The new articles of crawl 2 that the alert's query matches, asked of the store directly."""
    with open_store(world["stores"][name]) as store:
        result = store.search(QUERY, Filters(after_seq=world["seq_before"][name]), size=100)
    return {h.article.id for h in result.hits if not h.article.duplicate_of}


@pytest.mark.parametrize("name", ["sqlite", "elasticsearch"])
def test_crawl_delivers_each_new_match_once_to_webhook_mail_and_file(world, name):
    hook = world["hooks"][name]
    expected = expected_ids(world, name)
    published = {a.title for a in world["published"] if a.on_topic}
    assert len(expected) >= 3
    got = [r["json"]["article"] for r in hook.requests]
    assert sorted(a["id"] for a in got) == sorted(expected)  # each once
    assert {a["title"] for a in got} <= published  # only new stories, no flood of the backlog
    mails = [m for m in world["smtp"].messages if m["To"] == f"{name}@example.org"]
    assert len(mails) == len(expected)
    assert len({m["Message-ID"] for m in mails}) == len(mails)
    lines = [json.loads(line) for line in world["jsonl"][name].read_text().splitlines()]
    assert sorted(line["article"]["id"] for line in lines) == sorted(expected)
    assert "alerts: " in world["runs"][name][1].stderr and " sent" in world["runs"][name][1].stderr


@pytest.mark.parametrize("name", ["sqlite", "elasticsearch"])
def test_webhook_signature_verifies_with_the_alert_secret(world, name):
    show = run_cli("alerts", "show", "azerbaijan", "--json", store=world["stores"][name], env=world["env"])
    secret = json.loads(show.stdout)["secret"]
    for request in world["hooks"][name].requests:
        assert signature_valid(secret, request)


def test_non_matching_alert_sends_nothing_and_a_second_crawl_nothing_more(world):
    assert world["quiet"].requests == []
    assert {n: len(h.requests) for n, h in world["hooks"].items()} == world["after_second"]
    assert len(world["smtp"].messages) == world["mails_after_second"]


def test_both_stores_produce_the_same_deliveries(world):
    def delivered(name: str) -> list[tuple[str, str]]:
        return sorted((r["json"]["article"]["url"], r["json"]["article"]["title"]) for r in world["hooks"][name].requests)

    assert delivered("sqlite") == delivered("elasticsearch")
    counts = {}
    for name, url in world["stores"].items():
        box = Outbox(outbox_path(url) if name == "sqlite" else Path(world["env"]["NEWSMON_HOME"]) / outbox_path(url).name)
        counts[name] = box.counts("azerbaijan")
        box.close()
    assert counts["sqlite"] == counts["elasticsearch"] and counts["sqlite"]["sent"] > 0


def test_loopback_webhook_without_the_allow_flag_is_refused_in_one_line(tmp_path):
    proc = run_cli("alerts", "add", "x", "TANAP", "--webhook", "http://127.0.0.1:8080/hook",
                   store=f"sqlite:///{tmp_path / 's.db'}", env={"NEWSMON_ALLOW_PRIVATE_TARGETS": "0"})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "--allow-private" in proc.stderr
    assert "127.0.0.1" in proc.stderr and "refused" in proc.stderr


# --- crashes ---------------------------------------------------------------------------------
MATCH_THEN_HANG = textwrap.dedent("""
    import sys, time
    from monitor.alerts.service import AlertsService
    with AlertsService(sys.argv[1]) as service:
        report = service.match()
        print("matched", report.queued, flush=True)
        time.sleep(120)  # killed here: matched, nothing delivered
""")


@pytest.fixture
def crash_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    env = {"NEWSMON_HOME": str(tmp_path / "home"), "NEWSMON_ALERT_BACKOFF": "0.2"}
    return url, env


def add_alert(url: str, env: dict, hook: WebhookReceiver) -> None:
    proc = run_cli("alerts", "add", "gas", "TANAP", "--webhook", hook.url, "--allow-private", store=url, env=env)
    assert proc.returncode == 0, proc.stderr


def write_articles(url: str, *articles) -> None:
    with open_store(url) as store:
        writer = writers.ArticleWriter(store)
        for a in articles:
            writer.add(a, lambda outcome: None)
        writer.flush()


def test_killed_after_matching_before_delivery_the_next_deliver_sends_it_once(crash_store):
    url, env = crash_store
    with WebhookReceiver() as hook:
        add_alert(url, env, hook)
        write_articles(url, article(1, "gas"), article(2, "gas"))
        matcher = subprocess.Popen([sys.executable, "-c", MATCH_THEN_HANG, url], stdout=subprocess.PIPE,
                                   text=True, env={**os.environ, **env})
        assert matcher.stdout.readline().split() == ["matched", "2"]
        matcher.send_signal(signal.SIGKILL)
        matcher.wait()
        assert hook.requests == []
        assert Outbox(outbox_path(url)).counts() == {"pending": 2}
        first = run_cli("alerts", "deliver", store=url, env=env)
        again = run_cli("alerts", "deliver", store=url, env=env)
        assert first.returncode == 0 and again.returncode == 0, first.stderr
    ids = [r["json"]["article"]["id"] for r in hook.requests]
    assert sorted(ids) == sorted([article(1, "gas").id, article(2, "gas").id])


def test_killed_after_the_receiver_got_it_the_repeat_carries_the_same_delivery_id(crash_store):
    url, env = crash_store
    with WebhookReceiver() as hook:
        add_alert(url, env, hook)
        write_articles(url, article(1, "gas"))
        hook.hold.set()  # the receiver takes the request and does not answer: the sender waits
        sender = subprocess.Popen([sys.executable, "-m", "monitor.cli", "--store", url, "alerts", "deliver"],
                                  env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert hook.wait_for(1)
        sender.send_signal(signal.SIGKILL)  # received, not recorded in the outbox
        sender.wait()
        hook.hold.clear()
        hook.released.set()
        assert Outbox(outbox_path(url)).counts() == {"pending": 1}
        proc = run_cli("alerts", "deliver", store=url, env=env)
        assert proc.returncode == 0, proc.stderr
        assert Outbox(outbox_path(url)).counts() == {"sent": 1}
    assert len(hook.requests) == 2
    keys = {r["headers"]["Idempotency-Key"] for r in hook.requests}
    assert len(keys) == 1 and keys == {r["json"]["delivery_id"] for r in hook.requests}
    assert len({r["body"] for r in hook.requests}) == 1  # the same message, byte for byte


# --- issue 21, item 6: what `newsmon alerts` promises, run as a user runs it --------------------
@pytest.fixture
def cli_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    env = {"NEWSMON_HOME": str(tmp_path / "home"), "NEWSMON_ALLOW_PRIVATE_TARGETS": "0"}
    return url, env, tmp_path


def distinct(n: int, published: datetime | None, crawled: datetime | None = None):
    """A TANAP article of its own words (no two are near copies), published and found when asked."""
    text = f"TANAP gas deliveries, report {n}. " + " ".join(f"w{n}x{i}" for i in range(80))
    a = article(n, "gas", body=text)
    return replace(a, published_at=published, crawled_at=crawled or a.crawled_at)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    return proc.stderr


def test_alerts_test_counts_every_match_not_just_the_twenty_it_lists(cli_store):
    url, env, folder = cli_store
    now = datetime.now(timezone.utc)
    write_articles(url, *(distinct(n, now - timedelta(minutes=30 * n), now) for n in range(1, 26)))  # within a day
    assert run_cli("alerts", "add", "gas", "TANAP", "--jsonl", str(folder / "f.jsonl"), store=url, env=env).returncode == 0
    shown = run_cli("alerts", "test", "gas", store=url, env=env)
    assert shown.returncode == 0, shown.stderr
    assert ("25 article(s) found in the last 7 days match: 25 would be sent one by one, 0 in one backlog digest "
            "(published long before they were found), 0 copies not sent again; the newest 20:") in shown.stdout
    data = json.loads(run_cli("alerts", "test", "gas", "--json", "--limit", "5", store=url, env=env).stdout)
    assert (data["total"], data["would_send"], data["shown"], len(data["items"])) == (25, 25, 5, 5)


def test_alerts_test_counts_what_the_crawls_found_and_what_would_be_backlog(cli_store):
    """Issue 21 item 13: after the demo, `alerts test` found nothing (its articles were published in 2025)."""
    url, env, folder = cli_store
    now = datetime.now(timezone.utc)
    write_articles(url, *(distinct(n, now - timedelta(hours=n), now) for n in range(1, 4)),  # news, found now
                   *(distinct(n, now - timedelta(days=300), now) for n in range(4, 6)),  # old, found now: backlog
                   *(distinct(n, now - timedelta(hours=1), now - timedelta(days=30)) for n in range(6, 8)))  # found long ago
    assert run_cli("alerts", "add", "gas", "TANAP", "--jsonl", str(folder / "f.jsonl"), store=url, env=env).returncode == 0
    data = json.loads(run_cli("alerts", "test", "gas", "--json", store=url, env=env).stdout)
    assert (data["total"], data["would_send"], data["backlog"], data["copies"]) == (5, 3, 2, 0)
    assert sorted(i["backlog"] for i in data["items"]) == [False, False, False, True, True]


def test_alert_filters_that_could_never_match_are_refused_as_search_refuses_them(cli_store):
    url, env, folder = cli_store
    write_articles(url, article(1, "gas", source="apa"))
    add = ("alerts", "add", "x", "TANAP", "--jsonl", str(folder / "x.jsonl"))
    assert "--lang" in one_line_error(run_cli("search", "TANAP", "--lang", "english", store=url, env=env))
    assert "'en'" in one_line_error(run_cli(*add, "--lang", "english", store=url, env=env))
    assert "not a language code" in one_line_error(run_cli(*add, "--lang", "xx", store=url, env=env))
    assert "'nosuch'" in one_line_error(run_cli(*add, "--source", "nosuch", store=url, env=env))
    for value in ("nan", "inf", "-1"):
        assert "--min-relevance" in one_line_error(run_cli(*add, "--min-relevance", value, store=url, env=env))
    assert "--grace" in one_line_error(run_cli(*add, "--grace", "soon", store=url, env=env))
    assert "--backlog" in one_line_error(run_cli(*add, "--backlog", "all", store=url, env=env))
    assert json.loads(run_cli("alerts", "list", "--json", store=url, env=env).stdout) == []
    ok = run_cli(*add, "--lang", "EN", "--source", "apa", "--source", "dailysabah", store=url, env=env)
    assert ok.returncode == 0, ok.stderr
    (saved,) = json.loads(run_cli("alerts", "list", "--json", store=url, env=env).stdout)
    assert saved["languages"] == ["en"] and saved["sources"] == ["apa", "dailysabah"]


def test_add_prints_a_signing_secret_only_for_an_alert_with_a_webhook(cli_store):
    url, env, folder = cli_store
    env = {**env, "NEWSMON_ALLOW_PRIVATE_TARGETS": "1"}
    mail = run_cli("alerts", "add", "mail", "TANAP", "--email", "a@example.org", "--jsonl", str(folder / "m.jsonl"),
                   store=url, env=env)
    assert mail.returncode == 0 and "secret" not in mail.stdout.lower(), mail.stdout
    assert "secret" not in run_cli("alerts", "show", "mail", store=url, env=env).stdout.lower()
    hook = run_cli("alerts", "add", "hook", "TANAP", "--webhook", "http://127.0.0.1:9/h", store=url, env=env)
    secret = json.loads(run_cli("alerts", "show", "hook", "--json", store=url, env=env).stdout)["secret"]
    assert hook.returncode == 0 and f"webhook signing secret: {secret}" in hook.stdout


def test_an_smtp_server_that_cannot_be_reached_is_named_with_the_variables_to_set(cli_store):
    url, env, folder = cli_store
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    env = {**env, "NEWSMON_SMTP_HOST": "127.0.0.1", "NEWSMON_SMTP_PORT": str(port)}
    assert run_cli("alerts", "add", "gas", "TANAP", "--email", "a@example.org", store=url, env=env).returncode == 0
    write_articles(url, distinct(1, datetime.now(timezone.utc), datetime.now(timezone.utc)))
    sent = run_cli("alerts", "deliver", store=url, env=env)
    assert sent.returncode == 0 and "Traceback" not in sent.stderr, sent.stderr
    assert "0 sent, 1 to retry" in sent.stdout
    (line,) = [x for x in sent.stderr.splitlines() if "email:a@example.org" in x]
    assert f"SMTP server 127.0.0.1:{port}" in line and "NEWSMON_SMTP_HOST" in line and "NEWSMON_SMTP_PORT" in line
    shown = json.loads(run_cli("alerts", "show", "gas", "--json", store=url, env=env).stdout)
    assert f"127.0.0.1:{port}" in shown["recent"][0]["last_error"]


# --- issue 21, item 7: a first crawl does not flood an alert with the backlog -------------------
def test_a_new_store_and_a_newly_added_source_send_one_backlog_digest_not_a_mail_each(tmp_path):
    """The sample web's articles were published in 2024-2025 and are found now: backlog, all of them
    that carry a date. Crawl 1 (two outlets, a new store), crawl 2 (every outlet: the others are new
    sources), crawl 3 (nothing new)."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with SampleWebServer(SampleWeb(seed=7)) as server, SmtpReceiver() as smtp, WebhookReceiver() as hook:
        env = {"NEWSMON_HOME": str(tmp_path / "home"), **smtp.env()}
        sources = tmp_path / "sources.toml"
        sources.write_text(server.sources_toml(), encoding="utf-8")
        first_two = [s.id for s in load_sources(sources)][:2]
        beat = run_cli("alerts", "add", "beat", QUERY, "--email", "desk@example.org", "--webhook", hook.url,
                       "--allow-private", "--jsonl", str(tmp_path / "beat.jsonl"), store=url, env=env)
        skip = run_cli("alerts", "add", "beat-skip", QUERY, "--backlog", "skip", "--jsonl",
                       str(tmp_path / "skip.jsonl"), store=url, env=env)
        assert beat.returncode == 0 and skip.returncode == 0, beat.stderr + skip.stderr
        assert "one backlog digest per crawl" in beat.stdout and "skipped" in skip.stdout
        seen: set[str] = set()
        rounds = []
        for only in (first_two, []):
            crawl = run_cli("crawl", "--loopback", "--sources", str(sources),
                            *(arg for sid in only for arg in ("--source", sid)), store=url, env=env)
            assert crawl.returncode == 0, crawl.stderr[-3000:]
            with open_store(url) as store:
                hits = list(store.scan(QUERY))
            new = {a.id: a for a in hits if not a.duplicate_of and a.id not in seen}
            seen |= set(new)
            rounds.append((new, crawl.stderr))
        again = run_cli("crawl", "--loopback", "--sources", str(sources), store=url, env=env)
        assert again.returncode == 0, again.stderr[-3000:]
        skipped = json.loads(run_cli("alerts", "show", "beat-skip", "--json", store=url, env=env).stdout)
    digests = [r["json"] for r in hook.requests if r["json"]["kind"] == "backlog"]
    singles = [r["json"]["article"]["id"] for r in hook.requests if r["json"]["kind"] == "article"]
    assert len(digests) == 2, [d["kind"] for d in digests]  # one per crawl that found backlog
    for digest, (new, stderr) in zip(digests, rounds):
        dated = {i for i, a in new.items() if a.published_at is not None}
        assert dated and {item["id"] for item in digest["items"]} == dated
        published = [item["published_at"] for item in digest["items"]]
        assert published == sorted(published, reverse=True)
        assert " backlog " in stderr
    undated = {i for new, _ in rounds for i, a in new.items() if a.published_at is None}
    assert sorted(singles) == sorted(undated)  # news without a date still goes one by one
    backlog_mails = [m for m in smtp.messages if "backlog of" in m["Subject"]]
    assert len(backlog_mails) == 2 and len(smtp.messages) == 2 + len(undated)
    assert f"backlog of {len(digests[0]['items'])} earlier article(s)" in backlog_mails[0]["Subject"]
    assert [json.loads(x)["kind"] for x in (tmp_path / "beat.jsonl").read_text().splitlines()].count("backlog") == 2
    dated_total = sum(a.published_at is not None for new, _ in rounds for a in new.values())
    assert skipped["deliveries"].get("skipped") == dated_total and skipped["deliveries"].get("sent", 0) == len(undated)
