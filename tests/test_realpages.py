"""Extraction on real article pages from ../shared/realdata/html: headline, date, language, body."""
from __future__ import annotations

import re

import pytest

from crawler.stages.extract import decode, extract_article
from crawler.stages.language import detect_language
from tests.realdata import manifest, realdata, rows

# The AA 2025-04-05 label swaps day and month: the page itself says 05.04.2025.
CORRECTED_DATES = {"fundus_tr_AnadoluAjansi_2025_04_05.html": "2025-04-05"}


def _label(value: str) -> str:
    """A manifest cell without its bracketed note."""
    return " ".join(value.split("  [")[0].split())


def _extract(row):
    _, html = decode(realdata("html", row["file"]).read_bytes())
    return extract_article(html, row["url"])


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def token_f1(predicted: str, gold: str) -> float:
    """Bag-of-tokens F1 of an extracted body against a gold body."""
    from collections import Counter

    p, g = Counter(_tokens(predicted)), Counter(_tokens(gold))
    common = sum((p & g).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def test_headlines_match_for_at_least_27_of_29():
    rows = manifest("html")
    wrong = [(r["file"], _extract(r).title) for r in rows if " ".join(_extract(r).title.split()) != _label(r["expected_headline"])]
    print(f"headlines right: {len(rows) - len(wrong)}/{len(rows)}; wrong: {wrong}")
    assert len(rows) == 29 and len(wrong) <= 2, wrong


@pytest.mark.parametrize("row", rows("html", keep=lambda r: _label(r["expected_date"])), ids=lambda r: r["file"])
def test_publication_date(row):
    expected = CORRECTED_DATES.get(row["file"], _label(row["expected_date"])[:10])
    page = _extract(row)
    assert page.published_at is not None and page.published_at.strftime("%Y-%m-%d") == expected, page.date_source


@pytest.mark.parametrize("row", rows("html"), ids=lambda r: r["file"])
def test_language(row):
    page = _extract(row)
    assert detect_language(f"{page.title}\n{page.body}")[0] == row["language"]


def test_gold_bodies_token_f1():
    gold = sorted(realdata("html").glob("*.articleBody.txt"))
    assert len(gold) == 4
    scores = {}
    for path in gold:
        row = {"file": path.name.replace(".articleBody.txt", ""), "url": "http://example.org/"}
        scores[row["file"]] = token_f1(_extract(row).body, path.read_text(encoding="utf-8"))
    print("body token F1:", {k: round(v, 3) for k, v in scores.items()})
    assert min(scores.values()) >= 0.99, scores


@pytest.mark.parametrize("row", manifest("html") if realdata().is_dir() else [], ids=lambda r: r["file"])
def test_body_does_not_start_with_the_headline(row):
    page = _extract(row)
    first = _tokens(page.body.splitlines()[0])
    for headline in {page.title, _label(row["expected_headline"])}:
        words = _tokens(headline)
        shorter = min(len(first), len(words))
        assert not (shorter >= 0.6 * max(len(first), len(words)) and first[:shorter] == words[:shorter]), \
            (page.title, page.body[:120])
