"""Alerts: saved searches matched after every write, delivered once through a durable outbox.

model (what an alert is), matcher (query → outbox), outbox (SQLite, WAL), deliver (worker,
backoff), channels (webhook, e-mail, JSON lines), feed (Atom), service (what CLI and web call),
runner (alongside a crawl), commands (`newsmon alerts`), paths (where the outbox lives).
"""
