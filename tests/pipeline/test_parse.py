"""Parsing: one lxml parse per page, from the decoded text or the page's own UTF-8 bytes."""

from __future__ import annotations

import random
import time

import lxml.html

from pipeline import extract
from pipeline.parse import _HUGE_TAG, _LONG_TAG, MAX_TAG_PIECES, _tag_patterns, parse_html

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


# Pieces of a tag's inside: unquoted characters (ASCII and not), quotes holding < and >,
# stray quotes and delimiters that end or break a tag.
PIECES = ["a", "-", ":", " ", "=", "é", "字", '"<b>"', "'>'", '""', '"', "'", "<", ">", "x=1 "]


def test_the_pre_check_finds_every_tag_the_exact_guard_rewrites() -> None:
    # The exact pattern runs only where the pre-check matched: a tag it would rewrite and
    # the pre-check missed would reach libxml2 with all its attributes. Checked on small
    # limits (the exact pattern is slow on many of these pages at full size).
    exact, pre_check = _tag_patterns(64, 4)
    rewritten = 0
    rnd = random.Random(3)
    for _ in range(3000):
        name = "".join(rnd.choice("abzAZ09:-é_") for _ in range(rnd.randint(0, 12)))
        unit = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 6)))
        extra = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 6)))
        end = rnd.choice([">", "", "<", '">'])
        count = rnd.randint(1, 2 * 64 // len(unit) + 2)
        page = f"<p>{extra}</p><t{name}{unit * count}{extra}{end}"
        if exact.search(page):
            rewritten += 1
            assert pre_check.search(page), page
    assert rewritten > 100


def test_the_pre_check_is_not_fooled_by_a_long_tag_name() -> None:
    page = "<" + "a" * 200 + " x" * (MAX_TAG_PIECES // 2) + ">"
    assert _HUGE_TAG.search(page)
    assert _LONG_TAG.search(page)
    assert not _LONG_TAG.search("<div " + 'class="a" ' * 200 + ">")


def test_a_long_run_of_name_characters_beside_a_huge_tag_is_parsed_in_bounded_time() -> None:
    # "<" then 16,000 word characters and no ">": a tag name that could give characters
    # back made the exact pattern retry the whole run once per character (2.8 s CPU).
    huge = "<div " + " ".join(f'a{i}="x"' for i in range(MAX_TAG_PIECES)) + ">kept text</div>"
    page = f"<html><body><p><{'w' * 16_000} and then</p>{huge}</body></html>"
    started = time.process_time()
    tree = parse_html(page)
    assert time.process_time() - started < 1
    (div,) = tree.xpath("//div")
    assert not div.attrib and div.text == "kept text"  # the huge tag is still rewritten


def test_a_huge_tag_with_an_overlong_name_keeps_the_first_64_characters_of_it() -> None:
    page = "<" + "a" * 100 + " x" * MAX_TAG_PIECES + ">"
    assert _HUGE_TAG.sub(r"<\1>", page) == "<" + "a" * 64 + ">"
