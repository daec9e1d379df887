"""Relevance on real labelled news texts (../shared/realdata/relevance/dev.jsonl), cross-validated."""
from __future__ import annotations

from benchmarks import relevance as bench
from benchmarks import relevance_recall as recall_bench
from crawler.stages.relevance import DEFAULT_OPTIONS, score_relevance
from index.gazetteer import load_gazetteer
from tests.realdata import realdata


def _scored():
    realdata("relevance", "dev.jsonl")
    rows, gaz = bench.load(), load_gazetteer()
    scores = {r["id"]: score_relevance(r["title"], r["text"], r["lang"], gaz).score for r in rows}
    return rows, scores


def test_cross_validated_precision_and_recall_per_language():
    rows, scores = _scored()
    assert len(rows) == 140
    oof = bench.cross_validate(rows, scores, 5)
    for lang in (*bench.LANGS, None):
        pairs = [(s >= t, r["label"] == "on_topic") for r in rows for s, t in [oof[r["id"]]]
                 if r["label"] != "borderline" and lang in (None, r["lang"])]
        precision, recall, tp, fp, fn = bench.prf(pairs)
        floor = 0.95 if lang is None else 0.90
        assert tp > 0 and precision >= floor and recall >= floor, (lang, tp, fp, fn)


def test_recall_on_real_coverage_of_the_beats_events():
    """Every article of ../shared/realdata/stories/dev.jsonl is on the beat (issue 26's floor).

    Measured 0.977 overall, en 0.983, tr 1.000, az 0.971, ru 0.950 (benchmarks/relevance_recall.py);
    before the beat's places, quotations, "the two presidents" and adjacent sentences: 0.902, az 0.765.
    """
    rows = recall_bench.load(realdata("stories", "dev.jsonl"))
    assert len(rows) == 173
    figures, misses = recall_bench.recall(rows)
    assert figures["all"] >= 0.97, (figures, [r["id"] for r, _ in misses])
    for lang in recall_bench.LANGS:
        assert figures[lang] >= 0.95, (lang, figures, [r["id"] for r, _ in misses if r["lang"] == lang])


def test_mixes_of_random_real_sentences_stay_off_the_beat():
    """Evidence joining sentences must not fire by chance: six random real sentences, one naming each side."""
    realdata("langid", "sentences", "az.txt")
    assert recall_bench.false_alarms(100) == {lang: 0 for lang in recall_bench.LANGS}
    assert recall_bench.false_alarms(200, paired=True) == {"az": 0}


def test_folds_keep_near_duplicates_together_and_cover_every_text():
    rows, _ = _scored()
    fold = bench.folds_of(rows, 5)
    assert {r["id"] for r in rows} <= set(fold)
    for r in rows:
        if r.get("near_dup_of") and r["near_dup_of"] in fold:
            assert fold[r["id"]] == fold[r["near_dup_of"]]
    assert sorted({fold[r["id"]] for r in rows}) == [0, 1, 2, 3, 4]


def test_hard_negatives_that_name_both_countries_stay_out():
    """Each kind of hard negative the old scorer let through, with the reason it is kept out."""
    rows, scores = _scored()
    by_type = {}
    for r in rows:
        if r["label"] == "negative" and r["neg_type"].startswith(("tr_armenia", "both_mentioned", "tr_only_in_az_press(sidebar")):
            by_type.setdefault(r["neg_type"], []).append(r)
    assert len(by_type) >= 4
    for kind, items in by_type.items():
        for r in items:
            assert scores[r["id"]] < DEFAULT_OPTIONS.threshold, (kind, r["id"], scores[r["id"]])


def test_every_on_topic_text_passes_the_shipped_threshold_with_a_margin():
    rows, scores = _scored()
    on_topic = [scores[r["id"]] for r in rows if r["label"] == "on_topic"]
    negatives = [scores[r["id"]] for r in rows if r["label"] == "negative"]
    assert min(on_topic) >= DEFAULT_OPTIONS.threshold + 1 and max(negatives) <= DEFAULT_OPTIONS.threshold - 1


def test_newsmon_extract_says_why_a_page_is_off_the_beat():
    import json
    import subprocess
    import sys
    from pathlib import Path

    page = realdata("html", "htmldate_1791336003_news-az.html").read_bytes()
    result = subprocess.run([sys.executable, "-m", "monitor.cli", "extract", "--url", "https://www.news.az/a"],
                            input=page, capture_output=True, timeout=300, cwd=Path(__file__).resolve().parents[1])
    record = json.loads(result.stdout)
    assert record["relevant"] is False and record["relevance"] < DEFAULT_OPTIONS.threshold
    assert record["relevance_reasons"] and all(isinstance(r, str) for r in record["relevance_reasons"])
