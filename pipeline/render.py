"""Pipeline stage (output forms): a cleaned body element -> paragraphs, HTML, Markdown."""

from __future__ import annotations

import lxml.html

from pipeline.clean import BLOCK_TAGS
from pipeline.sanitize import CONTROL_CHARS

# Table cells stay on their row's line, separated by a space.
_LINE_TAGS = BLOCK_TAGS - {"td", "th"}


def clean_text(text: str) -> str:
    """One paragraph: control characters removed, whitespace runs folded to one space."""
    return " ".join(CONTROL_CHARS.sub("", text).split())


def paragraphs(root: lxml.html.HtmlElement) -> list[str]:
    """The text of ``root`` split at block boundaries and <br>, in document order.

    One pass of ``iter()`` (cheaper than iterwalk's start/end events) with the open
    elements on a list: an element ends when the next node is not inside it. No
    recursion, so 10,000-level nesting is fine. Comments and processing instructions
    are skipped with their tails.
    """
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            text = clean_text("".join(buf))
            buf.clear()
            if text:
                out.append(text)

    def end(el: lxml.html.HtmlElement, tag: str) -> None:
        if tag in _LINE_TAGS:
            flush()
        elif tag == "td" or tag == "th":
            buf.append(" ")
        if el is not root:
            tail = el.tail
            if tail:
                buf.append(tail)

    open_elements: list[tuple[lxml.html.HtmlElement, str]] = []
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if open_elements:
            parent = el.getparent()
            while open_elements[-1][0] is not parent:
                end(*open_elements.pop())
        if tag in _LINE_TAGS:
            flush()
        text = el.text
        if text:
            buf.append(text)
        open_elements.append((el, tag))
    while open_elements:
        end(*open_elements.pop())
    flush()
    return out


def body_html(root: lxml.html.HtmlElement) -> str:
    """Serialized HTML of the body element (to be sanitized)."""
    return str(lxml.html.tostring(root, encoding="unicode", with_tail=False))


def to_markdown(html: str) -> str:
    from markdownify import markdownify

    return str(markdownify(html, heading_style="ATX")).strip()
