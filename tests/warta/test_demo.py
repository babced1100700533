"""Offline demo: the served sites, feeds, sitemaps and robots.txt, and the demo sources file."""

from __future__ import annotations

import gzip
import html
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import feedparser
import pytest
from lxml import etree
from lxml import html as lxml_html

from warta.config import Schedule, load_config
from warta.demo import (
    ARTICLE_COUNT,
    SITES,
    DemoServer,
    article_urls,
    config_text,
    disallowed_urls,
    expected_articles,
    misdeclared_urls,
    serve,
)
from warta.demo.common import date_en, date_id
from warta.demo.site import build_pages

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with serve() as running:
        yield running


def fetch(url: str, method: str = "GET") -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read()


def strip_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def test_at_least_30_articles_in_both_languages(server: DemoServer) -> None:
    urls = article_urls(server.base_url)
    assert ARTICLE_COUNT == len(urls) == len(set(urls)) >= 30
    expected = expected_articles(server.base_url)
    assert {e.language for e in expected} == {"en", "id"}
    assert len({e.title for e in expected}) == len(expected)
    assert len({e.text for e in expected}) == len(expected)
    assert all(4 <= len(e.paragraphs) <= 7 for e in expected)
    assert len(SITES) >= 3 and len({s.key for s in SITES}) == len(SITES)


def test_every_article_page_serves_its_story_and_its_widgets(server: DemoServer) -> None:
    misdeclared = set(misdeclared_urls(server.base_url))
    for exp in expected_articles(server.base_url):
        status, ctype, body = fetch(exp.url)
        assert status == 200, exp.url
        assert ctype == "text/html; charset=utf-8"
        encoding = "cp1252" if exp.url in misdeclared else "utf-8"
        page = html.unescape(body.decode(encoding))
        tree = lxml_html.fromstring(body)
        assert tree.xpath("string(//h1)").strip() == exp.title
        assert tree.xpath("//link[@rel='canonical']/@href") == [exp.url]
        assert tree.xpath("//meta[@property='og:image']/@content") == [exp.image]
        published = tree.xpath("//meta[@property='article:published_time']/@content")
        assert published == [exp.published_raw]
        assert exp.published_at == datetime.fromisoformat(exp.published_raw)
        assert exp.published_at.tzinfo == UTC
        local = datetime.fromisoformat(exp.published_raw)
        if exp.source == "modelbeat":  # "9 January 2025, 16:00 UTC"
            visible = f"{local.day} {date_en(local).split()[0]} {local.year}, {local:%H:%M} UTC"
        else:
            visible = (date_id if exp.language == "id" else date_en)(local)
        shown = tree.xpath("string((//article//time[@datetime=$raw])[1])", raw=exp.published_raw)
        assert visible == shown, exp.url
        for paragraph in exp.paragraphs:
            assert paragraph in page, (exp.url, paragraph[:40])
        # the expected widget text is really on the page, and never inside the body
        for widget in exp.must_not_contain:
            assert widget in page, (exp.url, widget)
            assert not any(widget in p for p in exp.paragraphs), (exp.url, widget)


def test_one_page_is_cp1252_declared_as_utf8(server: DemoServer) -> None:
    (url,) = misdeclared_urls(server.base_url)
    status, ctype, body = fetch(url)
    assert status == 200
    assert ctype == "text/html; charset=utf-8" and b'<meta charset="UTF-8" />' in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    exp = next(e for e in expected_articles(server.base_url) if e.url == url)
    assert any("“" in p for p in exp.paragraphs)  # curly quotes: 0x93/0x94 in cp1252
    assert all(p in html.unescape(body.decode("cp1252")) for p in exp.paragraphs)


def test_human_readable_dates_in_the_dom(server: DemoServer) -> None:
    by_url = {e.url: e for e in expected_articles(server.base_url)}
    kabar = next(e for e in by_url.values() if e.source == "kabar-ai")
    page = fetch(kabar.url)[2].decode()
    assert "14 Januari 2025" in page  # 2025-01-14T09:20+07:00
    wire = next(e for e in by_url.values() if e.source == "neuralwire")
    assert "January 22, 2025" in fetch(wire.url)[2].decode()


def test_seed_page_widgets_are_on_kabar_ai(server: DemoServer) -> None:
    exp = next(e for e in expected_articles(server.base_url) if e.source == "kabar-ai")
    text = lxml_html.fromstring(fetch(exp.url)[2]).text_content()
    assert re.search(r"Read Time:\d+ Minute, \d+ Second", text)
    for reaction in ("Happy", "Sad", "Excited", "Sleepy", "Angry", "Surprise"):
        assert reaction in text
    assert "Average Rating" in text and "5 Star" in text and "0%" in text


def test_feeds_parse_with_feedparser(server: DemoServer) -> None:
    served = set(article_urls(server.base_url))
    for path, version, count in (
        ("/neuralwire/feed.xml", "rss20", 13),
        ("/modelbeat/atom.xml", "atom10", 10),
        ("/kabar-ai/feed/", "rss20", 10),
    ):
        status, ctype, body = fetch(server.base_url + path)
        assert status == 200 and "charset=utf-8" in ctype
        feed = feedparser.parse(body)
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.version == version
        assert len(feed.entries) == count
        for entry in feed.entries:
            assert entry.title and entry.published_parsed
            if "partner" not in entry.link:
                assert strip_query(entry.link) in served


def test_rss_links_carry_tracking_parameters(server: DemoServer) -> None:
    feed = feedparser.parse(fetch(server.base_url + "/neuralwire/feed.xml")[2])
    link = feed.entries[0].link
    assert "utm_source=rss" in link
    page = lxml_html.fromstring(fetch(link)[2])
    assert page.xpath("//link[@rel='canonical']/@href") == [strip_query(link)]


def test_sitemap_index_leads_to_gzipped_and_news_sitemaps(server: DemoServer) -> None:
    status, ctype, body = fetch(server.base_url + "/modelbeat/sitemap.xml")
    assert status == 200 and ctype.startswith("application/xml")
    index = etree.fromstring(body)
    assert index.tag == f"{SM}sitemapindex"
    locs = [loc.text for loc in index.iter(f"{SM}loc")]
    assert any(loc.endswith(".xml.gz") for loc in locs)
    found: set[str] = set()
    news_titles = []
    for loc in locs:
        status, ctype, body = fetch(loc)
        assert status == 200
        if loc.endswith(".gz"):
            assert ctype == "application/gzip"
            body = gzip.decompress(body)
        urlset = etree.fromstring(body)
        found |= {el.text for el in urlset.iter(f"{SM}loc")}
        news_titles += [el.text for el in urlset.iter(f"{NEWS}title")]
    modelbeat = {u for u in article_urls(server.base_url) if "/modelbeat/" in u}
    assert modelbeat <= found
    assert len(news_titles) == 6
    assert all(t for t in news_titles)


def test_listing_pagination_reaches_every_kabar_article(server: DemoServer) -> None:
    site = next(s for s in SITES if s.kind == "listing")
    assert site.article_pattern
    pattern = re.compile(site.article_pattern)
    url: str | None = server.base_url + site.start_path
    seen_pages, found, tracked = 0, set(), 0
    while url:
        tree = lxml_html.fromstring(fetch(url)[2])
        seen_pages += 1
        for href in tree.xpath("//main//a/@href"):
            if pattern.search(href):
                found.add(strip_query(href).split("#")[0])
                tracked += "utm_" in href
        nxt = tree.xpath("//link[@rel='next']/@href")
        url = urljoin(url, nxt[0]) if nxt else None
    wanted = {u for u in article_urls(server.base_url) if "/kabar-ai/" in u}
    assert seen_pages == 3
    assert found == wanted
    assert tracked > 0  # tracking variants exercise canonicalization


def test_query_paginated_listing(server: DemoServer) -> None:
    first = lxml_html.fromstring(fetch(server.base_url + "/modelbeat/latest/")[2])
    nxt = first.xpath("//link[@rel='next']/@href")
    assert nxt and nxt[0].endswith("?page=2")
    second = fetch(nxt[0])[2].decode()
    assert "page-numbers" in second and second != fetch(server.base_url + "/modelbeat/")[2]


def test_robots_txt_disallows_linked_pages(server: DemoServer) -> None:
    status, ctype, body = fetch(server.base_url + "/robots.txt")
    assert status == 200 and ctype == "text/plain; charset=utf-8"
    robots = RobotFileParser()
    robots.parse(body.decode().splitlines())
    for url in article_urls(server.base_url):
        assert robots.can_fetch("warta", url)
    blocked = disallowed_urls(server.base_url)
    assert len(blocked) == len(SITES)
    for url in blocked:
        assert not robots.can_fetch("warta", url), url
        assert fetch(url)[0] == 200  # served anyway: only robots.txt keeps a crawler off
    for site in SITES:
        own = fetch(f"{server.base_url}/{site.key}/robots.txt")[2].decode()
        assert "Disallow: " in own


def test_unknown_paths_are_404_and_head_works(server: DemoServer) -> None:
    status, ctype, _ = fetch(server.base_url + "/kabar-ai/2099/01/01/nothing/")
    assert status == 404 and ctype.startswith("text/html")
    url = article_urls(server.base_url)[0]
    status, _, body = fetch(url, method="HEAD")
    assert status == 200 and body == b""
    assert (url.removeprefix(server.base_url), 200) in server.requests()


def test_config_text_loads_and_covers_every_kind(server: DemoServer, tmp_path: Path) -> None:
    path = tmp_path / "demo.toml"
    path.write_text(config_text(server.base_url), encoding="utf-8")
    config = load_config(path)
    assert {s.kind for s in config.sources} == {"feed", "sitemap", "listing"}
    assert {s.name for s in config.sources} == {s.key for s in SITES}
    for source in config.sources:
        assert source.start_urls[0].startswith(server.base_url)
        assert fetch(source.start_urls[0])[0] == 200
        assert source.allowed_domains == ("127.0.0.1",)
        assert source.schedule.cron and source.schedule.every_seconds is None
    path.write_text(config_text(server.base_url + "/", every_seconds=45), encoding="utf-8")
    for source in load_config(path).sources:
        assert source.schedule == Schedule(every_seconds=45)
        assert "//" not in source.start_urls[0].removeprefix("http://")


def test_pages_are_deterministic_and_servers_independent() -> None:
    assert build_pages("http://127.0.0.1:1") == build_pages("http://127.0.0.1:1/")
    with serve() as one, serve() as two:
        assert one.port != two.port
        assert fetch(article_urls(one.base_url)[5])[0] == 200
        assert fetch(article_urls(two.base_url)[5])[0] == 200
    with pytest.raises(OSError):
        fetch(article_urls(one.base_url)[5])
    with DemoServer() as plain:  # the class itself starts serving on enter
        assert fetch(plain.base_url + "/robots.txt")[0] == 200
