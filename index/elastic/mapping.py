"""The articles' index in Elasticsearch: mappings, the versioned index behind the alias, documents <-> Articles."""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

from elasticsearch import Elasticsearch, helpers

from index.analysis import terms_of
from index.article import Article, iso, signature_bands
from index.elastic.client import RETRY_STATUS

TEMPLATE = "newsmon-articles"
KEYWORDS = ("id", "url", "canonical_url", "source", "source_country", "authors", "language", "matched",
            "content_hash", "duplicate_of", "story_id", "tags", "sitename", "date_source", "date_flags", "bands")

MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        **{name: {"type": "keyword"} for name in KEYWORDS},
        # original text, for display and for Kibana users (standard analyser)
        "title": {"type": "text"},
        "body": {"type": "text"},
        # newsmon's analysed terms: what queries match
        "title_terms": {"type": "text", "analyzer": "whitespace", "similarity": "BM25"},
        "body_terms": {"type": "text", "analyzer": "whitespace", "similarity": "BM25"},
        "published_at": {"type": "date"},
        "modified_at": {"type": "date"},
        "crawled_at": {"type": "date"},
        "first_seen_at": {"type": "date"},
        "seq": {"type": "long"},
        "first_seq": {"type": "long"},  # the seq of the id's first write: originals are chosen in this order
        "language_confidence": {"type": "float"},
        "relevance": {"type": "float"},
        "signature": {"type": "long", "index": False, "doc_values": False},
    },
}
SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "1s"}
# the store URL's options for the articles' index, with the least each may be
URL_SETTINGS = {"shards": ("number_of_shards", 1), "replicas": ("number_of_replicas", 0)}
# Fields only for matching and dedup: searches leave them out of the hits (they double the payload).
INDEX_ONLY = ("title_terms", "body_terms", "bands")


def url_settings(url: str) -> dict:
    """The index settings a store URL asks for: `?shards=N&replicas=N` (a ValueError naming a bad one)."""
    query, asked = parse_qs(urlsplit(url).query), {}
    for option, (setting, least) in URL_SETTINGS.items():
        if option in query:
            value = query[option][0]
            if not value.isdigit() or int(value) < least:
                raise ValueError(f"{option}={value!r} in {url!r}: a whole number, at least {least}")
            asked[setting] = int(value)
    return asked


def side_settings(settings: dict) -> dict:
    """The settings of the store's small indexes (locks, runs, alerts, stories, crawl state): one
    shard, as many replicas as the articles, so losing a node loses none of them either."""
    return {"number_of_shards": 1, "number_of_replicas": settings.get("number_of_replicas", 0)}


def ensure_index(es: Elasticsearch, alias: str, asked: dict | None = None) -> None:
    """Create the template and the first versioned index behind the alias (or teach an old index new
    fields); `asked` are the URL's settings (url_settings): shards for a new index, replicas for any."""
    settings = {**SETTINGS, **(asked or {})}
    es.indices.put_index_template(
        name=TEMPLATE, index_patterns=[f"{alias}_v*"],
        template={"settings": settings, "mappings": MAPPINGS}, priority=100,
    )
    if not es.indices.exists_alias(name=alias):
        first = f"{alias}_v1"
        if not es.indices.exists(index=first):
            # settings given here, not left to the template: another alias's store may have rewritten it
            es.indices.create(index=first, settings=settings, mappings=MAPPINGS)
        es.indices.put_alias(index=first, name=alias)
    else:
        # an index made before a field was added to the mappings learns it (adding is allowed)
        es.indices.put_mapping(index=alias, properties=MAPPINGS["properties"])
        replicas = (asked or {}).get("number_of_replicas")
        if replicas is not None and _replicas(es, alias) != replicas:  # a dynamic setting: changed in place
            es.indices.put_settings(index=alias, settings={"number_of_replicas": replicas})
    for name in (f"{alias}-counters", f"{alias}-locks"):  # written with dynamic mappings
        if not es.indices.exists(index=name):
            es.options(ignore_status=400).indices.create(index=name, settings=side_settings(settings))


def _replicas(es: Elasticsearch, alias: str) -> int:
    found = es.indices.get_settings(index=alias, name="index.number_of_replicas")
    return int(next(iter(found.values()))["settings"]["index"]["number_of_replicas"])


def current_index(es: Elasticsearch, alias: str) -> str:
    """The versioned index the alias points at."""
    return next(iter(es.indices.get_alias(name=alias)))


def migrate(es: Elasticsearch, alias: str, asked: dict | None = None) -> tuple[str, str, int]:
    """Copy everything into the next versioned index and switch the alias atomically: (old, new, count).
    The new index has the URL's shards (`asked`), else the old one's count; and its replicas."""
    old = current_index(es, alias)
    new = f"{alias}_v{int(old.rsplit('_v', 1)[1]) + 1}"
    have = es.indices.get_settings(index=old)[old]["settings"]["index"]
    settings = {**SETTINGS, "number_of_shards": int(have["number_of_shards"]),
                "number_of_replicas": int(have["number_of_replicas"]), **(asked or {})}
    es.indices.create(index=new, settings=settings, mappings=MAPPINGS)
    # helpers.reindex's scan + bulk, written out: the helper first asks the data-stream
    # API, which minimal distributions (the test node) answer with 405.
    hits = helpers.scan(es, index=old, query={"query": {"match_all": {}}}, size=1000)
    helpers.bulk(es, ({"_index": new, "_id": h["_id"], "_source": h["_source"]} for h in hits),
                 chunk_size=1000, max_retries=5, retry_on_status=RETRY_STATUS)
    es.indices.refresh(index=new)
    # one request: readers see the old index or the new one, never neither
    es.indices.update_aliases(actions=[
        {"remove": {"index": old, "alias": alias}},
        {"add": {"index": new, "alias": alias}},
    ])
    return old, new, es.count(index=new)["count"]


def to_doc(article: Article) -> dict:
    """The document of an article: its fields, its analysed terms and its LSH bands."""
    data = article.to_dict()
    data["duplicate_of"] = data["duplicate_of"] or None
    terms = terms_of(article)
    data["title_terms"], data["body_terms"] = terms.title, terms.body
    data["bands"] = signature_bands(article.signature)
    return data


def to_article(source: dict) -> Article:
    """The Article of a stored (or spooled) document."""
    data = {k: v for k, v in source.items() if k not in ("title_terms", "body_terms", "bands", "first_seq")}
    return Article.from_dict(data)


def epoch_iso(agg: dict) -> str | None:
    """A min/max aggregation's value (epoch milliseconds) as newsmon's ISO form."""
    value = agg.get("value")
    return iso(datetime.fromtimestamp(value / 1000, tz=timezone.utc)) if value is not None else None
