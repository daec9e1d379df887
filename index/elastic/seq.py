"""Write-time sequence numbers for Elasticsearch: reserved from a counter document, never handed out twice."""
from __future__ import annotations

from elasticsearch import ConflictError, Elasticsearch

from index.elastic.client import ClusterAway


def reserve_seqs(es: Elasticsearch, counters: str, n: int) -> int:
    """Reserve n write-time sequence numbers from a counter document; return the first.

    Optimistic concurrency (if_seq_no) instead of a script: writers in other processes or
    on other machines never get the same numbers, and no scripting module is needed.
    """
    for _ in range(100):
        found = es.options(ignore_status=404).get(index=counters, id="seq")
        try:
            if not found.get("found"):
                es.create(index=counters, id="seq", document={"value": n}, refresh=False)
                return 1
            value = int(found["_source"]["value"])
            es.index(index=counters, id="seq", document={"value": value + n},
                     if_seq_no=found["_seq_no"], if_primary_term=found["_primary_term"])
            return value + 1
        except ConflictError:
            continue  # another writer took numbers in between: read again
    raise ClusterAway("could not reserve write sequence numbers (too much contention)")
