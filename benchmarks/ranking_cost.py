"""What ranking fair to every language costs a search (index/ranking.py), on SQLite.

    .venv/bin/python -m benchmarks.ranking_cost --articles 100000

Each query of the store benchmark that has words is timed sorted by relevance (fair ranking:
every match scored once, each language's best picked and normalised) and sorted by date (no
scoring at all, the baseline), in the same run on the same file; the ratio is what ranking adds.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.store_bench import QUERIES, generate
from index.sqlite import SqliteStore


def median_ms(store: SqliteStore, query: str, sort: str, repeat: int) -> float:
    store.search(query, size=10, facets=(), sort=sort)  # warm: the bitmaps and the page cache
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        store.search(query, size=10, facets=(), sort=sort)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ranking-cost-") as folder:
        store = SqliteStore(Path(folder) / "rank.db")
        articles = generate(args.articles)
        for start in range(0, len(articles), 5000):
            store.upsert(articles[start:start + 5000])
        rows = []
        for query in [q for q in QUERIES if q and not q.startswith("-")]:
            total = store.search(query, size=0, facets=()).total
            rows.append({"query": query, "matches": total, "relevance_ms": round(median_ms(store, query, "relevance", args.repeat), 1),
                         "date_ms": round(median_ms(store, query, "date", args.repeat), 1)})
        store.close()
    print(f"\n### Fair ranking on SQLite, {args.articles} articles: median ms of a 10-hit page, no facets\n")
    print("| query | matches | by relevance | by date | ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| `{r['query']}` | {r['matches']} | {r['relevance_ms']} | {r['date_ms']} | "
              f"{r['relevance_ms'] / max(r['date_ms'], 0.1):.1f} |")
    print(json.dumps({"articles": args.articles, "queries": rows}))


if __name__ == "__main__":
    main()
