"""Pipeline stage (normalize): the elements metadata reads, by tag, from one walk of the page.

Each ``//meta``, ``//script``, ``//h1``... XPath walks the whole tree in libxml2; metadata
needs a dozen of them, which cost more than the rest of the metadata stage. One
``iter()`` over the same tags walks the tree once and hands out only these elements.
"""

from __future__ import annotations

import lxml.html

INDEXED_TAGS = ("script", "meta", "link", "title", "h1", "time", "address")


class TagIndex:
    """Elements of ``INDEXED_TAGS`` in document order, grouped by tag."""

    def __init__(self, tree: lxml.html.HtmlElement) -> None:
        self.by_tag: dict[str, list[lxml.html.HtmlElement]] = {tag: [] for tag in INDEXED_TAGS}
        for element in tree.iter(*INDEXED_TAGS):
            self.by_tag[element.tag].append(element)

    def __getitem__(self, tag: str) -> list[lxml.html.HtmlElement]:
        return self.by_tag[tag]
