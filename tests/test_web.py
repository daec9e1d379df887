"""The search page in a real headless Chromium (Debian's chromium driven by Playwright).

In CI (CI=true) a browser that cannot start fails these tests; elsewhere they are skipped (the
`browser` and `page` fixtures are in conftest.py). The screenshots go to test-artifacts/ (ignored by git).
"""
from __future__ import annotations

import csv
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from index.article import Article
from index.store import open_store
from monitor.config import Config
from monitor.app import Newsmon
from monitor.web import CSP, create_app
from tests.test_store_contract import CORPUS, STORY_OF
from testkit.webserver import serving

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"

PAYLOAD_TITLE = 'Shusha <script>window.__pwned = "title"</script><img src=x onerror="window.__pwned = \'img\'">'
PAYLOAD_BODY = ('Shusha talks. <script>alert("body")</script> <img src=x onerror=alert(1)> '
                '<a href="javascript:alert(2)">click me</a> <svg onload=alert(3)></svg>')
HOSTILE = Article(url="javascript:alert(document.cookie)", canonical_url="https://evil.example/x", source="evil",
                  title=PAYLOAD_TITLE, body=PAYLOAD_BODY, language="en", matched=["shusha"],
                  published_at=datetime(2024, 5, 2, tzinfo=timezone.utc),
                  crawled_at=datetime(2024, 6, 10, tzinfo=timezone.utc))


def background(n: int = 60) -> list[Article]:
    """Unrelated articles over months, so the chart has crawl volume behind the matches."""
    start = datetime(2024, 1, 3, tzinfo=timezone.utc)
    return [Article(url=f"https://bg.example/{i}", canonical_url=f"https://bg.example/{i}", source="bg",
                    title=f"Weather report {i}", body="Rain and wind across the region.", language="en",
                    published_at=start + timedelta(days=3 * i), crawled_at=start + timedelta(days=3 * i))
            for i in range(n)]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    url = f"sqlite:///{folder / 'web.db'}"
    with open_store(url) as store:
        store.upsert(CORPUS + background() + [HOSTILE])
    config = Config(store_url=url, home=folder)
    service = Newsmon(config)
    with serving(create_app(config, service)) as base:
        yield base
    service.close()


def params(page) -> dict:
    return {k: v for k, v in parse_qs(urlsplit(page.url).query).items()}


def total(page) -> int:
    return int(page.locator("#total strong").inner_text())


def test_search_chart_facets_article_and_export(site, page, tmp_path):
    response = page.goto(site + "/")
    assert response.headers["content-security-policy"] == CSP
    page.fill("#q", "Shusha")
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=Shusha*")
    assert total(page) == 6  # the contract corpus's five and the hostile article
    assert page.locator("#hits li.hit").count() == 6
    assert page.locator("#hits .badge").first.inner_text().lower() in ("en", "tr", "az", "ru")
    assert page.locator("#hits mark").count() >= 6

    # the chart: a bar per month, matches drawn in front of the stored volume
    bars = page.locator("#chart a.bar")
    assert bars.count() >= 5
    january = page.locator('#chart a.bar[data-key="2024-01-01"]')
    assert january.get_attribute("data-matches") == "4"
    heights = [float(january.locator(f"rect.{k}").get_attribute("height")) for k in ("matches", "volume")]
    assert 0 < heights[0] < heights[1]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "search-page.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000

    # clicking a bar narrows the dates to that month (and the histogram to days)
    january.click()
    page.wait_for_url("**since=2024-01-01**")
    assert params(page)["until"] == ["2024-01-31"] and params(page)["interval"] == ["day"]
    assert total(page) == 4

    # a language facet narrows further; the whole state is in the URL
    page.click('#facet-language a[data-key="ru"]')
    page.wait_for_url("**lang=ru**")
    assert total(page) == 1
    assert page.locator("#hits li.hit").get_attribute("data-id") == "ru1"
    state = page.url
    page.goto(state)  # a bookmark gives the same search back
    assert total(page) == 1 and page.locator("#q").input_value() == "Shusha"

    # the article view: full text, every match marked
    page.click("#hits li.hit a.title")
    page.wait_for_selector("#article")
    assert page.locator("#body mark").count() == 2  # Шуше and Шуша in the body
    assert "В Шуше открылся музыкальный фестиваль" in page.locator("#body").inner_text()
    page.click("#back")
    page.wait_for_url("**lang=ru**")

    # export the whole result set of a broader search, and check it against the API
    page.goto(site + "/?q=-Shusha&size=5")
    assert page.locator("#hits li.hit").count() == 5
    first = [h.get_attribute("data-id") for h in page.locator("#hits li.hit").all()]
    page.click("#paging a[rel=next]")
    page.wait_for_url("**page=2**")
    second = [h.get_attribute("data-id") for h in page.locator("#hits li.hit").all()]
    assert len(second) == 5 and not set(first) & set(second)
    with page.expect_download() as info:
        page.click("#export-csv")
    path = tmp_path / "export.csv"
    info.value.save_as(path)
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    api = httpx.get(site + "/api/search", params={"q": "-Shusha", "size": 100}).json()
    assert api["total"] > 5 + 60  # more than a page: the export is not capped by paging
    assert len(rows) == api["total"]
    assert {r["id"] for r in rows} == {h["id"] for h in api["hits"]}
    by_id = {h["id"]: h for h in api["hits"]}
    assert all(r["url"] == by_id[r["id"]]["url"] and r["source"] == by_id[r["id"]]["source"] for r in rows)
    assert page.dialogs == []


def test_script_file_runs_under_the_policy(site, page):
    """The page's own script (allowed by the CSP) submits a new sort at once."""
    page.goto(site + "/?q=Shusha")
    page.select_option('select[name="sort"]', "date")
    page.wait_for_url("**sort=date**")
    dates = [t.inner_text() for t in page.locator("#hits time").all()]
    assert dates == sorted(dates, reverse=True)


def test_hostile_article_renders_inert(site, page):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site + "/?q=Shusha&source=evil")
    assert total(page) == 1
    title = page.locator("#hits li.hit a.title")
    assert "<script>" in title.inner_text() and "onerror" in title.inner_text()  # shown as text
    assert page.locator("#hits script, #hits img, #hits svg").count() == 0
    assert page.locator("#hits a.original").get_attribute("href") == "#"
    page.locator("#hits a.original").click()
    title.click()
    page.wait_for_selector("#article")
    assert page.locator("#article script, #article img, #article svg").count() == 0
    assert page.locator("#article a[href^='javascript']").count() == 0
    assert "click me" in page.locator("#body").inner_text()
    page.locator("#article a.original").click()
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == [] and errors == []


def test_bad_query_on_the_page_is_a_message(site, page):
    response = page.goto(site + "/?q=" + "%28Shusha")
    assert response.status == 400
    assert "never closed" in page.locator("#error").inner_text()
    assert "Traceback" not in page.content()


def test_api_docs_render_with_no_request_leaving_the_machine(site, page):
    """Swagger UI comes from newsmon's own server (an analyst may well be offline)."""
    outside = []

    def only_loopback(route):
        parts = urlsplit(route.request.url)
        if parts.scheme in ("http", "https") and parts.hostname not in ("127.0.0.1", "localhost"):
            outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", only_loopback)
    page.goto(site + "/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    assert "/api/search" in page.locator(".opblock-summary-path").all_inner_texts()
    assert outside == []


def test_a_bad_query_keeps_what_was_typed(site, page):
    """Issue 21 item 5: the form comes back as the user left it, the message names the field as the page does."""
    response = page.goto(site + "/?q=%28Shusha&since=2024-01-01&until=2024-02-10&sort=date&lang=ru&size=5")
    assert response.status == 400
    assert page.locator("#q").input_value() == "(Shusha"
    assert page.locator('input[name="since"]').input_value() == "2024-01-01"
    assert page.locator('input[name="until"]').input_value() == "2024-02-10"
    assert page.locator('select[name="sort"]').input_value() == "date"
    assert page.locator('input[type="hidden"][name="lang"]').get_attribute("value") == "ru"
    message = page.locator("#error").inner_text()
    assert message.startswith("Search: ") and "never closed" in message
    assert "position 0" in message and "character" not in message  # the position once, not twice
    assert page.locator("#q").get_attribute("aria-invalid") == "true"
    # fixing the query and searching again keeps the rest of the search
    page.fill("#q", "Shusha")
    page.press("#q", "Enter")
    page.wait_for_url("**/?q=Shusha&**")
    assert params(page)["lang"] == ["ru"] and params(page)["since"] == ["2024-01-01"]
    assert total(page) == 1


def test_a_bad_date_stays_in_its_field(site, page):
    response = page.goto(site + "/?q=Shusha&since=yesterday")
    assert response.status == 400
    assert page.locator("#q").input_value() == "Shusha"
    since = page.locator('input[name="since"]')
    assert since.input_value() == "yesterday" and since.get_attribute("aria-invalid") == "true"
    assert page.locator("#error").inner_text() == "From: 'yesterday' is not a date like 2025-03-01"
    since.fill("2024-02-01")
    page.press("#q", "Enter")
    page.wait_for_url("**since=2024-02-01**")
    assert total(page) == 2  # the contract corpus's February story and the hostile one of May


@pytest.fixture(scope="module")
def away(tmp_path_factory):
    """A page over an Elasticsearch store whose cluster is not there (nothing listens on the port)."""
    from testkit.webserver import free_port

    folder = tmp_path_factory.mktemp("away")
    config = Config(store_url=f"http://127.0.0.1:{free_port()}/?index=away", home=folder)
    service = Newsmon(config)
    with serving(create_app(config, service)) as base:
        yield base, folder
    service.close()


def test_a_store_that_is_away_is_a_page_not_json(away, page):
    base, folder = away
    response = page.goto(base + "/?q=Shusha&since=2024-01-01")
    assert response.status == 503 and response.headers["content-type"].startswith("text/html")
    message = page.locator("#error").inner_text()
    assert "not answering" in message and "try again" in message
    assert "spool" not in page.content() and str(folder) not in page.content()
    assert page.locator("#q").input_value() == "Shusha"
    assert page.locator('input[name="since"]').input_value() == "2024-01-01"
    article = page.goto(base + "/articles/en1?q=Shusha")
    assert article.status == 503 and article.headers["content-type"].startswith("text/html")
    assert "not answering" in page.locator("#error").inner_text() and str(folder) not in page.content()


@pytest.fixture(scope="module")
def storied_site(tmp_path_factory):
    """CORPUS in three stories (test_store_contract.STORY_OF), and the hostile article as a story of its own."""
    folder = tmp_path_factory.mktemp("web-stories")
    url = f"sqlite:///{folder / 'web.db'}"
    with open_store(url) as store:
        store.upsert([replace(a, story_id=STORY_OF.get(a.id)) for a in CORPUS] + background()
                     + [replace(HOSTILE, story_id="hostile")])
    config = Config(store_url=url, home=folder)
    service = Newsmon(config)
    with serving(create_app(config, service)) as base:
        yield base
    service.close()


def test_search_grouped_by_story_and_the_stories_view(storied_site, page):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(storied_site + "/?q=Shusha")
    assert response.headers["content-security-policy"] == CSP
    assert total(page) == 6 and page.locator("#hits li.hit").count() == 6
    stories = page.locator("#facet-story a")
    assert stories.count() == 3 and stories.first.inner_text() == "Mountain town hosts music festival"

    # the toggle (the page's script submits it at once): one hit per story, the rest counted
    page.check("#group")
    page.wait_for_url("**group=story**")
    assert total(page) == 6 and page.locator("#groups").inner_text() == "3"
    assert page.locator("#hits li.hit").count() == 3
    more = {hit.get_attribute("data-id"): hit.locator(".more").inner_text() if hit.locator(".more").count() else ""
            for hit in page.locator("#hits li.hit").all()}
    festival = next(i for i in more if STORY_OF.get(i) == "fest")
    others = sorted({a.language for a in CORPUS if STORY_OF.get(a.id) == "fest" and a.id != festival})
    assert more[festival] == f"+2 more in {len(others)} languages ({', '.join(others)})"
    visit = next(i for i in more if STORY_OF.get(i) == "visit")
    assert more[visit] == f"+1 more in 1 language ({'tr' if visit == 'en1' else 'en'})"
    assert more[HOSTILE.id] == ""  # a story of one
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-grouped-by-story.png"), full_page=True)

    # the Stories view of the same search: most covered first, articles first seen first, the first reporter marked
    page.click("#to-stories")
    page.wait_for_url("**/stories?q=Shusha")
    rows = page.locator("#stories li.story")
    assert [r.get_attribute("data-id") for r in rows.all()] == ["fest", "visit", "hostile"]
    fest = page.locator("#story-fest")
    assert fest.locator("h3").inner_text() == "Mountain town hosts music festival"
    assert [r.get_attribute("data-id") for r in fest.locator("tr.article").all()] == ["en7", "az1", "ru1"]
    assert fest.locator("tr.first").count() == 1 and fest.locator("tr.first").get_attribute("data-id") == "en7"
    assert fest.locator("tr.first .first-mark").inner_text() == "first"
    assert fest.locator(".first-source").inner_text() == "azertac"
    bars = fest.locator(".coverage rect.bar")
    assert sum(int(b.get_attribute("data-count")) for b in bars.all()) == 3  # every article in the chart
    assert fest.locator(".coverage").get_attribute("data-unit") == "day"  # told over six weeks
    assert page.locator("#story-visit .coverage").get_attribute("data-unit") == "hour"  # told within a day
    assert page.locator("#stories script, #stories img").count() == 0  # the hostile title is text
    page.screenshot(path=str(ARTIFACTS / "stories-page.png"), full_page=True)
    assert (ARTIFACTS / "stories-page.png").stat().st_size > 10_000

    # a grouped hit's "+N more" opens its story
    page.go_back()
    page.wait_for_url("**group=story**")
    page.locator(f'#hits li.hit[data-id="{visit}"] .more a').click()
    page.wait_for_url("**/stories/visit")
    assert page.locator("#stories li.story").count() == 1
    assert page.locator("#story-visit tr.article").count() == 2
    assert page.evaluate("typeof window.__pwned") == "undefined" and errors == [] and page.dialogs == []


def test_a_bad_grouping_and_an_unknown_story_are_messages(storied_site, page):
    response = page.goto(storied_site + "/?q=Shusha&group=bogus")
    assert response.status == 400
    assert page.locator("#error").inner_text() == "Group by story: 'bogus' is not one of story"
    assert page.locator("#q").input_value() == "Shusha"
    assert page.goto(storied_site + "/stories/nope").status == 404
    assert page.locator("#error").inner_text() == "No story 'nope'."
    # a bad query on the Stories view stays on it, with what was typed, so the fix is sent there again
    assert page.goto(storied_site + "/stories?q=Shusha%20AND%20(").status == 400
    assert page.locator("#views .active").inner_text() == "Stories"
    assert page.locator("#q").input_value() == "Shusha AND ("
    assert page.locator("form").first.get_attribute("action") == "/stories"


def test_a_storys_chart_ends_at_its_newest_article_and_a_stray_date_leaves_it():
    from monitor.web.stories_page import MAX_BARS, coverage_chart, story_view

    days = ["2024-03-01T09:00:00Z", "2024-03-03T10:00:00Z", "2024-03-05T11:00:00Z"]
    chart = coverage_chart([{"published_at": d} for d in ["1970-01-01T00:00:00Z", *days]])
    assert chart["unit"] == "day" and len(chart["bars"]) == MAX_BARS and chart["before"] == 1
    assert chart["bars"][-1] == {"key": "2024-03-05", "count": 1, "h": 40}
    assert sum(bar["count"] for bar in chart["bars"]) == 3
    close = coverage_chart([{"published_at": d} for d in days])
    assert [b["key"] for b in close["bars"]] == ["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04", "2024-03-05"]
    assert close["before"] == 0
    many = {"articles": [{"published_at": days[0], "id": str(i)} for i in range(60)]}
    view = story_view(many, shown=50)
    assert (view["count"], len(view["by_time"]), view["hidden"]) == (60, 50, 10)


def test_the_chart_has_a_y_axis_date_labels_and_a_tooltip_per_bar(site, page):
    """Issue 24 item 4: counts on a y-axis, more than two dates along the x-axis, matches and volume per bar."""
    from playwright.sync_api import expect

    page.goto(site + "/?q=Shusha")
    ticks = [int(t) for t in page.locator("#chart .y-axis text.tick").all_text_contents()]
    bars = page.locator("#chart a.bar")
    volumes = [int(b.get_attribute("data-volume")) for b in bars.all()]
    assert len(ticks) >= 3 and ticks[0] == 0 and ticks == sorted(ticks) and ticks[-1] >= max(volumes)
    dates = page.locator("#chart .x-axis text.date").all_text_contents()
    assert len(dates) > 2 and dates == sorted(dates) and dates[0] == "2024-01"
    # a bar's height is its count on that axis: the January volume bar reaches its tick line
    january = page.locator('#chart a.bar[data-key="2024-01-01"]')
    base = float(page.locator("#chart line.axis").first.get_attribute("y1"))
    top = float(page.locator("#chart line.grid").last.get_attribute("y1"))
    volume = int(january.get_attribute("data-volume"))
    height = float(january.locator("rect.volume").get_attribute("height"))
    assert abs(height - (base - top) * volume / ticks[-1]) < 0.05

    tip = page.locator("#chart-tip")
    expect(tip).to_be_hidden()
    january.hover()
    expect(tip).to_be_visible()
    expect(tip).to_have_text(f"2024-01: 4 matches of {volume} stored ({round(400 / volume)}%)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-chart-tooltip.png"), full_page=True)
    page.mouse.move(0, 0)
    expect(tip).to_be_hidden()


def test_the_chart_from_the_keyboard(site, page):
    """One tab stop for the chart, the arrow keys move between bars (the tooltip follows), Enter narrows the dates."""
    from playwright.sync_api import expect

    page.goto(site + "/?q=Shusha")
    keys = [b.get_attribute("data-key") for b in page.locator("#chart a.bar").all()]
    page.focus("#export-json")
    page.keyboard.press("Tab")
    focused = page.locator("#chart a.bar:focus")
    expect(focused).to_have_attribute("data-key", keys[0])
    expect(page.locator("#chart-tip")).to_contain_text(keys[0][:7] + ": ")
    page.keyboard.press("ArrowRight")
    expect(focused).to_have_attribute("data-key", keys[1])
    expect(page.locator("#chart-tip")).to_contain_text(keys[1][:7] + ": ")
    page.keyboard.press("End")
    expect(focused).to_have_attribute("data-key", keys[-1])
    page.keyboard.press("Home")
    expect(focused).to_have_attribute("data-key", keys[0])
    page.screenshot(path=str(ARTIFACTS / "search-chart-keyboard.png"))
    page.keyboard.press("Enter")
    page.wait_for_url("**since=2024-01-01**")
    assert params(page)["until"] == ["2024-01-31"] and params(page)["interval"] == ["day"]
    assert total(page) == 4
    # the chart by day: a label per few days, still more than two
    assert page.locator("#chart .x-axis text.date").count() > 2


def test_a_chosen_language_keeps_the_other_languages_with_their_counts(site, page):
    """Issue 24 item 4: a chosen facet value narrows the search; the facet still lists every value,
    counted without its own filter, so a second language can be added; other facets narrow."""
    def facet(name: str) -> dict[str, str]:
        return {a.get_attribute("data-key"): a.locator("xpath=..").locator(".n").inner_text()
                for a in page.locator(f"#facet-{name} a").all()}

    page.goto(site + "/?q=Shusha")
    languages = facet("language")
    assert languages == {"en": "3", "tr": "1", "az": "1", "ru": "1"}
    page.click('#facet-language a[data-key="ru"]')
    page.wait_for_url("**lang=ru**")
    assert total(page) == 1
    assert facet("language") == languages  # the other values stay, with their counts
    assert page.locator("#facet-language a.active").get_attribute("data-key") == "ru"
    assert facet("source") == {"trend": "1"}  # the outlet facet counts the chosen language's articles
    page.screenshot(path=str(ARTIFACTS / "search-facet-chosen.png"), full_page=True)
    page.click('#facet-language a[data-key="en"]')  # a second language: either of them
    page.wait_for_url("**lang=en**")
    assert params(page)["lang"] == ["ru", "en"] and total(page) == 4
    assert facet("language") == languages
    assert {a.get_attribute("data-key") for a in page.locator("#facet-language a.active").all()} == {"ru", "en"}
    page.click('#facet-language a[data-key="ru"]')  # unchosen
    page.wait_for_url(lambda url: "lang=ru" not in url)
    assert params(page)["lang"] == ["en"] and total(page) == 3


def test_chart_ticks_and_labels():
    from monitor.web.chart import label_positions, nice_ticks

    assert nice_ticks(0) == [0, 1] and nice_ticks(4) == [0, 1, 2, 3, 4]
    assert nice_ticks(23) == [0, 10, 20, 30] and nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(1234) == [0, 500, 1000, 1500]
    assert label_positions(3) == [0, 1, 2]
    spread = label_positions(365)
    assert len(spread) == 8 and spread[0] == 0 and spread[-1] == 364
