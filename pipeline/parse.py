"""Pipeline stage (parse): one lxml parse per page, shared by every later step."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from pipeline.types import ExtractionError

MAX_HTML_CHARS = 8_000_000
# libxml2 checks each new attribute against all earlier ones of its tag: a tag with 100,000
# attributes takes half a minute to parse. No real tag has thousands of attributes, and
# attributes are never article text, so such a tag keeps its name and loses them. A tag's
# size is counted in pieces: one per character outside quotes, one per quoted value (so one
# long JSON prop is small); the pieces never overlap, which keeps the scan linear.
MAX_TAG_PIECES = 8192
_HUGE_TAG = re.compile(
    r"""<([a-zA-Z][\w:-]*)(?:[^<>"']|"[^"]*"|'[^']*'){""" + f"{MAX_TAG_PIECES},}}>"
)


def parse_html(html: str) -> lxml.html.HtmlElement:
    """Parse HTML text into an lxml tree; ExtractionError when there is nothing to parse."""
    if not html or not html.strip():
        raise ExtractionError("empty page")
    if len(html) > MAX_HTML_CHARS:
        raise ExtractionError(f"page too large: {len(html)} characters (limit {MAX_HTML_CHARS})")
    if "\x00" in html[:4096]:
        raise ExtractionError("binary content (NUL bytes) served as HTML")
    if len(html) > MAX_TAG_PIECES:
        html = _HUGE_TAG.sub(r"<\1>", html)
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparseable HTML: {exc}") from exc
    return tree
