"""Where a store's alerts outbox lives: beside its crawl state (the one place to change it)."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


def outbox_path(store_url: str) -> Path:
    """`store.outbox.db` beside a SQLite store; under $NEWSMON_HOME for an Elasticsearch index.

    Mirrors monitor/cli.py's default_state(); to move into monitor/config.py with it.
    """
    if store_url.startswith("sqlite:///"):
        db = Path(store_url[len("sqlite:///"):])
        return db.with_name(f"{db.stem}.outbox.db")
    if store_url.endswith(".db"):
        db = Path(store_url)
        return db.with_name(f"{db.stem}.outbox.db")
    parts = urlsplit(store_url)
    index = parse_qs(parts.query).get("index", ["newsmon-articles"])[0]
    home = Path(os.environ.get("NEWSMON_HOME", Path.home() / ".newsmon"))
    return home / f"outbox-{parts.hostname}_{parts.port or 9200}_{index}.db"
