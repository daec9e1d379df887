"""Where newsmon keeps things: one place maps a store URL to its store, crawl state, spool and log.

Only this module reads the environment (NEWSMON_HOME, NEWSMON_STORE, NEWSMON_ES_*,
NEWSMON_API_KEY, NEWSMON_ALLOWED_HOSTS, NEWSMON_SMTP_*, NEWSMON_ALERT_*,
NEWSMON_ALLOW_PRIVATE_TARGETS); `index/` and `crawler/` are handed explicit paths and options: by
`newsmon crawl`, or, where Scrapy itself is the entry point (`scrapy crawl news`), by the add-on of
monitor/scrapy_entry.py, which asks `load_config` for the store's crawl state, spool and credentials.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from index.locations import StoreLocations, locations
from index.store import Store, open_store, sqlite_path


@dataclass(frozen=True)
class SmtpSettings:
    """Where alert e-mail goes (NEWSMON_SMTP_HOST, _PORT, _USER, _PASSWORD, _STARTTLS, _SSL, _FROM)."""

    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    starttls: bool = False
    ssl: bool = False
    sender: str = "newsmon@localhost"


@dataclass(frozen=True)
class AlertSettings:
    """How alerts are delivered: retries (NEWSMON_ALERT_BACKOFF seconds, doubling; at most
    NEWSMON_ALERT_MAX_ATTEMPTS tries), whether the operator allows private webhook targets
    (NEWSMON_ALLOW_PRIVATE_TARGETS=1), and SMTP."""

    backoff: float = 30.0
    max_attempts: int = 8
    allow_private_targets: bool = False
    smtp: SmtpSettings = field(default_factory=SmtpSettings)


def load_alert_settings(env: Mapping[str, str] | None = None) -> AlertSettings:
    """The alert delivery settings the environment gives now."""
    get = (os.environ if env is None else env).get
    smtp = SmtpSettings(host=get("NEWSMON_SMTP_HOST", "localhost"), port=int(get("NEWSMON_SMTP_PORT", "25")),
                        user=get("NEWSMON_SMTP_USER", ""), password=get("NEWSMON_SMTP_PASSWORD", ""),
                        starttls=get("NEWSMON_SMTP_STARTTLS", "") == "1", ssl=get("NEWSMON_SMTP_SSL", "") == "1",
                        sender=get("NEWSMON_SMTP_FROM", "newsmon@localhost"))
    return AlertSettings(backoff=float(get("NEWSMON_ALERT_BACKOFF", "30")),
                         max_attempts=int(get("NEWSMON_ALERT_MAX_ATTEMPTS", "8")),
                         allow_private_targets=get("NEWSMON_ALLOW_PRIVATE_TARGETS") == "1", smtp=smtp)


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
    # None: as the environment says when an alert is added or delivered (a Config made in code)
    alerts: AlertSettings | None = None

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

    def publish_store(self) -> None:
        """Name this store in the environment (NEWSMON_STORE) for the processes this one starts:
        uvicorn's workers build their app from the environment (monitor.web.app.from_environment)."""
        os.environ["NEWSMON_STORE"] = self.store_url


def newsmon_home(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("NEWSMON_HOME") or Path.home() / ".newsmon")


def named_store(env: Mapping[str, str] | None = None) -> str | None:
    """The store NEWSMON_STORE names, if any (the CLI's --store takes precedence)."""
    return (os.environ if env is None else env).get("NEWSMON_STORE") or None


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
    try:
        alerts = load_alert_settings(env)
    except ValueError:  # a malformed number fails where it is used (a delivery), not every command
        alerts = None
    return Config(store_url=url, home=home, es_auth=auth, api_key=env.get("NEWSMON_API_KEY", ""),
                  allowed_hosts=hosts, alerts=alerts)
