"""Near matches (index/near.py): after every full match of a query of three or more parts, the
articles lacking one part, marked with it; totals, facets and alerts count full matches only."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from index.article import Article
from index.near import label, near_query
from index.query import expand, parse


def article(n: int, title: str, body: str, language: str = "en", source: str = "wire") -> Article:
    url = f"https://{source}.example/{n}"
    return Article(url=url, canonical_url=url, source=source, title=title, body=body, language=language,
                   published_at=datetime(2025, 11, 8, n % 24, tzinfo=timezone.utc))


ARTICLES = [
    article(1, "Victory Day parade in Baku", "Erdogan watched the parade in Baku with Aliyev."),
    article(2, "Parade in Baku", "Erdogan attended the Victory Day parade held in Baku."),
    # each of these lacks one word of `Erdogan Baku victory parade`
    article(3, "Victory Day ceremony in Baku", "Erdogan laid a wreath at the ceremony in Baku on Victory Day."),
    article(4, "Victory parade", "Erdogan and Aliyev watched the victory parade in the capital."),
    article(5, "Zafer Günü geçit töreni", "Erdoğan, Zafer Günü geçit törenini izledi.", "tr", "trwire"),
    # two words missing: no near match
    article(6, "A parade", "Soldiers marched in the victory parade."),
    article(7, "Weather in Ankara", "Rain fell on Ankara today."),
]
QUERY = "Erdogan Baku victory parade"


@pytest.fixture(scope="module")
def stored(new_store):
    store = new_store()
    store.upsert(ARTICLES)
    return store


def ids(hits) -> list[str]:
    return [h.article.url.rsplit("/", 1)[1] for h in hits]


def test_full_matches_first_then_near_ones_marked_with_what_they_lack(stored):
    exact = stored.search(QUERY, size=20)
    result = stored.search(QUERY, size=20, near=True)
    full = [h for h in result.hits if not h.missing]
    near = [h for h in result.hits if h.missing]
    assert result.total == exact.total == len(full) == 2 and set(ids(full)) == {"1", "2"}
    assert ids(result.hits[:2]) == ids(full)  # every full match before any near one
    assert sorted(ids(near)) == ["3", "4", "5"] and result.near_total == 3
    lacked = {ids([h])[0]: h.missing for h in near}
    assert lacked["3"] == ["parade"] and lacked["4"] == ["Baku"]
    assert lacked["5"] == ["Baku"]  # found across languages as full matches are: geçit töreni is a parade
    assert result.facets["language"] == exact.facets["language"]  # facets count full matches only


def test_near_matches_are_off_by_default_in_the_store_and_when_asked(stored):
    assert all(not h.missing for h in stored.search(QUERY, size=20).hits)
    assert stored.search(QUERY, size=20).near_total is None


def test_paging_runs_on_into_the_near_matches_without_repeating_one(stored):
    pages = [stored.search(QUERY, size=2, page=p, near=True) for p in (1, 2, 3)]
    assert pages[0].near_total == 3  # page 1 ends at the last full match: it counts what follows
    seen = [i for page in pages for i in ids(page.hits)]
    assert len(seen) == 5 and len(set(seen)) == 5, seen
    assert all(not h.missing for h in pages[0].hits)
    assert all(h.missing for h in pages[1].hits + pages[2].hits)


def test_filters_and_exclusions_stay_required(stored):
    in_english = stored.search(QUERY + " lang:en", size=20, near=True)
    assert "5" not in ids(in_english.hits) and {"3", "4"} <= set(ids(in_english.hits))
    without_capital = stored.search(QUERY + " -capital", size=20, near=True)
    assert "4" not in ids(without_capital.hits) and "3" in ids(without_capital.hits)


def test_two_words_or_an_or_have_no_near_matches(stored):
    assert stored.search("Baku parade", size=20, near=True).near_total is None
    assert stored.search("Erdogan OR Baku OR victory", size=20, near=True).near_total is None


def test_sorted_by_date_or_grouped_the_search_shows_full_matches_only(stored):
    assert all(not h.missing for h in stored.search(QUERY, size=20, near=True, sort="date").hits)
    assert stored.search(QUERY, size=20, near=True, sort="date").near_total is None
    grouped = stored.search(QUERY, size=20, near=True, group="story")
    assert grouped.near_total is None and len(grouped.hits) == 2


def test_parts_are_what_the_analyst_typed():
    node = expand(parse('Shusha "victory day" lang:tr (parade OR ceremony) -football'))
    near, parts = near_query(node)
    assert [label(p) for p in parts] == ["Shusha", '"victory day"', "(parade OR ceremony)"]
    assert near_query(expand(parse("Shusha lang:tr -football parade"))) is None
    assert near_query(expand(parse("a1 a2 a3 a4 a5 a6 a7 a8"))) is not None
    assert near_query(expand(parse("a1 a2 a3 a4 a5 a6 a7 a8 a9"))) is None  # a long list of words is a list
    # words naming one entity are one part, labelled as typed
    _, parts = near_query(expand(parse("Erdogan Nagorno Karabakh visit")))
    assert "Nagorno Karabakh" in [label(p) for p in parts]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`newsmon serve`'s app over a SQLite store of the articles above: (base URL, store URL)."""
    from index.store import open_store
    from monitor.app import Newsmon
    from monitor.config import Config
    from monitor.web import create_app
    from testkit.webserver import serving

    folder = tmp_path_factory.mktemp("near")
    url = f"sqlite:///{folder / 'near.db'}"
    with open_store(url) as store:
        store.upsert(ARTICLES)
    config = Config(store_url=url, home=folder)
    service = Newsmon(config)
    with serving(create_app(config, service)) as base:
        yield base, url
    service.close()


def test_the_api_and_the_cli_give_near_matches_by_default(served):
    import json
    import subprocess
    import sys

    import httpx

    base, url = served
    doc = httpx.get(base + "/api/search", params={"q": QUERY, "size": 20}, timeout=30).json()
    assert doc["total"] == 2 and doc["near_total"] == 3
    assert [bool(h.get("missing")) for h in doc["hits"]] == [False, False, True, True, True]
    off = httpx.get(base + "/api/search", params={"q": QUERY, "size": 20, "near": "off"}, timeout=30).json()
    assert len(off["hits"]) == 2 and "near_total" not in off and off["request"]["near"] == "off"
    cli = subprocess.run([sys.executable, "-m", "monitor.cli", "--store", url, "search", *QUERY.split(), "--size",
                          "20", "--json"], capture_output=True, timeout=300)
    assert json.loads(cli.stdout) == doc  # the CLI's --json is the API's body
    shown = subprocess.run([sys.executable, "-m", "monitor.cli", "--store", url, "search", *QUERY.split()],
                           capture_output=True, timeout=300).stdout.decode()
    assert "3 near matches" in shown and "missing: parade" in shown and "missing: Baku" in shown


def test_the_page_shows_near_matches_after_the_full_ones(served, page):
    from pathlib import Path

    base, _ = served
    page.goto(base + "/?" + __import__("urllib.parse").parse.urlencode({"q": QUERY, "size": 20}))
    hits = page.locator("#hits li.hit")
    assert hits.count() == 5
    near = [hits.nth(i).get_attribute("class") for i in range(5)]
    assert [" near" in (c or "") for c in near] == [False, False, True, True, True]
    assert "3 near matches" in page.locator("#near-head").inner_text()
    assert "missing: parade" in page.locator("#hits").inner_text()
    artifacts = Path(__file__).resolve().parents[1] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    page.screenshot(path=str(artifacts / "near-matches.png"), full_page=True)
