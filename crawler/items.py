"""What the spider hands the pipeline (ArticlePage) and the pipeline hands on (BuiltArticle)."""
from __future__ import annotations

from dataclasses import dataclass

from crawler.discovery import Candidate
from crawler.sources import Source
from index.article import Article


@dataclass
class ArticlePage:
    """A fetched article page, decoded, under the URL its article lives at."""

    url: str
    canonical_url: str
    urls: list[str]  # every URL this page settles: the one asked for, its canonical, where it ended
    html: str
    encoding: str
    source: Source
    discovery: Candidate | None  # what a feed or sitemap said of it (its dates feed the date choice)
    etag: str | None
    last_modified: str | None


@dataclass
class BuiltArticle:
    """What the pipeline made of a page: `on_topic` with the article for the store writer, or an
    outcome already settled (crawler.outcomes)."""

    url: str
    status: str
    page: ArticlePage | None = None
    article: Article | None = None
