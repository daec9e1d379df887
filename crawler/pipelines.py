"""Scrapy pipeline: a thin adapter from crawled pages to the stages and the store."""
from __future__ import annotations

from twisted.internet import task

from crawler import workers
from crawler import writer as writers
from crawler.stages.extract import is_truncated
from crawler.stages import StageOptions
from crawler.state import StateUnwritable
from monitor.config import load_config


class ArticlePipeline:
    """Turns each fetched article page into exactly one outcome, counted by the spider.

    The stages run in worker processes (NEWSMON_WORKERS, default one per core); the writer
    flushes by batch size and on a timer, so a long crawl is searchable as it goes.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.store_url = crawler.settings.get("NEWSMON_STORE")
        self.workers = workers.workers_setting(crawler.settings.get("NEWSMON_WORKERS"))
        # `newsmon crawl` passes them; under `scrapy crawl`, the store's own spool and credentials
        self.store_options = (crawler.settings.getdict("NEWSMON_STORE_OPTIONS")
                              or load_config(self.store_url).store_options())
        self.stage_options = StageOptions.from_dict(crawler.settings.getdict("NEWSMON_STAGE_OPTIONS"))
        self.writer = None
        self.stages = None
        self.timer = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.writer = writers.acquire(self.store_url, self.store_options)
        self.stages = workers.acquire(self.workers)
        self.timer = task.LoopingCall(self.writer.flush_if_due)
        self.timer.start(1.0, now=False)

    def close_spider(self):
        if self.timer is not None and self.timer.running:
            self.timer.stop()
        writers.release(self.store_url)
        workers.release(self.stages)

    async def process_item(self, item):
        spider = self.crawler.spider
        source = spider.source
        validators = {"etag": item["etag"], "last_modified": item["last_modified"]}
        if item["encoding"] and item["encoding"].lower().replace("_", "-") not in ("utf-8", "utf8", "ascii"):
            spider.count(f"encoding/{item['encoding'].lower()}")
        if not item["html"].strip():
            spider.settle(item["urls"], "empty", **validators)  # an empty answer is no article, not a cut-off one
            return {"url": item["url"], "status": "empty"}
        if is_truncated(item["html"]):
            # half an article is not the article: not stored, fetched whole on a later crawl
            return self._error(spider, item, "truncated")
        html = item["html"]
        if len(html) > source.max_html_chars:
            spider.count("limits/html_capped")
            html = html[:source.max_html_chars]
        try:
            outcome = await self.stages.build(html, item["url"], source.id, source.country, item["discovery"],
                                              item["canonical_url"], timeout=source.extraction_seconds,
                                              options=self.stage_options)
        except workers.StageTimeout:
            spider.logger.warning("extraction of %s ran out of time", item["url"])
            return self._error(spider, item, "extraction_timeout")
        except workers.WorkerDied:
            spider.logger.error("a worker died twice on %s", item["url"])
            return self._error(spider, item, "worker_died")
        except Exception:  # a stage bug costs this page, counted, never the crawl
            spider.logger.exception("processing %s failed", item["url"])
            return self._error(spider, item, "processing")
        if outcome.status == "empty":
            spider.logger.info("no article at %s: %s", item["url"], outcome.reason)
        if outcome.status != "on_topic":
            spider.settle(item["urls"], outcome.status, **validators)
            return {"url": item["url"], "status": outcome.status}
        article = outcome.article
        if spider.outside_window(article.published_at):
            # a backfill stores its window only; no validators kept, so a later crawl or another
            # window's backfill that lists the page still fetches it
            spider.settle(item["urls"], "outside_window")
            return {"url": item["url"], "status": "outside_window"}

        def written(result: str) -> None:
            # the URL is settled only once its article is written: a crash before then refetches it,
            # and a failed write leaves it to be fetched again (no validators kept)
            try:
                if result == "error:lease_lost" or (result == "error:store" and self.writer.unwritable):
                    # not recorded: the URL stays due, and a disk full for many crawls does not
                    # wear down its five tries (nor does another crawl holding the source)
                    spider.count_outcome(result)
                    if self.writer.unwritable:
                        spider.stop_unwritable(self.writer.unwritable)
                elif result.startswith("error:"):
                    spider.settle(item["urls"], result)
                else:
                    spider.settle(item["urls"], result, standing="duplicate" if article.duplicate_of else "stored",
                                  **validators)
            except StateUnwritable as exc:  # the URL stays due: fetched again once there is room
                spider.stop_unwritable(str(exc))

        try:
            lease = getattr(spider, "lease", None)
            self.writer.add(article, written, lease.fence if lease is not None else None)
        except Exception:  # the store refused even to be asked: counted, fetched again next crawl
            spider.logger.exception("queueing %s for the store failed", item["url"])
            return self._error(spider, item, "store")
        return {"url": item["url"], "status": "on_topic"}

    @staticmethod
    def _error(spider, item, kind: str) -> dict:
        spider.settle(item["urls"], f"error:{kind}")
        return {"url": item["url"], "status": f"error:{kind}"}
