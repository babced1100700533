"""Pipeline stage (normalize): metadata read from the visible page (headings, bylines, dates).

The last resorts before the URL, for pages without structured data: plain static pages,
old themes. The selectors are data, grouped by field, in order of trust; every lookup is
a precompiled XPath and nothing here modifies the tree. Elements inside comment threads
and related-post lists are skipped: their bylines and dates belong to other texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import lxml.html
from lxml import etree

XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_BYLINE_CHARS = 120
MAX_DATE_CHARS = 100
MAX_TAGS = 30
MAX_SECTION_CHARS = 40
NAVIGATION_WORDS = frozenset({"home", "beranda", "index", "news", "berita"})

# Blocks whose bylines, dates and tags describe something other than this article.
_ELSEWHERE = (
    "ancestor-or-self::*[not(self::body or self::html) and (contains(@class, 'comment')"
    " or contains(@id, 'comment') or contains(@class, 'related')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' sidebar ')"
    " or @id = 'sidebar' or @id = 'secondary' or contains(@class, 'widget-area')"
    " or contains(@class, 'widget_') or contains(@class, 'site-footer') or @id = 'footer'"
    " or @id = 'colophon' or (self::footer and not(ancestor::article)) or self::nav"
    " or contains(@class, 'recommend') or contains(@class, 'popular'))]"
)
CREDIT_WORDS = ("by", "oleh", "written by", "posted by", "penulis", "ditulis oleh")
_CREDIT_LINE = re.compile(rf"^(?:{'|'.join(CREDIT_WORDS)})\b", re.IGNORECASE)


def _xpath(expression: str) -> etree.XPath:
    return etree.XPath(expression.replace("{elsewhere}", _ELSEWHERE))


HEADINGS = (
    _xpath("//article//h1[not({elsewhere})]"),
    _xpath("//main//h1[not({elsewhere})]"),
    _xpath("//h1[contains(@class, 'title') or contains(@class, 'headline')]"),
    _xpath("//h1[not({elsewhere}) and not(ancestor::header[not(ancestor::article)])]"),
)
TITLE_TAG = _xpath("//head/title | //title")
ITEMPROPS = _xpath("//*[@itemprop]")
MICRODATA_AUTHORS = _xpath(
    "//*[contains(concat(' ', normalize-space(@itemprop), ' '), ' author ')]"
)
MICRODATA_NAME = _xpath(".//*[@itemprop='name']")
NOT_ELSEWHERE = _xpath("boolean(self::*[not({elsewhere})])")
# Elements whose own first text may open a credit line; scanned in Python, which is ten
# times cheaper here than an XPath string test on every text node (scripts included).
CREDIT_TAGS = ("p", "div", "span", "i", "em", "small", "b", "strong", "address", "li", "td")
BYLINES = (
    _xpath("//*[contains(concat(' ', normalize-space(@rel), ' '), ' author ')][not({elsewhere})]"),
    _xpath(
        "//body//*[contains(@class, 'byline') or contains(@class, 'author')"
        " or contains(@id, 'author') or contains(@class, 'penulis') or contains(@id, 'penulis')"
        " or contains(@class, 'reporter') or contains(@class, 'writer')"
        " or contains(@class, 'vcard')][not({elsewhere})]"
    ),
    _xpath(
        "//a[contains(@href, '/author/') or contains(@href, '/authors/')"
        " or contains(@href, '/penulis/') or contains(@href, '/profile/')][not({elsewhere})]"
    ),
    _xpath("//address[not({elsewhere})]"),
)
PUBLISHED_ATTRS = (
    _xpath(
        "//time[@datetime][contains(@class, 'published') or contains(@class, 'entry-date')"
        " or contains(@class, 'pubdate') or @pubdate][not({elsewhere})]/@datetime"
    ),
    _xpath(
        "//time[@datetime][not(contains(@class, 'updated') or contains(@class, 'modified'))]"
        "[not({elsewhere})]/@datetime"
    ),
    _xpath(
        "//*[@data-published or @data-date][not({elsewhere})]/@*[name()='data-published'"
        " or name()='data-date']"
    ),
)
PUBLISHED_TEXTS = (
    _xpath(
        "//body//*[contains(@class, 'publish') or contains(@class, 'date')"
        " or contains(@class, 'time') or contains(@class, 'tanggal')"
        " or contains(@class, 'posted-on') or contains(@class, 'meta')"
        " or contains(@class, 'byline')]"
        "[not(contains(@class, 'update') or contains(@class, 'modif'))][not({elsewhere})]"
    ),
    _xpath("//time[not({elsewhere})]"),
)
MODIFIED_ATTRS = (
    _xpath(
        "//time[@datetime][contains(@class, 'updated') or contains(@class, 'modified')]"
        "[not({elsewhere})]/@datetime"
    ),
)
MODIFIED_TEXTS = (
    _xpath(
        "//body//*[contains(@class, 'updated') or contains(@class, 'modified')"
        " or contains(@class, 'diperbarui')][not({elsewhere})]"
    ),
)
TAG_LINKS = (
    _xpath(
        "//a[contains(concat(' ', normalize-space(@rel), ' '), ' tag ')]"
        "[not(contains(@rel, 'category'))][not({elsewhere})]"
    ),
    _xpath(
        "//*[contains(@class, 'post-tags') or contains(@class, 'tags-links')"
        " or contains(@class, 'tag-list') or contains(@class, 'article-tags')"
        " or contains(@class, 'tags') or contains(@class, 'topik')][not({elsewhere})]//a"
    ),
)
SECTION_LINKS = (
    _xpath(
        "//a[contains(concat(' ', normalize-space(@rel), ' '), ' category ')][not({elsewhere})]"
    ),
    _xpath(
        "//*[contains(@class, 'entry-category') or contains(@class, 'post-category')"
        " or contains(@class, 'cat-links') or contains(@class, 'td-category')"
        " or contains(@class, 'article-section') or contains(@class, 'kicker')]"
        "[not({elsewhere})]//a"
    ),
)
# The last breadcrumb link before the article itself names its section.
_CRUMBS = "contains(@class, 'breadcrumb') or contains(@class, 'crumbs') or @id = 'breadcrumbs'"
BREADCRUMB_LINKS = _xpath(f"//*[{_CRUMBS}][not(ancestor::*[{_CRUMBS}])]//a")


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _short_text(element: lxml.html.HtmlElement, limit: int) -> str | None:
    """The element's text when it is at most ``limit`` characters, read no further than that.

    Class names like "date" or "author" also mark big containers; reading their whole
    text for every candidate would make a page cost quadratic time.
    """
    parts: list[str] = []
    size = 0
    for piece in element.itertext():
        size += len(piece)
        if size > limit * 4:  # generous: markup indentation is whitespace
            return None
        parts.append(piece)
    text = " ".join("".join(parts).split())
    return text if text and len(text) <= limit else None


def _value(element: lxml.html.HtmlElement) -> str:
    # <abbr title="2025-03-14T10:30:00+07:00">10:30 AM</abbr> (Blogger) keeps the value in title.
    attrs = ("title",) if element.tag == "abbr" else ("content", "datetime", "src", "href")
    for attr in attrs:
        value = element.get(attr)
        if value:
            return " ".join(value.split())
    return _text(element)


class PageDom:
    """Read-only lookups over one parsed page."""

    def __init__(self, tree: lxml.html.HtmlElement) -> None:
        self.tree = tree
        self._itemprops: dict[str, lxml.html.HtmlElement] | None = None

    def heading(self) -> str | None:
        for xpath in HEADINGS:
            for element in xpath(self.tree):
                text = _text(element)
                if text:
                    return text
        return None

    def title_tag(self) -> str | None:
        for element in TITLE_TAG(self.tree):
            text = _text(element)
            if text:
                return text
        return None

    def itemprop(self, name: str) -> str | None:
        if self._itemprops is None:
            self._itemprops = {}
            for element in ITEMPROPS(self.tree):
                for prop in (element.get("itemprop") or "").lower().split():
                    self._itemprops.setdefault(prop, element)
        element = self._itemprops.get(name.lower())
        if element is None or element.tag == "meta":
            return None  # <meta itemprop> values are read with the other meta tags
        return _value(element) or None

    def microdata_authors(self) -> list[str]:
        names = []
        for element in MICRODATA_AUTHORS(self.tree):
            named = MICRODATA_NAME(element)
            value = (
                _value(named[0])
                if named
                else element.get("content") or _short_text(element, MAX_BYLINE_CHARS)
            )
            if value and len(value) <= MAX_BYLINE_CHARS:
                names.append(value)
        return names

    def bylines(self) -> Iterator[str]:
        """Short texts that may credit the author, most trusted first."""
        for xpath in BYLINES:
            for element in xpath(self.tree):
                text = _short_text(element, MAX_BYLINE_CHARS)
                if text:
                    yield text
        yield from self.credit_lines()

    def credit_lines(self) -> Iterator[str]:
        """Short texts that start like a credit ("By ...", "Oleh ...")."""
        for element in self.tree.iter(*CREDIT_TAGS):
            head = (element.text or "").lstrip()[:16]
            if not _CREDIT_LINE.match(head) or not NOT_ELSEWHERE(element):
                continue
            text = _short_text(element, MAX_BYLINE_CHARS)
            if text:
                yield text

    def published_dates(self) -> Iterator[str]:
        yield from _attr_then_text(self.tree, PUBLISHED_ATTRS, PUBLISHED_TEXTS)
        # "Oleh Budi - Senin, 17 Februari 2025 09:00 WIB": credit lines often carry the date.
        yield from self.credit_lines()

    def modified_dates(self) -> Iterator[str]:
        yield from _attr_then_text(self.tree, MODIFIED_ATTRS, MODIFIED_TEXTS)

    def tag_links(self) -> list[str]:
        for xpath in TAG_LINKS:
            tags = [text for text in (_text(e) for e in xpath(self.tree)) if text]
            if tags:
                return tags[:MAX_TAGS]
        return []

    def section(self, skip: Iterable[str] = ()) -> str | None:
        """The article's category link, else its last breadcrumb step (not home, not ``skip``)."""
        for xpath in SECTION_LINKS:
            for element in xpath(self.tree):
                text = _text(element)
                if text:
                    return text
        ignored = {name.casefold() for name in skip} | NAVIGATION_WORDS
        crumbs = [_text(element) for element in BREADCRUMB_LINKS(self.tree)]
        for text in reversed(crumbs):
            if text and text.casefold() not in ignored and len(text) <= MAX_SECTION_CHARS:
                return text
        return None


def _attr_then_text(
    tree: lxml.html.HtmlElement,
    attrs: tuple[etree.XPath, ...],
    texts: tuple[etree.XPath, ...],
) -> Iterator[str]:
    for xpath in attrs:
        for value in xpath(tree):
            yield str(value)
    for xpath in texts:
        for element in xpath(tree):
            text = _short_text(element, MAX_DATE_CHARS)
            if text:
                yield text
