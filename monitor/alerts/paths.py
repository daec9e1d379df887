"""Where a store's alerts outbox lives (monitor/config.py decides, beside the crawl state)."""
from __future__ import annotations

from pathlib import Path

from monitor.config import load_config


def outbox_path(store_url: str) -> Path:
    """`store.outbox.db` beside a SQLite store; under $NEWSMON_HOME for an Elasticsearch index."""
    return load_config(store_url).outbox_path
