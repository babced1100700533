"""Pipeline stage (parse): one lxml parse per page, shared by every later step."""

from __future__ import annotations

import lxml.html
from lxml import etree

from pipeline.types import ExtractionError

MAX_HTML_CHARS = 8_000_000


def parse_html(html: str) -> lxml.html.HtmlElement:
    """Parse HTML text into an lxml tree; ExtractionError when there is nothing to parse."""
    if not html or not html.strip():
        raise ExtractionError("empty page")
    if len(html) > MAX_HTML_CHARS:
        raise ExtractionError(f"page too large: {len(html)} characters (limit {MAX_HTML_CHARS})")
    if "\x00" in html[:4096]:
        raise ExtractionError("binary content (NUL bytes) served as HTML")
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparseable HTML: {exc}") from exc
    return tree
