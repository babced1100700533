"""Fetch stage: Scrapy settings for warta's crawler (polite defaults, the item flow).

Every key here can be overridden per run with `scrapy crawl news -s KEY=VALUE` or the
`settings` argument of `crawler.run.run_crawl`.
"""

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

# --- politeness ------------------------------------------------------------------------
USER_AGENT = "warta/0.1 (+https://github.com/warta-news/warta)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# --- bounds: a news page is well under a megabyte; Scrapy's 1 GiB / 180 s are for bulk data
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2

# --- no remote control, no side outputs ---------------------------------------------------
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
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
    # Engine side of retry/redirect: counts each final response once, per source.
    "crawler.middlewares.SourcePagesMiddleware": 120,
}

SPIDER_MIDDLEWARES = {
    "crawler.middlewares.SourceSpiderErrorsMiddleware": 60,
}

EXTENSIONS = {
    "crawler.extensions.CrawlRunRecorder": 500,
}
