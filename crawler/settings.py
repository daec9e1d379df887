"""Scrapy settings for newsmon: polite by default, overridable per run."""
BOT_NAME = "newsmon"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

USER_AGENT = "newsmon/0.1 (+news monitoring; respects robots.txt)"
ROBOTSTXT_OBEY = True

# Per-domain politeness: AutoThrottle adapts the delay to the server's latency.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5

ITEM_PIPELINES = {"crawler.pipelines.ArticlePipeline": 300}
# after Scrapy's UserAgentMiddleware (500), before robots.txt requests leave
DOWNLOADER_MIDDLEWARES = {"crawler.middlewares.SourceUserAgentMiddleware": 550}
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

NEWSMON_STORE = "sqlite:///newsmon-data/newsmon.db"
NEWSMON_STATE = "newsmon-data/crawlstate.db"
# index.open_store options: the Elasticsearch spool and credentials (monitor/config.py fills them)
NEWSMON_STORE_OPTIONS = {}
