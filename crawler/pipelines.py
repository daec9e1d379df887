"""Scrapy pipeline: a thin adapter from crawled pages to the stages and the store."""
from __future__ import annotations

from crawler import dedup
from crawler.extract import is_truncated
from crawler.process import build_article
from index.store import open_store


class ArticlePipeline:
    """Turns each fetched page into a stored Article, counting every outcome."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.store = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.store = open_store(self.crawler.settings.get("NEWSMON_STORE"))

    def close_spider(self):
        self.store.close()

    def process_item(self, item):
        spider = self.crawler.spider
        source = spider.source
        if is_truncated(item["html"]):
            # kept if the text that did arrive is an article, but fetched again next crawl
            spider.count("errors/truncated_html")
        if item["encoding"] and item["encoding"].lower().replace("_", "-") not in ("utf-8", "utf8", "ascii"):
            spider.count(f"encoding/{item['encoding'].lower()}")
        outcome = build_article(item["html"], item["url"], source.id, source.country, item["discovery"])
        status = outcome.status
        if outcome.article is not None and status == "stored":
            article = outcome.article
            candidates = self.store.duplicate_candidates(article.content_hash, article.signature)
            article.duplicate_of = dedup.find_original(article.id, article.content_hash, article.signature, candidates)
            if article.duplicate_of:
                spider.count("articles/duplicates")
            self.store.upsert([article])
        spider.count(f"articles/{status}")
        if status == "empty":
            spider.logger.info("no article at %s: %s", item["url"], outcome.reason)
        final = "error:truncated" if is_truncated(item["html"]) else status
        for url in {item["requested_url"], outcome.article.canonical_url if outcome.article else item["url"]}:
            spider.state.record(url, source.id, "article", final, etag=item["etag"],
                                last_modified=item["last_modified"])
        return {"url": item["url"], "status": status}
