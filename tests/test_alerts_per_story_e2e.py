"""Alerts --per story end to end: crawls of a sample web that publishes follow-ups (`newsmon crawl`
in a subprocess) into both stores, a real webhook receiver and JSON-lines files; and SIGKILLed
senders. Eight crawls in all: the second step (`make test-faults`) runs them, beside the other
long crawls, so that `make test` stays within its time."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from index.article import article_id
from index.store import Filters, open_store
from monitor.alerts.outbox import Outbox
from monitor.alerts.paths import outbox_path
from sampleweb import SampleWeb, SampleWebServer
from testkit.alert_receivers import WebhookReceiver
from tests.test_alerts_e2e import MATCH_THEN_HANG, QUERY, SAMPLE_WEB_GRACE, one_line_error, run_cli, write_articles
from tests.test_alerts_per_story import in_story

pytestmark = pytest.mark.faults


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture(scope="module")
def world(tmp_path_factory, es_node):
    """Crawl 1 fills each store; alerts --per story are added (instant with a webhook and a file,
    daily with a file); 12 articles are published (crawl 2); follow-ups of the newest stories
    are published (crawl 3); nothing new (crawl 4); then the daily digest is closed."""
    folder = tmp_path_factory.mktemp("per-story")
    web = SampleWeb(seed=7)
    stores = {"sqlite": f"sqlite:///{folder / 'store.db'}", "elasticsearch": f"{es_node.url}?index=per-story-e2e"}
    with SampleWebServer(web) as server, WebhookReceiver() as hook_sqlite, WebhookReceiver() as hook_es:
        sources = folder / "sources.toml"
        sources.write_text(server.sources_toml(), encoding="utf-8")
        env = {"NEWSMON_HOME": str(folder / "home")}
        world = {"stores": stores, "hooks": {"sqlite": hook_sqlite, "elasticsearch": hook_es}, "env": env,
                 "files": {name: folder / f"{name}.jsonl" for name in stores},
                 "daily": {name: folder / f"{name}-daily.jsonl" for name in stores}, "seq": {}, "sent": {}}

        def crawl(name: str) -> None:
            proc = run_cli("crawl", "--loopback", "--sources", str(sources), "--state",
                           str(folder / f"{name}.state.db"), store=stores[name], env=env)
            assert proc.returncode == 0, proc.stderr[-3000:]

        def seq(name: str) -> int:
            with open_store(stores[name]) as store:
                return store.last_seq()

        for name, url in stores.items():
            crawl(name)
            for args in (("story", QUERY, "--webhook", world["hooks"][name].url, "--allow-private",
                          "--jsonl", str(world["files"][name])),
                         ("story-daily", QUERY, "--digest", "daily", "--jsonl", str(world["daily"][name]))):
                add = run_cli("alerts", "add", *args, "--per", "story", "--grace", SAMPLE_WEB_GRACE, store=url,
                              env=env)
                assert add.returncode == 0 and "per story" in add.stdout, add.stderr
            world["seq"][name] = [seq(name)]
        world["published"] = web.publish(12)
        for name in stores:
            crawl(name)
            world["seq"][name].append(seq(name))
            world["sent"][name] = len(jsonl(world["files"][name]))
        world["follow_ups"] = web.add_follow_ups(3, each=2)
        world["truth"] = server.truth()
        for name in stores:
            crawl(name)
            world["seq"][name].append(seq(name))
            world["after_third"] = {n: len(h.requests) for n, h in world["hooks"].items()}
        for name in stores:
            crawl(name)
            done = run_cli("alerts", "deliver", "--digests-now", store=stores[name], env=env)
            assert done.returncode == 0, done.stderr
        yield world


def matching(world, name: str, after: int, upto: int) -> dict[str, str]:
    """Article id -> the story it is part of now, of the articles written in (after, upto] the alerts' query matches."""
    with open_store(world["stores"][name]) as store:
        hits = store.search(QUERY, Filters(after_seq=after), size=500).hits
        return {h.article.id: store.story_survivor(h.article.story_id) if h.article.story_id else h.article.id
                for h in hits if h.article.seq <= upto}


@pytest.mark.parametrize("name", ["sqlite", "elasticsearch"])
def test_one_message_per_story_and_follow_ups_in_the_next_digest_line(world, name):
    before, second, third = world["seq"][name]
    crawl2, crawl3 = matching(world, name, before, second), matching(world, name, second, third)
    sent = jsonl(world["files"][name])
    stories = [m for m in sent if m["kind"] == "story"]
    digested = [item for m in sent if m["kind"] == "follow-ups" for item in m["items"]]
    assert not [m for m in sent if m["kind"] not in ("story", "follow-ups")]  # never one message per article
    # one message per story, and every matching article once: announced, or in a line of its story.
    # Two stories announced apart may since have merged (the order answers come back in decides
    # when an event's second language meets its first): each announced once, their survivor is one.
    ids = [m["story"]["id"] for m in stories]
    assert len(ids) == len(set(ids))
    with open_store(world["stores"][name]) as store:
        survivors = {store.story_survivor(i) for i in ids}
    assert survivors == set(crawl2.values()) | set(crawl3.values())
    announced = [m["article"]["id"] for m in stories]
    assert sorted(announced + [i["id"] for i in digested]) == sorted(crawl2 | crawl3)
    # the follow-ups of stories sent in crawl 2 come in crawl 3 as lines of those stories, not as news.
    # Stories are grouped batch by batch, in the order pages come back: on a busy machine a follow-up
    # may be written in a batch that leaves it apart from its original's story (the sample web's
    # crawl-2 stories are broad), and is then news: the first of a story the alert had not had.
    # The other follow-up of its original then joins one of the two stories the alert has: a line.
    original_of = {article_id(t.url): t.follow_up_of for t in world["truth"] if t.follow_up_of}
    follow_ups = set(original_of) & set(crawl3)
    assert len(follow_ups) >= 4
    apart = follow_ups & set(announced)
    assert len({original_of[i] for i in apart}) == len(apart), apart  # at most one of each original's
    had = set(crawl2.values()) | {crawl3[i] for i in apart}
    assert {crawl3[i] for i in follow_ups - apart} <= had
    lines = [line for m in sent[world["sent"][name]:] if m["kind"] == "follow-ups" for line in m["stories"]]
    assert lines and all(line["text"].startswith(f"+{line['more']} more: ") for line in lines)
    assert follow_ups - apart <= {i for line in lines for i in line["items"]}


@pytest.mark.parametrize("name", ["sqlite", "elasticsearch"])
def test_the_webhook_gets_what_the_file_got_and_a_crawl_with_nothing_new_sends_nothing(world, name):
    hook = [r["json"] for r in world["hooks"][name].requests]
    assert len(hook) == world["after_third"][name]
    assert len({m["delivery_id"] for m in hook}) == len(hook)
    assert sorted(map(content, hook)) == sorted(map(content, jsonl(world["files"][name])))


@pytest.mark.parametrize("name", ["sqlite", "elasticsearch"])
def test_the_daily_digest_has_one_line_per_story(world, name):
    before, _, third = world["seq"][name]
    expected = matching(world, name, before, third)
    # one digest, or two when the crawls ran either side of midnight (UTC): each day's is its own
    digests = jsonl(world["daily"][name])
    assert 1 <= len(digests) <= 2 and all(d["kind"] == "digest" for d in digests)
    assert sorted(i["id"] for d in digests for i in d["items"]) == sorted(expected)
    for digest in digests:
        lines = digest["stories"]
        assert len({line["story"] for line in lines}) == len(lines)  # one line per story
        assert all(line["more"] == len(line["items"]) - (1 if line["first"] else 0) for line in lines)
    if len(digests) == 1:  # each line's story as it is now (two lines' stories may since have merged)
        with open_store(world["stores"][name]) as store:
            now = {store.story_survivor(line["story"]) for line in digests[0]["stories"]}
        assert now == set(expected.values())
        assert all(line["first"] for line in digests[0]["stories"])


def test_a_bad_per_is_a_one_line_error(tmp_path):
    proc = run_cli("alerts", "add", "x", "TANAP", "--per", "bogus", "--jsonl", str(tmp_path / "x.jsonl"),
                   store=f"sqlite:///{tmp_path / 's.db'}", env={"NEWSMON_HOME": str(tmp_path / "home")})
    assert "--per 'bogus': use article or story" in one_line_error(proc)


# --- faults: SIGKILL the sender mid-delivery ---------------------------------------------------
def content(message: dict) -> tuple:
    """What a message says, whatever the channel (delivery ids differ by channel)."""
    if message["kind"] == "story":
        return message["kind"], message["story"]["id"], message["article"]["id"]
    return message["kind"], tuple(sorted(i["id"] for i in message["items"]))


def kill_mid_send(url: str, env: dict, hook: WebhookReceiver) -> None:
    """Start `alerts deliver`, let the receiver take its first request without answering, SIGKILL it."""
    seen = len(hook.requests)
    hook.released.clear()
    hook.hold.set()
    sender = subprocess.Popen([sys.executable, "-m", "monitor.cli", "--store", url, "alerts", "deliver"],
                              env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert hook.wait_for(seen + 1)
    sender.send_signal(signal.SIGKILL)
    sender.wait()
    hook.hold.clear()
    hook.released.set()


@pytest.mark.faults
def test_sigkilled_senders_lose_nothing_and_announce_each_story_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    env = {"NEWSMON_HOME": str(tmp_path / "home"), "NEWSMON_ALERT_BACKOFF": "0.2"}
    feed = tmp_path / "story.jsonl"
    with WebhookReceiver() as hook:
        add = run_cli("alerts", "add", "gas", "TANAP", "--per", "story", "--webhook", hook.url, "--allow-private",
                      "--jsonl", str(feed), store=url, env=env)
        assert add.returncode == 0, add.stderr
        first = [in_story(1, "S1"), in_story(2, "S1", "report"), in_story(3, "S2")]
        write_articles(url, *first)
        matcher = subprocess.Popen([sys.executable, "-c", MATCH_THEN_HANG, url], stdout=subprocess.PIPE, text=True,
                                   env={**os.environ, **env})
        assert matcher.stdout.readline().split() == ["matched", "6"]  # 3 articles, 2 channels: nothing sent yet
        matcher.send_signal(signal.SIGKILL)  # killed after matching: the watermark never moved
        matcher.wait()
        kill_mid_send(url, env, hook)  # killed while a story's first message is being received
        assert run_cli("alerts", "deliver", store=url, env=env).returncode == 0  # matches again, sends the rest
        later = [in_story(4, "S1", "tass"), in_story(5, "S2", "trend")]
        write_articles(url, *later)
        kill_mid_send(url, env, hook)  # matched as follow-ups; killed while their digest is being received
        assert hook.requests[-1]["json"]["kind"] == "follow-ups"
        assert run_cli("alerts", "deliver", store=url, env=env).returncode == 0
        counts = Outbox(outbox_path(url)).counts("gas")
    hooked = [r["json"] for r in hook.requests]
    unique = {m["delivery_id"]: m for m in hooked}
    assert len(hooked) == len(unique) + 2  # each kill came after the receiver had the message: sent again, once
    for repeat in [m for m in hooked if hooked.count(m) > 1]:  # a repeat is the same message, same id
        assert repeat == unique[repeat["delivery_id"]]
    stories = sorted(m["story"]["id"] for m in unique.values() if m["kind"] == "story")
    assert stories == ["S1", "S2"]  # each story announced once, under one delivery id
    items = sorted(i["id"] for m in unique.values() if m["kind"] == "follow-ups" for i in m["items"])
    announced = sorted(m["article"]["id"] for m in unique.values() if m["kind"] == "story")
    assert sorted(items + announced) == sorted(a.id for a in first + later)  # nothing lost, nothing twice
    written = jsonl(feed)  # the file drops a repeat itself: each message once
    assert len({m["delivery_id"] for m in written}) == len(written)
    assert sorted(map(content, written)) == sorted(map(content, unique.values()))
    assert counts.get("pending", 0) == 0 and counts.get("waiting", 0) == 0 and not counts.get("dead")
