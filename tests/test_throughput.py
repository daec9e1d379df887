"""The throughput benchmark's pieces: the scaled sample web, and a small run of the script itself."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from crawler.stages import dedup
from sampleweb import SampleWeb

ROOT = Path(__file__).resolve().parents[1]


def test_scale_to_gives_n_unique_listed_articles_and_leaves_the_default_web_as_it_was():
    default = SampleWeb()
    assert len(default.articles) == 352
    assert default.articles[0].title == "В Баку открылся международный фестиваль мугама"
    assert default.articles[-1].title == "Türk şirketi Zengilan'da 3 konut bloğunu teslim etti"

    scaled = SampleWeb()
    new = scaled.scale_to(1500)
    assert len(scaled.articles) == 1500 and len(new) == 1500 - 352
    # the default web is the scaled web's beginning, article for article
    assert [(a.outlet, a.path, a.title, a.text) for a in scaled.articles[:352]] == \
        [(a.outlet, a.path, a.title, a.text) for a in default.articles]
    assert len({(a.outlet, a.path) for a in scaled.articles}) == 1500
    titles = [a.title for a in scaled.articles if a.syndicated_from is None]  # copies keep their original's
    assert len(set(titles)) == len(titles)
    assert sum(bool(re.search(r" \(\d+\)$", t)) for t in titles) > 100  # past the templates' unique titles
    assert all(a.in_sitemap and a.in_sections and a.normal for a in new)
    assert scaled.scale_to(1000) == []

    # the bodies stay apart: few new articles look like near-duplicates of an earlier one
    signatures = np.array([dedup.signature(a.text) for a in scaled.articles], dtype=np.uint64)
    near = sum((signatures[:i] == signatures[i]).mean(axis=1).max() >= dedup.NEAR_THRESHOLD
               for i in range(352, len(signatures)))
    assert near / len(new) < 0.03


def test_the_benchmark_runs_on_one_outlet_and_its_figures_add_up():
    proc = subprocess.run([sys.executable, "-m", "benchmarks.throughput", "--articles", "352", "--source", "multinews",
                           "--skip-es"], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.strip().splitlines()
    assert any(line.startswith("| phase | pages | seconds | pages/s | ratio to ceiling") for line in lines)
    figures = json.loads(lines[-1])
    served = figures["article_pages"]
    assert served >= 40  # multinews' article pages (the broken ones are not served as pages)
    # the plain crawl fetched every page, and the ceiling ran the stages on every saved one
    assert figures["pages_plain_scrapy"] == figures["pages_ceiling"] == served
    # the full crawl found every article page, and its pages are its summary's outcomes
    outcomes = figures["outcomes_sqlite"]
    assert figures["pages_sqlite"] == sum(outcomes.values()) == figures["article_requests_sqlite"] >= served
    assert outcomes.get("stored", 0) > 0 and figures["articles_read_sqlite"] == served
    for phase in ("plain_scrapy", "ceiling", "sqlite"):
        assert figures[f"{phase}_pages_per_s"] > 0
        assert figures[f"peak_rss_tree_mib_{phase}"] >= figures[f"peak_rss_mib_{phase}"] > 20
        assert len(figures[f"cpu_per_core_{phase}"]) == figures["cores"]
        assert all(0 <= c <= 100 for c in figures[f"cpu_per_core_{phase}"])
    assert 0 < figures["ratio_to_ceiling_sqlite"] < 2
    # the crawl does all the stage work and more: it cannot spend less CPU per page than the stages alone
    assert figures["cpu_ms_per_page_sqlite"] > figures["cpu_ms_per_page_ceiling"] * 0.7 > 0
    assert figures["peak_rss_tree_mib_sqlite"] > figures["peak_rss_mib_sqlite"]  # the stage workers are counted
    assert "elasticsearch_pages_per_s" not in figures
