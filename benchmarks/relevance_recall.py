"""Relevance recall on real coverage of the beat's events, by language, and false alarms on mixes.

    .venv/bin/python -m benchmarks.relevance_recall [--show] [--mixes 200]

Recall: ../shared/realdata/stories/dev.jsonl holds 173 openings of real articles about 49
Turkey–Azerbaijan events, every one on the beat; the share the relevance stage keeps (shipped
options and threshold) is its recall on real coverage. --show lists each miss with its score,
reasons and the entities of each side it found.

False alarms: pseudo-articles of six real sentences drawn at random (seeded) from
../shared/realdata/langid/sentences/{lang}.txt, none about the relationship, so any kept is a
false alarm; it is where evidence that joins sentences (both sides named in the lead, "the two
presidents") would fire by chance. Paired mixes are harder: one sentence naming the Turkish side
and one naming the Azerbaijani side among four random ones (only Azerbaijani has sentences of
both sides: 5 and 42 of 500). Precision on labelled texts is benchmarks/relevance.py.
Ends with one JSON line.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.stages.relevance import score_relevance  # noqa: E402
from index.gazetteer import load_gazetteer  # noqa: E402

REALDATA = ROOT.parent / "shared" / "realdata"
STORIES = REALDATA / "stories" / "dev.jsonl"
SENTENCES = REALDATA / "langid" / "sentences"
LANGS = ("en", "tr", "az", "ru")


def load(path: Path = STORIES) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def recall(rows: list[dict], gaz=None) -> tuple[dict[str, float], list[tuple[dict, object]]]:
    """Share kept per language and overall ("all"), and the misses with their Relevance."""
    gaz = gaz or load_gazetteer()
    kept: dict[str, list[bool]] = {lang: [] for lang in (*LANGS, "all")}
    misses = []
    for r in rows:
        rel = score_relevance(r["title"], r["text"], r["lang"], gaz)
        kept[r["lang"]].append(rel.relevant)
        kept["all"].append(rel.relevant)
        if not rel.relevant:
            misses.append((r, rel))
    return {lang: sum(v) / len(v) for lang, v in kept.items() if v}, misses


def mixes(lang: str, n: int, paired: bool = False, size: int = 6, seed: int = 7, gaz=None) -> list[str]:
    """n pseudo-articles of `size` random real sentences of one language; paired: one of each side in each."""
    gaz = gaz or load_gazetteer()
    lines = [s for s in (SENTENCES / f"{lang}.txt").read_text(encoding="utf-8").splitlines() if s.strip()]
    rng = random.Random(f"{seed}-{lang}-{paired}")
    if not paired:
        return [" ".join(rng.sample(lines, size)) for _ in range(n)]
    named = {s: sides(s, lang, gaz) for s in lines}
    tr = [s for s in lines if named[s]["TR"] and not named[s]["AZ"]]
    az = [s for s in lines if named[s]["AZ"] and not named[s]["TR"]]
    if not (tr and az):
        return []
    out = []
    for _ in range(n):
        chosen = [rng.choice(tr), rng.choice(az), *rng.sample(lines, size - 2)]
        rng.shuffle(chosen)
        out.append(" ".join(chosen))
    return out


def false_alarms(n: int, paired: bool = False, gaz=None) -> dict[str, int]:
    """Pseudo-articles kept per language (languages without both sides' sentences left out when paired)."""
    gaz = gaz or load_gazetteer()
    texts = {lang: mixes(lang, n, paired, gaz=gaz) for lang in LANGS}
    return {lang: sum(score_relevance("", t, lang, gaz).relevant for t in ts) for lang, ts in texts.items() if ts}


def sides(text: str, lang: str, gaz) -> dict[str, list[str]]:
    found = gaz.find(text, lang)
    return {side: sorted(e for e in found if gaz.by_id[e].side == side) for side in ("TR", "AZ", "BOTH")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="list every miss with its score, reasons and sides")
    parser.add_argument("--mixes", type=int, default=200, help="pseudo-articles per language for false alarms")
    args = parser.parse_args()
    gaz, rows = load_gazetteer(), load()
    figures, misses = recall(rows, gaz)
    counts = {lang: sum(r["lang"] == lang for r in rows) for lang in LANGS}
    print(f"Recall on {STORIES.relative_to(ROOT.parent)} ({len(rows)} on-beat articles), shipped threshold:")
    print("| language | articles | kept | recall |\n| --- | ---: | ---: | ---: |")
    for lang in (*LANGS, "all"):
        n = counts.get(lang, len(rows))
        print(f"| {lang} | {n} | {round(figures[lang] * n)} | {figures[lang]:.3f} |")
    alarms = false_alarms(args.mixes, gaz=gaz) if args.mixes else {}
    paired = false_alarms(args.mixes, True, gaz) if args.mixes else {}
    if alarms:
        print(f"\nFalse alarms on {args.mixes} mixes of six random real sentences per language: "
              + ", ".join(f"{lang} {k}" for lang, k in alarms.items())
              + "; paired (one sentence of each side): " + ", ".join(f"{lang} {k}" for lang, k in paired.items()))
    if args.show:
        for r, rel in misses:
            print(f"\n{r['id']} {r['lang']} {rel.score:g} {r['event']}\n  {'; '.join(rel.reasons)}\n"
                  f"  sides: {sides(r['title'] + chr(10) + r['text'], r['lang'], gaz)}\n  {r['text'][:300]!r}")
    print(json.dumps({"file": str(STORIES), "articles": len(rows), "recall": {k: round(v, 3) for k, v in figures.items()},
                      "misses": [r["id"] for r, _ in misses], "mixes": args.mixes, "false_alarms": alarms,
                      "false_alarms_paired": paired}))


if __name__ == "__main__":
    main()
