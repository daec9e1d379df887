"""The Elasticsearch store, split by job: store, client, mapping, dsl, search, writes, spool, seq, coordination, alerts."""
from index.elastic.client import ClusterAway, ElasticUnavailable, client_for, is_away
from index.elastic.store import ElasticStore
from index.locations import ALIAS

__all__ = ["ALIAS", "ClusterAway", "ElasticStore", "ElasticUnavailable", "client_for", "is_away"]
