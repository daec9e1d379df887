"""Body extraction on real pages with human gold bodies: the Zyte article-extraction metric.

    .venv/bin/python -m benchmarks.extraction [--plain] [--show N] [--held-out]

Data: ../shared/realdata/extraction (90 pages of the Zyte/ScrapingHub article-extraction
benchmark, gold `articleBody` in ground-truth.json). The metric is the benchmark's own:
word tokens (`\\w+`), 4-token shingles, per-document precision and recall from the multiset
overlap of shingles, each averaged over the documents (precision over those with a
prediction, recall over those with a gold body), and F1 as the harmonic mean of the two
averages, as the benchmark's evaluate.py reports it; the mean of per-document F1 is shown too.
`--plain` also scores plain trafilatura (default settings) for comparison.

The 90 pages are themselves one half of the Zyte benchmark (the other half measures newsmon
elsewhere and is not in ../shared). They are split in two halves again, fixed before any tuning:
sorted by page id, the even positions are the dev half (its pages may be read to find what goes
wrong; `--show N` lists its worst) and the odd positions the held-out half (scored only;
`--held-out --show N` lists its worst, for a last look, not for tuning). Both halves and all
pages are printed, then one JSON line with the figures.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.stages.extract import ExtractionError, decode, extract_article  # noqa: E402

DATA = ROOT.parent / "shared" / "realdata" / "extraction"
SHINGLE = 4


def shingles(text: str, size: int = SHINGLE) -> Counter:
    """Multiset of `size`-token shingles of a text (a text shorter than that: one shingle)."""
    tokens = re.findall(r"\w+", text or "")  # case kept, as in the benchmark
    if len(tokens) < size:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1))


def prf(predicted: str, gold: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of a predicted body against the gold body, by shingle overlap."""
    p, g = shingles(predicted), shingles(gold)
    if not p and not g:
        return 1.0, 1.0, 1.0
    common = sum((p & g).values())
    precision = common / sum(p.values()) if p else 0.0
    recall = common / sum(g.values()) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def pages() -> list[tuple[str, str, str, str]]:
    """(id, url, html, gold body) for every page of the set."""
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for page_id, item in sorted(truth.items()):
        raw = gzip.decompress((DATA / "html" / f"{page_id}.html.gz").read_bytes())
        _, html = decode(raw)
        out.append((page_id, item["url"], html, item["articleBody"]))
    return out


def halves(data: list) -> dict[str, list]:
    """The dev and held-out halves: alternate pages in page-id order (`pages()` sorts by id)."""
    ordered = sorted(data, key=lambda page: page[0])
    return {"dev": ordered[0::2], "held-out": ordered[1::2], "all": ordered}


def newsmon_body(html: str, url: str) -> str:
    try:
        return extract_article(html, url).body
    except ExtractionError:
        return ""


def plain_body(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def score(extractor, data) -> dict:
    rows, started = [], time.perf_counter()
    for page_id, url, html, gold in data:
        body = extractor(html, url)
        rows.append((page_id, body, *prf(body, gold)))
    seconds = time.perf_counter() - started
    return _aggregate(rows, 1000 * seconds / len(rows))


def _aggregate(rows: list, ms_per_page: float) -> dict:
    """The benchmark's figures over scored rows (page id, body, precision, recall, F1)."""
    n = len(rows)
    predicted = [r for r in rows if shingles(r[1])]
    precision = sum(r[2] for r in predicted) / max(1, len(predicted))
    recall = sum(r[3] for r in rows) / n
    return {
        "rows": rows,
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "mean_doc_f1": sum(r[4] for r in rows) / n,
        "empty": sum(1 for r in rows if not r[1].strip()),
        "ms_per_page": ms_per_page,
    }


def rescore(whole: dict, rows: list) -> dict:
    """The figures of a subset of a scored run's rows (time per page from the whole run)."""
    return _aggregate(rows, whole["ms_per_page"])


def _figures(result: dict) -> dict:
    keys = ("precision", "recall", "f1", "mean_doc_f1", "empty", "ms_per_page")
    return {k: round(result[k], 4) for k in keys}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plain", action="store_true", help="also score plain trafilatura")
    parser.add_argument("--show", type=int, default=0, help="list the N worst pages of the dev half")
    parser.add_argument("--held-out", action="store_true", help="--show lists the held-out half's worst instead")
    args = parser.parse_args()
    parts = halves(pages())
    runs = {"newsmon": newsmon_body}
    if args.plain:
        runs["plain trafilatura"] = plain_body
    print(f"{len(parts['all'])} pages of ../shared/realdata/extraction, {SHINGLE}-token shingles;"
          f" dev {len(parts['dev'])}, held-out {len(parts['held-out'])}")
    print("| extractor | pages | precision | recall | F1 | mean per-page F1 | empty bodies | ms/page |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    results: dict[str, dict] = {}
    for name, extractor in runs.items():
        whole = score(extractor, parts["all"])
        by_id = {row[0]: row for row in whole["rows"]}
        for half, data in parts.items():
            r = results.setdefault(name, {})[half] = rescore(whole, [by_id[p[0]] for p in data])
            print(f"| {name} | {half} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | "
                  f"{r['mean_doc_f1']:.3f} | {r['empty']} | {r['ms_per_page']:.0f} |")
    shown = results["newsmon"]["held-out" if args.held_out else "dev"]["rows"]
    for page_id, body, p, rc, f in sorted(shown, key=lambda r: r[4])[:args.show]:
        print(f"  {page_id[:12]} P={p:.3f} R={rc:.3f} F1={f:.3f} chars={len(body)}")
    print(json.dumps({name: {half: _figures(r) for half, r in by_half.items()} for name, by_half in results.items()}))


if __name__ == "__main__":
    main()
