"""The delivery worker: sends due outbox rows, retries failures with exponential backoff and jitter.

Retries are a schedule kept in the outbox (`next_at`), not a loop in memory, so they survive a
restart; that is why this is a small loop of its own rather than tenacity's in-process retry.
"""
from __future__ import annotations

import logging
import random
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timezone
from urllib.parse import urlsplit

from monitor.alerts import channels, notify
from monitor.alerts.model import Alert, Channel, notify_label
from index.store import Store
from monitor.config import AlertSettings, load_alert_settings
from monitor.alerts.outbox import Delivery, Outbox, StoriesNow, delivery_id
from monitor.alerts.story_lines import story_lines


log = logging.getLogger(__name__)

MAX_BACKOFF = 6 * 3600.0
LANES = 8  # receivers sent to at once
CLAIM_SECONDS = 120.0  # a claimed delivery another machine does not send meanwhile (a send takes at most 10 s)


def retry_delay(attempts: int, base: float) -> float:
    """Seconds before the next try after `attempts` failures: doubling, capped, with ±50% jitter."""
    return min(MAX_BACKOFF, base * 2 ** (attempts - 1)) * random.uniform(0.5, 1.5)


def message_id(row: Delivery) -> str:
    """The delivery id a receiver sees: a digest's names its period (or backlog) and its items,
    so two machines' digests of one period, holding different items, are not taken for one."""
    if row.kind != "digest":
        return row.id
    items = ",".join(sorted(str(i.get("id")) for i in row.payload["items"]))
    return delivery_id(row.alert, f"{row.article_id}|{items}", row.channel)


def message(alert: Alert, row: Delivery) -> dict:
    """The JSON a webhook or a JSON-lines file receives."""
    body = {"delivery_id": message_id(row), "alert": alert.name, "query": alert.query, "kind": row.kind}
    if row.kind == "digest":
        body.update(period=row.payload["period"], items=row.payload["items"])
        if row.payload.get("backlog"):  # articles published long before newsmon found them
            body.update(kind="backlog", published_from=row.payload.get("published_from"),
                        published_to=row.payload.get("published_to"))
        elif row.payload.get("follow_ups"):  # later articles of stories an alert --per story sent
            body["kind"] = "follow-ups"
        if alert.per == "story":
            body["stories"] = story_lines(row.payload["items"])
    else:
        body["article"] = row.payload
        if (row.payload.get("story") or {}).get("first"):  # an alert --per story announcing a story
            body.update(kind="story", story=row.payload["story"])
    return body


def send(alert: Alert, row: Delivery, settings: AlertSettings) -> None:
    channel = Channel.from_key(row.channel)
    if channel.kind == "webhook":
        channels.send_webhook(channel.target, message(alert, row), message_id(row), alert.secret, alert.allow_private,
                              settings.allow_private_targets)
    elif channel.kind == "email":
        subject, text, html = channels.render_mail(alert.name, row.kind, row.payload)
        channels.send_email(channel.target, subject, text, html, message_id(row), settings.smtp)
    elif channel.kind == "notify":
        subject, text, html = channels.render_message(alert.name, row.kind, row.payload)
        notify.send(channel.target, subject, text, html, message_id(row), alert.allow_private,
                    settings.allow_private_targets)
    elif channel.kind == "jsonl":
        record = message(alert, row)
        record.pop("delivery_id")
        channels.send_jsonl(channel.target, record, message_id(row))
    else:
        raise channels.Refused(f"unknown channel {row.channel!r}")


def lane_of(row: Delivery) -> str:
    """The receiver a row goes to (a webhook's host, the SMTP server, a file): rows of one lane are
    sent one after another, lanes side by side, so a slow receiver holds up only its own rows."""
    channel = Channel.from_key(row.channel)
    if channel.kind == "webhook":
        return f"webhook:{urlsplit(channel.target).netloc.lower()}"
    if channel.kind == "email":
        return "email"
    if channel.kind == "notify":  # a service (tgram://…) or the host a json:// URL names
        return f"notify:{notify_label(channel.target)}".removesuffix("/…")
    return row.channel


def deliver_due(outbox: Outbox, alerts: dict[str, Alert], now: datetime | None = None,
                close_all_digests: bool = False, claims: Store | None = None, close_backlog: bool = False,
                settings: AlertSettings | None = None) -> Counter:
    """Close finished digest periods (and the waiting backlog, with `close_backlog`), then try every
    due row once; return counts by result.

    With `claims` (the store), a row is sent only by the outbox that wins its claim there: several
    machines matching the same alerts on one Elasticsearch queue the same rows, and each is sent
    once. Processes sharing one outbox share its claims (the outbox's own lease orders them).
    """
    results: Counter = Counter()
    now = now or datetime.now(timezone.utc)
    settings = settings or load_alert_settings()
    outbox.close_digests({name: a.mode for name, a in alerts.items()}, now, force=close_all_digests,
                         close_backlog=close_backlog, stories_now=stories_now_in(claims))
    while True:
        rows = outbox.claim_due()
        if not rows:
            return results
        lanes: dict[str, list[Delivery]] = {}
        for row in rows:
            lanes.setdefault(lane_of(row), []).append(row)
        with ThreadPoolExecutor(max_workers=min(LANES, len(lanes)), thread_name_prefix="deliver") as pool:
            for counted in pool.map(lambda lane: _send_lane(outbox, alerts, lane, claims, settings), lanes.values()):
                results.update(counted)


def stories_now_in(store: Store | None) -> StoriesNow | None:
    """The story each story id is part of now, as the store says when a digest closes; with the
    store away, the digest goes out with the stories its items were matched in."""
    if store is None:
        return None

    def now(stories):
        try:
            return {story: store.story_survivor(story) for story in stories}
        except Exception as exc:  # never holds a digest back
            log.warning("digest lines by the stories as matched: %s", exc)
            return {}
    return now


def _send_lane(outbox: Outbox, alerts: dict[str, Alert], rows: list[Delivery], claims: Store | None,
               settings: AlertSettings) -> Counter:
    """Send one receiver's rows in order; after its first failure the rest wait for its retry time,
    so a receiver that hangs costs one timeout a round, not one per row."""
    results: Counter = Counter()
    for n, row in enumerate(rows):
        alert = alerts.get(row.alert)
        if alert is None:
            outbox.mark_failed(row.id, "alert removed", None)
            results["dead"] += 1
            continue
        try:
            verdict, row, claim_ids = _claim(outbox, row, claims)
        except Exception:  # the store away or busy: whether another machine sent it is unknown, ask later
            outbox.postpone([r.id for r in rows[n:]], retry_delay(1, settings.backoff))
            results["postponed"] += len(rows) - n
            return results
        if verdict == "done":  # another machine sent it (for a digest: every item of it)
            holder = claims.lock_state(claim_ids[0]).holder if claim_ids else "its own digests"
            outbox.mark_sent(row.id, note=f"sent by another machine ({holder})")
            results["sent_elsewhere"] += 1
            continue
        if verdict == "held":  # another machine is sending it now; if that fails, its claim frees
            outbox.postpone([row.id], CLAIM_SECONDS)
            results["postponed"] += 1
            continue
        if not outbox.still_claimed(row.id):  # a lane slower than the outbox lease: another worker has it
            results["postponed"] += 1
            continue
        try:
            send(alert, row, settings)
        except Exception as exc:
            if claims is not None:
                for held in claim_ids:
                    _quietly(claims.release_lock, held, outbox.id)
            results.update(_failed(outbox, row, rows[n + 1:], exc, settings))
            if not isinstance(exc, channels.Refused):
                return results  # the rest of this lane waits for its retry time
        else:
            outbox.mark_sent(row.id)  # first: recorded here whatever the store says next
            results["sent"] += 1
            if claims is not None:
                # killed between the send and this, the claim expires and another machine sends
                # again: at least once, with the same delivery id for the receiver to drop
                for held in claim_ids:
                    _quietly(claims.finish_lock, held, outbox.id)
    return results


def _claim(outbox: Outbox, row: Delivery, claims: Store | None) -> tuple[str, Delivery, list[str]]:
    """Claim a row in the store shared by several machines: ("ours" | "held" | "done", the row to
    send, the claims held for it).

    A digest is claimed item by item: another machine's digest of the same period or backlog
    holds other items (it matched at other times) and some of the same ones. The digest goes with
    the items this outbox won; it waits while any is being sent elsewhere, and is "done" when
    every item went elsewhere.
    """
    if claims is None:
        return "ours", row, []
    if row.kind != "digest":
        claim = f"delivery:{row.id}"
        return claims.claim(claim, outbox.id, CLAIM_SECONDS), row, [claim]
    members = outbox.members(row.id)
    won: dict[str, str] = {}
    verdicts = set()
    for member_id, article_id in members:
        claim = f"delivery:{member_id}"
        verdict = claims.claim(claim, outbox.id, CLAIM_SECONDS)
        verdicts.add(verdict)
        if verdict == "ours":
            won[article_id] = claim
    if "held" in verdicts:
        for claim in won.values():
            _quietly(claims.release_lock, claim, outbox.id)
        return "held", row, []
    if members and not won:
        return "done", row, []
    if len(won) < len(members):
        items = [i for i in row.payload["items"] if i.get("id") in won]
        payload = {**row.payload, "items": items}
        if payload.get("backlog"):
            dated = sorted(i["published_at"] for i in items if i.get("published_at"))
            payload.update(published_from=dated[0] if dated else None, published_to=dated[-1] if dated else None)
        row = replace(row, payload=payload)
    return "ours", row, list(won.values())


def _quietly(call, *args) -> None:
    try:
        call(*args)
    except Exception as exc:  # the store away or busy: the claim expires by itself
        log.warning("%s of a delivery claim failed: %s", call.__name__, exc)


def _failed(outbox: Outbox, row: Delivery, later: list[Delivery], exc: Exception, settings: AlertSettings) -> Counter:
    """Count a failed send: dead if refused or out of attempts, else due again after a backoff;
    the lane's untried rows (`later`) wait as long, with no attempt counted."""
    results: Counter = Counter()
    if isinstance(exc, channels.Refused):
        outbox.mark_failed(row.id, str(exc), None)
        results["dead"] += 1
        return results
    attempts = row.attempts + 1
    # a ReceiverError's message names the receiver and the setting to fix; others get their type
    error = str(exc) if isinstance(exc, channels.ReceiverError) else f"{type(exc).__name__}: {exc}"
    delay = retry_delay(attempts, settings.backoff)
    if attempts >= settings.max_attempts:
        outbox.mark_failed(row.id, f"gave up after {attempts} attempts: {error}", None)
        results["dead"] += 1
    else:
        outbox.mark_failed(row.id, error, delay)
        results["retry"] += 1
    if later:
        outbox.postpone([r.id for r in later], delay)
        results["postponed"] += len(later)
    return results


def deliver(outbox: Outbox, alerts: dict[str, Alert], wait: float = 0.0, close_all_digests: bool = False,
            claims: Store | None = None, close_backlog: bool = False, settings: AlertSettings | None = None) -> Counter:
    """Send what is due; keep retrying for up to `wait` seconds while rows are pending (`settings`:
    the configuration's, else the environment's now)."""
    settings = settings or load_alert_settings()
    deadline = time.monotonic() + wait
    total: Counter = Counter()
    while True:
        total.update(deliver_due(outbox, alerts, close_all_digests=close_all_digests, claims=claims,
                                 close_backlog=close_backlog, settings=settings))
        upcoming = outbox.next_due()
        if upcoming is None:
            return total
        pause = upcoming - time.time()
        if time.monotonic() + max(pause, 0) > deadline:
            return total
        time.sleep(max(pause, 0.01))
