"""Pipeline stage (normalize): article metadata from JSON-LD, meta tags, microdata, DOM, URL.

Every field is read from its sources in one order of trust, JSON-LD > OpenGraph/meta >
microdata > DOM > URL; the first source that gives a usable value wins. Exceptions:
- authors: a source that credits only organizations is passed over while a later one
  credits a person; organizations are the answer only when nobody else is credited;
- site name: og:site_name (the brand the site shows) before JSON-LD WebSite/publisher
  names (often the legal company name), then the host;
- canonical URL: <link rel=canonical> > og:url > JSON-LD url; one that points at a site's
  home page is ignored (a common CMS misconfiguration);
- modified date: None when it equals the publication date (CMSs fill dateModified with
  the publication time until someone edits the article).
The tree is only read, never modified: body extraction runs on it afterwards.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime

import lxml.html
from lxml import etree

from pipeline import domfields as dom
from pipeline.authors import clean_credits
from pipeline.dates import parse_date_as_written, to_utc
from pipeline.encoding import clean_text
from pipeline.jsonld import Credit, read_linked_data
from pipeline.language import normalize_language, resolve_language
from pipeline.metatags import MetaTags
from pipeline.tagindex import TagIndex
from pipeline.titles import clean_title
from pipeline.urls import absolute_url, is_site_root, site_key

MIN_BODY_FOR_DETECTION = 200
MAX_TAG_CHARS = 60
MAX_TAG_WORDS = 8
MAX_SECTION_CHARS = 60
PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dtk:publishdate",
    "content_publisheddate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "date",
)
SECTION_META = (
    "article:section",
    "og:article:section",
    "section",
    "category",
    "content_category",
    "parsely-section",
)
AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator")
BYLINE_META = ("byl", "dtk:author", "content_author")
LANGUAGE_META = ("og:locale", "content-language", "dc.language", "language")
MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "og:article:modified_time",
    "datemodified",
    "last-modified",
    "lastmod",
    "dc.date.modified",
    "dcterms.modified",
)

_HTML_LANG = etree.XPath("/html/@lang | /html/@xml:lang", namespaces={"xml": dom.XML_NS})
_LABEL_PREFIX = re.compile(r"^(?:category|section|topic|tag|kategori|topik):\s*", re.IGNORECASE)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|\d)")


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the page says about its article. Dates are aware UTC (``*_raw`` keep the page's
    strings); ``declared_language``/``language_hint`` feed ``resolve_language``."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    published_raw: str | None = None
    modified_at: datetime | None = None
    modified_raw: str | None = None
    declared_language: str | None = None
    language_hint: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    section: str | None = None
    image: str | None = None
    canonical_url: str | None = None

    def resolve_language(self, body_text: str) -> str | None:
        """ISO 639-1 code: the declaration checked against detection on the text."""
        text = body_text
        if len(text) < MIN_BODY_FOR_DETECTION:
            # A short body alone is too little to detect on; the title and summary help.
            text = " ".join(part for part in (self.title, self.description, body_text) if part)
        return resolve_language(self.declared_language, self.language_hint, text)


def _first(*candidates: Callable[[], str | None]) -> str | None:
    """The first candidate (evaluated lazily, in order of trust) that gives a value."""
    for candidate in candidates:
        value = candidate()
        if value:
            return value
    return None


def _date(
    raws: Iterable[str | None], fetched_at: datetime | None
) -> tuple[datetime | None, str | None]:
    """The first parseable date; a zone-less one borrows the zone of a later string that
    shows the same wall-clock time ("2025/03/14 10:30:00" + "Jumat, 14 Mar 2025 10:30 WIB")."""
    first: tuple[datetime, str] | None = None
    for raw in raws:
        if not raw:
            continue
        parsed = parse_date_as_written(raw, fetched_at=fetched_at)
        if parsed is None:
            continue
        if first is None:
            if parsed.tzinfo is not None:
                return to_utc(parsed), raw
            first = (parsed, raw)
        elif parsed.tzinfo is not None and parsed.replace(tzinfo=None) == first[0]:
            return to_utc(parsed), raw
    return (to_utc(first[0]), first[1]) if first else (None, None)


def _split_keywords(values: Iterable[str]) -> tuple[str, ...]:
    """Display tags from keyword strings, without CMS-internal entries.

    Publishers leak routing and ad-targeting values into their keywords ("@hp-top-stories",
    "/article", "autoplay_video", "Category: Jupiter"); those are dropped or unlabelled.
    """
    seen: dict[str, str] = {}
    for value in values:
        value = html.unescape(value)
        # Semicolons separate only when there are no commas ("PG&amp;E" must not split).
        for word in value.split(",") if "," in value else value.split(";"):
            word = _LABEL_PREFIX.sub("", " ".join(word.split()).strip(" #"))
            if not word or word.startswith(("@", "/")) or "_" in word:
                continue
            if len(word) > MAX_TAG_CHARS or len(word.split()) > MAX_TAG_WORDS:
                continue
            seen.setdefault(word.casefold(), word)
    return tuple(seen.values())


def _section(value: str | None) -> str | None:
    """The first of a comma-separated list ("game,news,slider"); never a handle or a URL."""
    if not value:
        return None
    first = value.split(",")[0].strip()
    if not first or first.startswith(("@", "http")) or len(first) > MAX_SECTION_CHARS:
        return None
    return first


def _site_name(value: str | None) -> str | None:
    """A brand name, not a URL or a social handle (both appear in og:site_name)."""
    if not value or value.startswith("@"):
        return None
    if value.startswith(("http://", "https://")):
        return site_key(value) or None
    return value


def _canonical(candidates: Iterable[str | None], url: str) -> str | None:
    page_is_root = is_site_root(url)
    for href in candidates:
        resolved = absolute_url(href, url)
        if resolved is None:
            continue
        if is_site_root(resolved) and not page_is_root:
            continue  # a home-page canonical on an article page is a misconfiguration
        return resolved
    return None


class _Fields:
    """One method per Metadata field, each reading its sources in order of trust."""

    def __init__(self, tree: lxml.html.HtmlElement, url: str, fetched_at: datetime | None):
        self.tree = tree
        self.url = url
        self.fetched_at = fetched_at
        tags = TagIndex(tree)  # one walk for the elements all three read
        self.ld = read_linked_data(tree, url, tags)
        self.meta = MetaTags(tree, tags)
        self.page = dom.PageDom(tree, tags)
        self.site_name = _first(
            lambda: _site_name(self.meta.first("og:site_name")),
            lambda: _site_name(self.ld.website),
            lambda: _site_name(self.ld.publisher),
            lambda: _site_name(self.meta.first("application-name", "apple-mobile-web-app-title")),
            lambda: site_key(url) or None,
        )
        # Names that mean "the publisher" in titles and bylines: brand, company, host.
        host = site_key(url)
        names = (self.site_name, self.ld.website, self.ld.publisher, host, host.split(".")[0])
        self.org_names = [name for name in names if name]
        self.heading = self.page.heading()

    def title(self) -> str | None:
        meta, page = self.meta, self.page
        raw = _first(
            lambda: self.ld.headline,
            lambda: meta.first("og:title", "twitter:title", "parsely-title", "sailthru.title"),
            lambda: meta.first("title", "dc.title", "dcterms.title"),
            lambda: meta.itemprop("headline") or page.itemprop("headline"),
            lambda: self.heading,
            lambda: page.title_tag(),
        )
        return clean_title(raw, self.org_names, self.heading) if raw else None

    def authors(self) -> tuple[str, ...]:
        meta, page = self.meta, self.page
        sources: list[Callable[[], Iterable[Credit]]] = [
            lambda: self.ld.credits,
            lambda: (Credit(value) for value in meta.all(*AUTHOR_META)),
            lambda: (Credit(value) for value in meta.all(*BYLINE_META)),
            lambda: (Credit(value) for value in page.microdata_authors()),
        ]
        # Each DOM byline is its own source: the first one naming someone is the article's.
        credit_lists = itertools.chain(
            (tuple(source()) for source in sources),
            ((Credit(text),) for text in page.bylines()),
        )
        fallback: tuple[str, ...] = ()
        for credits in credit_lists:
            names = clean_credits(credits, self.org_names)
            if names.persons:
                return names.persons
            if names.organizations and not fallback:
                fallback = names.organizations
        return fallback

    def published(self) -> tuple[datetime | None, str | None]:
        def candidates() -> Iterator[str | None]:  # lazily: the DOM ones are dear
            yield self.ld.published
            yield from self.meta.all(*PUBLISHED_META)
            yield self.meta.itemprop("datepublished")
            yield self.page.itemprop("datePublished")
            yield from self.page.published_dates()
            yield _url_date(self.url)

        return _date(candidates(), self.fetched_at)

    def modified(self) -> tuple[datetime | None, str | None]:
        def candidates() -> Iterator[str | None]:
            yield self.ld.modified
            yield from self.meta.all(*MODIFIED_META)
            yield self.meta.itemprop("datemodified")
            yield self.page.itemprop("dateModified")
            yield from self.page.modified_dates()

        return _date(candidates(), self.fetched_at)

    def declared_language(self) -> str | None:
        return normalize_language(
            _first(
                lambda: self.ld.language,
                lambda: self.meta.first(*LANGUAGE_META),
                lambda: next((str(value) for value in _HTML_LANG(self.tree)), None),
            )
        )

    def description(self) -> str | None:
        return _first(
            lambda: self.ld.description,
            lambda: self.meta.first("og:description", "description", "twitter:description"),
            lambda: self.meta.first("dc.description", "dcterms.description"),
            lambda: self.meta.itemprop("description"),
        )

    def tags(self) -> tuple[str, ...]:
        return (
            _split_keywords(self.ld.keywords)
            or _split_keywords(self.meta.all("article:tag", "og:article:tag"))
            or _split_keywords(self.meta.all("news_keywords", "keywords", "parsely-tags"))
            or _split_keywords(self.page.tag_links())
        )

    def section(self) -> str | None:
        return _first(
            lambda: _section(self.ld.section),
            lambda: _section(self.meta.first(*SECTION_META)),
            lambda: _section(self.page.itemprop("articleSection")),
            lambda: _section(self.page.section(skip=self.org_names)),
        )

    def image(self) -> str | None:
        meta, url = self.meta, self.url
        return _first(
            lambda: absolute_url(self.ld.image, url),
            lambda: absolute_url(
                meta.first("og:image:secure_url", "og:image:url", "og:image"), url
            ),
            lambda: absolute_url(meta.first("twitter:image", "twitter:image:src"), url),
            lambda: absolute_url(meta.itemprop("image"), url),
            lambda: absolute_url(meta.link("image_src"), url),
        )

    def canonical_url(self) -> str | None:
        candidates = (*self.meta.links.get("canonical", ()), self.meta.first("og:url"), self.ld.url)
        return _canonical(candidates, self.url)


def extract_metadata(
    tree: lxml.html.HtmlElement,
    url: str,
    *,
    fetched_at: datetime | None = None,
    language_hint: str | None = None,
) -> Metadata:
    """All metadata of one page; never modifies ``tree``."""
    fields = _Fields(tree, url, fetched_at)
    published_at, published_raw = fields.published()
    modified_at, modified_raw = fields.modified()
    if modified_at is not None and modified_at == published_at:
        # CMSs fill dateModified with the publication time of never-edited articles.
        modified_at, modified_raw = None, None
    found = Metadata(
        title=fields.title(),
        authors=fields.authors(),
        published_at=published_at,
        published_raw=published_raw,
        modified_at=modified_at,
        modified_raw=modified_raw,
        declared_language=fields.declared_language(),
        language_hint=normalize_language(language_hint),
        site_name=fields.site_name,
        description=fields.description(),
        tags=fields.tags(),
        section=fields.section(),
        image=fields.image(),
        canonical_url=fields.canonical_url(),
    )
    return _without_controls(found)


def _without_controls(meta: Metadata) -> Metadata:
    """Text fields free of control characters, whatever the page (or a str input) held."""

    def tidy(value: str | None) -> str | None:
        return " ".join(clean_text(value).split()) or None if value else None

    def tidy_all(values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v for v in (tidy(value) for value in values) if v)

    return replace(
        meta,
        title=tidy(meta.title),
        authors=tidy_all(meta.authors),
        site_name=tidy(meta.site_name),
        description=tidy(meta.description),
        tags=tidy_all(meta.tags),
        section=tidy(meta.section),
    )


def _url_date(url: str) -> str | None:
    match = _URL_DATE.search(url)
    return "-".join(match.groups()) if match else None
