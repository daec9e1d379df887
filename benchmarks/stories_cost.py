"""What assigning stories costs at write time, with many articles already stored (issue 23).

    .venv/bin/python -m benchmarks.stories_cost --articles 100000            # SQLite and Elasticsearch
    .venv/bin/python -m benchmarks.stories_cost --articles 20000 --skip-es

The store_bench generator's articles (four languages, entity names in every script, one every
17 minutes) get their story features as a stage worker makes them, then go through the crawl's
writer in batches of 50 (BATCH_SIZE) into a fresh store. For every batch the writer's story work
is timed apart (the vocabulary and candidate reads, the decisions, the state written) and
reported per article over the last tenth of the run, when the store holds 90-100 % of N: the
figure the issue bounds (<= 5 ms per article). The whole write per article is printed beside it,
and the stage worker's share (making the features) on its own line.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from benchmarks.store_bench import generate
from crawler import writer as writers
from crawler.stages.stories import story_features


class TimedAssigner:
    """The writer's StoryAssigner and the store's save_stories, with a clock around both."""

    def __init__(self, writer: writers.ArticleWriter):
        self.inner, self.store, self.spent = writer.stories, writer.store, []
        save = self.store.save_stories

        def timed_save(change):
            start = time.perf_counter()
            save(change)
            self.spent[-1] += time.perf_counter() - start
        self.store.save_stories = timed_save

    def assign(self, batch):
        start = time.perf_counter()
        change = self.inner.assign(batch)
        self.spent.append(time.perf_counter() - start)
        return change


def run(store, articles) -> dict:
    writer = writers.ArticleWriter(store, "bench")
    timed = writer.stories = TimedAssigner(writer)
    start = time.perf_counter()
    for article in articles:
        writer.add(article, lambda outcome: None)
    writer.flush()
    total = time.perf_counter() - start
    tail = timed.spent[-max(1, len(timed.spent) // 10):]
    per_article = sum(tail) * 1000 / (len(tail) * writers.BATCH_SIZE)
    with_story = sum(1 for _ in store.scan("") if _.story_id)
    return {"assign_ms_per_article_last_tenth": round(per_article, 2),
            "assign_ms_per_article_all": round(sum(timed.spent) * 1000 / len(articles), 2),
            "write_ms_per_article_all": round(total * 1000 / len(articles), 2),
            "articles_with_a_story": with_story}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100000)
    parser.add_argument("--skip-es", action="store_true")
    args = parser.parse_args(argv)
    articles = generate(args.articles)
    start = time.perf_counter()
    for a in articles:
        a.story_features = story_features(a.title, a.body, a.language, a.published_at.date())
    features_ms = (time.perf_counter() - start) * 1000 / len(articles)
    print(f"story features in the stage worker: {features_ms:.2f} ms per article")
    results = {"articles": args.articles, "features_ms_per_article": round(features_ms, 2)}
    with tempfile.TemporaryDirectory() as folder:
        from index.sqlite import SqliteStore

        results["sqlite"] = run(SqliteStore(Path(folder) / "bench.db"), articles)
        print("SQLite:", results["sqlite"])
        if not args.skip_es:
            from index.elastic import ElasticStore
            from testkit.esnode import ElasticNode

            with ElasticNode(heap="2g") as node:
                results["elasticsearch"] = run(ElasticStore(f"{node.url}?index=stories-cost",
                                                            spool=Path(folder) / "spool.jsonl"), articles)
                print("Elasticsearch:", results["elasticsearch"])
    print(json.dumps(results))


if __name__ == "__main__":
    main()
