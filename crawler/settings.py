"""Scrapy settings for newsmon: polite by default, overridable per run. Reads no environment.

The store and its paths are given: `newsmon crawl` passes them (monitor/crawl.py), and
`scrapy crawl news` fills what is not set from the configuration (scrapy.cfg names
monitor/scrapy_entry.py, which adds an add-on for that).
"""

BOT_NAME = "newsmon"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

USER_AGENT = "newsmon/0.1 (+news monitoring; respects robots.txt)"
# robots.txt is obeyed by crawler.guard.RequestGuard, checked for every request before it
# leaves (Scrapy's own middleware let requests waiting for robots.txt through, 3 or more at once)
ROBOTSTXT_OBEY = False
# Only http(s): a sources file, robots.txt or sitemap naming file:// or ftp:// gets nothing.
DOWNLOAD_HANDLERS = {"file": None, "s3": None, "ftp": None, "data": None}
# Defaults; each source sets its own (max_page_bytes, max_sitemap_bytes), enforced by the guard
# per request and by Scrapy on the decompressed size as it streams (a gzip bomb stops there).
DOWNLOAD_MAXSIZE = 5_000_000
DOWNLOAD_WARNSIZE = 2_000_000

# Per-domain politeness: AutoThrottle adapts the delay to the server's latency.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
# Scrapy starts this many asyncio tasks for every response's output; an article page yields one
# item, so the default 100 made task creation the crawl process's largest cost (py-spy,
# benchmarks/README.md). The stages' parallelism is the worker pool, not this.
CONCURRENT_ITEMS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Pages downloaded and waiting for the stage workers, per spider (Scrapy stops downloading past
# it): Scrapy's 5 MB let every source's spider hold about 250 pages, each with its body, its
# decoded text and the text handed to a worker, and the crawl process grew with the backlog:
# 1,902 pages held at once crawling eight sources (385 MiB peak RSS at 5,000 articles, 221 with
# this; benchmarks/README.md). Two stage workers need a few pages each, not hundreds.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 500_000
# Scrapy's downloader, but keeping CONCURRENT_REQUESTS_PER_DOMAIN when there is no delay (see the module)
DOWNLOADER = "crawler.downloader.Downloader"
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5

ITEM_PIPELINES = {"crawler.pipelines.ArticlePipeline": 300}
# Spider middlewares newsmon has no use for, each a layer every callback's output went through
# (about a twelfth of the crawl process, benchmarks/README.md): depth is bounded per section
# (max_section_pages), not by DEPTH_LIMIT; no Referer header is needed; URLLENGTH_LIMIT is
# enforced by the guard, for redirects too.
SPIDER_MIDDLEWARES = {"scrapy.spidermiddlewares.depth.DepthMiddleware": None,
                      "scrapy.spidermiddlewares.referer.RefererMiddleware": None,
                      "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None}
# Scrapy settings that act only through those middlewares: `--set` refuses them, saying why,
# instead of taking them and doing nothing
_NO_DEPTH = "newsmon's crawls do not limit depth; a source's max_section_pages bounds its sections"
_NO_REFERER = "newsmon's crawls send no Referer header"
UNUSED_SETTINGS = {"DEPTH_LIMIT": _NO_DEPTH, "DEPTH_PRIORITY": _NO_DEPTH, "DEPTH_STATS_VERBOSE": _NO_DEPTH,
                   "REFERER_ENABLED": _NO_REFERER, "REFERRER_POLICY": _NO_REFERER}
# the guard first, so nothing it refuses is even looked up; the User-Agent after Scrapy's (500)
# and before it, the source's lease: a crawl that lost it sends nothing more
DOWNLOADER_MIDDLEWARES = {"crawler.lease.SourceLease": 40, "crawler.guard.RequestGuard": 50,
                          "crawler.middlewares.SourceUserAgentMiddleware": 550}
# network failures (an offline machine, a dead host) are logged in one line, not a traceback
# the crawl state records every article's outcome; the store writer takes the pipeline's articles
EXTENSIONS = {"crawler.quietlog.NetworkErrorsInOneLine": 0, "crawler.state.CrawlStateExtension": 100,
              "crawler.writer.StoreWriter": 200}
# requests waiting for a download are kept on disk, in a folder of the crawl's own (crawler/frontier.py):
# a crawl listing a year of articles does not hold them all in memory
SCHEDULER = "crawler.frontier.DiskFrontier"
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# newsmon's own settings: (name, default, what it does). Each is a module constant as well, so
# `scrapy crawl -s NAME=...` and `newsmon crawl --set NAME=...` know them.
NEWSMON_SETTINGS = (
    ("NEWSMON_STORE", "", "the store the crawl writes to (a URL, see index.open_store)"),
    ("NEWSMON_STORE_OPTIONS", {}, "index.open_store options: the Elasticsearch spool and credentials"),
    ("NEWSMON_STATE", "", "a crawl-state file of one's own (`--state`); empty: the store's own"),
    ("NEWSMON_STATE_LOCAL", "", "the store's own crawl-state file: beside a SQLite store, or where an "
                                "Elasticsearch store's state waits while the cluster is away"),
    ("NEWSMON_STATE_STORAGE", "", "the crawl state's class (crawler.state.CrawlState, "
                                  "crawler.state_elastic.ElasticCrawlState, or one's own with from_crawler); "
                                  "empty: the store's own, in the cluster for Elasticsearch (as HTTPCACHE_STORAGE)"),
    ("NEWSMON_FRONTIER_DIR", "", "where each crawl keeps its waiting requests (removed when it ends); "
                                 "empty: the system's temporary folder"),
    ("NEWSMON_ALLOW_LOOPBACK", False, "crawl 127.0.0.0/8 (the sample web, tests): `newsmon crawl --loopback`"),
    # set by the scheduler: the crawl holds (and renews) its sources' leases in the store as this
    # holder, for this long at a time, and stops once it loses one (crawler/lease.py)
    ("NEWSMON_LEASE_HOLDER", "", "the scheduler holding the sources' leases; empty: no lease"),
    ("NEWSMON_LEASE_SECONDS", 120.0, "how long a lease is held at a time"),
    ("NEWSMON_WORKERS", "", "stage worker processes; 0: in the crawl process (no time budget); "
                            "empty: one per core"),
    ("NEWSMON_STAGE_OPTIONS", {}, "the stages' knobs (crawler.stages.options.StageOptions), e.g. "
                                  '{"relevance": {"threshold": 4.0}, "extraction": {"min_body_chars": 300}}'),
    # a backfill's window (ISO dates), set by `newsmon backfill`: every in-range sitemap, deep sections
    ("NEWSMON_BACKFILL_SINCE", "", "a backfill's first day"),
    ("NEWSMON_BACKFILL_UNTIL", "", "a backfill's last day"),
)
globals().update({name: default for name, default, _ in NEWSMON_SETTINGS})
