"""Alerts over real stores (SQLite and Elasticsearch) with real receivers on loopback."""
from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import feedparser
import pytest
from scrapy.signalmanager import SignalManager

from crawler.stages import dedup
from crawler import writer as writers
from crawler.signals import batch_written
from index.alert_store import AlertRecord, alert_store_for
from index.article import Article, iso
from index.highlight import highlight
from index.elastic.mapping import to_doc as _doc
from index.query import QueryError, expand, parse
from index.store import Filters, Hit
from monitor.alerts import channels
from monitor.alerts import deliver as delivery
from monitor.alerts.model import Alert, AlertError, Channel, check_alert_fields
from monitor.alerts.outbox import BACKLOG_QUIET, Outbox
from monitor.alerts.payload import article_payload
from monitor.alerts.service import AlertsService
from testkit.alert_receivers import SmtpReceiver, WebhookReceiver, signature_valid

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
TOPICS = {
    "gas": "Azerbaijan and Türkiye signed a gas agreement on TANAP deliveries to Europe",
    "shusha": "Erdoğan visited Şuşa with Aliyev and opened a new road to the liberated town",
    "football": "Galatasaray beat Qarabağ in a friendly football match in Istanbul",
}


def article(n: int, topic: str, source: str = "apa", body: str | None = None, language: str = "en",
            relevance: float = 0.8) -> Article:
    text = body or " ".join(f"{TOPICS[topic]}, report {n}, paragraph {i} of the story number {n}." for i in range(12))
    url = f"https://{source}.example/news/{n}"
    return Article(url=url, canonical_url=url, source=source, title=f"{TOPICS[topic][:40]} ({n})", body=text,
                   language=language, relevance=relevance, matched=["azerbaijan", "turkey"],
                   published_at=NOW + timedelta(minutes=n), crawled_at=NOW + timedelta(minutes=n),
                   content_hash=dedup.content_hash(text), signature=dedup.signature(text))


def write(store, *articles: Article) -> None:
    writer = writers.ArticleWriter(store)
    for a in articles:
        writer.add(a, lambda outcome: None)
    writer.flush()


@pytest.fixture
def service(store, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSMON_ALLOW_PRIVATE_TARGETS", "0")
    with AlertsService("sqlite:///unused.db", store=store, outbox=str(tmp_path / "outbox.db")) as svc:
        yield svc


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_new_alert_starts_from_now_and_sends_each_match_once(service, tmp_path):
    write(service.store, article(1, "gas"), article(2, "shusha"))
    feed = tmp_path / "gas.jsonl"
    with WebhookReceiver() as hook:
        service.add(Alert("gas", "TANAP gas", channels=[Channel("webhook", hook.url), Channel("jsonl", str(feed))],
                          allow_private=True))
        service.add(Alert("nothing", "Armenia cricket", channels=[Channel("webhook", hook.url)],
                          allow_private=True))
        service.match()
        assert service.deliver()["sent"] == 0  # articles older than the alert are not a flood
        write(service.store, article(3, "gas"), article(4, "football"))
        report = service.match()
        assert report.queued == 2 and not report.errors  # one article, two channels
        assert service.deliver()["sent"] == 2
        write(service.store, article(5, "football"))
        service.match()
        assert service.deliver()["sent"] == 0
        gas = service.get("gas")
    assert [r["json"]["article"]["id"] for r in hook.requests] == [article(3, "gas").id]
    request = hook.requests[0]
    assert signature_valid(gas.secret, request)
    assert request["headers"]["Idempotency-Key"] == request["json"]["delivery_id"]
    assert "<mark>" in request["json"]["article"]["snippet"]
    assert [line["article"]["id"] for line in lines(feed)] == [article(3, "gas").id]


def test_rewritten_article_is_not_sent_again(service, tmp_path):
    feed = tmp_path / "f.jsonl"
    service.add(Alert("gas", "TANAP", channels=[Channel("jsonl", str(feed))]))
    first = article(1, "gas")
    write(service.store, first)
    service.match()
    service.deliver()
    edited = article(1, "gas", body=first.body + " Update: the first gas arrived in Italy.")
    write(service.store, edited)  # a new seq for the same id
    service.match()
    service.deliver()
    assert len(lines(feed)) == 1


def test_syndicated_copy_of_a_delivered_story_is_not_sent_again(service, tmp_path):
    feed = tmp_path / "f.jsonl"
    service.add(Alert("shusha", "Shusha", channels=[Channel("jsonl", str(feed))]))
    original = article(1, "shusha", source="apa")
    write(service.store, original)
    service.match()
    assert service.deliver()["sent"] == 1
    linked = article(1, "shusha", source="trend", body="(Trend) " + original.body)
    write(service.store, linked)
    assert service.store.get(linked.id).duplicate_of == original.id  # the writer linked it
    # a near copy the writer did not link (written straight to the store) is caught by its signature
    unlinked = article(1, "shusha", source="report", body=original.body + " Report.az contributed.")
    service.store.upsert([unlinked])
    assert service.store.get(unlinked.id).duplicate_of is None
    report = service.match()
    assert report.suppressed == 2 and report.queued == 0
    assert service.deliver()["sent"] == 0
    assert [line["article"]["id"] for line in lines(feed)] == [original.id]
    assert service.show("shusha").counts == {"sent": 1, "suppressed": 2}


def test_webhook_failing_three_times_is_delivered_once_after_backoff(service, monkeypatch):
    monkeypatch.setenv("NEWSMON_ALERT_BACKOFF", "0.2")
    with WebhookReceiver(statuses=[500, 500, 500]) as hook:
        service.add(Alert("gas", "TANAP", channels=[Channel("webhook", hook.url)], allow_private=True))
        write(service.store, article(1, "gas"))
        service.match()
        results = service.deliver(wait=20)
    assert results == {"retry": 3, "sent": 1}
    assert len(hook.requests) == 4 and len({r["headers"]["Idempotency-Key"] for r in hook.requests}) == 1
    gaps = [b["at"] - a["at"] for a, b in zip(hook.requests, hook.requests[1:])]
    for attempt, gap in enumerate(gaps, 1):  # base × 2^(n-1), jittered by ±50%
        assert gap >= 0.2 * 2 ** (attempt - 1) * 0.5 - 0.02, gaps
    (row,) = service.show("gas").recent
    assert row.status == "sent" and row.attempts == 4


def test_a_receiver_that_never_accepts_leaves_a_dead_row_kept_and_visible(service, monkeypatch):
    monkeypatch.setenv("NEWSMON_ALERT_BACKOFF", "0.05")
    monkeypatch.setenv("NEWSMON_ALERT_MAX_ATTEMPTS", "3")
    with WebhookReceiver(statuses=[503] * 10) as hook:
        service.add(Alert("gas", "TANAP", channels=[Channel("webhook", hook.url)], allow_private=True))
        write(service.store, article(1, "gas"))
        service.match()
        assert service.deliver(wait=10) == {"retry": 2, "dead": 1}
        (row,) = service.show("gas").recent
        assert row.status == "dead" and "503" in row.last_error and row.attempts == 3
        assert service.retry_dead() == 1  # the receiver is fixed: another round
        hook.statuses.clear()
        assert service.deliver(wait=5)["sent"] == 1
    assert len(hook.requests) == 4


def test_loopback_webhook_without_the_allow_flag_is_refused(service):
    with pytest.raises(AlertError, match="resolves to 127.0.0.1.*--allow-private"):
        service.add(Alert("gas", "TANAP", channels=[Channel("webhook", "http://127.0.0.1:9/hook")]))
    with pytest.raises(AlertError, match="resolves to ::1|resolves to 127"):
        service.add(Alert("gas", "TANAP", channels=[Channel("webhook", "http://localhost:9/hook")]))
    with pytest.raises(AlertError, match="169.254"):
        service.add(Alert("gas", "TANAP", channels=[Channel("webhook", "http://169.254.169.254/latest")]))
    assert service.all() == []


def test_a_target_that_became_private_is_refused_at_send_time_and_kept_dead(service, monkeypatch):
    with WebhookReceiver() as hook:
        monkeypatch.setenv("NEWSMON_ALLOW_PRIVATE_TARGETS", "1")
        service.add(Alert("gas", "TANAP", channels=[Channel("webhook", hook.url)]))
        monkeypatch.setenv("NEWSMON_ALLOW_PRIVATE_TARGETS", "0")
        write(service.store, article(1, "gas"))
        service.match()
        assert service.deliver() == {"dead": 1}
    assert hook.requests == []
    assert "refused" in service.show("gas").recent[0].last_error


def test_daily_digest_is_one_message_with_copies_listed_under_the_original(service, monkeypatch):
    with SmtpReceiver() as smtp, WebhookReceiver() as hook:
        for key, value in smtp.env().items():
            monkeypatch.setenv(key, value)
        service.add(Alert("daily", "TANAP OR Shusha", mode="daily", allow_private=True,
                          channels=[Channel("email", "analyst@example.org"), Channel("webhook", hook.url)]))
        original = article(1, "gas", source="apa")
        write(service.store, original, article(2, "shusha", source="azertac"))
        write(service.store, article(1, "gas", source="trend", body="(Trend) " + original.body))
        report = service.match()
        assert report.queued == 4 and report.suppressed == 1
        outbox, alerts = service.outbox, {a.name: a for a in service.all()}
        assert delivery.deliver_due(outbox, alerts) == {}  # the day is not over
        tomorrow = datetime.now(timezone.utc) + timedelta(days=1)
        assert delivery.deliver_due(outbox, alerts, now=tomorrow) == {"sent": 2}
        assert delivery.deliver_due(outbox, alerts, now=tomorrow) == {}
    (mail,) = smtp.messages
    assert mail["Subject"].startswith("[newsmon] daily: 2 new article(s)")
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "also in: trend" in text and "also in: trend" in html
    assert text.count("https://") == 2 and "<mark>" in html
    assert mail["Message-ID"].startswith("<") and mail["Message-ID"].endswith("@newsmon>")
    (body,) = [r["json"] for r in hook.requests]
    assert body["kind"] == "digest" and [i["source"] for i in body["items"]] == ["azertac", "apa"]  # newest first
    assert body["items"][1]["also_in"] == ["trend"]


def test_alert_test_shows_what_would_be_sent_and_sends_nothing(service, tmp_path):
    feed = tmp_path / "f.jsonl"
    original = article(1, "gas")
    write(service.store, original, article(1, "gas", source="trend", body="(Trend) " + original.body))
    service.add(Alert("gas", "TANAP", channels=[Channel("jsonl", str(feed))]))
    recent = datetime.now(timezone.utc)
    result = service.test("gas", days=36500)
    assert {(i["source"], i["would_send"]) for i in result.items} == {("apa", True), ("trend", False)}
    assert (result.total, result.would_send) == (2, 1)
    assert service.outbox.counts() == {} and not feed.exists()
    assert recent  # the alert's watermark did not move either
    assert service.alerts.get("gas").watermark == service.alerts.get("gas").floor


def test_since_queues_the_backlog_once_as_one_digest(service, tmp_path):
    feed = tmp_path / "f.jsonl"
    write(service.store, article(1, "gas"), article(2, "gas"), article(3, "gas"))
    queued = service.add(Alert("gas", "TANAP", channels=[Channel("jsonl", str(feed))]),
                         since=NOW + timedelta(minutes=2))
    assert queued == 2
    service.match()
    service.deliver(close_backlog=True)
    service.match()
    service.deliver(close_backlog=True)
    (line,) = lines(feed)  # published before the alert was made: one backlog message, not one each
    assert line["kind"] == "backlog"
    assert [i["id"] for i in line["items"]] == [article(3, "gas").id, article(2, "gas").id]


def test_filters_entities_and_minimum_relevance(service, tmp_path):
    feed = tmp_path / "f.jsonl"
    service.add(Alert("tr", "TANAP", languages=["tr"], min_relevance=0.5, channels=[Channel("jsonl", str(feed))]))
    write(service.store, article(1, "gas", language="tr", relevance=0.9), article(2, "gas", language="en"),
          article(3, "gas", language="tr", relevance=0.1))
    service.match()
    service.deliver()
    assert [line["article"]["id"] for line in lines(feed)] == [article(1, "gas").id]


def test_one_bad_alert_does_not_stop_the_others(service, tmp_path):
    feed = tmp_path / "f.jsonl"
    service.add(Alert("gas", "TANAP", channels=[Channel("jsonl", str(feed))]))
    bad = service.alerts.get("gas")
    bad.name, bad.data = "bad", dict(bad.data, name="bad", query='"unclosed')
    service.alerts.save(bad)
    write(service.store, article(1, "gas"))
    report = service.match()
    assert "bad query" in report.errors["bad"] and report.queued == 1


def test_atom_feed_lists_the_matched_articles(service, tmp_path):
    service.add(Alert("gas", "TANAP", channels=[Channel("jsonl", str(tmp_path / "f.jsonl"))]))
    write(service.store, article(1, "gas"), article(2, "gas"))
    service.match()
    parsed = feedparser.parse(service.atom("gas"))
    assert not parsed.bozo
    assert {e.link for e in parsed.entries} == {article(1, "gas").url, article(2, "gas").url}


def test_alerts_live_in_the_store_for_every_process(store, tmp_path):
    with AlertsService("sqlite:///x.db", store=store, outbox=str(tmp_path / "o.db")) as svc:
        svc.add(Alert("gas", "TANAP", channels=[Channel("jsonl", str(tmp_path / "f.jsonl"))]))
    other = alert_store_for(store)  # a second connection, as another process would open
    assert [r.name for r in other.all()] == ["gas"]


def test_elasticsearch_seq_made_visible_late_below_the_watermark_is_still_matched(new_store, tmp_path):
    store = new_store()
    if not hasattr(store, "es"):
        pytest.skip("out-of-order seqs happen only with Elasticsearch's counter")
    feed = tmp_path / "f.jsonl"
    with AlertsService("x", store=store, outbox=str(tmp_path / "o.db")) as svc:
        svc.add(Alert("gas", "TANAP", channels=[Channel("jsonl", str(feed))]))
        slow_seq = store._reserve_seqs(1)  # a slow writer took its seq first...
        write(store, article(1, "gas"))  # ...a fast one wrote a higher seq, matched at once
        svc.match()
        late = _doc(article(2, "gas"))
        late.update(seq=slow_seq, first_seq=slow_seq, first_seen_at=late["crawled_at"])
        store.es.index(index=store.alias, id=late["id"], document=late, refresh=True)
        assert store.get(late["id"]).seq < svc.alerts.get("gas").watermark
        svc.match()
        svc.deliver()
    assert sorted(line["article"]["id"] for line in lines(feed)) == sorted([article(1, "gas").id, late["id"]])


def test_an_idle_elasticsearch_round_reads_nothing_and_a_seq_visible_late_is_still_matched(new_store, tmp_path,
                                                                                            monkeypatch):
    store = new_store()
    if not hasattr(store, "es"):
        pytest.skip("the overlap below the watermarks is re-read only on Elasticsearch")
    feed = tmp_path / "f.jsonl"
    scans = []
    scan = store.scan
    monkeypatch.setattr(store, "scan", lambda *args, **kwargs: scans.append(args) or scan(*args, **kwargs))
    with AlertsService("x", store=store, outbox=str(tmp_path / "o.db")) as svc:
        svc.add(Alert("gas", "TANAP", channels=[Channel("jsonl", str(feed))]))
        slow_seq = store._reserve_seqs(1)  # a slow writer took its seq first...
        write(store, article(1, "gas"))  # ...a fast one wrote a higher seq, matched at once
        assert svc.match().queued == 1 and len(scans) == 1
        assert svc.match().queued == 0 and len(scans) == 1  # nothing new since: nothing read
        late = _doc(article(2, "gas"))
        late.update(seq=slow_seq, first_seq=slow_seq, first_seen_at=late["crawled_at"])
        store.es.index(index=store.alias, id=late["id"], document=late, refresh=True)
        assert store.get(late["id"]).seq < svc.alerts.get("gas").watermark
        assert svc.match().queued == 1 and len(scans) == 2  # the late seq below the watermark is read
        assert svc.match().queued == 0 and len(scans) == 2
        write(store, replace(article(1, "gas"), title="TANAP gas, updated"))  # a rewrite: a new seq, read
        assert svc.match().queued == 0 and len(scans) == 3  # and not sent again
        svc.deliver()
    assert sorted(line["article"]["id"] for line in lines(feed)) == sorted([article(1, "gas").id, late["id"]])


def test_alerts_listed_once_are_listed_again_when_any_process_changes_them(store):
    # an idle round does not read every alert again; a change by any handle is seen by the others
    mine, theirs = alert_store_for(store), alert_store_for(store)
    assert mine.all() == []
    theirs.save(AlertRecord("gas", {"query": "TANAP"}, floor=3, watermark=3))
    assert [(r.name, r.watermark) for r in mine.all()] == [("gas", 3)]
    theirs.set_watermarks({"gas": 9})
    assert [(r.name, r.watermark) for r in mine.all()] == [("gas", 9)]
    mine.set_watermarks({"gas": 12})  # its own move, nothing else changed: its listing kept, moved
    assert [(r.name, r.watermark) for r in mine.all()] == [("gas", 12)]
    assert [(r.name, r.watermark) for r in theirs.all()] == [("gas", 12)]
    theirs.save(AlertRecord("oil", {"query": "BTC"}, floor=12, watermark=12))  # between its listing and its move
    mine.set_watermarks({"gas": 15})
    assert [(r.name, r.watermark) for r in mine.all()] == [("gas", 15), ("oil", 12)]
    theirs.remove("gas")
    assert [r.name for r in mine.all()] == ["oil"]


def test_a_payload_made_when_sent_is_the_one_made_when_queued(service, tmp_path):
    # the in-memory matcher queues a reference to the article as matched; the payload with its
    # highlights is made when the row is sent, and is what highlighting at queue time made
    feed = tmp_path / "f.jsonl"
    service.add(Alert("gas", "TANAP gas", channels=[Channel("jsonl", str(feed))]))
    write(service.store, article(1, "gas"))
    service.match()
    service.store.upsert([replace(article(1, "gas"), title="Rewritten after the match")])
    assert service.deliver()["sent"] == 1
    matched = next(a for a in service.store.scan("") if a.id == article(1, "gas").id and a.seq)
    matched = replace(article(1, "gas"), seq=lines(feed)[0]["article"]["seq"], matched=matched.matched,
                      relevance=matched.relevance, language=matched.language)
    expected = article_payload(Hit(matched, 0.0, highlight(matched, expand(parse("TANAP gas")))))
    assert lines(feed)[0]["article"] == json.loads(json.dumps(expected))
    assert "<mark>" in expected["title_html"] and "<mark>" in expected["snippet"]


def test_search_many_answers_as_search_does_and_names_a_bad_query(store):
    write(store, article(1, "gas"), article(2, "shusha"), article(3, "football", language="tr"))
    requests = [("TANAP", Filters()), ("Shusha OR football", Filters(languages=["tr"])), ('"unclosed', Filters()),
                ("", Filters(after_seq=store.last_seq() - 1))]
    answers = store.search_many(requests, size=10, sort="date")
    for (query, filters), answer in zip(requests, answers):
        if query == '"unclosed':
            assert isinstance(answer, QueryError)
            continue
        alone = store.search(query, filters, facets=(), size=10, sort="date")
        assert [h.article.id for h in answer.hits] == [h.article.id for h in alone.hits] and answer.total == alone.total
        assert [h.highlights for h in answer.hits] == [h.highlights for h in alone.hits]
    assert [a.total for a in answers if not isinstance(a, QueryError)] == [1, 1, 1]


def test_writer_after_flush_hooks_see_each_written_batch_and_cannot_break_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    seen = []

    def broken(store_url, articles):
        raise RuntimeError("listener bug")

    def listener(store_url, articles):
        seen.append((store_url, [a.id for a in articles]))

    manager = SignalManager()  # a crawler's: the writer sends batch_written on it
    manager.connect(broken, signal=batch_written)
    manager.connect(listener, signal=batch_written)
    pool = writers.WriterPool()
    writer = pool.acquire(url, signals=manager)
    outcomes = []
    first = article(1, "gas")
    writer.add(first, outcomes.append)
    writer.add(article(2, "shusha"), outcomes.append)
    writer.flush()
    writer.add(article(1, "gas"), outcomes.append)  # unchanged: nothing written, no hook call
    writer.flush()
    pool.release(url, signals=manager)
    assert outcomes == ["stored", "stored", "unchanged"]
    assert seen == [(url, [first.id, article(2, "shusha").id])]


def test_a_hanging_webhook_holds_up_only_its_own_rows(service):
    """The hanging receiver's rows were queued first; the other alert's still arrive at once."""
    with WebhookReceiver() as hanging, WebhookReceiver() as quick:
        hanging.hold.set()  # takes each request and never answers (the client gives up after its timeout)
        # matched in name order: the hanging alert's rows first
        service.add(Alert("hang", "TANAP", channels=[Channel("webhook", hanging.url)], allow_private=True))
        service.add(Alert("quick", "TANAP", channels=[Channel("webhook", quick.url)], allow_private=True))
        write(service.store, *(article(n, "gas") for n in (1, 2, 3)))
        assert service.match().queued == 6
        results: list = []
        sender = threading.Thread(target=lambda: results.append(service.deliver()), daemon=True)
        started = time.monotonic()
        sender.start()
        try:
            assert quick.wait_for(3, timeout=30)
            took = time.monotonic() - started
            # the hanging request is still waiting for its answer (the client gives up after 10 s):
            # the other receiver's rows did not wait for it, however slow this machine is
            still_hanging = sender.is_alive() and len(hanging.requests) == 1 and not results
        finally:
            hanging.released.set()
        sender.join(60)
    print(f"the other alert's three deliveries arrived within {took:.2f} s of a hanging receiver's first")
    assert still_hanging and took < channels.WEBHOOK_TIMEOUT  # before the hanging request's timeout
    assert len(hanging.requests) == 1  # after its first timeout, its other rows wait for their retry time
    assert results == [{"sent": 3, "retry": 1, "postponed": 2}]


# --- issue 21, item 6: fields checked as search checks them; digests in date order --------------
def test_alert_fields_are_checked_as_search_checks_them(service):
    write(service.store, article(1, "gas", source="stored-only"))
    jsonl = [Channel("jsonl", "/dev/null")]
    for fields, field, words in [({"languages": ["english"]}, "languages", "'en'"),
                                 ({"languages": ["xx"]}, "languages", "not a language code"),
                                 ({"sources": ["nosuch"]}, "sources", "never match"),
                                 ({"sources": ["dailysabahh"]}, "sources", "did you mean 'dailysabah'"),
                                 ({"min_relevance": float("nan")}, "min_relevance", "number of 0 or more"),
                                 ({"min_relevance": float("inf")}, "min_relevance", "number of 0 or more"),
                                 ({"backlog": "send"}, "backlog", "digest or skip")]:
        with pytest.raises(AlertError, match=words) as caught:
            service.add(Alert("bad", "TANAP", channels=jsonl, **fields))
        assert caught.value.field == field
    assert service.all() == []
    # codes in any case and comma lists, configured sources and sources the store holds
    service.add(Alert("ok", "TANAP", languages=["EN", "tr,az"], sources=["dailysabah", "stored-only"], channels=jsonl))
    assert (service.get("ok").languages, service.get("ok").sources) == (["en", "tr", "az"], ["dailysabah", "stored-only"])
    assert check_alert_fields(["ru"], ["x"], 3.5, known_sources={"x"}) == (["ru"], ["x"])


def test_digest_items_are_newest_first_and_snippets_show_one_ellipsis_per_cut(service, monkeypatch):
    with SmtpReceiver() as smtp:
        for key, value in smtp.env().items():
            monkeypatch.setenv(key, value)
        service.add(Alert("daily", "TANAP", mode="daily", channels=[Channel("email", "analyst@example.org")]))
        # written out of date order: the digest must not follow the order of writing or of ids
        shuffled = [article(n, "gas", source=f"s{n}") for n in (4, 1, 6, 2, 5, 3)]
        write(service.store, *shuffled)
        service.match()
        tomorrow = datetime.now(timezone.utc) + timedelta(days=1)
        assert delivery.deliver_due(service.outbox, {a.name: a for a in service.all()}, now=tomorrow) == {"sent": 1}
    (mail,) = smtp.messages
    text = mail.get_body(("plain",)).get_content()
    assert [line.split(" · ")[0] for line in text.splitlines() if " · en · " in line] == \
        ["s6", "s5", "s4", "s3", "s2", "s1"]
    assert "… …" not in text and "… …" not in mail.get_body(("html",)).get_content()
    snippets = [line for line in text.splitlines() if "TANAP" in line and "…" in line]
    assert snippets and all(" … " in s for s in snippets)  # two fragments, one ellipsis between them


def test_an_smtp_server_that_cannot_be_reached_is_named_with_the_settings_to_fix(service, monkeypatch):
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("NEWSMON_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("NEWSMON_SMTP_PORT", str(port))
    service.add(Alert("gas", "TANAP", channels=[Channel("email", "analyst@example.org")]))
    write(service.store, article(1, "gas"))
    service.match()
    assert service.deliver() == {"retry": 1}
    (row,) = service.show("gas").recent
    assert f"SMTP server 127.0.0.1:{port}" in row.last_error and "NEWSMON_SMTP_HOST" in row.last_error
    assert "NEWSMON_SMTP_PORT" in row.last_error and "refused" in row.last_error.lower()
    (failure,) = service.outbox.failures()
    assert failure[:3] == ("gas", "email:analyst@example.org", "pending") and failure[3] == row.last_error


# --- issue 21, item 7: the backlog is one digest, or skipped; news goes one by one -------------
def old(n: int, topic: str = "gas", days: int = 90, **kw) -> Article:
    """An article crawled now (at NOW) but published `days` before: a new source's archive."""
    return replace(article(n, topic, **kw), published_at=NOW - timedelta(days=days, minutes=n))


def test_articles_published_long_before_they_were_found_go_in_one_backlog_digest(service, tmp_path):
    feed = tmp_path / "f.jsonl"
    with WebhookReceiver() as hook:
        service.add(Alert("gas", "TANAP", allow_private=True,
                          channels=[Channel("webhook", hook.url), Channel("jsonl", str(feed))]))
        fresh = article(1, "gas")
        undated = replace(article(2, "gas"), published_at=None)
        within = replace(article(3, "gas"), published_at=NOW - timedelta(hours=23))  # inside the 24 h grace
        backlog = [old(n) for n in range(10, 40)]
        copy = replace(backlog[0], url="https://trend.example/copy", canonical_url="https://trend.example/copy",
                       id="", source="trend", body="(Trend) " + backlog[0].body)
        write(service.store, fresh, undated, within, *backlog)
        write(service.store, copy)
        report = service.match()
        assert (report.queued, report.backlog, report.suppressed) == (6, 60, 1)
        assert service.deliver() == {"sent": 6}  # the news at once; the backlog waits for the crawl's end
        assert service.deliver(close_backlog=True) == {"sent": 2}  # one digest per channel
        service.match()
        assert service.deliver(close_backlog=True) == {}  # once
    singles = [r["json"] for r in hook.requests if r["json"]["kind"] == "article"]
    assert sorted(b["article"]["id"] for b in singles) == sorted([fresh.id, undated.id, within.id])
    (digest,) = [r["json"] for r in hook.requests if r["json"]["kind"] == "backlog"]
    assert [i["id"] for i in digest["items"]] == [a.id for a in backlog]  # newest first
    assert digest["items"][0]["also_in"] == ["trend"]
    assert digest["published_to"] == iso(backlog[0].published_at)
    assert [line["kind"] for line in lines(feed)].count("backlog") == 1 and len(lines(feed)) == 4
    # the Atom feed lists the news, not the backlog
    assert {e.link for e in feedparser.parse(service.atom("gas")).entries} == {fresh.url, undated.url, within.url}
    assert service.show("gas").counts == {"sent": 8, "digested": 60, "suppressed": 2}


def test_backlog_skip_sends_only_the_news_and_keeps_the_rest_counted(service, tmp_path):
    feed = tmp_path / "f.jsonl"
    service.add(Alert("gas", "TANAP", backlog="skip", channels=[Channel("jsonl", str(feed))]))
    write(service.store, article(1, "gas"), *(old(n) for n in range(10, 20)))
    report = service.match()
    assert (report.queued, report.backlog) == (1, 10)
    assert service.deliver(close_backlog=True, close_all_digests=True) == {"sent": 1}
    assert [line["article"]["id"] for line in lines(feed)] == [article(1, "gas").id]
    assert service.show("gas").counts == {"sent": 1, "skipped": 10}
    with pytest.raises(AlertError, match="--since"):
        service.add(Alert("both", "TANAP", backlog="skip", channels=[Channel("jsonl", str(feed))]),
                    since=NOW - timedelta(days=400))


def test_grace_is_the_alert_s_choice_and_a_digest_alert_gets_its_backlog_apart(service, tmp_path):
    feed = tmp_path / "f.jsonl"
    service.add(Alert("week", "TANAP", grace=8 * 86400, channels=[Channel("jsonl", str(tmp_path / "w.jsonl"))]))
    service.add(Alert("daily", "TANAP", mode="daily", channels=[Channel("jsonl", str(feed))]))
    write(service.store, article(1, "gas"), old(10, days=7), old(11, days=30))
    service.match()
    assert service.show("week").counts == {"pending": 2, "waiting": 1}  # 7 days old is news within 8 days
    service.deliver(close_backlog=True)
    (backlog,) = lines(feed)  # the daily digest's period is not over; the backlog went at the crawl's end
    assert backlog["kind"] == "backlog" and [i["id"] for i in backlog["items"]] == [old(10).id, old(11).id]
    service.deliver(close_all_digests=True)
    assert [line["kind"] for line in lines(feed)] == ["backlog", "digest"]
    assert [i["id"] for i in lines(feed)[1]["items"]] == [article(1, "gas").id]


def test_a_backlog_digest_is_durable_retried_with_one_id_and_closed_by_quiet_if_no_crawl_ends(service,
                                                                                             monkeypatch):
    monkeypatch.setenv("NEWSMON_ALERT_BACKOFF", "0.05")
    with WebhookReceiver(statuses=[500, 503]) as hook:
        service.add(Alert("gas", "TANAP", channels=[Channel("webhook", hook.url)], allow_private=True))
        write(service.store, *(old(n) for n in range(10, 15)))
        service.match()
        alerts = {a.name: a for a in service.all()}
        # a crawl killed before its end: the backlog waits in the outbox (a new process finds it) ...
        reopened = Outbox(service.outbox.path)
        assert reopened.counts() == {"waiting": 5}
        assert delivery.deliver_due(reopened, alerts) == {}
        # ... and goes out once nothing has joined it for a while
        later = datetime.now(timezone.utc) + timedelta(seconds=BACKLOG_QUIET + 1)
        assert delivery.deliver_due(reopened, alerts, now=later) == {"retry": 1}
        assert delivery.deliver(reopened, alerts, wait=10) == {"retry": 1, "sent": 1}
        assert delivery.deliver(reopened, alerts, close_backlog=True) == {}
        reopened.close()
    assert len(hook.requests) == 3 and len({r["headers"]["Idempotency-Key"] for r in hook.requests}) == 1
    assert len(hook.requests[-1]["json"]["items"]) == 5


def test_two_machines_closing_their_own_backlog_and_daily_digests_send_each_item_once(service, tmp_path):
    """Review of issue 21: each machine's outbox closed its own backlog digest from what it had
    matched; keyed by its items, a second machine's digest sent the first one's items again."""
    feed = tmp_path / "f.jsonl"  # both machines append here: what the receiver got, all of it
    service.add(Alert("gas", "TANAP", channels=[Channel("jsonl", str(feed))]))
    service.add(Alert("daily", "TANAP", mode="daily", channels=[Channel("jsonl", str(feed))]))
    with AlertsService("sqlite:///unused.db", store=service.store, outbox=str(tmp_path / "second.db")) as second:
        write(service.store, old(10), old(11), article(1, "gas"))
        service.match()
        service.deliver(close_backlog=True, close_all_digests=True)  # the first machine: 10, 11 and 1
        write(service.store, old(12), article(2, "gas"))
        second.match()  # the second machine matches everything the store has: 10, 11, 12, 1, 2
        second.deliver(close_backlog=True, close_all_digests=True)
        service.match()
        service.deliver(close_backlog=True, close_all_digests=True)
        assert second.outbox.counts().get("pending", 0) == service.outbox.counts().get("pending", 0) == 0
    sent: dict[str, list[str]] = {}
    for line in lines(feed):
        ids = [i["id"] for i in line["items"]] if "items" in line else [line["article"]["id"]]
        sent.setdefault(line["alert"], []).extend(ids)
    assert sorted(sent["gas"]) == sorted(a.id for a in (old(10), old(11), old(12), article(1, "gas"), article(2, "gas")))
    assert sorted(sent["daily"]) == sorted(a.id for a in (old(10), old(11), old(12), article(1, "gas"), article(2, "gas")))


def test_a_grace_beyond_dates_and_a_docker_host_name(service):
    """Review of issue 21: --grace 1000000d was saved and then broke every match of its alert;
    a webhook on a Docker network (http://hook_receiver:8080/) was refused for its underscore."""
    with pytest.raises(AlertError, match="at most 100 years"):
        check_alert_fields(grace=1_000_000 * 86400)
    service.add(Alert("docker", "TANAP", allow_private=True, channels=[Channel("webhook", "http://hook_receiver:8080/")]))
    with pytest.raises(AlertError, match="no valid host name"):
        service.add(Alert("bad", "TANAP", channels=[Channel("webhook", "http://bad host/")]))
