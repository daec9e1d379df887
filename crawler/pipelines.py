"""Scrapy pipeline: a thin adapter from crawled pages to the stages and the store."""
from __future__ import annotations

from crawler import writer as writers
from crawler.extract import is_truncated
from crawler.process import build_article


class ArticlePipeline:
    """Turns each fetched article page into exactly one outcome, counted by the spider."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.store_url = crawler.settings.get("NEWSMON_STORE")
        self.writer = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.writer = writers.acquire(self.store_url)

    def close_spider(self):
        writers.release(self.store_url)

    def process_item(self, item):
        spider = self.crawler.spider
        source = spider.source
        validators = {"etag": item["etag"], "last_modified": item["last_modified"]}
        if item["encoding"] and item["encoding"].lower().replace("_", "-") not in ("utf-8", "utf8", "ascii"):
            spider.count(f"encoding/{item['encoding'].lower()}")
        if is_truncated(item["html"]):
            # half an article is not the article: not stored, fetched whole on a later crawl
            spider.settle(item["urls"], "error:truncated")
            return {"url": item["url"], "status": "error:truncated"}
        try:
            outcome = build_article(item["html"], item["url"], source.id, source.country, item["discovery"],
                                    canonical_url=item["canonical_url"])
        except Exception:  # a stage bug costs this page, counted, never the crawl
            spider.logger.exception("processing %s failed", item["url"])
            spider.settle(item["urls"], "error:processing")
            return {"url": item["url"], "status": "error:processing"}
        if outcome.status == "empty":
            spider.logger.info("no article at %s: %s", item["url"], outcome.reason)
        if outcome.status != "on_topic":
            spider.settle(item["urls"], outcome.status, **validators)
            return {"url": item["url"], "status": outcome.status}
        article = outcome.article

        def written(result: str) -> None:
            # the URL is settled only once its article is written: a crash before then refetches it
            spider.settle(item["urls"], result, standing="duplicate" if article.duplicate_of else "stored",
                          **validators)

        try:
            self.writer.add(article, written)
        except Exception:  # the store refused even to be asked: counted, fetched again next crawl
            spider.logger.exception("queueing %s for the store failed", item["url"])
            spider.settle(item["urls"], "error:store")
            return {"url": item["url"], "status": "error:store"}
        return {"url": item["url"], "status": "on_topic"}
