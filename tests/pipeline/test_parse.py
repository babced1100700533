"""Parsing: one lxml parse per page, from the decoded text or the page's own UTF-8 bytes."""

from __future__ import annotations

import time

import lxml.html

from pipeline import extract
from pipeline.parse import parse_html

PAGE = (
    '<html><head><meta charset="iso-8859-1"><title>Café</title></head>'
    "<body><p>Naïve résumé — “quoted” 14 Maret 2025</p><p>a &amp; b</p></body></html>"
)
P = "<p>Open models, chips and policy: a paragraph of real article text for the reader.</p>"


def test_utf8_bytes_parse_to_the_same_tree_as_the_text() -> None:
    # The bytes are read as UTF-8 whatever the <meta> says, like the text they encode.
    from_text = lxml.html.tostring(parse_html(PAGE), encoding="unicode")
    from_bytes = lxml.html.tostring(parse_html(PAGE, PAGE.encode("utf-8")), encoding="unicode")
    assert from_bytes == from_text
    assert "Naïve résumé — “quoted”" in from_bytes


def test_a_tag_with_100000_attributes_in_utf8_bytes_is_parsed_in_bounded_time() -> None:
    attributes = " ".join(f"a{i}='<'" for i in range(100_000))
    html = (
        f"<html><body><article><h1>Title</h1><p {attributes}>x</p>{P * 6}</article></body></html>"
    )
    started = time.process_time()
    article = extract(html.encode("utf-8"), "https://example.com/news/a")
    assert time.process_time() - started < 3
    assert "a paragraph of real article text" in article.text
