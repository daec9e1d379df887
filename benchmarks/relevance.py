"""Relevance on real labelled news texts, cross-validated: precision and recall by language.

    .venv/bin/python -m benchmarks.relevance [--folds 5] [--show]

Data: ../shared/realdata/relevance/dev.jsonl (140 real texts in en/tr/az/ru, labelled
on_topic, negative or borderline). The scorer's one fitted number, the threshold, is chosen
inside each fold on the other folds' texts (the value that maximises F1 there, the middle of
the best range on ties); the texts of the held-out fold are then scored with it. Pooled over
the folds, every text is scored by a threshold chosen without it. Folds are stratified by
language and label and keep near-duplicates (`near_dup_of`) together.

Borderline texts (the relation is a secondary theme) are left out of the main figures and
reported on their own; the table also shows them counted as negatives and as positives.
The weights are then varied one at a time (halved, doubled) to show how much the figures
depend on them.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.stages.relevance import DEFAULT_OPTIONS, gather_evidence  # noqa: E402
from index.gazetteer import load_gazetteer  # noqa: E402

DATA = ROOT.parent / "shared" / "realdata" / "relevance" / "dev.jsonl"
LANGS = ("en", "tr", "az", "ru")
GRID = [x / 4 for x in range(2, 33)]  # thresholds 0.5 .. 8.0


def load() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def folds_of(rows: list[dict], k: int) -> dict[str, int]:
    """Fold of each text: round-robin within (language, label) in a hash order; near-dups together."""
    fold: dict[str, int] = {}
    strata: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        strata.setdefault((r["lang"], r["label"]), []).append(r)
    counter = 0
    for key in sorted(strata):
        for r in sorted(strata[key], key=lambda r: hashlib.sha1(r["id"].encode()).hexdigest()):
            group = r.get("near_dup_of") or ""
            if group and group in fold:
                fold[r["id"]] = fold[group]
                continue
            fold[r["id"]] = counter % k
            if group:
                fold[group] = fold[r["id"]]
            counter += 1
    return fold


def prf(pairs: list[tuple[bool, bool]]) -> tuple[float, float, int, int, int]:
    """(precision, recall, tp, fp, fn) of (predicted, gold) pairs."""
    tp = sum(p and g for p, g in pairs)
    fp = sum(p and not g for p, g in pairs)
    fn = sum(g and not p for p, g in pairs)
    return tp / max(1, tp + fp), tp / max(1, tp + fn), tp, fp, fn


def best_threshold(scored: list[tuple[float, bool]]) -> float:
    """The threshold of GRID with the best F1 on (score, gold) pairs; the middle of ties."""
    def f1(t):
        p, r, *_ = prf([(s >= t, g) for s, g in scored])
        return 2 * p * r / (p + r) if p + r else 0.0
    values = [f1(t) for t in GRID]
    best = [t for t, v in zip(GRID, values) if v == max(values)]
    return best[len(best) // 2]


def cross_validate(rows, scores, k):
    """Out-of-fold predictions (id -> (score, threshold used)), borderline texts left out of fitting."""
    fold = folds_of(rows, k)
    out = {}
    for f in range(k):
        train = [(scores[r["id"]], r["label"] == "on_topic") for r in rows
                 if fold[r["id"]] != f and r["label"] != "borderline"]
        t = best_threshold(train)
        for r in rows:
            if fold[r["id"]] == f:
                out[r["id"]] = (scores[r["id"]], t)
    return out


def table(rows, predicted, borderline_as=None):
    """Markdown rows of precision/recall per language and overall."""
    lines = []
    for lang in (*LANGS, "all"):
        pairs = []
        for r in rows:
            if lang != "all" and r["lang"] != lang:
                continue
            if r["label"] == "borderline":
                if borderline_as is None:
                    continue
                gold = borderline_as
            else:
                gold = r["label"] == "on_topic"
            pairs.append((predicted[r["id"]], gold))
        p, rc, tp, fp, fn = prf(pairs)
        lines.append(f"| {lang} | {len(pairs)} | {tp} | {fp} | {fn} | {p:.3f} | {rc:.3f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--show", action="store_true", help="list every text with its score and reasons")
    args = parser.parse_args()
    rows, gaz = load(), load_gazetteer()
    started = time.perf_counter()
    evidence = {r["id"]: gather_evidence(r["title"], r["text"], r["lang"], gaz) for r in rows}
    ms = 1000 * (time.perf_counter() - started) / len(rows)
    scores = {i: ev.score(DEFAULT_OPTIONS, gaz)[0] for i, ev in evidence.items()}

    oof = cross_validate(rows, scores, args.folds)
    thresholds = sorted({t for _, t in oof.values()})
    cv_pred = {i: s >= t for i, (s, t) in oof.items()}
    print(f"{len(rows)} texts, {args.folds}-fold cross-validation; thresholds chosen in the folds: "
          f"{', '.join(f'{t:g}' for t in thresholds)}; {ms:.1f} ms per text")
    header = ["| language | texts | TP | FP | FN | precision | recall |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    print("\nCross-validated, borderline texts left out:")
    print("\n".join(header + table(rows, cv_pred)))
    for name, value in (("negatives", False), ("positives", True)):
        print(f"\nCross-validated, borderline texts counted as {name}:")
        print("\n".join(header + table(rows, cv_pred, value)))
    border = [r for r in rows if r["label"] == "borderline"]
    print("\nBorderline texts: " + ", ".join(f"{r['id']} {scores[r['id']]:g}" for r in border))

    print("\nWeights varied one at a time (threshold refitted in each fold; borderline left out):")
    print("| weight | value | precision | recall |\n| --- | ---: | ---: | ---: |")
    for name in ("title_points", "lead_points", "sentence_points", "relation_bonus", "heading_points", "sentence_cap",
                 "split_points"):
        for factor in (0.5, 2.0):
            options = replace(DEFAULT_OPTIONS, **{name: getattr(DEFAULT_OPTIONS, name) * factor})
            varied = {i: ev.score(options, gaz)[0] for i, ev in evidence.items()}
            pred = {i: s >= t for i, (s, t) in cross_validate(rows, varied, args.folds).items()}
            pairs = [(pred[r["id"]], r["label"] == "on_topic") for r in rows if r["label"] != "borderline"]
            p, rc, *_ = prf(pairs)
            print(f"| {name} | {getattr(options, name):g} | {p:.3f} | {rc:.3f} |")

    if args.show:
        for r in sorted(rows, key=lambda r: -scores[r["id"]]):
            _, reasons = evidence[r["id"]].score(DEFAULT_OPTIONS, gaz)
            print(f"{scores[r['id']]:6.2f} {r['label']:10} {r['lang']} {r['id']} {r['neg_type'][:28]:28} {'; '.join(reasons)}")


if __name__ == "__main__":
    main()
