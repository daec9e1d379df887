"""URL canonicalisation, dates, extraction and dedup as pure functions."""
from datetime import datetime, timedelta, timezone

import pytest

from crawler.stages import dates, dedup
from crawler.stages.extract import ExtractionError, canonical_link, decode, extract_article, is_truncated
from crawler.urls import canonical


def test_canonical_drops_tracking_and_fragment():
    assert canonical("http://a.tr/x?utm_source=rss&b=2&a=1#comments") == "http://a.tr/x?a=1&b=2"
    assert canonical("/2025/01/02/x?fbclid=1", base="http://a.tr/rss.xml") == "http://a.tr/2025/01/02/x"


def test_amp_canonical_link():
    html = '<html><head><link rel="canonical" href="/2025/01/02/story"></head></html>'
    assert canonical_link(html, "http://a.tr/amp/2025/01/02/story") == "http://a.tr/2025/01/02/story"


def test_naive_times_read_in_outlet_zone():
    html = '<html><head><meta property="article:published_time" content="2025-03-01T10:00:00"></head></html>'
    published, _ = dates.page_candidates(html, "https://x.az/a", zone="Asia/Baku")
    assert published[0].value == datetime(2025, 3, 1, 6, 0, tzinfo=timezone.utc)


def test_date_rule_prefers_structured_and_flags_disagreement_and_future():
    jsonld = dates.DateCandidate(datetime(2025, 3, 1, 6, tzinfo=timezone.utc), "jsonld")
    url = dates.DateCandidate(datetime(2025, 2, 20, tzinfo=timezone.utc), "url", precise=False)
    chosen = dates.choose([url, jsonld], [])
    assert chosen.published_at == jsonld.value and chosen.source == "jsonld"
    assert "disagree" in chosen.flags
    soon = datetime.now(timezone.utc) + timedelta(hours=6)  # a zone mistake: flagged, still used
    chosen = dates.choose([dates.DateCandidate(soon, "meta")], [])
    assert "future" in chosen.flags and chosen.published_at == soon


@pytest.mark.parametrize("year", [1, 1900, 1989, 2099, 9999])
def test_implausible_dates_are_candidates_never_the_date(year):
    """A page dated year 1, 1900 or 2099 keeps its real date (or none), flagged."""
    odd = dates.DateCandidate(datetime(year, 12, 31, tzinfo=timezone.utc), "jsonld")
    real = dates.DateCandidate(datetime(2025, 3, 1, 6, tzinfo=timezone.utc), "url", precise=False)
    chosen = dates.choose([odd, real], [odd])
    assert chosen.published_at == real.value and chosen.modified_at is None
    assert "implausible" in chosen.flags and odd in chosen.candidates
    assert dates.choose([odd], []).published_at is None


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+03:00", "9999-12-31T23:59:59-05:00", "1-01-02"])
def test_dates_at_the_ends_of_the_calendar_do_not_raise(text):
    dates.to_utc(text)  # parsed or None, never OverflowError


def test_same_page_twice_gives_the_same_text():
    html = "<html><body><article>" + "".join(
        f"<p>Paragraph {i}: Azerbaijan and Türkiye signed a new energy agreement in Baku today.</p>" for i in range(8)
    ) + "</article></body></html>"
    assert extract_article(html, "http://x/a").body == extract_article(html, "http://x/b").body


def test_truncated_and_empty_pages():
    assert is_truncated("<html><body><p>cut in the mid")
    assert not is_truncated("<html><body></body></html>")
    with pytest.raises(ExtractionError):
        extract_article("", "http://x/")
    with pytest.raises(ExtractionError):
        extract_article("<html><body><nav>Home</nav></body></html>", "http://x/")


def test_windows_1254_declared_in_header_only():
    text = "<html><body><p>Cumhurbaşkanı Erdoğan Bakü'de İlham Aliyev ile görüştü.</p></body></html>"
    encoding, decoded = decode(text.encode("cp1254"), "text/html; charset=windows-1254")
    assert encoding == "cp1254" and "Erdoğan" in decoded


def test_windows_1251_declared_in_meta_only():
    text = '<html><head><meta charset="windows-1251"></head><body>Эрдоган и Алиев в Шуше</body></html>'
    _, decoded = decode(text.encode("cp1251"), "text/html")
    assert "Шуше" in decoded


def test_exact_and_near_duplicates():
    body = " ".join(f"Sentence {i} about the energy corridor between Baku and Ankara." for i in range(40))
    edited = "(Reported by Partner Agency) " + body
    other = " ".join(f"Weather line {i}: rain expected in Izmir tomorrow afternoon." for i in range(40))
    assert dedup.content_hash(body) == dedup.content_hash("  " + body.upper())
    sig = dedup.signature(body)
    assert dedup.similarity(sig, dedup.signature(edited)) >= dedup.NEAR_THRESHOLD
    assert dedup.similarity(sig, dedup.signature(other)) < 0.2


def test_stage_options_from_a_setting_name_what_is_wrong():
    from crawler.stages import StageOptions

    options = StageOptions.from_dict({"relevance": {"threshold": 4.5}, "extraction": {"min_body_chars": 300}})
    assert options.relevance.threshold == 4.5 and options.extraction.min_body_chars == 300
    assert options.relevance.title_points == StageOptions().relevance.title_points  # the rest stays default
    with pytest.raises(ValueError, match="unknown relevance option.*treshold"):
        StageOptions.from_dict({"relevance": {"treshold": 4}})
    with pytest.raises(ValueError, match="unknown stage option group"):
        StageOptions.from_dict({"translation": {}})  # (was "language", a group StageOptions now has)
    with pytest.raises(ValueError, match="extraction options are a JSON object, not 5"):
        StageOptions.from_dict({"extraction": 5})


def test_on_topic_articles_carry_their_index_terms():
    """The terms a store writes are made with the other stages, from the article's own text."""
    from crawler.stages import build_article
    from index.analysis import index_text, terms_of

    body = "".join(f"<p>Azerbaijan and Türkiye agreed in Baku on gas deliveries through TANAP, the ministers said {i}.</p>"
                   for i in range(6))
    html = f"<html><head><title>Azerbaijan and Türkiye sign TANAP deal</title></head><body><article>{body}</article></body></html>"
    article = build_article(html, "https://a.az/news/1").article
    assert article.terms is not None and terms_of(article) is article.terms
    assert article.terms.body == index_text(article.body, article.language)
    article.body += "\nA correction: the deal was signed in Ganja."
    fresh = terms_of(article)  # edited after the stages ran: the terms are made anew
    assert fresh is not article.terms and "ganja" in fresh.body
    assert "terms" not in article.to_dict()


def test_stages_after_extraction_are_the_crawls_own():
    """build_article is extraction plus build_from_extracted: the same fields give the same record."""
    from crawler.stages import build_article, build_from_extracted

    html = "<html><body><article><h1>Erdoğan Bakü'de Aliyev ile görüştü</h1>" + "".join(
        f"<p>Türkiye Cumhurbaşkanı Erdoğan ve Azerbaycan Cumhurbaşkanı Aliyev Bakü'de enerji anlaşması imzaladı {i}.</p>"
        for i in range(6)) + "</article></body></html>"
    crawled = build_article(html, "https://a.tr/news/1", "a-tr", "TR")
    page = extract_article(html, "https://a.tr/news/1", zone="Europe/Istanbul")
    imported = build_from_extracted(page, "a-tr", "TR")
    assert crawled.status == imported.status == "on_topic"
    keep = ("id", "title", "body", "language", "relevance", "matched", "content_hash", "signature", "source_country")
    assert {k: getattr(crawled.article, k) for k in keep} == {k: getattr(imported.article, k) for k in keep}
    given = build_from_extracted(page, "a-tr", "TR", language="tr")
    assert (given.article.language, given.article.language_confidence) == ("tr", 1.0)


@pytest.mark.parametrize("value, code", [("en", "en"), ("EN-us", "en"), ("tr_TR", "tr"), ("aze", "az"),
                                         ("rus", "ru"), ("Russian", "ru"), ("azerbaijani", "az"), (" ru ", "ru"),
                                         ("English!", None), ("klingon", None), ("", None)])
def test_a_given_language_is_normalised_to_its_iso_639_1_code(value, code):
    from crawler.stages.language import normalise_language

    assert normalise_language(value) == code


def test_a_given_date_is_read_in_the_outlets_zone_and_checked():
    chosen = dates.given_date("2025-03-04T10:00:00", "Asia/Baku")
    assert chosen.published_at == datetime(2025, 3, 4, 6, tzinfo=timezone.utc) and chosen.source == "given"
    assert dates.given_date("Tue, 04 Mar 2025 10:00:00 +0300").published_at == datetime(2025, 3, 4, 7, tzinfo=timezone.utc)
    for bad in ("yesterday", "5", "2025-13-45"):
        assert dates.given_date(bad) is None
    far = dates.given_date("2999-01-01")
    assert far.published_at is None and "implausible" in far.flags


def test_articles_with_a_title_and_no_text_are_not_copies_of_each_other():
    from crawler.stages import build_from_extracted
    from crawler.stages.extract import Extracted

    def titled(n: int, title: str):
        page = Extracted(url=f"https://a.az/{n}", canonical_url=f"https://a.az/{n}", title=title, body="")
        return build_from_extracted(page, language="en").article

    one, other = titled(1, "Aliyev met Erdogan in Ankara"), titled(2, "Azerbaijan and Turkey sign a gas deal")
    assert one.content_hash != other.content_hash and one.signature != other.signature
