"""Pipeline stage (output forms): a cleaned body element -> paragraphs, HTML, Markdown."""

from __future__ import annotations

import lxml.html
from lxml import etree

from pipeline.clean import BLOCK_TAGS
from pipeline.sanitize import CONTROL_CHARS

# Table cells stay on their row's line, separated by a space.
_LINE_TAGS = BLOCK_TAGS - {"td", "th"}


def clean_text(text: str) -> str:
    """One paragraph: control characters removed, whitespace runs folded to one space."""
    return " ".join(CONTROL_CHARS.sub("", text).split())


def paragraphs(root: lxml.html.HtmlElement) -> list[str]:
    """The text of ``root`` split at block boundaries and <br>, in document order.

    Walks start/end events instead of recursing, so 10,000-level nesting is fine.
    """
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            text = clean_text("".join(buf))
            buf.clear()
            if text:
                out.append(text)

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if event == "start":
            if tag in _LINE_TAGS:
                flush()
            if el.text:
                buf.append(el.text)
        else:
            if tag in _LINE_TAGS:
                flush()
            elif tag in ("td", "th"):
                buf.append(" ")
            if el is not root and el.tail:
                buf.append(el.tail)
    flush()
    return out


def body_html(root: lxml.html.HtmlElement) -> str:
    """Serialized HTML of the body element (to be sanitized)."""
    return str(lxml.html.tostring(root, encoding="unicode", with_tail=False))


def to_markdown(html: str) -> str:
    from markdownify import markdownify

    return str(markdownify(html, heading_style="ATX")).strip()
