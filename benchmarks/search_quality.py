"""Event search measured on real labelled coverage (../shared/realdata/stories/dev.jsonl).

    .venv/bin/python -m benchmarks.search_quality [--file PATH] [--es [URL]]

Imports the whole file into a fresh store through the product's import path (monitor/importer.py,
as `newsmon import --all`: each article's own date where it has one, its language as labelled, off-
the-beat articles kept, since this measures search, not the relevance stage). For each event with
three or more articles, one short English query an analyst would type (below: the event's key
words, written once, not tuned to any article) is searched with the beat lexicon's concepts and
without them (`concepts=off`, which is the search before the lexicon). Recall is the share of the
event's articles among the first 20 hits, over all events' articles and per language; `anywhere`
is the share the query matches at all (a miss there is matching; one matched but not in the first
20 is ranking). `--es` also runs it on Elasticsearch (a node of its own from testkit/esnode.py, or
the URL given). `--cost N` also times searches with and without concepts over N generated articles
written in the beat's words (benchmarks/store_bench.py's), the worst case for widening. Prints a
table and one JSON line. Figures: benchmarks/README.md, "Event search".
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from crawler.urls import canonical
from index.article import article_id
from index.store import Store, open_store
from monitor.importer import import_lines

DEV = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "stories" / "dev.jsonl"
LANGUAGES = ("en", "tr", "az", "ru")
TOP = 20
# event id -> the query an analyst would type for it (English, key words only)
QUERIES = {
    "2017-10-30-baku-tbilisi-kars-railway-opening": "Baku Tbilisi Kars railway opening",
    "2018-06-12-tanap-inauguration-eskisehir": "TANAP pipeline inauguration",
    "2019-09-02-turaz-qartali-2019-exercise-azerbaijan": "TurAz exercise 2019",
    "2020-07-29-turaz-qartali-2020-joint-exercises-azerbaijan": "TurAz joint exercises 2020",
    "2020-12-10-baku-victory-parade-erdogan": "Erdogan Baku victory parade",
    "2022-05-28-teknofest-azerbaijan-baku-erdogan-aliyev": "Teknofest Baku Erdogan Aliyev",
    "2022-09-05-turaz-qartali-2022-exercise-ganja": "TurAz exercise Ganja 2022",
    "2023-02-06-azerbaijan-sends-rescuers-after-turkiye-earthquake": "Azerbaijan rescuers Turkey earthquake",
    "2023-03-16-ots-extraordinary-summit-ankara-aliyev": "Turkic states extraordinary summit Ankara",
    "2023-04-29-aliyev-at-teknofest-istanbul-kahramanmaras-houses": "Aliyev Teknofest Istanbul",
    "2024-11-12-erdogan-aliyev-meet-at-cop29-baku": "Erdogan Aliyev meeting COP29",
    "2025-06-19-kahramanmaras-azerbaijan-quarter-opening": "Azerbaijan quarter Kahramanmaras opening",
    "2025-08-22-kars-igdir-dilucu-railway-groundbreaking": "Kars Igdir Dilucu railway groundbreaking",
    "2025-11-08-baku-victory-day-5th-anniversary-parade-erdogan": "Victory Day parade Baku Erdogan",
}


def load(path: Path = DEV) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def import_rows(store: Store, url: str, rows: list[dict]) -> int:
    """The rows through `newsmon import --all`'s path; how many articles the store then holds."""
    lines = (json.dumps({"url": r["url"], "title": r["title"], "text": r["text"], "language": r["lang"],
                         "source": r["outlet"], "published_at": r["date"]}, ensure_ascii=False).encode("utf-8")
             for r in rows)
    summary = import_lines(lines, store, url, keep_off_topic=True)
    if summary.error_lines:
        raise SystemExit(f"import failed: {summary.error_lines[:3]}")
    return store.count()


def events(rows: list[dict]) -> dict[str, list[dict]]:
    """Events with three or more articles (those with a query), each with its articles."""
    by_event: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_event[row["event"]].append(row)
    big = {e: rs for e, rs in by_event.items() if len(rs) >= 3}
    missing = sorted(set(big) - set(QUERIES))
    if missing:
        raise SystemExit(f"no query for events {missing}")
    return big


def measure(store: Store, rows: list[dict], concepts: bool, near: bool = False) -> dict:
    """Recall in the first TOP hits and anywhere, overall, per language and per event; `near`: the
    first TOP hits include the near matches after the full ones (index/near.py), as the product shows them."""
    found = defaultdict(lambda: [0, 0, 0])  # key -> [in the first TOP, matched anywhere, articles]
    per_event = {}
    for event, members in sorted(events(rows).items()):
        query = QUERIES[event]
        top = {h.article.id for h in store.search(query, facets=(), size=TOP, concepts=concepts, near=near).hits}
        anywhere = {a.id for a in store.scan(query, concepts=concepts)}
        ids = {article_id(canonical(r["url"])): r["lang"] for r in members}
        for aid, lang in ids.items():
            for key in ("all", lang):
                found[key][0] += aid in top
                found[key][1] += aid in anywhere
                found[key][2] += 1
        per_event[event] = {"query": query, "articles": len(ids), "top": len(top & set(ids)),
                            "anywhere": len(anywhere & set(ids))}
    figures = {key: {"recall": round(t / n, 3), "anywhere": round(a / n, 3), "articles": n}
               for key, (t, a, n) in found.items()}
    return {"overall": figures["all"], "languages": {lang: figures[lang] for lang in LANGUAGES if lang in figures},
            "events": per_event}


def timing(store: Store, concepts: bool, near: bool = False, repeat: int = 20) -> float:
    """Mean milliseconds of all the queries with facets, warm."""
    for query in QUERIES.values():
        store.search(query, concepts=concepts, near=near)
    started = time.perf_counter()
    for _ in range(repeat):
        for query in QUERIES.values():
            store.search(query, concepts=concepts, near=near)
    return round((time.perf_counter() - started) * 1000 / (repeat * len(QUERIES)), 2)


# label, concepts, near matches: the search before the lexicon, full matches only, and as the product searches
CONFIGURATIONS = (("without_concepts", False, False), ("with_concepts", True, False), ("with_near", True, True))


def run_store(name: str, store: Store, url: str, rows: list[dict]) -> dict:
    held = import_rows(store, url, rows)
    report = {"store": name, "articles": held}
    for label, concepts, near in CONFIGURATIONS:
        report[label] = {**measure(store, rows, concepts, near), "ms_per_query": timing(store, concepts, near)}
    return report


COST_QUERIES = ["energy", "pipeline visit", "Shusha summit", '"energy pipeline"', "Erdogan Baku victory parade",
                "Shusha summit energy"]


def cost(n: int, folder: str, repeat: int = 10) -> dict:
    """Warm milliseconds per search (facets, a page of 10) over `n` generated articles, concepts off / on."""
    from benchmarks.store_bench import generate

    with open_store(str(Path(folder) / "cost.db")) as store:
        articles = generate(n)
        for start in range(0, n, 1000):
            store.upsert(articles[start:start + 1000])
        out = {}
        for query in COST_QUERIES:
            row = {}
            for label, concepts, near in (("off", False, False), ("on", True, False), ("near", True, True)):
                total = store.search(query, concepts=concepts, near=near).total
                started = time.perf_counter()
                for _ in range(repeat):
                    store.search(query, concepts=concepts, near=near)
                row[label] = {"ms": round((time.perf_counter() - started) * 1000 / repeat, 1), "total": total}
            out[query] = row
    return {"articles": n, "queries": out}


def table(report: dict) -> str:
    lines = [f"{report['store']}: {report['articles']} articles; recall of each event's articles in the first "
             f"{TOP} hits (matched anywhere)"]
    lines.append(f"{'':<18}{'overall':>16}" + "".join(f"{lang:>16}" for lang in LANGUAGES) + f"{'ms/query':>10}")
    for label, _, _ in CONFIGURATIONS:
        fig = report[label]
        cells = [fig["overall"]] + [fig["languages"].get(lang, {"recall": 0, "anywhere": 0}) for lang in LANGUAGES]
        lines.append(f"{label:<18}" + "".join(f"{c['recall']:>9.3f} ({c['anywhere']:.3f})" for c in cells)
                     + f"{fig['ms_per_query']:>10}")
    lines.append("per event, with near matches (full matches only) [without concepts]: in the first 20 / matched"
                 " / articles")
    for event, fig in report["with_near"]["events"].items():
        full, before = report["with_concepts"]["events"][event], report["without_concepts"]["events"][event]
        lines.append(f"  {fig['query']:<44} {fig['top']:>2} ({full['top']:>2}) [{before['top']:>2}] / "
                     f"{full['anywhere']:>2} [{before['anywhere']:>2}] / {fig['articles']:>2}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEV)
    parser.add_argument("--es", nargs="?", const="node", default=None,
                        help="also measure Elasticsearch: a node of its own, or the URL given")
    parser.add_argument("--cost", type=int, default=0, help="also time searches over this many generated articles")
    args = parser.parse_args(argv)
    rows = load(args.file)
    reports = []
    with tempfile.TemporaryDirectory() as folder:
        url = str(Path(folder) / "search.db")
        with open_store(url) as store:
            reports.append(run_store("sqlite", store, url, rows))
        if args.es:
            reports.append(_elastic(args.es, folder, rows))
        costs = cost(args.cost, folder) if args.cost else None
    for report in reports:
        print(table(report))
    if costs:
        print(f"ms per search over {costs['articles']} generated articles, concepts off / on / on with near matches "
              "(matching articles)")
        for query, row in costs["queries"].items():
            print(f"  {query:<32} {row['off']['ms']:>7} / {row['on']['ms']:<7} / {row['near']['ms']:<7} "
                  f"({row['off']['total']} / {row['on']['total']})")
    print(json.dumps({"file": str(args.file), "top": TOP, "stores": reports, "cost": costs}, sort_keys=True,
                     ensure_ascii=False))


def _elastic(where: str, folder: str, rows: list[dict]) -> dict:
    from index.elastic import ElasticStore

    def measure_at(base: str) -> dict:
        url = f"{base}?index=search-quality-{int(time.time())}"
        store = ElasticStore(url, spool=Path(folder) / "spool.jsonl")
        try:
            return run_store("elasticsearch", store, url, rows)
        finally:
            store.close()

    if where != "node":
        return measure_at(where)
    from testkit.esnode import ElasticNode

    with ElasticNode() as node:
        return measure_at(node.url)


if __name__ == "__main__":
    main()
