"""Scrapy pipeline: a thin adapter from crawled pages to the stages and the store."""
from __future__ import annotations

from crawler import writer as writers
from crawler.extract import is_truncated
from crawler.process import build_article


class ArticlePipeline:
    """Turns each fetched page into a stored Article, counting every outcome."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.store_url = crawler.settings.get("NEWSMON_STORE")
        self.store_options = crawler.settings.getdict("NEWSMON_STORE_OPTIONS")
        self.writer = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.writer = writers.acquire(self.store_url, self.store_options)

    def close_spider(self):
        writers.release(self.store_url)

    def process_item(self, item):
        spider = self.crawler.spider
        source = spider.source
        truncated = is_truncated(item["html"])
        if truncated:
            # kept if the text that did arrive is an article, but fetched again next crawl
            spider.count("errors/truncated_html")
        if item["encoding"] and item["encoding"].lower().replace("_", "-") not in ("utf-8", "utf8", "ascii"):
            spider.count(f"encoding/{item['encoding'].lower()}")
        outcome = build_article(item["html"], item["url"], source.id, source.country, item["discovery"])
        status = outcome.status
        spider.count(f"articles/{status}")
        if status == "empty":
            spider.logger.info("no article at %s: %s", item["url"], outcome.reason)
        final = "error:truncated" if truncated else status
        urls = {item["requested_url"], outcome.article.canonical_url if outcome.article else item["url"]}

        def settle() -> None:
            for url in urls:
                spider.state.record(url, source.id, "article", final, etag=item["etag"],
                                    last_modified=item["last_modified"])

        if outcome.article is not None and status == "stored":
            self.writer.link_duplicate(outcome.article)
            if outcome.article.duplicate_of:
                spider.count("articles/duplicates")
            # the URL is settled only once its article is written: a crash before then refetches it
            self.writer.add(outcome.article, settle)
        else:
            settle()
        return {"url": item["url"], "status": status}
