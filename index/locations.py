"""Where a store's crawl state, alerts outbox, spool and logs live: one rule, given the store URL and a home folder."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from index.store import sqlite_path

# the Elasticsearch alias (index name) of a URL without `?index=`
ALIAS = "newsmon-articles"


def elastic_alias(url: str) -> str:
    """The alias an Elasticsearch URL names: `?index=name` lets several deployments (or tests) share a cluster."""
    return parse_qs(urlsplit(url).query).get("index", [ALIAS])[0]


def elastic_nodes(url: str) -> tuple[tuple[str, int], ...]:
    """The (host, port) of each node an Elasticsearch URL names, in its order: several, comma-separated,
    name nodes of one cluster (`http://es1:9200,es2:9200/?index=x`); a port left out is 9200.

    >>> elastic_nodes("http://user:pw@es1,es2:9201/?index=x")
    (('es1', 9200), ('es2', 9201))
    """
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]  # user:password@ belongs to all of them
    nodes = []
    for host in netloc.split(","):
        one = urlsplit(f"{parts.scheme}://{host.strip()}")
        if not one.hostname:
            raise ValueError(f"no host in {url!r} before {host!r}")
        nodes.append((one.hostname, one.port or 9200))
    return tuple(nodes)


@dataclass(frozen=True)
class StoreLocations:
    """The files that belong to one store.

    Beside a SQLite file its crawl state and outbox (`news.db` -> `news.crawlstate.db`,
    `news.outbox.db`); under `home` for an Elasticsearch index, named by host, port and alias.
    Each store keeps its own: a state shared between stores would make a crawl into a new
    (say, Elasticsearch) store skip every article the old one already has.

    >>> locations("sqlite:////data/news.db", Path("/home/u/.newsmon")).state
    PosixPath('/data/news.crawlstate.db')
    >>> locations("http://es:9200?index=x", Path("/h")).spool
    PosixPath('/h/spool/es_9200_x.jsonl')
    """

    state: Path  # the crawl state (SQLite; for Elasticsearch, where it waits while the cluster is away)
    outbox: Path  # the alerts' delivery outbox
    spool: Path  # where Elasticsearch writes wait while the cluster is away
    logs: Path  # the folder of newsmon's logs


def locations(store_url: str, home: Path) -> StoreLocations:
    """Where the files of the store at `store_url` live, `home` being newsmon's folder (NEWSMON_HOME)."""
    db = sqlite_path(store_url)  # `sqlite:///x.db`, or `x.db` as it stands
    name = _elastic_name(store_url) if db is None else db.stem
    return StoreLocations(
        state=db.with_name(f"{db.stem}.crawlstate.db") if db is not None else home / f"crawlstate-{name}.db",
        outbox=db.with_name(f"{db.stem}.outbox.db") if db is not None else home / f"outbox-{name}.db",
        spool=home / "spool" / f"{name}.jsonl",
        logs=home / "logs",
    )


def _elastic_name(url: str) -> str:
    host, port = elastic_nodes(url)[0]  # a URL of several nodes: named by the first
    return f"{host}_{port}_{elastic_alias(url)}"
