"""Pipeline stage (normalize): a page's <meta> and <link> values, read once into lookups."""

from __future__ import annotations

import lxml.html

from pipeline.tagindex import TagIndex


class MetaTags:
    """<meta> values by lower-cased name/property/http-equiv, microdata <meta itemprop>
    values and <link> hrefs by rel; every value kept, in page order."""

    def __init__(self, tree: lxml.html.HtmlElement, tags: TagIndex | None = None) -> None:
        self.values: dict[str, list[str]] = {}
        self.itemprops: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}
        tags = tags or TagIndex(tree)
        for element in tags["meta"]:
            content = " ".join((element.get("content") or "").split())
            if not content:
                continue
            for attr in ("property", "name", "http-equiv"):
                key = (element.get(attr) or "").strip().lower()
                if key:
                    self.values.setdefault(key, []).append(content)
            for key in (element.get("itemprop") or "").lower().split():
                self.itemprops.setdefault(key, []).append(content)
        for element in tags["link"]:
            if element.get("href") is None:
                continue
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
