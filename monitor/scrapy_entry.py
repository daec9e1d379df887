"""The settings module `scrapy crawl news` starts from (scrapy.cfg): crawler.settings plus an add-on
that fills the store and its paths from newsmon's configuration, as `newsmon crawl` passes them.

`-s NEWSMON_STORE=...` (or any of them) still wins: the add-on fills only what is not set.
"""
from crawler.settings import *  # noqa: F401,F403

from monitor.config import load_config

ADDONS = {"monitor.scrapy_entry.NewsmonConfig": 0}


class NewsmonConfig:
    """Scrapy add-on: NEWSMON_STORE ($NEWSMON_STORE, else $NEWSMON_HOME/newsmon.db), NEWSMON_STATE_LOCAL
    (that store's own crawl state file) and NEWSMON_STORE_OPTIONS (its spool and credentials)."""

    def update_settings(self, settings) -> None:
        config = load_config(settings.get("NEWSMON_STORE") or None)
        filled = {"NEWSMON_STORE": config.store_url, "NEWSMON_STATE_LOCAL": str(config.state_path),
                  "NEWSMON_STORE_OPTIONS": config.store_options()}
        for name, value in filled.items():
            if not settings.get(name):
                # at the priority of the empty default it replaces (an add-on's own would lose to it)
                settings.set(name, value, priority=max(settings.getpriority(name) or 0, 15))
