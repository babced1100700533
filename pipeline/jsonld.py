"""Pipeline stage (normalize): the article described by a page's JSON-LD blocks.

Handles what publishers really emit: several blocks, top-level lists, ``@graph`` (Yoast,
Rank Math) with ``@id`` references between nodes, ``author`` as a string, an object or a
list, ``image`` as a URL, an ImageObject or a list, ``keywords`` as a string or a list,
HTML entities inside strings, and broken JSON (trailing commas, raw control characters,
comments, two objects in one block). When a block cannot be repaired, a few fields are
still read with patterns, so one syntax error does not lose the byline.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import lxml.html

from pipeline.tagindex import TagIndex
from pipeline.urls import canonicalize_url

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "reportagenews",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "askpublicnewsarticle",
        "liveblogposting",
        "techarticle",
        "scholarlyarticle",
        "report",
        "socialmediaposting",
        "posting",
    }
)
PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage", "aboutpage"})
ORG_TYPES = frozenset(
    {"organization", "newsmediaorganization", "corporation", "onlinebusiness", "ngo"}
)
MAX_DEPTH = 12

_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")
_WRAPPER_HEADS = ("//", "<![CDATA[", "<!--")
_WRAPPER_TAILS = ("]]>", "-->")
_TAG = re.compile(r"<[^<>]{1,200}>")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_STRING = r'"((?:[^"\\]|\\.)*)"'
_FIELD_PATTERNS = {
    name: re.compile(rf'"{name}"\s*:\s*{_STRING}')
    for name in ("headline", "datePublished", "dateModified", "inLanguage", "description")
}
_AUTHOR_PATTERN = re.compile(rf'"author"\s*:\s*(?:\[\s*)?(?:\{{[^{{}}]*?"name"\s*:\s*)?{_STRING}')


@dataclass(frozen=True, slots=True)
class Credit:
    """One author credit as the page gives it; ``is_org`` when typed as an organization."""

    name: str
    is_org: bool = False


@dataclass(frozen=True, slots=True)
class LinkedData:
    """The fields warta reads from JSON-LD (all raw strings, not yet cleaned)."""

    headline: str | None = None
    credits: tuple[Credit, ...] = ()
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    description: str | None = None
    keywords: tuple[str, ...] = ()
    section: str | None = None
    image: str | None = None
    url: str | None = None
    publisher: str | None = None
    website: str | None = None
    types: frozenset[str] = field(default_factory=frozenset)


def _unwrap(text: str) -> str:
    text = text.strip()
    # The wrappers sit at the stripped text's very start or end; without one the pattern
    # would only be tried at every position of a long block, for nothing.
    if not text.startswith(_WRAPPER_HEADS) and not text.endswith(_WRAPPER_TAILS):
        return text
    return _WRAPPERS.sub("", text).strip()


def _load_block(text: str) -> list[Any] | None:
    """Every JSON value in one script block; None when the block cannot be repaired."""
    text = _unwrap(text)
    if not text:
        return []
    candidates = (lambda: text, lambda: _TRAILING_COMMA.sub(r"\1", text))
    for candidate in candidates:  # the repair only for a block that needs one
        try:
            return [json.loads(candidate(), strict=False)]
        except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
            continue
    # Two objects back to back ("}{" or "}\n{"): decode them one after another.
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    position = 0
    cleaned = _TRAILING_COMMA.sub(r"\1", text)
    while position < len(cleaned):
        while position < len(cleaned) and cleaned[position] in " \t\r\n,;":
            position += 1
        if position >= len(cleaned):
            break
        try:
            value, position = decoder.raw_decode(cleaned, position)
        except (ValueError, RecursionError):
            return values or None
        values.append(value)
    return values


def _walk(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every JSON object inside ``value``, parents before children."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        yield value
        for child in value.values():
            if isinstance(child, dict | list):
                yield from _walk(child, depth + 1)
    elif isinstance(value, list):
        for child in value:
            yield from _walk(child, depth + 1)


def _types(node: dict[str, Any]) -> frozenset[str]:
    raw = node.get("@type", ())
    if isinstance(raw, str):  # the common case
        return frozenset((raw.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower(),))
    names = raw if isinstance(raw, list) else []
    return frozenset(
        str(name).rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower()
        for name in names
        if isinstance(name, str)
    )


class _Graph:
    """All nodes of a page's JSON-LD, with ``@id`` references resolvable."""

    def __init__(self, values: list[Any]) -> None:
        self.nodes = [node for value in values for node in _walk(value)]
        self.types = [_types(node) for node in self.nodes]  # read by every first_of()
        self.by_id: dict[str, dict[str, Any]] = {}
        for node in self.nodes:
            node_id = node.get("@id")
            # A reference ({"@id": x}) and the full node share the id: keep the fullest.
            if isinstance(node_id, str) and len(node) > len(self.by_id.get(node_id, ())):
                self.by_id[node_id] = node

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("@id"), str) and len(value) <= 2:
            return self.by_id.get(value["@id"], value)
        return value

    def first_of(
        self, wanted: frozenset[str], page_url: str | None = None
    ) -> dict[str, Any] | None:
        """The node describing this page: one naming the page's URL, else the first with a
        headline (a listing of related articles may come first), else the first."""
        candidates = [
            node
            for node, types in zip(self.nodes, self.types, strict=True)
            if not types.isdisjoint(wanted)
        ]
        if page_url and len(candidates) > 1:
            key = canonicalize_url(page_url)
            for node in candidates:
                if key in self._urls_of(node):
                    return node
        with_headline = [node for node in candidates if node.get("headline")]
        found = with_headline or candidates
        return found[0] if found else None

    def _urls_of(self, node: dict[str, Any]) -> set[str]:
        entity = node.get("mainEntityOfPage")
        raw = [node.get("url"), node.get("@id"), entity]
        if isinstance(entity, dict):
            raw.extend((entity.get("@id"), entity.get("url")))
        return {canonicalize_url(value) for value in raw if isinstance(value, str)}

    def text(self, value: Any) -> str | None:
        """A string field, whatever wrapper it came in (list, {"@value"}, {"name"})."""
        value = self.resolve(value)
        if isinstance(value, list):
            value = next((item for item in value if item), None)
            value = self.resolve(value)
        if isinstance(value, dict):
            value = value.get("@value") or value.get("name") or value.get("url")
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return None
        # Some CMSs put markup and entities in JSON-LD strings ("<p>Ringkasan&hellip;</p>").
        value = html.unescape(value)
        cleaned = " ".join((_TAG.sub(" ", value) if "<" in value else value).split())
        return cleaned or None

    def image(self, value: Any) -> str | None:
        value = self.resolve(value)
        if isinstance(value, list):
            for item in value:
                found = self.image(item)
                if found:
                    return found
            return None
        if isinstance(value, dict):
            return self.text(value.get("url") or value.get("contentUrl") or value.get("@id"))
        return self.text(value)

    def credits(self, value: Any) -> tuple[Credit, ...]:
        value = self.resolve(value)
        items = value if isinstance(value, list) else [value]
        found: list[Credit] = []
        for item in items:
            item = self.resolve(item)
            if isinstance(item, str):
                name = self.text(item)
                if name:
                    found.append(Credit(name))
            elif isinstance(item, dict):
                name = self.text(item.get("name"))
                if not name and (item.get("givenName") or item.get("familyName")):
                    parts = (self.text(item.get("givenName")), self.text(item.get("familyName")))
                    name = " ".join(p for p in parts if p)
                if name:
                    found.append(Credit(name, is_org=bool(_types(item) & ORG_TYPES)))
        return tuple(found)

    def keywords(self, value: Any) -> tuple[str, ...]:
        value = self.resolve(value)
        raw = value if isinstance(value, list) else [value]
        words: list[str] = []
        for item in raw:
            text = self.text(item)
            if text:
                words.extend(part.strip() for part in text.split(","))
        return tuple(word for word in words if word)


def _from_graph(graph: _Graph, page_url: str | None) -> LinkedData:
    article = graph.first_of(ARTICLE_TYPES, page_url) or {}
    page = graph.first_of(PAGE_TYPES) or {}
    website = graph.first_of(frozenset({"website"})) or {}
    publisher = graph.resolve(article.get("publisher") or page.get("publisher"))
    entity = graph.resolve(article.get("mainEntityOfPage"))
    section = graph.text(article.get("articleSection"))
    return LinkedData(
        headline=graph.text(article.get("headline") or article.get("name")),
        credits=graph.credits(
            article.get("author") or article.get("creator") or page.get("author")
        ),
        published=graph.text(article.get("datePublished") or page.get("datePublished")),
        modified=graph.text(article.get("dateModified") or page.get("dateModified")),
        language=graph.text(
            article.get("inLanguage") or page.get("inLanguage") or website.get("inLanguage")
        ),
        description=graph.text(article.get("description")),
        keywords=graph.keywords(article.get("keywords")),
        section=section,
        image=graph.image(
            article.get("image") or article.get("thumbnailUrl") or page.get("primaryImageOfPage")
        ),
        url=graph.text(article.get("url"))
        or (graph.text(entity.get("@id")) if isinstance(entity, dict) else graph.text(entity)),
        publisher=graph.text(publisher.get("name")) if isinstance(publisher, dict) else None,
        website=graph.text(website.get("name")),
        types=_types(article),
    )


def _from_patterns(text: str) -> LinkedData:
    """Last resort for an unrepairable block: read the key fields with patterns."""

    def grab(name: str) -> str | None:
        match = _FIELD_PATTERNS[name].search(text)
        if not match:
            return None
        try:
            value = json.loads(f'"{match.group(1)}"', strict=False)
        except ValueError:
            value = match.group(1)
        return " ".join(html.unescape(str(value)).split()) or None

    credits = tuple(Credit(name) for name in _AUTHOR_PATTERN.findall(text) if name.strip())
    return LinkedData(
        headline=grab("headline"),
        credits=credits,
        published=grab("datePublished"),
        modified=grab("dateModified"),
        language=grab("inLanguage"),
        description=grab("description"),
    )


def read_linked_data(
    tree: lxml.html.HtmlElement, page_url: str | None = None, tags: TagIndex | None = None
) -> LinkedData:
    """The article described by the page's JSON-LD; an empty LinkedData when there is none."""
    values: list[Any] = []
    broken: list[str] = []
    for script in (tags or TagIndex(tree))["script"]:
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        text = script.text or ""
        block = _load_block(text)
        if block is None:
            logger.debug("unrepairable JSON-LD block (%d chars)", len(text))
            broken.append(text)
        else:
            values.extend(block)
    found = _from_graph(_Graph(values), page_url) if values else LinkedData()
    if broken and not found.types:  # no well-formed block described the article
        return _from_patterns("\n".join(broken))
    return found
