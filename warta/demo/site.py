"""Offline demo: the three fictional sites, their URLs, and what a crawl should find in them.

All sites live under one host, each under its own path prefix:
    /kabar-ai/    Indonesian WordPress site, crawled as a `listing` (paginated category)
    /neuralwire/  English news site, crawled through its RSS 2.0 `feed`
    /modelbeat/   English site, crawled through its `sitemap` index (gzipped + News sitemap)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import ModuleType

from warta.demo import kabar, modelbeat, neuralwire
from warta.demo.common import Resource
from warta.demo.model import Story


@dataclass(frozen=True, slots=True)
class DemoSite:
    key: str  # path prefix and source name
    name: str
    language: str
    kind: str  # how the demo config crawls it
    start_path: str
    article_pattern: str | None
    stories: tuple[Story, ...]
    disallowed: tuple[str, ...]  # path prefixes robots.txt disallows
    article_path: Callable[[Story], str]
    pages: Callable[[str], dict[str, Resource]]
    page_strings: Callable[[Story], tuple[str, ...]]


def _site(
    module: ModuleType, language: str, kind: str, start: str, pattern: str | None
) -> DemoSite:
    return DemoSite(
        key=module.KEY,
        name=module.NAME,
        language=language,
        kind=kind,
        start_path=start,
        article_pattern=pattern,
        stories=module.STORIES,
        disallowed=module.DISALLOWED,
        article_path=module.article_path,
        pages=module.pages,
        page_strings=module.page_strings,
    )


SITES: tuple[DemoSite, ...] = (
    _site(
        kabar,
        "id",
        "listing",
        "/kabar-ai/kategori/berita-ai/",
        r"/kabar-ai/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/",
    ),
    # no URL filter for the feed: robots.txt alone must keep the crawler off its sponsored item
    _site(neuralwire, "en", "feed", "/neuralwire/feed.xml", None),
    _site(modelbeat, "en", "sitemap", "/modelbeat/sitemap.xml", r"/modelbeat/articles/"),
)

ARTICLE_COUNT = sum(len(site.stories) for site in SITES)


@dataclass(frozen=True, slots=True)
class ExpectedArticle:
    """What extraction of one served article must give, for tests across the project."""

    source: str
    url: str  # the canonical URL the page declares
    title: str
    authors: tuple[str, ...]
    published_at: datetime  # aware, UTC
    modified_at: datetime | None
    published_raw: str  # as in article:published_time, with the site's UTC offset
    modified_raw: str | None
    language: str
    site_name: str
    section: str
    tags: tuple[str, ...]
    description: str
    image: str
    paragraphs: tuple[str, ...]
    must_not_contain: tuple[str, ...]  # widget text on the page that cleaning must drop

    @property
    def first_paragraph(self) -> str:
        return self.paragraphs[0]

    @property
    def text(self) -> str:
        """The clean body, paragraphs separated by a blank line (the `Article.text` form)."""
        return "\n\n".join(self.paragraphs)


def _image_url(base: str, site: DemoSite, story: Story) -> str:
    module = {"kabar-ai": kabar, "neuralwire": neuralwire, "modelbeat": modelbeat}[site.key]
    image: str = module._image(base, story)
    return image


def base_url_of(base_url: str) -> str:
    return base_url.rstrip("/")


def article_urls(base_url: str) -> list[str]:
    """Canonical URLs of every article the demo serves, site by site."""
    base = base_url_of(base_url)
    return [base + site.article_path(s) for site in SITES for s in site.stories]


def expected_articles(base_url: str) -> list[ExpectedArticle]:
    base = base_url_of(base_url)
    out = []
    for site in SITES:
        for story in site.stories:
            modified = story.modified_at
            out.append(
                ExpectedArticle(
                    source=site.key,
                    url=base + site.article_path(story),
                    title=story.title,
                    authors=story.authors,
                    published_at=story.published_utc,
                    modified_at=modified.astimezone(UTC) if modified else None,
                    published_raw=story.published,
                    modified_raw=story.modified,
                    language=site.language,
                    site_name=site.name,
                    section=story.section,
                    tags=story.tags,
                    description=story.dek,
                    image=_image_url(base, site, story),
                    paragraphs=story.paragraphs,
                    must_not_contain=tuple(s for s in site.page_strings(story) if s),
                )
            )
    return out


def disallowed_urls(base_url: str) -> list[str]:
    """Pages the sites link to (feed, sitemap, menu) that robots.txt forbids crawling."""
    base = base_url_of(base_url)
    return [
        base + "/kabar-ai/wp-admin/",
        base + neuralwire.SPONSORED_PATH,
        base + modelbeat.PREVIEW_PATH,
    ]


def misdeclared_urls(base_url: str) -> list[str]:
    """Article pages whose bytes are Windows-1252 although header and meta say UTF-8."""
    base = base_url_of(base_url)
    story = next(s for s in neuralwire.STORIES if s.slug == neuralwire.MISDECLARED_SLUG)
    return [base + neuralwire.article_path(story)]


def robots_txt(base_url: str) -> str:
    base = base_url_of(base_url)
    rules = "".join(f"Disallow: {path}\n" for site in SITES for path in site.disallowed)
    return f"# warta demo sites\nUser-agent: *\n{rules}\nSitemap: {base}/modelbeat/sitemap.xml\n"


def build_pages(base_url: str) -> dict[str, Resource]:
    """Every path the demo server answers, mapped to its bytes and content type."""
    base = base_url_of(base_url)
    pages: dict[str, Resource] = {}
    for site in SITES:
        pages.update(site.pages(base))
        own = "".join(f"Disallow: {p}\n" for p in site.disallowed)
        # crawlers read only /robots.txt; the per-site copies mirror each site's own file
        pages[f"/{site.key}/robots.txt"] = Resource(
            f"User-agent: *\n{own}".encode(), "text/plain; charset=utf-8"
        )
    pages["/robots.txt"] = Resource(robots_txt(base).encode(), "text/plain; charset=utf-8")
    pages["/"] = Resource(_index_html(base).encode(), "text/html; charset=utf-8")
    return pages


def _index_html(base: str) -> str:
    rows = "".join(
        f'<li><a href="{base}/{s.key}/">{s.name}</a> ({s.language}, {s.kind}: '
        f'<a href="{base}{s.start_path}">{s.start_path}</a>)</li>'
        for s in SITES
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>warta demo sites</title></head><body><h1>warta demo sites</h1>"
        f"<p>Fictional AI-news sites served offline for warta.</p><ul>{rows}</ul></body></html>"
    )
