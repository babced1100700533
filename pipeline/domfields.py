"""Pipeline stage (normalize): metadata read from the visible page (headings, bylines, dates).

The last resorts before the URL, for pages without structured data: plain static pages,
old themes. The selectors are data, grouped by field, in order of trust; every lookup is
a precompiled XPath and nothing here modifies the tree. Elements inside comment threads
and related-post lists are skipped: their bylines and dates belong to other texts.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TypeVar

import lxml.html
from lxml import etree

from pipeline.alternation import factored_alternation
from pipeline.tagindex import TagIndex

T = TypeVar("T")
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
# A text that opens with a credit word after any whitespace (regex \s is what lstrip()
# strips): matched on the element's text as it is, without copying it first.
_CREDIT_LINE = re.compile(rf"\s*+(?:{'|'.join(CREDIT_WORDS)})\b", re.IGNORECASE)


def _xpath(expression: str) -> etree.XPath:
    return etree.XPath(expression.replace("{elsewhere}", _ELSEWHERE))


_XML_SPACE = str.maketrans("\t\n\r", "   ")
MICRODATA_NAME = _xpath(".//*[@itemprop='name']")
# The same test as ``not({elsewhere})`` on one element, in Python (``not_elsewhere``).
NOT_ELSEWHERE = _xpath("boolean(self::*[not({elsewhere})])")
_ELSEWHERE_CLASS_PARTS = (
    "comment",
    "related",
    "widget-area",
    "widget_",
    "site-footer",
    "recommend",
    "popular",
)
_ELSEWHERE_CLASS = re.compile("|".join(map(re.escape, _ELSEWHERE_CLASS_PARTS)))
_ELSEWHERE_IDS = frozenset({"sidebar", "secondary", "footer", "colophon"})
# Elements whose own first text may open a credit line; scanned in Python, which is ten
# times cheaper here than an XPath string test on every text node (scripts included).
CREDIT_TAGS = ("p", "div", "span", "i", "em", "small", "b", "strong", "address", "li", "td")
# Links to an author page (<a href> containing one of these), tested in Python over the
# page's links: a third of the cost of the same contains() tests in an XPath.
AUTHOR_PATHS = ("/author/", "/authors/", "/penulis/", "/profile/")
_AUTHOR_PATH = re.compile("|".join(map(re.escape, AUTHOR_PATHS)))
# Attributes that hold a date on any element (read in the order the element gives them).
DATA_DATE_ATTRIBUTES = ("data-published", "data-date")
PUBLISHED_TIME_CLASSES = ("published", "entry-date", "pubdate")
MODIFIED_TIME_CLASSES = ("updated", "modified")

# Class (and id) words that mark a field's elements, matched as substrings like XPath's
# contains(). They are looked up in one pass over the page's class/id values (see
# ClassIndex): one XPath per field, each testing several contains() on every element,
# cost ten times more.
BYLINE_CLASSES = ("byline", "author", "penulis", "reporter", "writer", "vcard")
BYLINE_IDS = ("author", "penulis")
PUBLISHED_CLASSES = ("publish", "date", "time", "tanggal", "posted-on", "meta", "byline")
NOT_PUBLISHED_CLASSES = ("update", "modif")
MODIFIED_CLASSES = ("updated", "modified", "diperbarui")
TAG_CLASSES = ("post-tags", "tags-links", "tag-list", "article-tags", "tags", "topik")
SECTION_CLASSES = (
    "entry-category",
    "post-category",
    "cat-links",
    "td-category",
    "article-section",
    "kicker",
)
# The last breadcrumb link before the article itself names its section.
CRUMB_CLASSES = ("breadcrumb", "crumbs")
CRUMB_ID = "breadcrumbs"
_ANY_CLASS = re.compile(
    factored_alternation(
        re.escape(word)
        for word in (
            *BYLINE_CLASSES,
            *PUBLISHED_CLASSES,
            *MODIFIED_CLASSES,
            *TAG_CLASSES,
            *SECTION_CLASSES,
            *CRUMB_CLASSES,
        )
    )
)
_ANY_ID = re.compile("|".join(re.escape(word) for word in (*BYLINE_IDS, CRUMB_ID)))


def not_elsewhere(element: lxml.html.HtmlElement) -> bool:
    """``NOT_ELSEWHERE(element)``, an ancestor walk in Python: about five times cheaper
    than libxml2 evaluating the XPath predicate on every ancestor."""
    article_above = False
    for node in reversed([element, *element.iterancestors()]):  # from the root down
        tag = node.tag
        if tag == "body" or tag == "html":
            continue
        if tag == "nav" or (tag == "footer" and not article_above):
            return False
        classes = node.get("class")
        if classes is not None:
            if _ELSEWHERE_CLASS.search(classes):
                return False
            # XPath's normalize-space() splits on these four characters only.
            if "sidebar" in classes and "sidebar" in classes.translate(_XML_SPACE).split(" "):
                return False
        ident = node.get("id")
        if ident is not None and ("comment" in ident or ident in _ELSEWHERE_IDS):
            return False
        if tag == "article":
            article_above = True
    return True


def _class_contains(element: lxml.html.HtmlElement, words: tuple[str, ...]) -> bool:
    """XPath's ``contains(@class, w1) or contains(@class, w2)...``."""
    classes = element.get("class")
    return classes is not None and any(word in classes for word in words)


def _has_ancestor(element: lxml.html.HtmlElement, tag: str) -> bool:
    return next(element.iterancestors(tag), None) is not None


def _in_site_header(element: lxml.html.HtmlElement) -> bool:
    """Inside a <header> that is not an article's own (XPath ``ancestor::header[not(
    ancestor::article)]``)."""
    return any(not _has_ancestor(header, "article") for header in element.iterancestors("header"))


def _h1_in_article(element: lxml.html.HtmlElement) -> bool:
    return _has_ancestor(element, "article") and not_elsewhere(element)


def _h1_in_main(element: lxml.html.HtmlElement) -> bool:
    return _has_ancestor(element, "main") and not_elsewhere(element)


def _h1_titled(element: lxml.html.HtmlElement) -> bool:
    return _class_contains(element, ("title", "headline"))


def _h1_outside_site_header(element: lxml.html.HtmlElement) -> bool:
    return not_elsewhere(element) and not _in_site_header(element)


# <h1> elements, in order of trust: //article//h1, //main//h1, a titled h1, any h1 outside
# the site header (each test in Python: a tenth of the cost of the same XPath on one h1).
HEADINGS: tuple[Callable[[lxml.html.HtmlElement], bool], ...] = (
    _h1_in_article,
    _h1_in_main,
    _h1_titled,
    _h1_outside_site_header,
)


def _published_time(element: lxml.html.HtmlElement) -> bool:
    """A <time datetime> marked as the publication date."""
    return (
        element.get("datetime") is not None
        and (_class_contains(element, PUBLISHED_TIME_CLASSES) or element.get("pubdate") is not None)
        and not_elsewhere(element)
    )


def _unmarked_time(element: lxml.html.HtmlElement) -> bool:
    """A <time datetime> not marked as the modification date."""
    return (
        element.get("datetime") is not None
        and not _class_contains(element, MODIFIED_TIME_CLASSES)
        and not_elsewhere(element)
    )


def _modified_time(element: lxml.html.HtmlElement) -> bool:
    return (
        element.get("datetime") is not None
        and _class_contains(element, MODIFIED_TIME_CLASSES)
        and not_elsewhere(element)
    )


# <time datetime> elements that give the publication date, in order of trust.
PUBLISHED_TIMES = (_published_time, _unmarked_time)


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

    def __init__(self, tree: lxml.html.HtmlElement, tags: TagIndex | None = None) -> None:
        self.tree = tree
        self.tags = tags or TagIndex(tree)
        self._itemprops: dict[str, lxml.html.HtmlElement] | None = None
        self._classes: ClassIndex | None = None

    @property
    def classes(self) -> ClassIndex:
        if self._classes is None:
            self._classes = ClassIndex(self.tree)
        return self._classes

    def heading(self) -> str | None:
        headings = self.tags["h1"]
        for test in HEADINGS:
            for element in headings:
                if test(element):
                    text = _text(element)
                    if text:
                        return text
        return None

    def title_tag(self) -> str | None:
        for element in self.tags["title"]:
            text = _text(element)
            if text:
                return text
        return None

    def itemprop(self, name: str) -> str | None:
        if self._itemprops is None:
            self._itemprops = {}
            for element in self.itemprop_elements():
                for prop in (element.get("itemprop") or "").lower().split():
                    self._itemprops.setdefault(prop, element)
        element = self._itemprops.get(name.lower())
        if element is None or element.tag == "meta":
            return None  # <meta itemprop> values are read with the other meta tags
        return _value(element) or None

    def rel_elements(
        self, word: str, *, links_only: bool = False, unless: str = ""
    ) -> Iterator[lxml.html.HtmlElement]:
        """Elements (or only links) whose rel has ``word`` among its words and not the
        substring ``unless``, outside comments, sidebars and related lists."""
        for element in self.classes.rels:
            if links_only and element.tag != "a":
                continue
            rel = element.get("rel") or ""
            if word not in rel.translate(_XML_SPACE).split(" "):
                continue
            if (not unless or unless not in rel) and not_elsewhere(element):
                yield element

    def itemprop_elements(self) -> list[lxml.html.HtmlElement]:
        """The page's elements with an itemprop, in document order."""
        return self.classes.itemprops

    def microdata_authors(self) -> list[str]:
        names = []
        # XPath's normalize-space() splits on these four characters only.
        authors = (
            element
            for element in self.itemprop_elements()
            if "author" in (element.get("itemprop") or "").translate(_XML_SPACE).split(" ")
        )
        for element in authors:
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
        sources = _lazily(
            lambda: self.rel_elements("author"),
            lambda: self.classes.matching(BYLINE_CLASSES, BYLINE_IDS, body_only=True),
            lambda: self.author_links(),
            lambda: (element for element in self.tags["address"] if not_elsewhere(element)),
        )
        for element in sources:
            text = _short_text(element, MAX_BYLINE_CHARS)
            if text:
                yield text
        yield from self.credit_lines()

    def author_links(self) -> Iterator[lxml.html.HtmlElement]:
        """Links to an author page, outside comments, sidebars and related lists."""
        for element in self.tree.iter("a"):
            href = element.get("href")
            if href is None or not _AUTHOR_PATH.search(href):
                continue
            if not_elsewhere(element):
                yield element

    def data_dates(self) -> Iterator[str]:
        """data-published / data-date values, outside comments, sidebars and related lists."""
        for element in self.classes.data_dated:
            if not_elsewhere(element):
                for name, value in element.items():
                    if name in DATA_DATE_ATTRIBUTES:
                        yield value

    def credit_lines(self) -> Iterator[str]:
        """Short texts that start like a credit ("By ...", "Oleh ...")."""
        opens_credit = _CREDIT_LINE.match
        for element in self.tree.iter(*CREDIT_TAGS):
            text = element.text
            if not text or not opens_credit(text) or not not_elsewhere(element):
                continue
            text = _short_text(element, MAX_BYLINE_CHARS)
            if text:
                yield text

    def published_dates(self) -> Iterator[str]:
        times = self.tags["time"]
        values = itertools.chain(
            *(_time_values(times, test) for test in PUBLISHED_TIMES),
            _lazily(self.data_dates),
        )
        texts = _lazily(
            lambda: self.classes.matching(
                PUBLISHED_CLASSES, body_only=True, excluded=NOT_PUBLISHED_CLASSES
            ),
            lambda: (t for t in times if not_elsewhere(t)),
        )
        yield from _values_then_texts(values, texts)
        # "Oleh Budi - Senin, 17 Februari 2025 09:00 WIB": credit lines often carry the date.
        yield from self.credit_lines()

    def modified_dates(self) -> Iterator[str]:
        values = _time_values(self.tags["time"], _modified_time)
        texts = _lazily(lambda: self.classes.matching(MODIFIED_CLASSES, body_only=True))
        yield from _values_then_texts(values, texts)

    def tag_links(self) -> list[str]:
        for links in (
            lambda: self.rel_elements("tag", links_only=True, unless="category"),
            lambda: self.classes.links(TAG_CLASSES),
        ):
            tags = [text for text in (_text(e) for e in links()) if text]
            if tags:
                return tags[:MAX_TAGS]
        return []

    def section(self, skip: Iterable[str] = ()) -> str | None:
        """The article's category link, else its last breadcrumb step (not home, not ``skip``)."""
        for links in (
            lambda: self.rel_elements("category", links_only=True),
            lambda: self.classes.links(SECTION_CLASSES),
        ):
            for element in links():
                text = _text(element)
                if text:
                    return text
        ignored = {name.casefold() for name in skip} | NAVIGATION_WORDS
        crumbs = [_text(element) for element in self.classes.breadcrumb_links()]
        for text in reversed(crumbs):
            if text and text.casefold() not in ignored and len(text) <= MAX_SECTION_CHARS:
                return text
        return None


def _lazily(*sources: Callable[[], Iterable[T]]) -> Iterator[T]:
    """The items of each source in turn; a source (often a whole-page XPath) is evaluated
    only when the caller reads past the items of the ones before it."""
    for source in sources:
        yield from source()


def _time_values(
    times: list[lxml.html.HtmlElement], test: Callable[[lxml.html.HtmlElement], bool]
) -> Iterator[str]:
    """The datetime values of the <time> elements that pass ``test`` (lazily)."""
    for element in times:
        if test(element):
            yield element.get("datetime") or ""


def _values_then_texts(
    values: Iterable[str], texts: Iterable[lxml.html.HtmlElement]
) -> Iterator[str]:
    yield from values
    for element in texts:
        text = _short_text(element, MAX_DATE_CHARS)
        if text:
            yield text


class ClassIndex:
    """The page's elements whose class or id holds a word some DOM lookup searches for, in
    document order, read in one pass; each lookup then filters this short list. The same
    pass keeps the elements with a rel, an itemprop or a data-date attribute (rel=author,
    rel=tag, microdata): a Python walk reading each element's attribute names costs less
    than one ``//*[@rel]`` XPath in libxml2."""

    def __init__(self, tree: lxml.html.HtmlElement) -> None:
        # (element, class, id, strictly inside <body>)
        self.entries: list[tuple[lxml.html.HtmlElement, str, str, bool]] = []
        self.rels: list[lxml.html.HtmlElement] = []
        self.itemprops: list[lxml.html.HtmlElement] = []
        self.data_dated: list[lxml.html.HtmlElement] = []
        # lxml's HTML tree is html > head, body: every element after the first body
        # element in document order is inside it (a body element itself is not).
        body = next(tree.iter("body"), None)
        in_body = False
        keys = etree._Element.keys
        get = etree._Element.get
        names_a_field = _names_a_field
        names_an_id = _ANY_ID.search
        entries = self.entries
        class_only = ["class"]  # a third of a page's elements: tested first, alone
        for element in tree.iter(etree.Element):
            if element is body:
                in_body = True
            names = keys(element)
            if not names:
                continue
            if names == class_only:
                classes = get(element, "class")
                if classes and names_a_field(classes):
                    entries.append((element, classes, "", in_body and element.tag != "body"))
                continue
            classes = get(element, "class") if "class" in names else None
            ident = get(element, "id") if "id" in names else None
            if (classes and names_a_field(classes)) or (ident and names_an_id(ident)):
                inside = in_body and element.tag != "body"
                entries.append((element, classes or "", ident or "", inside))
            if "rel" in names:
                self.rels.append(element)
            if "itemprop" in names:
                self.itemprops.append(element)
            if "data-published" in names or "data-date" in names:
                self.data_dated.append(element)

    def matching(
        self,
        classes: tuple[str, ...],
        ids: tuple[str, ...] = (),
        *,
        body_only: bool = False,
        excluded: tuple[str, ...] = (),
    ) -> Iterator[lxml.html.HtmlElement]:
        """Elements (not in comments, sidebars...) whose class or id contains a word."""
        has_class, has_id = _finder(classes), _finder(ids)
        is_excluded = _finder(excluded)
        for element, names, ident, inside in self.entries:
            if body_only and not inside:
                continue
            if not (has_class(names) or has_id(ident)):
                continue
            if is_excluded(names) or not not_elsewhere(element):
                continue
            yield element

    def links(self, classes: tuple[str, ...]) -> list[lxml.html.HtmlElement]:
        """Links inside the elements whose class contains a word, in document order."""
        return _links_under(list(self.matching(classes)))

    def breadcrumb_links(self) -> list[lxml.html.HtmlElement]:
        is_crumb = _finder(CRUMB_CLASSES)
        crumbs = [
            element
            for element, names, ident, _ in self.entries
            if is_crumb(names) or ident == CRUMB_ID
        ]
        return _links_under(crumbs)


@lru_cache(maxsize=16384)
def _names_a_field(classes: str) -> bool:
    """Whether a class value holds a word some lookup searches for (cached: a page and
    its site repeat the same class values on hundreds of elements)."""
    return _ANY_CLASS.search(classes) is not None


def _never(value: str) -> bool:
    return False


@lru_cache(maxsize=64)
def _finder(words: tuple[str, ...]) -> Callable[[str], object]:
    """A test of whether a string contains any of ``words`` (one regex search)."""
    if not words:
        return _never
    return re.compile("|".join(map(re.escape, words))).search


def _links_under(elements: list[lxml.html.HtmlElement]) -> list[lxml.html.HtmlElement]:
    """<a> descendants of ``elements`` (document order), each once: an element inside
    another of the list adds nothing (XPath's ``//*[...]//a`` union)."""
    chosen = set(elements)
    links: list[lxml.html.HtmlElement] = []
    for element in elements:
        if any(ancestor in chosen for ancestor in element.iterancestors()):
            continue
        links.extend(element.iterdescendants("a"))
    return links
