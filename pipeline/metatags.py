"""Pipeline stage (normalize): a page's <meta> and <link> values, read once into lookups."""

from __future__ import annotations

import lxml.html
from lxml import etree

_METAS = etree.XPath("//meta[@content]")
_LINKS = etree.XPath("//link[@href and @rel]")


class MetaTags:
    """<meta> values by lower-cased name/property/http-equiv, microdata <meta itemprop>
    values and <link> hrefs by rel; every value kept, in page order."""

    def __init__(self, tree: lxml.html.HtmlElement) -> None:
        self.values: dict[str, list[str]] = {}
        self.itemprops: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}
        for element in _METAS(tree):
            content = " ".join((element.get("content") or "").split())
            if not content:
                continue
            for attr in ("property", "name", "http-equiv"):
                key = (element.get(attr) or "").strip().lower()
                if key:
                    self.values.setdefault(key, []).append(content)
            for key in (element.get("itemprop") or "").lower().split():
                self.itemprops.setdefault(key, []).append(content)
        for element in _LINKS(tree):
            for rel in (element.get("rel") or "").lower().split():
                self.links.setdefault(rel, []).append(element.get("href") or "")

    def first(self, *keys: str) -> str | None:
        """The first value of the first key present, keys in order of trust."""
        for key in keys:
            for value in self.values.get(key, ()):
                return value
        return None

    def all(self, *keys: str) -> list[str]:
        return [value for key in keys for value in self.values.get(key, ())]

    def itemprop(self, key: str) -> str | None:
        values = self.itemprops.get(key)
        return values[0] if values else None

    def link(self, rel: str) -> str | None:
        values = self.links.get(rel)
        return values[0] if values else None
