"""Extraction details: headline not repeated in the body, tables as text, a prose floor, JSON-LD."""
from __future__ import annotations

import json

import pytest

from crawler.stages import dates
from crawler.stages.boilerplate import drop_furniture
from crawler.stages.extract import ExtractionError, extract_article, parse_html, prose_chars, restore_interior

PARAGRAPHS = "".join(
    f"<p>Paragraph {i}: the energy ministers of Azerbaijan and Türkiye met in Baku on Tuesday "
    f"and agreed a new schedule for gas deliveries through the pipeline.</p>" for i in range(6)
)


def page(head: str = "", article: str = PARAGRAPHS, title: str = "Ministers agree gas schedule") -> str:
    return (f"<html><head><title>{title} | Example News</title>{head}</head><body>"
            f"<header><a href='/'>Example News</a></header><article><h1>{title}</h1>{article}</article>"
            "<footer>Contact us</footer></body></html>")


def test_headline_is_not_repeated_as_the_first_body_line():
    article = "<p>Ministers agree gas schedule</p>" + PARAGRAPHS
    extracted = extract_article(page(article=article), "http://example.org/a")
    assert extracted.title == "Ministers agree gas schedule"
    assert extracted.body.startswith("Paragraph 0"), extracted.body[:80]


def test_a_headline_with_a_tail_is_dropped_from_the_body_start_too():
    title = "Orman yangınları! Son durum! - Güncel haberler"
    article = "<p>Orman yangınları! Son durum!</p>" + PARAGRAPHS
    extracted = extract_article(page(article=article, title=title), "http://example.org/a")
    assert extracted.body.startswith("Paragraph 0"), extracted.body[:80]


def test_tables_in_the_article_are_kept_as_text():
    table = ("<table><tr><th>Year</th><th>Trade, $bn</th></tr><tr><td>2023</td><td>7.5</td></tr>"
             "<tr><td>2024</td><td>8.1</td></tr></table>")
    extracted = extract_article(page(article=PARAGRAPHS[:400] + table + PARAGRAPHS[400:]), "http://example.org/a")
    assert "Trade, $bn" in extracted.body and "8.1" in extracted.body and "2023" in extracted.body


def test_a_reprint_notice_is_not_a_body():
    notice = ("<p>This copy is for your personal, non-commercial use only. To order presentation-ready "
              "copies for distribution to your colleagues, clients or customers visit "
              "http://www.djreprints.com.</p><p>https://www.example.org/articles/story-123</p>")
    assert prose_chars("This copy is for your personal, non-commercial use only. " * 5) == 0
    with pytest.raises(ExtractionError, match="too short"):
        extract_article(page(article=notice), "http://example.org/a")
    # with the article beside it, the notice line is dropped and the article kept
    extracted = extract_article(page(article=notice + PARAGRAPHS), "http://example.org/a")
    assert "non-commercial" not in extracted.body and "Paragraph 5" in extracted.body


def test_an_article_split_into_blocks_around_an_ad_is_read_whole():
    first = "".join(f"<p>First part {i}: the talks in Baku covered gas, rail and defence cooperation.</p>" for i in range(4))
    second = "".join(f"<p>Second part {i}: officials said the next round will be held in Ankara.</p>" for i in range(4))
    article = (f"<div class='article__chunks'><div class='grid'><div class='body__container article__body'>{first}</div></div>"
               "<div class='ad'>Advertisement</div>"
               f"<div class='grid'><div class='body__container article__body'>{second}</div></div></div>")
    extracted = extract_article(page(article=article), "http://example.org/a")
    assert "First part 0" in extracted.body and "Second part 3" in extracted.body
    assert "Advertisement" not in extracted.body


def test_jsonld_headline_and_dates_inside_graph():
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Example News"},
        {"@type": "NewsArticle", "headline": "Ministers agree gas schedule",
         "datePublished": "2025-03-01T10:00:00+04:00"},
    ]}
    head = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    # <title> says something else: the @graph headline is the vote that makes the <h1> win
    html = page(head=head).replace("<title>Ministers agree gas schedule | Example News</title>",
                                   "<title>Latest energy news</title>")
    extracted = extract_article(html, "http://example.org/a")
    assert extracted.title == "Ministers agree gas schedule"
    assert extracted.date_source == "jsonld" and extracted.published_at.isoformat() == "2025-03-01T06:00:00+00:00"
    published, _ = dates.page_candidates(html, "http://example.org/a")
    assert [c.source for c in published].count("jsonld") == 1


def test_related_links_after_a_label_are_dropped_but_linked_prose_is_kept():
    tree = parse_html("<html><body><a href='/x'>Leaders meet in Shusha for the anniversary</a>"
                      "<a href='/y'>Pipeline tariffs cut</a><a href='/z'>The full text of the Shusha "
                      "Declaration</a><a href='/w'>Read more</a></body></html>")
    lines = ["The talks ended on Tuesday.", "The full text of the Shusha Declaration",
             "DON'T MISS", "Leaders meet in Shusha for the anniversary", "Pipeline tariffs cut [VIDEO]",
             "The ministers will meet again in May.", "More Pipeline tariffs cut",
             "Read more: Pipeline tariffs cut", "По теме Pipeline tariffs cut", "The end."]
    # a line that is one link stays unless a "related" label comes right before it
    assert drop_furniture(lines, tree) == ["The talks ended on Tuesday.", "The full text of the Shusha Declaration",
                                           "The ministers will meet again in May.", "More Pipeline tariffs cut",
                                           "The end."]


def test_newsletter_follow_and_reading_time_lines_are_furniture():
    lines = ["Okuma süresi: 2 dk", "Sign up for our daily newsletter, delivered to your inbox.",
             "Follow Example News on Facebook and Twitter.", "Listen: https://po.st/abc",
             "Write to Jane Doe at jane.doe@example.org"]
    prose = "The ministers signed the newsletter agreement on gas in Baku, officials said."
    assert prose_chars("\n".join(lines)) == 0
    assert prose_chars(prose) == len(prose)


def test_recall_pass_lines_are_put_back_only_between_the_precise_ones():
    precise = "First paragraph.\nSecond paragraph.\nThird paragraph."
    full = "Share this\nFirst paragraph.\nA subheading\nSecond paragraph.\nThird paragraph.\nRelated stories"
    assert restore_interior(precise, full) == "First paragraph.\nA subheading\nSecond paragraph.\nThird paragraph."
    assert restore_interior(precise, "Something else entirely") == precise


def test_a_body_opening_with_the_og_title_instead_of_the_title_loses_it():
    head = '<meta property="og:title" content="Gas deal leaves traders guessing">'
    article = "<p>Gas deal leaves traders guessing</p>" + PARAGRAPHS
    extracted = extract_article(page(head=head, article=article), "http://example.org/a")
    assert extracted.title == "Ministers agree gas schedule"  # <title> and <h1> agree
    assert extracted.body.startswith("Paragraph 0"), extracted.body[:80]


def test_the_og_title_repeated_under_the_lead_is_dropped():
    head = '<meta property="og:title" content="Gas deal leaves traders guessing">'
    half = PARAGRAPHS.index("<p>Paragraph 1")
    article = PARAGRAPHS[:half] + "<p>Gas deal leaves traders guessing</p>" + PARAGRAPHS[half:]
    body = extract_article(page(head=head, article=article), "http://example.org/a").body
    assert "traders guessing" not in body and "Paragraph 5" in body


def test_a_second_h1_inside_the_article_is_a_subheading_and_stays():
    half = PARAGRAPHS.index("<p>Paragraph 3")
    article = PARAGRAPHS[:half] + "<h1>Second phase of the talks</h1>" + PARAGRAPHS[half:]
    body = extract_article(page(article=article), "http://example.org/a").body
    assert "Second phase of the talks" in body


def test_links_that_end_the_body_are_dropped_unless_the_body_is_all_links():
    tree = parse_html("<html><body><a href='/x'>Leaders meet in Shusha for the anniversary</a>"
                      "<a href='/t'>Energy</a></body></html>")
    lines = ["The talks ended on Tuesday.", "Leaders meet in Shusha for the anniversary", "The end.",
             "Leaders meet in Shusha for the anniversary", "", "- Energy"]
    assert drop_furniture(lines, tree) == lines[:3]
    assert drop_furniture(lines[-3:], tree) == lines[-3:]
