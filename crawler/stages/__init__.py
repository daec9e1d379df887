"""One page through the pure stages: extract → language → relevance → signatures → index terms.

`build_article(html, url, ..., options=StageOptions())` is the seam the pipeline's workers call;
`build_from_extracted(fields, ...)` the stages after extraction, for text that is already
extracted (`newsmon import`). The options (crawler/stages/options.py) are re-exported here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from crawler.stages import dedup
from crawler.stages.dates import COUNTRY_ZONES, DateCandidate
from crawler.stages.extract import Extracted, ExtractionError, extract_article
from crawler.stages.language import detect_language
from crawler.stages.options import DEFAULT_STAGES, StageOptions
from crawler.stages.relevance import score_relevance
from crawler.stages.stories import story_features
from index.analysis import IndexTerms
from index.article import Article

if TYPE_CHECKING:  # crawler.discovery reads dates with the stages': importing it here would be a cycle
    from crawler.discovery import Candidate


@dataclass
class StageResult:
    """What the stages made of one page (whether it is stored is the writer's to say)."""

    status: str  # on_topic | off_topic | empty (whether it is stored is the writer's to say)
    article: Article | None
    reason: str = ""
    relevant: bool = False
    relevance_reasons: list[str] = field(default_factory=list)  # why the page is on or off the beat


def discovery_dates(candidate: Candidate | None) -> list[DateCandidate]:
    """Dates a feed or news sitemap gave for the article, as date candidates."""
    if candidate is None or candidate.published_at is None:
        return []
    return [DateCandidate(candidate.published_at, candidate.via if candidate.via in ("feed", "sitemap") else "feed")]


def build_article(html: str, url: str, source_id: str = "", country: str = "",
                  discovery: Candidate | None = None, canonical_url: str | None = None,
                  options: StageOptions = DEFAULT_STAGES) -> StageResult:
    """Run the stages on one page; `canonical_url`, when the crawler knows it, names the record.

    An on-topic article comes with its index terms, so the store that writes it only writes.
    """
    try:
        page = extract_article(html, url, zone=COUNTRY_ZONES.get(country), external_dates=discovery_dates(discovery),
                               options=options.extraction, date_options=options.dates)
    except ExtractionError as exc:
        return StageResult("empty", None, str(exc))
    return build_from_extracted(page, source_id, country, canonical_url, options)


def with_story_features(article: Article) -> Article:
    """What story assignment (crawler/stories.py) reads when the writer writes the article: made for
    every article stored (on the beat, or kept off it by `newsmon import --all`)."""
    article.story_features = story_features(article.title, article.body, article.language or "",
                                            article.published_at.date() if article.published_at else None)
    return article


def build_from_extracted(page: Extracted, source_id: str = "", country: str = "", canonical_url: str | None = None,
                         options: StageOptions = DEFAULT_STAGES, language: str = "") -> StageResult:
    """The stages after extraction (language, relevance, signatures, index terms) on fields already extracted.

    `build_article` hands it what trafilatura made of a page; `newsmon import` (monitor/importer.py)
    an Extracted built from a JSON line. A `language` given is kept (confidence 1.0), not detected.

    >>> page = Extracted(url="https://a.az/1", canonical_url="https://a.az/1", title="Aliyev and Erdogan met",
    ...                  body="Azerbaijani President Ilham Aliyev met Turkish President Erdogan in Ankara.")
    >>> build_from_extracted(page, source_id="a").status   # doctest: +SKIP
    'on_topic'
    """
    if language:
        confidence = 1.0
    else:
        language, confidence = detect_language(f"{page.title}\n{page.body}", options.language)
    relevance = score_relevance(page.title, page.body, language, options=options.relevance)
    # an imported line may have a title and no text: its title, not the empty text all such share, tells copies
    content_hash, signature = dedup.fingerprints(page.body or page.title)
    article = Article(
        url=page.url, canonical_url=canonical_url or page.canonical_url, source=source_id, source_country=country,
        title=page.title, body=page.body, authors=page.authors, published_at=page.published_at,
        modified_at=page.modified_at, crawled_at=datetime.now(timezone.utc).replace(microsecond=0),
        language=language, language_confidence=confidence, relevance=relevance.score,
        matched=list(relevance.matched), content_hash=content_hash,
        signature=signature, tags=page.tags, sitename=page.sitename,
        date_source=page.date_source, date_flags=page.date_flags,
    )
    if not relevance.relevant:
        return StageResult("off_topic", article, f"relevance {relevance.score:.2f}", relevance_reasons=relevance.reasons)
    article.terms = IndexTerms.of(article.title, article.body, language)
    with_story_features(article)
    return StageResult("on_topic", article, relevant=True, relevance_reasons=relevance.reasons)
