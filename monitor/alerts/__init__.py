"""Alerts: saved searches matched after every write, delivered once through a durable outbox.

model (what an alert is), matcher (query → outbox), per_story (an alert --per story's matches →
outbox), payload (what is sent of an article), story_lines (a digest's lines per story), outbox (SQLite, WAL), deliver (worker,
backoff), channels (webhook, e-mail, JSON lines), feed (Atom), service (what CLI and web call),
runner (alongside a crawl), commands (`newsmon alerts`), paths (where the outbox lives).
"""
