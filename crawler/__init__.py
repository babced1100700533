"""Fetch stage: the Scrapy project (`scrapy crawl news`, `crawler.run.run_crawl`).

Flow: spiders/news.py fetches feed, sitemap and listing entry points and yields one
`items.FetchedPage` per article page -> pipelines.ExtractPipeline (pipeline.extract, once per
page) -> pipelines.StorePipeline (storage.Database.store_batch, in batches).
Every request carries its source name (meta `warta_source`); middlewares.py applies that
source's allowed domains and counts its pages; stats.py keeps per-source counters from which
extensions.CrawlRunRecorder writes one crawl-run record per source crawled.
"""
