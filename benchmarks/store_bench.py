"""Store benchmarks: bulk indexing throughput and search latency, SQLite and Elasticsearch.

    .venv/bin/python -m benchmarks.store_bench --articles 100000

Starts its own Elasticsearch node (testkit/esnode.py). Indexing of pre-analysed articles (their
index terms made beforehand, as the crawl's stage workers make them) is reported as a ratio
against each engine's own plain bulk write of the same rows or documents in the same run
(`helpers.bulk`; executemany into the same SQLite tables); latencies as p50/p95 over repeated
queries with date-histogram, language, source and entity facets.
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from elasticsearch import helpers

from index.analysis import IndexTerms
from index.article import Article, signature_bands
from index.elastic import ElasticStore
from index.elastic.mapping import to_doc as _doc
from index.sqlite import SqliteStore
from index.sqlite.schema import COLUMNS, to_row as _row
from index.store import Filters

WORDS = {
    "en": "government minister talks energy pipeline gas trade visit agreement defence cooperation "
          "railway corridor summit economy investment president delegation exports security".split(),
    "tr": "hükümet bakan görüşme enerji boru hattı ticaret ziyaret anlaşma savunma işbirliği "
          "demiryolu koridor zirve ekonomi yatırım cumhurbaşkanı heyet ihracat güvenlik".split(),
    "az": "hökumət nazir danışıqlar enerji boru kəməri ticarət səfər saziş müdafiə əməkdaşlıq "
          "dəmir yolu dəhliz sammit iqtisadiyyat investisiya prezident nümayəndə ixrac təhlükəsizlik".split(),
    "ru": "правительство министр переговоры энергетика трубопровод торговля визит соглашение оборона "
          "сотрудничество железная дорога коридор саммит экономика инвестиции президент делегация".split(),
}
NAMES = {
    "en": ["Shusha", "Aliyev", "Erdogan", "Baku", "Ankara", "TANAP", "Karabakh", "Nakhchivan"],
    "tr": ["Şuşa", "Aliyev", "Erdoğan", "Bakü", "Ankara", "TANAP", "Karabağ", "Nahçıvan"],
    "az": ["Şuşa", "Əliyev", "Ərdoğan", "Bakı", "Ankara", "TANAP", "Qarabağ", "Naxçıvan"],
    "ru": ["Шуша", "Алиев", "Эрдоган", "Баку", "Анкара", "TANAP", "Карабах", "Нахичевань"],
}
ENTITIES = ["shusha", "ilham-aliyev", "erdogan", "baku", "ankara", "tanap", "karabakh", "nakhchivan"]
QUERIES = ["Shusha", "Aliyev Erdogan", '"energy pipeline"', "TANAP OR Karabakh", "lang:tr ziyaret",
           "Baku -gas", "title:Erdogan", "", "-Shusha", "Shusha declaration", "entity:karabakh -lang:en"]
# (query, filters, sort) as analysts narrow a search: dates, languages, sources, newest first
NARROWED = [
    ("Shusha", Filters(languages=["ru"]), "relevance"),
    ("Erdogan", Filters(since=datetime(2023, 1, 1, tzinfo=timezone.utc),
                        until=datetime(2023, 3, 31, 23, 59, 59, tzinfo=timezone.utc)), "relevance"),
    ("", Filters(sources=["outlet3"], entities=["shusha"]), "date"),
    ("Baku", Filters(languages=["tr", "az"]), "date"),
]


def generate(n: int, seed: int = 1) -> list[Article]:
    rng = random.Random(seed)
    start = datetime(2022, 1, 1, tzinfo=timezone.utc)
    out = []
    for i in range(n):
        lang = rng.choice(list(WORDS))
        words, names = WORDS[lang], NAMES[lang]
        picked = rng.sample(range(len(names)), 2)
        body = " ".join(rng.choice(words) if rng.random() > 0.1 else names[rng.choice(picked)] for _ in range(120))
        title = f"{names[picked[0]]} {' '.join(rng.sample(words, 5))}"
        url = f"https://bench.example/{lang}/{i}"
        out.append(Article(url=url, canonical_url=url, source=f"outlet{i % 12}", title=title, body=body,
                           language=lang, published_at=start + timedelta(minutes=17 * i),
                           matched=[ENTITIES[p] for p in picked], content_hash=f"h{i}"))
    return out


def plain_sqlite_bulk(path: Path, articles: list[Article]) -> float:
    """Seconds for SQLite's own bulk write of the same rows into the same tables, batches of 500."""
    import sqlite3

    SqliteStore(path).close()  # the same tables, indexes and columns
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA cache_size=-65536")  # as the store sets it
    columns = ", ".join(f'"{c}"' for c in ["seq", "first_seq", *COLUMNS])
    insert = f"INSERT INTO articles ({columns}) VALUES ({', '.join('?' * (len(COLUMNS) + 2))})"
    t = time.perf_counter()
    for start in range(0, len(articles), 500):
        chunk = list(enumerate(articles[start:start + 500], start + 1))
        con.execute("BEGIN")
        con.executemany(insert, [[seq, seq, *_row(a)] for seq, a in chunk])
        con.executemany("INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)",
                        [(seq, a.terms.title, a.terms.body) for seq, a in chunk])
        con.executemany("INSERT INTO entities (entity, seq) VALUES (?, ?)",
                        [(e, seq) for seq, a in chunk for e in dict.fromkeys(a.matched)])
        con.executemany("INSERT INTO bands (band, seq) VALUES (?, ?)",
                        [(b, seq) for seq, a in chunk for b in dict.fromkeys(signature_bands(a.signature))])
        con.execute("COMMIT")
    elapsed = time.perf_counter() - t
    con.close()
    return elapsed


def latencies(store, repeat: int, before=None) -> dict[str, tuple[float, float, int]]:
    """p50 and p95 per query (all four facets, one page of 10), and over every query together.

    `before()`, when given, runs untimed before each search (to empty a cache).
    """
    out = {}
    every = []
    cases = [(q, None, "relevance") for q in QUERIES] + NARROWED
    for q, filters, sort in cases:
        times = []
        for _ in range(repeat):
            if before is not None:
                before()
            t = time.perf_counter()
            result = store.search(q, filters=filters, interval="month", size=10, sort=sort)
            times.append((time.perf_counter() - t) * 1000)
        every += times
        times.sort()
        label = q or "(all)"
        if filters is not None:
            label += " + " + ", ".join(f"{k}={v}" for k, v in vars(filters).items()
                                      if v and k != "include_duplicates" and not isinstance(v, datetime))
            if filters.since:
                label += f" {filters.since:%Y-%m-%d}..{filters.until:%Y-%m-%d}"
        if sort == "date":
            label += ", newest first"
        out[label] = (statistics.median(times), times[int(0.95 * (len(times) - 1))], result.total)
    every.sort()
    out["every query above"] = (statistics.median(every), every[int(0.95 * (len(every) - 1))], 0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    from testkit.esnode import ElasticNode

    articles = generate(args.articles)
    rows = []
    with tempfile.TemporaryDirectory() as tmp, ElasticNode(heap="2g") as node:
        # the stage workers' share: index terms made beforehand, timed apart
        t = time.perf_counter()
        for a in articles:
            a.terms = IndexTerms.of(a.title, a.body, a.language)
        analysis = time.perf_counter() - t
        docs = [_doc(a) for a in articles]
        # warm the JVM first so neither path pays for its start-up
        warm = ElasticStore(f"{node.url}?index=warmup", spool=Path(tmp) / "s3.jsonl")
        helpers.bulk(warm.es, ({"_index": warm.alias, "_id": d["id"], "_source": d} for d in docs[:20000]))
        base = ElasticStore(f"{node.url}?index=baseline", spool=Path(tmp) / "s2.jsonl")
        t = time.perf_counter()
        helpers.bulk(base.es, ({"_index": base.alias, "_id": d["id"], "_source": d} for d in docs), chunk_size=500)
        base.es.indices.refresh(index=base.alias)
        es_baseline = time.perf_counter() - t

        # the same plain bulk, each batch of 500 refreshed as it is written (searchable at once,
        # as newsmon's writes must be): what that alone costs, without seqs or first-seen times
        per_batch = ElasticStore(f"{node.url}?index=baseline-refreshed", spool=Path(tmp) / "s4.jsonl")
        t = time.perf_counter()
        for i in range(0, len(docs), 500):
            helpers.bulk(per_batch.es, ({"_index": per_batch.alias, "_id": d["id"], "_source": d}
                                        for d in docs[i:i + 500]), chunk_size=500, refresh=True)
        es_refreshed = time.perf_counter() - t

        es_store = ElasticStore(f"{node.url}?index=bench", spool=Path(tmp) / "spool.jsonl")
        t = time.perf_counter()
        for i in range(0, len(articles), 500):
            es_store.upsert(articles[i:i + 500])
        es_time = time.perf_counter() - t

        sqlite_baseline = plain_sqlite_bulk(Path(tmp) / "plain.db", articles)
        sqlite = SqliteStore(Path(tmp) / "bench.db")
        t = time.perf_counter()
        for i in range(0, len(articles), 500):
            sqlite.upsert(articles[i:i + 500])
        sqlite_time = time.perf_counter() - t

        n = len(articles)
        print(f"\n## Bulk indexing of pre-analysed articles, {n} articles, batches of 500\n")
        print("| path | seconds | articles/s | ratio to the engine's plain bulk |")
        print("| --- | ---: | ---: | ---: |")
        print(f"| Elasticsearch: plain helpers.bulk of the documents + refresh | {es_baseline:.1f} | {n / es_baseline:.0f} | 1.00 |")
        print(f"| Elasticsearch: plain helpers.bulk, each batch refreshed as written | {es_refreshed:.1f} | {n / es_refreshed:.0f} | {es_refreshed / es_baseline:.2f} |")
        print(f"| Elasticsearch: newsmon ElasticStore.upsert (seq, first-seen, create, refresh per batch) | {es_time:.1f} | {n / es_time:.0f} | {es_time / es_baseline:.2f} |")
        print(f"| SQLite: plain executemany of the rows into the same tables | {sqlite_baseline:.1f} | {n / sqlite_baseline:.0f} | 1.00 |")
        print(f"| SQLite: newsmon SqliteStore.upsert (seq, first-seen, rewrite check) | {sqlite_time:.1f} | {n / sqlite_time:.0f} | {sqlite_time / sqlite_baseline:.2f} |")
        print(f"| (the index terms, made beforehand in the stage workers) | {analysis:.1f} | {n / analysis:.0f} | |")

        def clear_request_cache():
            es_store.es.indices.clear_cache(index=es_store.alias, request=True)

        # Elasticsearch's shard request cache keeps the facet counts of a repeated search until
        # the index changes: measured both emptied before every search (each computes its
        # facets) and as it is (what a user paging through one search sees)
        for name, store, before in (("SQLite", sqlite, None),
                                    ("Elasticsearch, request cache emptied before each search", es_store,
                                     clear_request_cache),
                                    ("Elasticsearch, request cache as it is", es_store, None)):
            for _ in range(3):  # warm caches
                store.search("Shusha", interval="month")
            rows = latencies(store, args.repeat, before)
            print(f"\n## Search latency, {name}, {n} articles, facets date(month)+language+source+entity\n")
            print("| query | hits | p50 ms | p95 ms |")
            print("| --- | ---: | ---: | ---: |")
            for q, (p50, p95, total) in rows.items():
                print(f"| `{q}` | {total} | {p50:.1f} | {p95:.1f} |" if total or q != "every query above"
                      else f"| **{q}** | | **{p50:.1f}** | **{p95:.1f}** |")
        # what the first search after a write pays on SQLite: rebuilding the bitmaps
        from index.sqlite.rowsets import RowSets

        builds = []
        for _ in range(5):
            t = time.perf_counter()
            RowSets(sqlite._con)
            builds.append((time.perf_counter() - t) * 1000)
        print(f"\nSQLite bitmaps rebuilt after a write: {statistics.median(builds):.0f} ms (median of 5)")
        sqlite.close()


if __name__ == "__main__":
    main()
