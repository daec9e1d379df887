"""Alert benchmarks: matching cost (new articles × alerts) and commit-to-webhook latency, both stores.

    .venv/bin/python -m benchmarks.alerts_bench --base 20000 --new 1000 --alerts 1000 --latency 40

Starts its own Elasticsearch node (testkit/esnode.py). Matching is timed as one round of
`match_all` after `--new` articles are written on top of a `--base` corpus, and reported
against the write of those same articles in the same run (the ratio says what alerts add to
a crawl's store time). Latency is from the writer's commit (its after-flush hook) to the
loopback webhook receiving the article, with an `AlertsRunner` running as during a crawl.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from scrapy.signalmanager import SignalManager

from benchmarks.store_bench import NAMES, WORDS, generate
from crawler.stages import dedup
from crawler import writer as writers
from crawler.signals import batch_written
from index.elastic import ElasticStore
from index.sqlite import SqliteStore
from monitor.alerts.model import Alert, Channel
from monitor.alerts.runner import AlertsRunner
from monitor.alerts.service import AlertsService
from testkit.alert_receivers import WebhookReceiver


def alert_queries(n: int, seed: int = 3) -> list[str]:
    """Saved searches like users write: a name and a word, a phrase, a name in one language, an OR."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        lang = rng.choice(list(WORDS))
        words, names = WORDS[lang], NAMES["en"]
        kind = i % 4
        if kind == 0:
            out.append(f"{rng.choice(names)} {rng.choice(words)} {rng.choice(words)}")
        elif kind == 1:
            a = rng.randrange(len(words) - 1)
            out.append(f'"{words[a]} {words[a + 1]}" {rng.choice(names)}')
        elif kind == 2:
            out.append(f"{rng.choice(names)} {rng.choice(names)} lang:{lang}")
        else:
            out.append(f"({rng.choice(names)} OR {rng.choice(words)}) {rng.choice(words)} -{rng.choice(words)}")
    return out


def with_signatures(articles):
    for a in articles:
        a.content_hash, a.signature = dedup.content_hash(a.body), dedup.signature(a.body)
    return articles


def matching_cost(store, folder: Path, base: list, new: list, n_alerts: int) -> dict:
    store.upsert(base)
    with AlertsService("bench", store=store, outbox=str(folder / f"{type(store).__name__}.outbox.db")) as svc:
        for i, query in enumerate(alert_queries(n_alerts)):
            svc.add(Alert(f"a{i}", query, channels=[Channel("jsonl", str(folder / "unused.jsonl"))]))
        started = time.perf_counter()
        store.upsert(new)
        write_seconds = time.perf_counter() - started
        started = time.perf_counter()
        report = svc.match()
        match_seconds = time.perf_counter() - started
        assert not report.errors, report.errors
        started = time.perf_counter()
        again = svc.match()  # nothing new: the cost of a round that finds nothing
        idle_seconds = time.perf_counter() - started
        assert again.queued == 0
    return {"write": write_seconds, "match": match_seconds, "idle": idle_seconds,
            "queued": report.queued + report.backlog}  # the generated articles are dated 2022: backlog rows


def latency(store, folder: Path, url: str, rounds: int, noise_alerts: int = 100) -> list[float]:
    """Seconds from each batch's commit to the webhook receiving its article."""
    outbox = folder / f"latency-{type(store).__name__}.outbox.db"
    committed: dict[str, float] = {}
    with WebhookReceiver() as hook, AlertsService(url, store=store, outbox=str(outbox)) as svc:
        # its articles are dated 2022: a grace of ten years sends them as news, one message each, not as backlog
        svc.add(Alert("watch", "TANAP Shusha", channels=[Channel("webhook", hook.url)], allow_private=True,
                      grace=3650 * 86400))
        for i, query in enumerate(alert_queries(noise_alerts, seed=9)):
            svc.add(Alert(f"noise{i}", query + " zzzunseen", channels=[Channel("jsonl", str(folder / "n.jsonl"))]))
        runner = AlertsRunner(url, str(outbox))
        manager = SignalManager()  # a crawler's: the writer sends batch_written on it

        def stamp(store_url, articles):
            for a in articles:
                committed[a.id] = time.time()

        manager.connect(stamp, signal=batch_written)
        manager.connect(runner.on_flush, signal=batch_written)
        writer = writers.ArticleWriter(store, url, signals=[manager])
        runner.start()
        try:
            for i, a in enumerate(with_signatures(generate(rounds, seed=77))):
                a.title = f"TANAP Shusha bench {i}"
                a.body = f"Unique story {i} {random.random()} " + a.body
                a.content_hash, a.signature = dedup.content_hash(a.body), dedup.signature(a.body)
                writer.add(a, lambda outcome: None)
                writer.flush()
                assert hook.wait_for(i + 1, timeout=30), f"round {i} not delivered"
        finally:
            runner.finish(0)
        return [r["at"] - committed[r["json"]["article"]["id"]] for r in hook.requests]


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=int, default=20000)
    parser.add_argument("--new", type=int, default=1000)
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--latency", type=int, default=40)
    args = parser.parse_args()
    from testkit.esnode import ElasticNode

    corpus = with_signatures(generate(args.base + args.new, seed=5))
    base, new = corpus[:args.base], corpus[args.base:]
    folder = Path(tempfile.mkdtemp(prefix="alerts-bench-"))
    node = ElasticNode(heap="2g")
    node.start()
    try:
        stores = {"SQLite": lambda tag: (SqliteStore(folder / f"{tag}.db"), f"sqlite:///{folder / tag}.db"),
                  "Elasticsearch": lambda tag: (ElasticStore(f"{node.url}?index=bench-{tag}",
                                                             spool=folder / f"{tag}.spool"),
                                                f"{node.url}?index=bench-{tag}")}
        rows = []
        for name, make in stores.items():
            store, _ = make("match")
            cost = matching_cost(store, folder, base, new, args.alerts)
            store.close()
            store, url = make("latency")
            lat = latency(store, folder, url, args.latency)
            store.close()
            rows.append((name, cost, lat))
    finally:
        node.stop()
    print(f"\n## Matching {args.new} new articles against {args.alerts} alerts ({args.base} articles already stored)\n")
    print("| store | write the new articles, s | match_all, s | ratio to the write | rows queued (news and backlog) | idle round, s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, cost, _ in rows:
        print(f"| {name} | {cost['write']:.1f} | {cost['match']:.1f} | {cost['match'] / cost['write']:.2f} | "
              f"{cost['queued']} | {cost['idle']:.1f} |")
    print(f"\n## Commit to webhook latency ({args.latency} batches of one article, 101 alerts)\n")
    print("| store | p50 s | p95 s | max s |")
    print("| --- | ---: | ---: | ---: |")
    for name, _, lat in rows:
        print(f"| {name} | {pct(lat, 50):.3f} | {pct(lat, 95):.3f} | {max(lat):.3f} |")
    figures = {}
    for name, cost, lat in rows:
        key = name.lower()
        figures |= {f"match_ratio_{key}": round(cost["match"] / cost["write"], 2),
                    f"idle_round_s_{key}": round(cost["idle"], 3), f"latency_p95_s_{key}": round(pct(lat, 95), 3)}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
