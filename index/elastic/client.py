"""The Elasticsearch client of a store URL, and which of the cluster's answers mean 'try again later'."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

from elasticsearch import ApiError, ConnectionError as ESConnectionError, Elasticsearch

from index.locations import elastic_nodes
from index.store import StoreUnavailable

# Transient answers worth retrying; anything else is a real error in the request.
RETRY_STATUS = (429, 502, 503, 504)


class ElasticUnavailable(StoreUnavailable):
    """The cluster did not answer; the message says where and why."""


class ClusterAway(Exception):
    """Writes were refused for a passing reason (down, overloaded): spool and retry later."""


def is_away(exc: BaseException) -> bool:
    """True for errors that mean 'try again later', not 'this request is wrong'."""
    if isinstance(exc, (ESConnectionError, ClusterAway, StoreUnavailable)):
        return True
    return isinstance(exc, ApiError) and (exc.meta.status in RETRY_STATUS or exc.meta.status >= 500)


# One client per store, shared by every thread of the process (the client is thread-safe): as many
# connections to each node as a `newsmon serve` worker runs routes at once (anyio's 40 threads),
# so no search waits for a connection here (elastic-transport's default is 10, and it blocks).
CONNECTIONS_PER_NODE = 40


def client_for(url: str, basic_auth: tuple[str, str] | None = None, api_key: str | None = None,
               ca_certs: str | None = None) -> Elasticsearch:
    """A client from a URL and the credentials the caller passes (user:password in the URL wins).

    A URL of several nodes (`http://es1:9200,es2:9200`) gives a client that spreads requests over
    them and sends a request that found its node gone to the next one (elastic-transport's node
    pool marks the node dead and tries it again later); one node is enough while it answers.
    """
    parts = urlsplit(url)
    nodes = elastic_nodes(url)
    # a request is tried on every node named (and once more) before the store calls the cluster away
    options: dict = {"retry_on_status": RETRY_STATUS, "max_retries": max(3, len(nodes)), "retry_on_timeout": True,
                     "request_timeout": 30, "connections_per_node": CONNECTIONS_PER_NODE}
    path = parts.path.rstrip("/")
    hosts = [f"{parts.scheme}://{f'[{host}]' if ':' in host else host}:{port}{path}" for host, port in nodes]
    if parts.username:
        options["basic_auth"] = (parts.username, parts.password or "")
    elif basic_auth:
        options["basic_auth"] = tuple(basic_auth)
    if api_key:
        options["api_key"] = api_key
    if ca_certs:
        options["ca_certs"] = ca_certs
    return Elasticsearch(hosts, **options)


def raise_for_error(res: dict, what: str) -> None:
    """An msearch answer's error as an exception: the cluster away (retry later) or a bad request."""
    if "error" in res:
        status = res.get("status", 500)
        problem = f"{what} failed with {status}: {json.dumps(res['error'])[:300]}"
        raise ClusterAway(problem) if status in RETRY_STATUS or status >= 500 else ValueError(problem)
