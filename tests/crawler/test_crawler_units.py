"""Fetch stage, one component at a time: each is built with a Scrapy crawler and called directly."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from crawlsite import GN_TITLE, article_html, atom, listing, news_sitemap, rss, sources_toml, urlset
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, IgnoreRequest
from scrapy.http import HtmlResponse, Response, XmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler import stats as st
from crawler.context import UnknownSourceError, database_url, select_sources, source_for_url
from crawler.extensions import CrawlRunRecorder, run_status
from crawler.items import ArticleHints, FetchedPage
from crawler.middlewares import SourceOffsiteMiddleware, SourcePagesMiddleware
from crawler.pipelines import ExtractPipeline, StorePipeline
from crawler.run import crawl_settings
from crawler.sitemaps import NewsSitemap, sitemap_body
from crawler.spiders.news import HINTS_META, PAGE_META, SOURCE_META, NewsSpider
from storage.database import Database
from storage.records import PageRecord
from warta.config import load_config

BASE = "http://127.0.0.1:8099"


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(sources_toml(BASE))
    return path


def make_spider(config_path: Path, db_url: str = "sqlite://", **kwargs: Any) -> NewsSpider:
    crawler = get_crawler(NewsSpider, {"WARTA_DATABASE_URL": db_url})
    return NewsSpider.from_crawler(crawler, config=str(config_path), **kwargs)


def response_for(
    url: str, body: bytes, source: str, cls: type[Response] = XmlResponse, **meta: Any
) -> Response:
    request = Request(url, meta={SOURCE_META: source, **meta})
    return cls(url, body=body, request=request)


def stat(crawler: Crawler, source: str, key: str) -> int:
    assert crawler.stats is not None
    return st.source_value(crawler.stats, source, key)


# --- sitemaps ---------------------------------------------------------------------------------


def test_news_sitemap_keeps_the_google_news_fields() -> None:
    [entry] = list(NewsSitemap(news_sitemap(BASE).encode()))
    assert entry["loc"] == f"{BASE}/news/gn-1.html"
    assert entry["news_title"] == GN_TITLE
    assert entry["news_publication_date"] == "2026-03-04T05:06:07+07:00"
    assert (entry["news_language"], entry["news_name"]) == ("en", "Test News")
    assert "news" not in entry


def test_sitemap_body_unpacks_gzip_within_the_size_cap() -> None:
    xml = urlset(BASE).encode()
    packed = Response(f"{BASE}/s.xml.gz", body=gzip.compress(xml))
    assert sitemap_body(packed, max_size=10 * len(xml)) == xml
    assert sitemap_body(packed, max_size=len(xml) // 2) is None  # a bomb is refused
    assert sitemap_body(Response(f"{BASE}/s.xml", body=xml), max_size=1000) == xml
    html = Response(f"{BASE}/x", body=b"<html><body>not a sitemap</body></html>")
    assert sitemap_body(html, max_size=1000) is None


def test_sitemap_index_is_followed_and_urlset_filtered_by_pattern(config_path: Path) -> None:
    spider = make_spider(config_path, source="maps")
    index = f"""<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>
        <sitemap><loc>{BASE}/a.xml.gz</loc></sitemap></sitemapindex>""".encode()
    [follow] = list(spider.parse_sitemap(response_for(f"{BASE}/index.xml", index, "maps")))
    assert follow.url == f"{BASE}/a.xml.gz" and follow.callback == spider.parse_sitemap

    gz = response_for(f"{BASE}/a.xml.gz", gzip.compress(urlset(BASE).encode()), "maps", Response)
    articles = list(spider.parse_sitemap(gz))
    assert [r.url for r in articles] == [f"{BASE}/news/sm-1.html", f"{BASE}/news/sm-2.html"]
    hints = articles[0].meta[HINTS_META]
    assert hints.published_at == datetime(2026, 2, 1, tzinfo=UTC)


def test_unreadable_sitemap_is_counted_for_its_source(config_path: Path) -> None:
    spider = make_spider(config_path, source="maps")
    bad = response_for(f"{BASE}/index.xml", b"<html>oops</html>", "maps", HtmlResponse)
    assert list(spider.parse_sitemap(bad)) == []
    assert stat(spider.crawler, "maps", st.ERRORS_PARSE) == 1


# --- feeds ------------------------------------------------------------------------------------

RDF = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="{BASE}/"><title>RDF</title><link>{BASE}/</link></channel>
  <item rdf:about="{BASE}/news/rdf-1.html">
    <title>RDF item</title><link>{BASE}/news/rdf-1.html</link>
    <dc:date>2026-01-02T03:04:05Z</dc:date><dc:creator>Dee Cee</dc:creator></item>
</rdf:RDF>""".encode()


def test_rss_feed_entries_become_article_requests_with_hints(config_path: Path) -> None:
    spider = make_spider(config_path, source="rss")
    requests = list(
        spider.parse_feed(response_for(f"{BASE}/feed/rss.xml", rss(BASE).encode(), "rss"))
    )
    first = requests[0]
    assert first.url == f"{BASE}/news/rss-1.html" and first.callback == spider.parse_article
    assert first.meta[SOURCE_META] == "rss"
    hints: ArticleHints = first.meta[HINTS_META]
    assert hints.title == "Open model tops reasoning benchmark"
    assert hints.published_at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert hints.language == "en"
    assert len(requests) == 5  # offsite and robots filtering happen later, in middlewares


@pytest.mark.parametrize(
    ("body", "url", "author"),
    [
        (atom(BASE).encode(), f"{BASE}/news/atom-1.html", "Atom Author"),
        (RDF, f"{BASE}/news/rdf-1.html", "Dee Cee"),
    ],
    ids=["atom", "rss1.0-rdf"],
)
def test_atom_and_rdf_feeds_are_read(config_path: Path, body: bytes, url: str, author: str) -> None:
    spider = make_spider(config_path, source="atom")
    [first, *_] = list(spider.parse_feed(response_for(f"{BASE}/feed", body, "atom")))
    assert first.url == url
    assert first.meta[HINTS_META].authors == (author,)
    assert first.meta[HINTS_META].published_at is not None


def test_unreadable_feed_is_counted_not_raised(config_path: Path) -> None:
    spider = make_spider(config_path, source="rss")
    junk = response_for(f"{BASE}/feed/rss.xml", b"\x00\xff not a feed", "rss", Response)
    assert list(spider.parse_feed(junk)) == []
    assert stat(spider.crawler, "rss", st.ERRORS_PARSE) == 1


# --- listing pages ----------------------------------------------------------------------------


def test_listing_follows_matching_links_and_next_page_up_to_the_limit(config_path: Path) -> None:
    spider = make_spider(config_path, source="section")
    page1 = response_for(f"{BASE}/section/ai/", listing(BASE, 1).encode(), "section", HtmlResponse)
    urls = [r.url for r in spider.parse_listing(page1)]
    assert urls == [
        f"{BASE}/news/list-1.html",
        f"{BASE}/news/list-2.html",
        f"{BASE}/section/ai/page/2/",
    ]
    last = response_for(
        f"{BASE}/section/ai/page/3/",
        listing(BASE, 3).encode(),
        "section",
        HtmlResponse,
        **{PAGE_META: spider.max_listing_pages},
    )
    assert [r.url for r in spider.parse_listing(last)] == [f"{BASE}/news/list-1.html"]


# --- choosing sources -------------------------------------------------------------------------


def test_sources_selection_and_unknown_names(config_path: Path) -> None:
    config = load_config(config_path)
    assert [s.name for s in select_sources(config, [])] == ["rss", "atom", "maps", "section"]
    assert [s.name for s in select_sources(config, ["off"])] == ["off"]  # named: even disabled
    with pytest.raises(UnknownSourceError, match="unknown source\\(s\\) nope"):
        select_sources(config, ["rss", "nope"])


def test_single_url_belongs_to_the_source_with_the_closest_start_url(config_path: Path) -> None:
    config = load_config(config_path)
    assert source_for_url(config, f"{BASE}/section/ai/story.html") == "section"
    assert source_for_url(config, "https://elsewhere.example/a") == "url:elsewhere.example"


def test_database_url_setting_wins_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARTA_DATABASE_URL", "sqlite:////tmp/from-env.db")
    assert database_url(Settings()) == "sqlite:////tmp/from-env.db"
    assert database_url(Settings({"WARTA_DATABASE_URL": "sqlite://"})) == "sqlite://"


# --- middlewares ------------------------------------------------------------------------------


def test_offsite_uses_the_domains_of_the_requests_source(config_path: Path) -> None:
    spider = make_spider(config_path)
    spider.domains = {"a": ("a.example",), "b": ("b.example",)}
    crawler = spider.crawler
    crawler.spider = spider
    mw = SourceOffsiteMiddleware.from_crawler(crawler)
    mw.spider_opened(spider)
    mw.process_request(Request("https://news.b.example/x", meta={SOURCE_META: "b"}))
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request("https://b.example/x", meta={SOURCE_META: "a"}))
    assert stat(crawler, "a", st.OFFSITE) == 1


def test_pages_are_counted_per_source() -> None:
    crawler = get_crawler()
    mw = SourcePagesMiddleware.from_crawler(crawler)
    for source in ("a", "a", "b"):
        request = Request(f"{BASE}/{source}", meta={SOURCE_META: source})
        mw.process_response(request, Response(request.url, request=request))
    assert (stat(crawler, "a", st.PAGES), stat(crawler, "b", st.PAGES)) == (2, 1)


# --- item pipelines ---------------------------------------------------------------------------


def page(path: str, body: bytes | None = None, hints: ArticleHints | None = None) -> FetchedPage:
    return FetchedPage(
        url=f"{BASE}{path}",
        source="rss",
        body=article_html(path, "Title " + path).encode() if body is None else body,
        fetched_at=datetime(2026, 3, 5, tzinfo=UTC),
        content_type="text/html; charset=utf-8",
        language_hint="en",
        hints=hints or ArticleHints(),
    )


def test_extract_pipeline_builds_a_record_and_fills_gaps_from_hints() -> None:
    pipe = ExtractPipeline.from_crawler(get_crawler())
    hints = ArticleHints(
        title=GN_TITLE, published_at=datetime(2026, 1, 1, tzinfo=UTC), published_raw="2026-01-01"
    )
    record = pipe.process_item(page("/news/gn-1.html", article_html("/gn", "").encode(), hints))
    assert isinstance(record, PageRecord)
    assert record.source == "rss" and record.raw_html.startswith(b"<!doctype html>")
    assert record.article.title == GN_TITLE
    assert record.article.published_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert "Paragraph 1 of the story" in record.article.text

    # The page's own title wins over the hint.
    own = pipe.process_item(page("/news/a.html", hints=hints))
    assert own.article.title == "Title /news/a.html"


@pytest.mark.parametrize("body", [b"", b"\x00\x01\x02PNG\x00" * 100], ids=["empty", "binary"])
def test_extract_pipeline_counts_and_drops_a_broken_page(body: bytes) -> None:
    crawler = get_crawler()
    seen: list[tuple[str, str]] = []

    def on_page(url: str, outcome: str, **kwargs: Any) -> None:
        seen.append((url, outcome))

    crawler.signals.connect(on_page, signal=st.page_processed)
    with pytest.raises(DropItem, match="extraction failed"):
        ExtractPipeline.from_crawler(crawler).process_item(page("/news/bad.html", body))
    assert stat(crawler, "rss", st.ERRORS_EXTRACT) == 1
    assert seen == [(f"{BASE}/news/bad.html", "error")]


def test_store_pipeline_writes_in_batches_and_counts_outcomes(sqlite_url: str) -> None:
    crawler = get_crawler(
        settings_dict={"WARTA_DATABASE_URL": sqlite_url, "WARTA_STORE_BATCH_SIZE": 2}
    )
    extract = ExtractPipeline.from_crawler(crawler)
    records = [extract.process_item(page(f"/news/{i}.html")) for i in range(3)]

    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    with Database.open(sqlite_url) as db:
        store.process_item(records[0])
        assert db.count_articles() == 0  # buffered
        store.process_item(records[1])
        assert db.count_articles() == 2  # one batch written
        store.process_item(records[2])
        store.close_spider()  # the partial batch is written on close
        assert db.count_articles() == 3
    assert stat(crawler, "rss", "articles/new") == 3

    again = StorePipeline.from_crawler(crawler)
    again.open_spider()
    for record in records:
        again.process_item(record)
    again.close_spider()
    assert stat(crawler, "rss", "articles/unchanged") == 3


# --- crawl-run record -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "status"),
    [("finished", "finished"), ("shutdown", "interrupted"), ("closespider_timeout", "failed")],
)
def test_run_status_follows_scrapys_close_reason(reason: str, status: str) -> None:
    assert run_status(reason) == status


def test_recorder_writes_one_run_per_source_from_the_stats(
    config_path: Path, sqlite_url: str
) -> None:
    spider = make_spider(config_path, sqlite_url, source="rss,maps")
    crawler = spider.crawler
    assert crawler.stats is not None
    recorder = CrawlRunRecorder.from_crawler(crawler)
    recorder.spider_opened(spider)
    st.count(crawler.stats, "rss", st.PAGES, 5)
    st.count(crawler.stats, "rss", "articles/new", 3)
    st.count(crawler.stats, "rss", "articles/unchanged", 1)
    st.record_error(crawler.stats, "rss", st.ERRORS_HTTP, "HTTP 503 for x")
    st.count(crawler.stats, "maps", st.PAGES, 2)
    recorder.spider_closed(spider, "shutdown")

    with Database.open(sqlite_url) as db:
        runs = {r.source: r for r in db.list_runs()}
    assert set(runs) == {"rss", "maps"}
    rss_run = runs["rss"]
    assert (rss_run.status, rss_run.finish_reason) == ("interrupted", "shutdown")
    assert (rss_run.pages, rss_run.articles_new, rss_run.articles_unchanged) == (5, 3, 1)
    assert rss_run.errors == 1 and rss_run.error_message == "HTTP 503 for x"
    assert (runs["maps"].pages, runs["maps"].errors) == (2, 0)


# --- settings ---------------------------------------------------------------------------------


def test_project_settings_are_polite_and_bounded() -> None:
    settings = crawl_settings()
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.get("USER_AGENT").startswith("warta/")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 4
    assert settings.getint("DOWNLOAD_MAXSIZE") <= 10 * 1024 * 1024
    assert settings.getint("DOWNLOAD_TIMEOUT") <= 30
    assert not settings.getbool("TELNETCONSOLE_ENABLED")
    assert not settings.getbool("REMOTE_CONTROL_ENABLED")
    flow = sorted(settings.getdict("ITEM_PIPELINES").items(), key=lambda kv: kv[1])
    assert [name for name, _ in flow] == [
        "crawler.pipelines.ExtractPipeline",
        "crawler.pipelines.StorePipeline",
    ]
