"""`newsmon alerts …`: add, list, show, remove, test, deliver, feed. Thin over Newsmon (the API's path too)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from crawler.sources import duration_seconds
from monitor.alerts.channels import plain
from monitor.alerts.model import DEFAULT_GRACE, PER, Alert, channel_label, format_duration
from monitor.alerts.service import show_document
from monitor.cli.session import err, fail, out, session


def build() -> typer.Typer:
    """The `alerts` command group."""
    group = typer.Typer(help="Saved searches that notify you of new matching articles, once each.")
    for name, command in (("add", add), ("list", list_alerts), ("show", show), ("remove", remove), ("test", test),
                          ("deliver", deliver_now), ("feed", feed)):
        group.command(name)(command)
    return group


def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="A short name, e.g. shusha-energy."),
    query: str = typer.Argument(..., help='In the search query language, e.g. Shusha "energy deal".'),
    lang: list[str] = typer.Option([], "--lang", help="Only these languages."),
    source: list[str] = typer.Option([], "--source", help="Only these source ids."),
    entity: list[str] = typer.Option([], "--entity", help="Only articles naming one of these entities."),
    min_relevance: Optional[float] = typer.Option(None, "--min-relevance", help="Lowest topic relevance."),
    webhook: list[str] = typer.Option([], "--webhook", help="POST signed JSON to this URL."),
    email: list[str] = typer.Option([], "--email", help="Mail this address (NEWSMON_SMTP_* configure SMTP)."),
    notify: list[str] = typer.Option([], "--notify", help="Send through apprise to this URL: slack://, tgram://, "
                                     "msteams://, matrix://, discord://, ntfy://, json://… (its secrets never shown)."),
    jsonl: list[str] = typer.Option([], "--jsonl", help="Append JSON lines to this file."),
    digest: Optional[str] = typer.Option(None, "--digest", help="hourly or daily: one message per period."),
    per: str = typer.Option("article", "--per", help="article (a message per article) or story (one when a story "
                                                      "first matches; its later articles in its next digest line)."),
    since: Optional[str] = typer.Option(None, "--since", help="Also send stored articles published since this day."),
    allow_private: bool = typer.Option(False, "--allow-private",
                                       help="Allow webhooks to loopback/private addresses."),
    backlog: str = typer.Option("digest", "--backlog",
                                help="Articles published long before newsmon found them (a new source or store): "
                                     "digest (one message per crawl) or skip."),
    grace: str = typer.Option(format_duration(DEFAULT_GRACE), "--grace",
                              help="Published this long before being found still counts as new, e.g. 24h, 7d."),
):
    """Save an alert; it starts from now (no flood of old articles) unless --since asks for a backlog."""
    grace_seconds = duration_seconds(grace)
    if grace_seconds is None:
        fail(f"--grace {grace!r}: use a duration like 24h or 7d")
    since_dt = None
    if since:
        try:
            since_dt = datetime.fromisoformat(since)
        except ValueError:
            fail(f"--since {since!r} is not a date like 2025-03-01")
        since_dt = since_dt if since_dt.tzinfo else since_dt.replace(tzinfo=timezone.utc)
    if digest not in (None, "hourly", "daily"):
        fail(f"--digest {digest!r}: use hourly or daily")
    if per not in PER:
        fail(f"--per {per!r}: use article or story")
    alert = Alert.from_fields(name, query, lang, source, entity, min_relevance, webhook, email, jsonl, digest,
                              allow_private=allow_private, backlog=backlog, grace=grace_seconds, per=per,
                              notify=notify)
    with session(ctx).newsmon() as newsmon:
        made = newsmon.add_alert(alert, since_dt)
    out.print(f"alert [bold]{name}[/bold] saved ({alert.mode}, per {alert.per}); articles published more than "
              f"{format_duration(alert.grace)} before newsmon finds them: "
              + ("one backlog digest per crawl" if alert.backlog == "digest" else "skipped"))
    if any(c.kind == "webhook" for c in alert.channels):  # only webhook bodies are signed
        out.print(f"webhook signing secret: {alert.secret}")
    if since_dt:
        out.print(f"{made['backlog_queued']} backlog deliveries queued (one digest per channel); "
                  "`newsmon alerts deliver` sends them")


def list_alerts(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="As GET /api/alerts returns it.")):
    """Every alert with its delivery counts."""
    with session(ctx).newsmon() as newsmon:
        docs = newsmon.alert_list()
    if as_json:
        print(json.dumps(docs, ensure_ascii=False, indent=2))
        return
    table = Table(title="Alerts")
    for column in ("name", "query", "mode", "channels", "pending", "sent", "dead"):
        table.add_column(column)
    for doc in docs:
        a, c = Alert.from_dict(doc), doc["deliveries"]
        table.add_row(a.name, a.full_query(), a.mode + (" per story" if a.per == "story" else ""),
                      ", ".join(ch.label for ch in a.channels),
                      str(c.get("pending", 0) + c.get("waiting", 0)), str(c.get("sent", 0)), str(c.get("dead", 0)))
    out.print(table)


def show(ctx: typer.Context, name: str, recent: int = typer.Option(20, "--recent", min=1),
         as_json: bool = typer.Option(False, "--json")):
    """An alert, its counts and its recent deliveries and failures."""
    with session(ctx).newsmon() as newsmon, newsmon.alerts() as svc:
        view = svc.show(name, recent)
    if as_json:
        print(json.dumps(show_document(view), ensure_ascii=False, indent=2))
        return
    a = view.alert
    out.print(f"[bold]{a.name}[/bold]: {a.full_query()} · {a.mode} · per {a.per} · watermark seq {view.watermark}")
    secret = f" · signing secret {a.secret}" if any(c.kind == "webhook" for c in a.channels) else ""
    out.print("channels: " + ", ".join(c.label for c in a.channels) + secret, highlight=False)
    out.print(f"backlog: {a.backlog} (articles published more than {format_duration(a.grace)} before "
              "newsmon found them)")
    out.print("deliveries: " + (", ".join(f"{k} {v}" for k, v in sorted(view.counts.items())) or "none yet"))
    table = Table(title="Recent deliveries")
    for column in ("status", "channel", "article", "attempts", "last error"):
        table.add_column(column)
    for d in view.recent:
        title = d.payload.get("title") or f"{len(d.payload.get('items', []))} items, {d.payload.get('period')}"
        table.add_row(d.status, channel_label(d.channel), plain(title)[:60], str(d.attempts), d.last_error or "")
    out.print(table)


def remove(ctx: typer.Context, name: str):
    """Delete an alert (its unsent deliveries are kept, marked dead)."""
    with session(ctx).newsmon() as newsmon:
        newsmon.remove_alert(name)
    out.print(f"alert {name} removed")


def test(ctx: typer.Context, name: str, days: int = typer.Option(7, "--days", min=1),
         limit: int = typer.Option(20, "--limit", min=0, help="Show at most this many, newest first."),
         as_json: bool = typer.Option(False, "--json")):
    """Run the alert's query over the last days and show what would be sent; sends nothing."""
    with session(ctx).newsmon() as newsmon:
        result = newsmon.alert_test(name, days, limit)
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    items = result["items"]
    shown = f"; the newest {len(items)}:" if len(items) < result["total"] else ":"
    bound = "at least " if result["at_least"] else ""
    sent, rest = (("stories would be announced, one message each", "later articles of those stories in their digest "
                   "lines") if result["per"] == "story" else ("would be sent one by one", "copies not sent again"))
    out.print(f"{bound}{result['total']} article(s) found in the last {days} days match: [bold]{result['would_send']}"
              f"[/bold] {sent}, {result['backlog']} in one backlog digest (published long before "
              f"they were found), {result['copies']} {rest}{shown}")
    later = " [dim](in its story's digest line)[/dim]" if result["per"] == "story" else " [dim](copy, not sent)[/dim]"
    for i in items:
        mark = " [dim](backlog)[/dim]" if i["would_send"] and i["backlog"] else ("" if i["would_send"] else later)
        out.print(f"  {plain(i['title'])}{mark}\n    [cyan]{i['source']}[/cyan] · {i['published_at'] or 'undated'}"
                  f" · [dim]{i['url']}[/dim]")


def deliver_now(
    ctx: typer.Context,
    wait: float = typer.Option(0.0, "--wait", min=0, help="Keep retrying failures for this many seconds."),
    digests_now: bool = typer.Option(False, "--digests-now", help="Send open digests without waiting for the period."),
    retry_dead: bool = typer.Option(False, "--retry-dead", help="Give dead deliveries another round."),
):
    """Match new articles, then send what is pending now."""
    with session(ctx).newsmon() as newsmon, newsmon.alerts() as svc:
        if retry_dead:
            out.print(f"{svc.retry_dead()} dead deliveries retried")
        report = svc.match()
        results = svc.deliver(wait=wait, close_all_digests=digests_now, close_backlog=True)
        counts = svc.outbox.counts()
        failing = svc.outbox.failures()
    for alert_name, reason in report.errors.items():
        err.print(f"[red]alert {alert_name}:[/red] {reason}")
    for alert_name, channel, status, error, rows in failing:  # what to fix, in the receiver's words
        state = "dead" if status == "dead" else "to retry"
        err.print(f"[red]{escape(channel_label(channel))}[/red] (alert {alert_name}, {rows} {state}): {escape(error)}",
                  highlight=False)
    out.print(f"{results.get('sent', 0)} sent, {results.get('retry', 0)} to retry, {results.get('dead', 0)} dead; "
              f"outbox: {counts.get('pending', 0)} pending, {counts.get('waiting', 0)} waiting for a digest, "
              f"{counts.get('dead', 0)} dead")


def feed(ctx: typer.Context, name: str):
    """Print the alert's Atom feed (what `newsmon serve` shows at /alerts/NAME.atom)."""
    with session(ctx).newsmon() as newsmon:
        print(newsmon.alert_feed(name))
