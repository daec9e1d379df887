"""StageOptions: every knob of the stages in one object, passed down to each stage.

Each group is the stage's own frozen dataclass, its defaults the measured ones (see each module):

    extraction  crawler.stages.extract.ExtractionOptions   min_body_chars, include_tables, recall_fallback, restore_interior
    language    crawler.stages.language.LanguageOptions    sample_chars, schwa_share, kazakh_share, long_text_letters
    relevance   crawler.stages.relevance.RelevanceOptions  threshold, ...
    dedup       crawler.stages.dedup.DedupOptions          near_threshold (applied by the store writer)
    dates       crawler.stages.dates.DateOptions           priority, earliest

The options are pickled to the stage workers with each page, so spiders of one process may
differ in them. A crawl takes them as JSON in the NEWSMON_STAGE_OPTIONS setting:

    newsmon crawl --set 'NEWSMON_STAGE_OPTIONS={"relevance": {"threshold": 4.0}, "dates": {"earliest": "2000-01-01"}}'

and in code:

    >>> from crawler.stages import build_article
    >>> options = StageOptions.from_dict({"extraction": {"min_body_chars": 300}})
    >>> options.extraction.min_body_chars, options.language.sample_chars
    (300, 1000)
    >>> build_article(html, url, options=options)  # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass

from crawler.stages.dates import DEFAULT_DATES, DateOptions
from crawler.stages.dedup import DEFAULT_DEDUP, DedupOptions
from crawler.stages.extract import DEFAULT_EXTRACTION, ExtractionOptions
from crawler.stages.language import DEFAULT_LANGUAGE, LanguageOptions
from crawler.stages.relevance import DEFAULT_OPTIONS as DEFAULT_RELEVANCE, RelevanceOptions


@dataclass(frozen=True)
class StageOptions:
    """Every knob of the stages in one object: passed down to each stage, and pickled to the workers."""

    extraction: ExtractionOptions = DEFAULT_EXTRACTION
    language: LanguageOptions = DEFAULT_LANGUAGE
    relevance: RelevanceOptions = DEFAULT_RELEVANCE
    dedup: DedupOptions = DEFAULT_DEDUP
    dates: DateOptions = DEFAULT_DATES

    @classmethod
    def from_dict(cls, data: dict | None) -> "StageOptions":
        """From `{"extraction": {...}, "relevance": {...}, ...}` (the NEWSMON_STAGE_OPTIONS setting)."""
        parts = {"extraction": ExtractionOptions, "language": LanguageOptions, "relevance": RelevanceOptions,
                 "dedup": DedupOptions, "dates": DateOptions}
        data = data or {}
        if not isinstance(data, dict):
            raise ValueError("stage options are a JSON object of option groups")
        unknown = set(data) - set(parts)
        if unknown:
            raise ValueError(f"unknown stage option group(s) {sorted(unknown)}: use {sorted(parts)}")
        built = {}
        for name, kind in parts.items():
            given = data.get(name) or {}
            if not isinstance(given, dict):
                raise ValueError(f"{name} options are a JSON object, not {given!r}")
            wrong = set(given) - set(kind.__dataclass_fields__)
            if wrong:
                raise ValueError(f"unknown {name} option(s) {sorted(wrong)}: use {sorted(kind.__dataclass_fields__)}")
            built[name] = kind(**given)
        return cls(**built)


DEFAULT_STAGES = StageOptions()
