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
# The exact count walks every character of every tag (1.9 ms on an average page). The
# pre-check reads unquoted runs up to RUN characters at a time, so a tag of N pieces has
# at least N / RUN units: a page without a tag of that many units has no huge tag, and the
# exact pattern runs only on the rare page with one (a few regex steps per attribute).
RUN = 16


def _tag_patterns(max_pieces: int, run: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(exact huge-tag pattern, its pre-check) for tags of ``max_pieces`` pieces or more."""
    # Possessive: a piece given back could never be followed by ">", so nothing is lost.
    # The name is possessive and bounded too: a greedy name gave back one character at a
    # time, retrying the whole tag each time (seconds on a long run of word characters
    # after "<"); a longer name goes on as pieces, and the rewrite keeps its first 64.
    exact = re.compile(
        r"""<([a-zA-Z][\w:-]{0,63}+)(?:[^<>"']|"[^"]*+"|'[^']*+'){""" + f"{max_pieces},}}+>"
    )
    # The tag's name is read as units too: a name that may give characters back would
    # retry the whole tag once per character of its name on every tag that fails (half
    # the pre-check's time). Its characters are pieces of the exact pattern as well.
    pre_check = re.compile(
        r"""<[a-zA-Z](?:[^<>"']{1,"""
        + f"{run}}}+"
        + r"""|"[^"]*+"|'[^']*+'){"""
        + f"{-(-max_pieces // run)},}}+>"
    )
    return exact, pre_check


_HUGE_TAG, _LONG_TAG = _tag_patterns(MAX_TAG_PIECES, RUN)


def _parser(encoding: str | None = None) -> lxml.html.HTMLParser:
    """lxml.html's parser asks a Python method for the class of every element it hands out
    (a tenth of the body stage); a default lookup answers in C with the same HtmlElement
    class (form and input elements lose only their form helpers, which warta never uses)."""
    parser = lxml.html.HTMLParser(encoding=encoding)
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


_PARSER = _parser()
# For a page's own UTF-8 bytes: lxml would otherwise encode the decoded text to UTF-8
# again before libxml2 reads it (a seventh of the parse). The declared encoding wins over
# any <meta charset>, as it does for text.
_UTF8_PARSER = _parser("utf-8")


def parse_html(html: str, utf8: bytes | None = None) -> lxml.html.HtmlElement:
    """Parse HTML text into an lxml tree; ExtractionError when there is nothing to parse.

    ``utf8``: the same page as bytes, when they are exactly ``html`` encoded as UTF-8
    (``pipeline.encoding.decode_page`` says so); they are parsed as they are.
    """
    if not html or html.isspace():
        raise ExtractionError("empty page")
    if len(html) > MAX_HTML_CHARS:
        raise ExtractionError(f"page too large: {len(html)} characters (limit {MAX_HTML_CHARS})")
    if "\x00" in html[:4096]:
        raise ExtractionError("binary content (NUL bytes) served as HTML")
    source: str | bytes = html if utf8 is None else utf8
    if len(html) > MAX_TAG_PIECES and _LONG_TAG.search(html):
        source = _HUGE_TAG.sub(r"<\1>", html)
    try:
        tree = lxml.html.document_fromstring(
            source, parser=_UTF8_PARSER if isinstance(source, bytes) else _PARSER
        )
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparseable HTML: {exc}") from exc
    return tree
