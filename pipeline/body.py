"""Pipeline stage (extract + clean): main-content selection and boilerplate removal.

STUB: replaced by the real extractor. Contract:
    extract_body(tree, url, *, remove_selectors=(), title=None) -> Body(text, html)
``tree`` is the parsed document (it may be modified in place); ``text`` has paragraphs
separated by one blank line; ``html`` is sanitized body HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import lxml.html


@dataclass(frozen=True, slots=True)
class Body:
    text: str
    html: str


def extract_body(
    tree: lxml.html.HtmlElement,
    url: str,
    *,
    remove_selectors: Sequence[str] = (),
    title: str | None = None,
) -> Body:
    paragraphs = [" ".join(p.text_content().split()) for p in tree.iter("p")]
    paragraphs = [p for p in paragraphs if p]
    text = "\n\n".join(paragraphs)
    return Body(text=text, html="".join(f"<p>{p}</p>" for p in paragraphs))
