"""Alerts --per story over real stores (SQLite and Elasticsearch) and a real JSON-lines file.

One message when a story first matches; its later articles in its next digest line; nothing
twice on a re-match; a story merged into another counts as the survivor. Crawls of the sample
web with follow-ups, and SIGKILLed senders, are in tests/test_alerts_per_story_e2e.py.
"""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from index.store import Filters
from index.stories import StoryChange, StoryState
from monitor.alerts.channels import render_mail
from monitor.alerts.matcher import match_alert
from monitor.alerts.model import Alert, AlertError, Channel
from monitor.alerts.story_lines import more_text
from monitor.alerts.service import AlertsService
from tests.test_alerts import article, write


@pytest.fixture
def service(store, tmp_path):
    with AlertsService("sqlite:///unused.db", store=store, outbox=str(tmp_path / "outbox.db")) as svc:
        yield svc


def in_story(n: int, story: str, source: str = "apa", topic: str = "gas"):
    return replace(article(n, topic, source=source), story_id=story)


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def per_story(service, tmp_path, name: str = "gas", query: str = "TANAP gas", mode: str = "instant"):
    feed = tmp_path / f"{name}.jsonl"
    service.add(Alert(name, query, channels=[Channel("jsonl", str(feed))], per="story", mode=mode))
    return feed


def round_(service, **kw):
    service.match()
    return service.deliver(close_backlog=True, **kw)


def test_one_message_per_story_and_its_later_articles_in_its_next_digest_line(service, tmp_path):
    feed = per_story(service, tmp_path)
    write(service.store, in_story(1, "S1"), in_story(2, "S1", "report"), in_story(3, "S2"),
          in_story(4, "S9", topic="football"))
    round_(service)
    sent = lines(feed)
    stories = [m for m in sent if m["kind"] == "story"]
    assert sorted(m["story"]["id"] for m in stories) == ["S1", "S2"]
    assert {m["story"]["id"]: m["article"]["id"] for m in stories}["S1"] == article(1, "gas").id  # the first written
    (follow,) = [m for m in sent if m["kind"] == "follow-ups"]
    assert [(line["story"], line["text"], line["first"]) for line in follow["stories"]] == [("S1", "+1 more: report",
                                                                                             None)]
    assert len(sent) == 3 and not [m for m in sent if m["kind"] == "article"]  # never one message per article
    more = [in_story(5, "S1", "tass"), in_story(6, "S1", "report"), in_story(7, "S1", "trend"),
            in_story(8, "S1", "turan")]
    write(service.store, *more, in_story(9, "S3"))
    round_(service)
    new = lines(feed)[3:]
    assert [m["story"]["id"] for m in new if m["kind"] == "story"] == ["S3"]
    (follow,) = [m for m in new if m["kind"] == "follow-ups"]
    (line,) = follow["stories"]
    assert line["text"] == "+4 more: tass, report, trend…" and line["headline"] == article(1, "gas").title
    assert sorted(line["items"]) == sorted(a.id for a in more)
    assert round_(service)["sent"] == 0 and len(lines(feed)) == 5
    assert service.outbox.counts("gas") == {"sent": 5, "digested": 5}  # 3 stories and 2 digests sent; 5 in them


def test_a_re_match_after_a_crash_queues_nothing_twice(service, tmp_path):
    feed = per_story(service, tmp_path)
    write(service.store, in_story(1, "S1"), in_story(2, "S1"), in_story(3, "S2"))
    service.match()
    record = service.alerts.get("gas")
    again = match_alert(service.store, service.alerts, record, service.outbox,
                        filters=Filters(after_seq=record.floor), move_watermark=False)  # as if the watermark never moved
    assert again == (0, 0, 0)
    service.deliver(close_backlog=True)
    assert [m["kind"] for m in lines(feed)].count("story") == 2 and len(lines(feed)) == 3


def test_a_story_merged_into_another_is_not_announced_again(service, tmp_path):
    feed = per_story(service, tmp_path)
    write(service.store, in_story(1, "OLD", topic="football"), in_story(2, "YOUNG"))
    round_(service)
    assert [m["story"]["id"] for m in lines(feed)] == ["YOUNG"]
    # the young story turns out to be the old one (which the alert never matched): its articles move there
    service.store.save_stories(StoryChange(stories=[StoryState("YOUNG", {}, ["k"], None, merged_into="OLD")],
                                           merged={"YOUNG": "OLD"}))
    write(service.store, in_story(3, "OLD", "report"), in_story(4, "YOUNG", "tass"))  # the id a late writer held
    round_(service)
    later = lines(feed)[1:]
    assert [m["kind"] for m in later] == ["follow-ups"]
    (line,) = later[0]["stories"]
    assert line["story"] == "OLD" and line["more"] == 2


def test_a_daily_digest_per_story_has_one_line_per_story(service, tmp_path):
    feed = per_story(service, tmp_path, mode="daily")
    write(service.store, in_story(1, "S1"), in_story(2, "S1", "report"), in_story(3, "S2"))
    service.match()
    service.deliver(close_all_digests=True)
    write(service.store, in_story(4, "S1", "tass"), in_story(5, "S3"))
    service.match()
    service.deliver(close_all_digests=True)
    first, second = lines(feed)
    assert first["kind"] == "digest" and len(first["items"]) == 3
    assert sorted((line["story"], line["first"]["id"], line["more"]) for line in first["stories"]) == [
        ("S1", article(1, "gas").id, 1), ("S2", article(3, "gas").id, 0)]
    # as a brief reads: the story with the most new articles first, its languages and first reporter
    assert [(line["story"], line["languages"], line["first_source"]) for line in first["stories"]] == [
        ("S1", ["en"], "apa"), ("S2", ["en"], "apa")]
    assert sorted((line["story"], bool(line["first"]), line["text"]) for line in second["stories"]) == [
        ("S1", False, "+1 more: tass"), ("S3", True, "")]
    subject, text, html = render_mail("gas", "digest", {"period": second["period"], "items": second["items"]})
    assert "2 stories (1 new)" in subject and "More on: " in text and "+1 more: tass" in text
    assert "New story: " in text and "<h3>" in html and "1 new here · en · first reported by apa" in text


def test_a_digest_lists_two_stories_merged_before_it_closes_as_one_line(service, tmp_path):
    feed = per_story(service, tmp_path, mode="daily")
    matching = [in_story(2, "YOUNG"), in_story(3, "OLD", "report"), in_story(4, "OLD", "tass")]
    write(service.store, in_story(1, "OLD", topic="football"), *matching[:2])
    service.match()  # matched apart: YOUNG's first and OLD's first wait for the day's digest
    service.store.save_stories(StoryChange(stories=[StoryState("YOUNG", {}, ["k"], None, merged_into="OLD")],
                                           merged={"YOUNG": "OLD"}))
    write(service.store, matching[2])
    service.match()
    service.deliver(close_all_digests=True)
    (digest,) = lines(feed)
    (line,) = digest["stories"]  # the story as it is when the day closes, not two
    assert line["story"] == "OLD" and line["first"]["id"] == article(2, "gas").id
    assert line["more"] == 2 and sorted(line["items"]) == sorted(a.id for a in matching)
    assert {item["story"]["id"] for item in digest["items"]} == {"OLD"}


def test_per_article_stays_the_default_and_a_bad_per_is_refused(service, tmp_path):
    feed = tmp_path / "a.jsonl"
    service.add(Alert("each", "TANAP gas", channels=[Channel("jsonl", str(feed))]))
    write(service.store, in_story(1, "S1"), in_story(2, "S1", "report"))
    round_(service)
    assert [m["kind"] for m in lines(feed)] == ["article", "article"]
    with pytest.raises(AlertError, match="--per 'bogus': use article or story"):
        service.add(Alert("bad", "TANAP", channels=[Channel("jsonl", str(feed))], per="bogus"))


def test_more_text_names_three_outlets_then_an_ellipsis():
    assert more_text(0, []) == ""
    assert more_text(2, ["apa", "report"]) == "+2 more: apa, report"
    assert more_text(6, ["apa", "report", "tass", "trend"]) == "+6 more: apa, report, tass…"


def test_alert_test_counts_stories_for_an_alert_per_story(service, tmp_path):
    per_story(service, tmp_path)
    write(service.store, in_story(1, "S1"), in_story(2, "S1", "report"), in_story(3, "S1", "tass"), in_story(4, "S2"))
    result = service.test("gas", days=36500)
    assert (result.per, result.total, result.would_send, result.backlog) == ("story", 4, 2, 0)
    story_of = {i["id"]: (i["story_id"], i["would_send"]) for i in result.items}
    assert sorted(s for s, sent in story_of.values() if sent) == ["S1", "S2"]  # one message each
    assert story_of[article(4, "gas").id] == ("S2", True)
    assert service.outbox.counts() == {}  # nothing queued


def test_a_digest_closes_with_the_stories_as_matched_when_the_store_cannot_answer(tmp_path):
    from index.sqlite import SqliteStore
    from monitor.alerts.deliver import stories_now_in

    store = SqliteStore(tmp_path / "store.db")
    store.close()  # every read now raises: the digest is not held back, its lines keep their stories
    assert stories_now_in(store)({"S1", "S2"}) == {}
    assert stories_now_in(None) is None
