"""Where newsmon keeps things: one place maps a store URL to its store, crawl state, spool and log.

Only this module reads the environment (NEWSMON_HOME, NEWSMON_STORE, NEWSMON_ES_*,
NEWSMON_API_KEY, NEWSMON_ALLOWED_HOSTS); `index/` and `crawler/` are handed explicit paths and
options: by `newsmon crawl`, or, where Scrapy itself is the entry point (`scrapy crawl news`), by the
add-on of monitor/scrapy_entry.py, which asks `load_config` for the store's crawl state, spool and credentials.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from index.locations import StoreLocations, locations
from index.store import Store, open_store, sqlite_path


@dataclass(frozen=True)
class Config:
    """A store URL and the files that belong to it."""

    store_url: str
    home: Path
    es_auth: dict = field(default_factory=dict)  # basic_auth / api_key / ca_certs for Elasticsearch
    api_key: str = ""  # guards the API's write routes; empty = they are not served
    # Host names the web server answers to besides localhost and the address it was reached on
    # (NEWSMON_ALLOWED_HOSTS, comma-separated; "*" for any): a guard against DNS rebinding.
    allowed_hosts: tuple[str, ...] = ()

    @property
    def is_sqlite(self) -> bool:
        return sqlite_path(self.store_url) is not None

    @property
    def locations(self) -> StoreLocations:
        """Where this store's files live (index/locations.py holds the rule)."""
        return locations(self.store_url, self.home)

    @property
    def state_path(self) -> Path:
        """The crawl state of this store.

        Each store keeps its own: a state shared between stores would make a crawl into a new
        (say, Elasticsearch) store skip every article the old one already has.
        """
        return self.locations.state

    @property
    def outbox_path(self) -> Path:
        """The alerts' delivery outbox: beside a SQLite file, under home for Elasticsearch."""
        return self.locations.outbox

    @property
    def spool_path(self) -> Path:
        """Where writes wait while an Elasticsearch cluster is away."""
        return self.locations.spool

    @property
    def log_path(self) -> Path:
        return self.locations.logs / "newsmon.log"

    def store_options(self) -> dict:
        """Keyword options for index.open_store (the spool and credentials of Elasticsearch)."""
        if self.is_sqlite:
            return {}
        return {"spool": str(self.spool_path), **self.es_auth}

    def open_store(self) -> Store:
        return open_store(self.store_url, **self.store_options())


def newsmon_home(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("NEWSMON_HOME") or Path.home() / ".newsmon")


def load_config(store_url: str | None = None, env: Mapping[str, str] | None = None) -> Config:
    """The configuration for `store_url` (else NEWSMON_STORE, else the default SQLite file)."""
    env = os.environ if env is None else env
    home = newsmon_home(env)
    url = store_url or env.get("NEWSMON_STORE") or f"sqlite:///{home / 'newsmon.db'}"
    auth: dict = {}
    if env.get("NEWSMON_ES_USER"):
        auth["basic_auth"] = (env["NEWSMON_ES_USER"], env.get("NEWSMON_ES_PASSWORD", ""))
    if env.get("NEWSMON_ES_API_KEY"):
        auth["api_key"] = env["NEWSMON_ES_API_KEY"]
    if env.get("NEWSMON_ES_CA_CERTS"):
        auth["ca_certs"] = env["NEWSMON_ES_CA_CERTS"]
    hosts = tuple(h.strip() for h in env.get("NEWSMON_ALLOWED_HOSTS", "").split(",") if h.strip())
    return Config(store_url=url, home=home, es_auth=auth, api_key=env.get("NEWSMON_API_KEY", ""),
                  allowed_hosts=hosts)
