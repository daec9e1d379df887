"""Ranking fair to every language (index/ranking.py), on both stores, over the demo's articles.

The sample web's on-topic articles are what `newsmon demo` stores. Before, `Shusha` gave six
Russian hits first (one without Shusha in its title) and the first English one 26th.
"""
from __future__ import annotations

from datetime import timezone

import pytest

from index.analysis import analyze
from index.article import Article
from sampleweb import SampleWeb


def demo_articles() -> list[Article]:
    web = SampleWeb(seed=7)
    return [Article(url=f"https://{a.outlet}.example/{a.uid}", canonical_url=f"https://{a.outlet}.example/{a.uid}",
                    source=a.outlet, title=a.title, body=a.text, language=a.language,
                    published_at=a.published.astimezone(timezone.utc))
            for a in web.articles if a.on_topic and a.broken is None]


@pytest.fixture(scope="module")
def demo(new_store):
    store = new_store()
    store.upsert(demo_articles())
    return store


def in_title(article: Article, word: str) -> bool:
    """Whether the title holds the word (as the index sees it: stemmed, in any of its spellings)."""
    from index.query import expand, parse

    sequences = expand(parse(word)).sequences
    terms = analyze(article.title, article.language)
    return any(tuple(terms[i:i + len(s)]) == s for s in sequences for i in range(len(terms)))


def test_shusha_puts_english_and_another_language_in_the_first_three(demo):
    first = [h.article.language for h in demo.search("Shusha", size=3).hits]
    assert "en" in first and set(first) - {"en"}, first


@pytest.mark.parametrize("query", ["Shusha", "TANAP", "Erdogan Aliyev", "Nakhchivan"])
def test_the_first_page_mixes_languages(demo, query):
    page = demo.search(query, size=10).hits
    languages = {h.article.language for h in page}
    assert len(page) == 10 and len(languages) >= 3, [(h.article.language, h.article.title) for h in page]


@pytest.mark.parametrize("word", ["Shusha", "TANAP", "Nakhchivan"])
def test_a_title_match_ranks_before_a_mention_in_the_body_in_any_language(demo, word):
    hits = demo.search(word, size=100).hits
    titled = [in_title(h.article, word) for h in hits]
    assert any(titled) and not all(titled)
    assert titled == sorted(titled, reverse=True), [(h.article.language, h.article.title) for h in hits]


def test_an_or_with_a_filter_still_ranks_its_words(demo):
    hits = demo.search("title:TANAP OR source:haberler", size=100).hits
    scored = [h for h in hits if h.score > 0]
    assert scored and all(in_title(h.article, "TANAP") for h in scored)
    rest = hits[len(scored):]
    assert rest and all(h.score == 0 and h.article.source == "haberler" for h in rest)
    assert all(not in_title(h.article, "TANAP") for h in rest)


def test_the_last_page_the_window_allows_is_answered(demo):
    # each language's candidates are asked for with room to spare: never past the index's window
    deep = demo.search("Shusha", page=100, size=100)
    assert deep.total > 0 and deep.hits == []
