"""Fetch stage: Scrapy settings for warta's crawler (polite defaults, the item flow).

Every key here can be overridden per run with `scrapy crawl news -s KEY=VALUE` or the
`settings` argument of `crawler.run.run_crawl`.
"""

# Imported with the settings, while few modules are loaded: Scrapy's TLS modules name their
# deprecated aliases through inspect.stack(), whose cost grows with the modules loaded
# (0.25 s of the crawl's CPU when the download handler came after the rest of warta, 0.05 s
# here). It installs no reactor.
import crawler.download  # noqa: F401

BOT_NAME = "warta"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- warta's own settings --------------------------------------------------------------
# Database and sources file: this setting first, else the environment (WARTA_DATABASE_URL /
# WARTA_CONFIG), else the documented defaults (see crawler/context.py).
WARTA_DATABASE_URL: str | None = None
WARTA_CONFIG: str | None = None
# Rows per store transaction; the last partial batch is written when the spider closes.
WARTA_STORE_BATCH_SIZE = 50
# Listing sources: how many "next page" links to follow from each start URL.
WARTA_LISTING_MAX_PAGES = 3
# Write one crawl-run record per source (crawler.extensions.CrawlRunRecorder).
WARTA_RECORD_RUNS = True
# Networks the crawler may reach although they are not public (loopback, private, ...):
# comma-separated CIDRs; None reads the environment variable of the same name. The demo and
# the tests set "127.0.0.1/32". See crawler/guards.py.
WARTA_ALLOW_NETWORKS: str | None = None
# Requests one source may make in one crawl (feeds, sitemaps, listings and articles).
WARTA_SOURCE_MAX_REQUESTS = 1000
# Retries wait Retry-After, else WARTA_RETRY_BACKOFF_BASE * 2**n seconds; a site asking for
# more than WARTA_RETRY_MAX_DELAY is given up (see crawler/retry.py).
WARTA_RETRY_BACKOFF_BASE = 1.0
WARTA_RETRY_MAX_DELAY = 60.0

# Incremental re-crawls (crawler/incremental.py): feeds, sitemaps and listings are
# requested with If-None-Match / If-Modified-Since from the last clean crawl, and a 304
# costs no parsing. An article already stored is fetched again only when its feed/sitemap
# entry shows a newer date or it is younger than the refresh window, at most
# WARTA_REFETCH_BUDGET times per source and crawl (skips are counted in the run);
# WARTA_SKIP_STORED = False fetches every listed article again (a full re-check).
WARTA_CONDITIONAL_REQUESTS = True
WARTA_SKIP_STORED = True
WARTA_REFRESH_WINDOW_HOURS = 6.0
WARTA_REFETCH_BUDGET = 100
# Extraction moves to worker processes once one crawl has fetched or scheduled more than
# this many article pages (a backfill, not a feed visit; crawler/extract_pool.py). Pages of
# a crawl that grew past it go on in process while the workers start; those of a backfill
# scheduled before its first page (and every page with 0) wait for a worker.
# 0 workers = two (one on a single core), -1 = never.
WARTA_EXTRACT_POOL_AFTER = 100
WARTA_EXTRACT_WORKERS = 0
# Items processed in parallel per response. The news spider yields at most one item per
# response, and Scrapy 2.19 starts this many asyncio tasks for every response's output:
# Scrapy's default (100) costs ~1.2 ms of CPU per page, 40% of a bare crawl's own CPU.
CONCURRENT_ITEMS = 4
# Shared frontier: with a Redis URL (or the environment variable), this crawl is one worker
# of a crawl shared through Redis (crawler/frontier/, docs/frontier.md); unset: off.
WARTA_REDIS_URL: str | None = None
ADDONS = {"crawler.frontier.FrontierAddon": 0}

# --- politeness ------------------------------------------------------------------------
USER_AGENT = "warta/0.1 (+https://github.com/warta-news/warta)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# --- bounds: a news page is well under a megabyte; Scrapy's 1 GiB / 180 s are for bulk data.
# 10 MB still fits an uncompressed news sitemap of 1,000 URLs with images many times over;
# the same cap applies to decompressed bodies (gzip/deflate/br/zstd bombs).
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
# Status line + headers of one response (Scrapy has no such cap; see crawler/download.py).
WARTA_MAX_HEADER_BYTES = 256 * 1024
# Whole download (connect to last byte): a tarpit costs at most 20 s x (RETRY_TIMES + 1).
DOWNLOAD_TIMEOUT = 20
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
# Feed -> article is depth 1; sitemap index -> sitemap -> article and three listing pages
# -> article are 3. Anything deeper is a trap (CrawlBoundsMiddleware counts what it cuts).
DEPTH_LIMIT = 5
# One crawl of all sources ends after 30 minutes, whatever a site does.
CLOSESPIDER_TIMEOUT = 30 * 60

# --- no remote control, no side outputs, only http(s) ----------------------------------------
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
DOWNLOAD_HANDLERS = {
    "file": None,
    "data": None,
    "ftp": None,
    "s3": None,
    # Scrapy's HTTP/1.1 handler plus a cap on response headers (crawler/download.py).
    "http": "crawler.download.LimitedHTTP11DownloadHandler",
    "https": "crawler.download.LimitedHTTP11DownloadHandler",
}
# Checks the address every connection goes to against WARTA_ALLOW_NETWORKS (DNS rebinding).
TWISTED_DNS_RESOLVER = "crawler.guards.GuardedResolver"
FEEDS: dict[str, dict[str, str]] = {}
LOG_LEVEL = "INFO"

# One fetch per article: tracking-parameter and fragment variants share a fingerprint.
REQUEST_FINGERPRINTER_CLASS = "crawler.fingerprint.CanonicalURLFingerprinter"

# --- the item flow: this order IS the flow (fetch -> extract -> store) ---------------------
ITEM_PIPELINES = {
    "crawler.pipelines.ExtractPipeline": 100,
    "crawler.pipelines.StorePipeline": 800,
}

DOWNLOADER_MIDDLEWARES = {
    # Per-source allowed_domains instead of one list for the whole spider.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.SourceOffsiteMiddleware": 50,
    # Only http(s), and no private/loopback/link-local/multicast hosts (SSRF), for start
    # URLs, links and redirect targets alike.
    "crawler.guards.NetworkGuardMiddleware": 55,
    # Waits before a retry (Retry-After or backoff) instead of re-queuing at once.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.retry.BackoffRetryMiddleware": 550,
    # Conditional GETs for entry points; a 304 is dropped here, before any parsing.
    "crawler.incremental.ConditionalEntryMiddleware": 560,
    # Just outside RedirectMiddleware (600): loops and non-http targets become errors.
    "crawler.guards.RedirectGuardMiddleware": 610,
    "crawler.guards.MetaRefreshGuardMiddleware": 585,
    # Scrapy's, without decoding every whole page to find no refresh in it (crawler/guards.py).
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.guards.PrescreenedMetaRefreshMiddleware": 580,
    # Engine side of retry/redirect: counts each final response once, per source.
    "crawler.middlewares.SourcePagesMiddleware": 120,
}

SPIDER_MIDDLEWARES = {
    "crawler.middlewares.SourceSpiderErrorsMiddleware": 60,
    # Outside DepthMiddleware (900): sees every new request first, counts what it cuts.
    "crawler.middlewares.CrawlBoundsMiddleware": 950,
    # Closer to the spider than the bounds: a stored article skipped spends no budget.
    "crawler.incremental.StoredArticleFilter": 960,
}

EXTENSIONS = {
    "crawler.extensions.CrawlRunRecorder": 500,
    # Freezes the start-up heap and collects less often while the engine runs.
    "crawler.garbage.FreezeStartupHeap": 0,
}
# False: leave Python's garbage collector as it is during crawls (crawler/garbage.py).
WARTA_GC_FREEZE = True
