"""Boilerplate cleaner: markup vocabularies, text shapes, link density and the safety valve."""

from __future__ import annotations

import gzip
import logging
import re
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from pipeline import clean, rules
from pipeline.alternation import factored_alternation

PROSE = (
    "The regulator published its draft rules on Monday, giving companies three months to "
    "comment before the final text is adopted by the ministry later this year."
)
PROSE_ID = (
    "Kementerian menerbitkan rancangan aturan pada Senin, memberi waktu tiga bulan bagi "
    "perusahaan untuk memberi masukan sebelum teks final disahkan tahun ini."
)


def fragment(html: str) -> lxml.html.HtmlElement:
    """A parsed page; returns its <body>."""
    tree = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    body = tree.find("body")
    assert body is not None
    return body


def text_of(root: lxml.html.HtmlElement) -> str:
    return clean.normalize_space(root.text_content())


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Happy Happy 0 % Sad Sad 0 % Excited Excited 0 % Angry Angry 0 %", "reactions"),
        ("Senang 12 % Sedih 0 % Terkejut 88 % Marah 0 %", "reactions"),
        ("Average Rating 5 Star 0% 4 Star 0% 3 Star 0% 2 Star 0% 1 Star 0%", "ratings"),
        ("5 Bintang 10% 4 Bintang 90%", "ratings"),
        ("Share this:", "share"),
        ("Bagikan artikel ini:", "share"),
        ("Share this on WhatsApp", "share"),
        ("Facebook Twitter Google+ Whatsapp", "share"),
        ("Bagikan: Facebook | WhatsApp | Telegram", "share"),
        ("Read Time:1 Minute, 28 Second", "widget-line"),
        ("4 min read", "widget-line"),
        ("Waktu baca: 3 menit", "widget-line"),
        ("0 0", "widget-line"),
        ("- Advertisement -", "widget-line"),
        ("Tinggalkan Balasan", "widget-line"),
        ("Foto: Dokumentasi Kementerian", "widget-line"),
        ("Copyright 2025 Example Media", "widget-line"),
        ("Image 1 of / 23", "widget-line"),
    ],
)
def test_widget_text_shapes(text: str, kind: str) -> None:
    assert clean.widget_text(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        PROSE,
        PROSE_ID,
        "Around 40 % of users said they were happy and 10 % said they were sad.",
        "Share prices rose 3% after the announcement.",
        "The tags were printed in 2019 and the rating agency kept its outlook.",
    ],
)
def test_ordinary_prose_is_not_a_widget(text: str) -> None:
    assert clean.widget_text(text) is None


@pytest.mark.parametrize(
    ("attrs", "intent"),
    [
        ('class="sharedaddy sd-sharing-enabled"', "share"),
        ('class="addtoany_share_save_container"', "share"),
        ('class="twp-like-dislike-button"', "like-dislike"),
        ('class="booster-read-block"', "read-time"),
        ('class="booster-reactions-block"', "reactions"),
        ('class="kk-star-ratings"', "ratings"),
        ('id="jp-relatedposts" class="jp-relatedposts"', "related"),
        ('class="mc4wp-form"', "newsletter"),
        ('class="saboxplugin-wrap"', "author-box"),
        ('class="breadcrumb-trail breadcrumbs"', "breadcrumbs"),
        ('id="disqus_thread"', "comments"),
        ('id="cookie-notice"', "cookie"),
        ('class="td-a-rec td-a-rec-id-content_inline"', "ads"),
        ('class="ez-toc-v2_0"', "toc"),
        ('style="display:none"', "hidden"),
        ('class="share-tweet"', "share"),
        ('role="navigation"', "role"),
    ],
)
def test_markup_intents(attrs: str, intent: str) -> None:
    el = fragment(f"<div {attrs}>x</div>")[0]
    assert clean.markup_intent(el) == intent


@pytest.mark.parametrize(
    "attrs",
    [
        'class="entry-content"',  # body marker wins over anything else on the element
        'class="post-content share-enabled"',
        'class="img-responsive"',  # "respond" must not hit "responsive"
        'class="shared-drive-notes"',  # "share" must not hit "shared"
        'class="code-block"',  # code listings are body, Ad Inserter is code-block-N
        'class="content overflow-hidden"',
        'class="social-media-embed"',  # a quoted tweet is part of the story
        'class="sdc-article-widget sdc-article-tweet"',
        'class="elementor-widget-container"',  # Elementor wraps post content in "widgets"
        'class="commentary-body"',  # opinion pieces are not comments
        'class="subscriber-only"',  # paywalled body text
        'class="read-more-content"',  # the rest of the article behind a toggle
    ],
)
def test_markup_that_is_not_boilerplate(attrs: str) -> None:
    el = fragment(f"<div {attrs}>x</div>")[0]
    assert clean.markup_intent(el) is None


def test_wordpress_article_classes_do_not_remove_the_article() -> None:
    body = fragment(f'<article class="post tag-comments category-related"><p>{PROSE}</p></article>')
    clean.remove_by_markup(body, clean.CleanStats())
    assert PROSE in text_of(body)


def test_markup_removal_keeps_surrounding_text_and_counts_by_intent() -> None:
    body = fragment(
        f'<div><p>{PROSE}</p><div class="sharedaddy"><h3>Share this:</h3></div>tail text'
        f'<div id="jp-relatedposts"><a href="/x">Other story</a></div></div>'
    )
    stats = clean.CleanStats()
    clean.remove_by_markup(body, stats)
    assert text_of(body) == f"{PROSE}tail text"
    assert stats.removed == {"share": 1, "related": 1}


def test_safety_valve_keeps_an_element_holding_most_of_the_text() -> None:
    # A layout wrapper whose class happens to contain a boilerplate word.
    body = fragment(
        f'<div class="widget-area"><p>{PROSE}</p><p>{PROSE_ID}</p></div>'
        '<div class="menu"><a href="/">Home</a></div>'
    )
    stats = clean.CleanStats()
    clean.remove_by_markup(body, stats)
    assert PROSE in text_of(body) and PROSE_ID in text_of(body)
    assert stats.kept == 1
    assert "Home" not in text_of(body)


def test_safety_valve_undoes_removals_that_would_empty_the_page() -> None:
    # Each paragraph alone is under half the text, together they are the article.
    body = fragment(
        f'<p class="share-quote">{PROSE}</p><p class="related-note">{PROSE_ID}</p>'
        f'<p class="promo-text">{PROSE}</p><div class="menu"><a href="/">Home</a></div>'
    )
    stats = clean.CleanStats()
    clean.remove_by_markup(body, stats)
    assert text_of(body).count(PROSE) == 2 and PROSE_ID in text_of(body)
    assert stats.removed == {}


def test_text_shapes_inside_the_body_are_removed_not_only_at_the_end() -> None:
    body = fragment(
        f"<div><p>{PROSE}</p>"
        "<div><div>Happy</div><div>0 %</div><div>Sad</div><div>0 %</div></div>"
        "<p><strong>Baca juga:</strong> <a href='/a'>Judul artikel lain</a></p>"
        "<p>Read more: <a href='/b'>Another story</a></p>"
        f"<p>{PROSE_ID}</p></div>"
    )
    clean.remove_by_text(body, clean.CleanStats())
    assert text_of(body) == f"{PROSE}{PROSE_ID}"


def test_long_paragraph_starting_like_a_read_more_line_is_kept() -> None:
    long_read = "Baca: " + PROSE_ID * 3
    body = fragment(f"<div><p>{PROSE}</p><p>{long_read}</p><p>{PROSE}</p></div>")
    clean.remove_by_text(body, clean.CleanStats())
    assert clean.normalize_space(long_read) in text_of(body)


def test_link_dense_lists_go_and_paragraphs_with_links_stay() -> None:
    body = fragment(
        f"<div><p>{PROSE} See <a href='/r'>the report</a> for details.</p>"
        "<ul><li><a href='/1'>First related story</a></li>"
        "<li><a href='/2'>Second related story</a></li></ul>"
        f"<p>{PROSE_ID}</p></div>"
    )
    clean.remove_by_text(body, clean.CleanStats())
    assert "the report" in text_of(body)
    assert "related story" not in text_of(body)


def test_share_heading_over_a_list_of_links_is_removed() -> None:
    body = fragment(
        f"<div><p>{PROSE}</p><div><h4>Share this:</h4><ul><li><a href='/f'>Facebook</a></li>"
        f"<li><a href='/t'>X</a></li></ul></div><p>{PROSE_ID}</p></div>"
    )
    clean.remove_by_text(body, clean.CleanStats())
    assert "Share this" not in text_of(body) and "Facebook" not in text_of(body)


def test_caption_right_after_an_image_is_removed() -> None:
    body = fragment(
        f"<div><p>{PROSE}</p><div class='media'><img src='a.jpg'><p>Photo by Jane Doe / AP</p>"
        f"</div><p>{PROSE_ID}</p></div>"
    )
    clean.remove_by_text(body, clean.CleanStats())
    assert "Jane Doe" not in text_of(body)
    assert PROSE in text_of(body) and PROSE_ID in text_of(body)


def test_quote_after_an_image_inside_a_blockquote_is_not_a_caption() -> None:
    quote = "The show was great and booking the tickets was really easy for us."
    body = fragment(
        f"<div><p>{PROSE}</p><blockquote><p><img src='r.jpg'></p><p>{quote}</p></blockquote>"
        f"<p>{PROSE_ID}</p></div>"
    )
    clean.remove_by_text(body, clean.CleanStats())
    assert quote in text_of(body)


def test_bylines_and_datelines_at_the_top_are_trimmed() -> None:
    body = fragment(
        "<div><h2>Subtitle without a full stop</h2><p>By Jane Doe</p>"
        f"<p>March 14, 2025, 10:15 AM</p><p>{PROSE}</p><p>{PROSE_ID}</p></div>"
    )
    clean.remove_by_text(body, clean.CleanStats())
    assert text_of(body) == f"{PROSE}{PROSE_ID}"


def test_short_items_in_the_middle_of_the_body_are_kept() -> None:
    body = fragment(
        f"<div><p>{PROSE}</p><ul><li>GPU</li><li>TPU</li></ul><h2>Next steps</h2>"
        f"<p>{PROSE_ID}</p></div>"
    )
    clean.remove_by_text(body, clean.CleanStats())
    assert text_of(body) == f"{PROSE}GPUTPUNext steps{PROSE_ID}"


def test_loose_text_between_blocks_becomes_paragraphs() -> None:
    body = fragment(f"<div>{PROSE} <a href='/r'>report</a> end.<h2>Next</h2>{PROSE_ID}<br></div>")
    clean.wrap_loose_text(body)
    div = body[0]
    assert [child.tag for child in div] == ["p", "h2", "p"]
    assert text_of(div[0]) == f"{PROSE} report end."
    assert div[0].find("a") is not None
    assert text_of(div[2]) == PROSE_ID


def test_inline_only_containers_are_left_alone() -> None:
    body = fragment(f"<div><span>{PROSE}</span> <b>bold</b></div>")
    clean.wrap_loose_text(body)
    assert [child.tag for child in body[0]] == ["span", "b"]


def test_drop_noise_removes_scripts_but_keeps_tail_text() -> None:
    body = fragment("<p>before<script>var x = 1;</script> after<!-- note --> end</p>")
    clean.drop_noise(body)
    assert text_of(body) == "before after end"


def test_remove_selectors_and_invalid_selector_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    body = fragment(f"<div class='promo-box'>Buy now</div><p>{PROSE}</p>")
    with caplog.at_level(logging.WARNING, logger="pipeline.clean"):
        clean.remove_selectors(body, ["div.promo-box", "p[[["])
    assert text_of(body) == PROSE
    assert "invalid remove selector" in caplog.text


def test_title_repeats_are_removed() -> None:
    body = fragment(
        f"<h1>Model wins award</h1><span class='last'>Model wins award</span><p>{PROSE}</p>"
    )
    clean.remove_title_repeats(body, "Model wins award")
    assert text_of(body) == PROSE


def _golden_class_tokens() -> set[str]:
    """Every lower-cased class/id token of the golden pages (real themes' vocabularies)."""
    tokens: set[str] = set()
    for path in sorted((Path(__file__).parent / "golden").glob("*.html*")):
        data = path.read_bytes()
        tree = lxml.html.document_fromstring(
            gzip.decompress(data) if path.suffix == ".gz" else data
        )
        for el in tree.iter(etree.Element):
            tokens.update(f"{el.get('class', '')} {el.get('id', '')}".lower().split())
    return tokens


def test_factored_class_rules_match_exactly_the_tokens_the_plain_alternation_matches() -> None:
    patterns = [p for group in rules.BOILERPLATE_CLASSES.values() for p in group]
    plain = re.compile("|".join(patterns))
    factored = re.compile(factored_alternation(patterns))
    # Real tokens, plus each pattern's own shape and near misses around its anchors.
    tokens = _golden_class_tokens() | {
        "share",
        "shared",
        "post-share",
        "elementor-widget",
        "widget",
        "tags",
        "post-tags-x",
        "commentary",
        "comment",
        "readmore-content",
        "read-more",
        "subscriber",
        "ads",
        "head",
        "x-menu",
        "mainmenu",
    }
    assert len(tokens) > 500
    differ = [t for t in tokens if bool(plain.search(t)) != bool(factored.search(t))]
    assert differ == []
    # And each token gets the intent the plain per-intent alternations give it.
    plain_intents = [(i, re.compile("|".join(p))) for i, p in rules.BOILERPLATE_CLASSES.items()]
    for token in tokens:
        want = next((i for i, rx in plain_intents if rx.search(token)), None)
        assert clean._token_intent(token) == want, token


def test_factored_alternation_leaves_patterns_with_top_level_branches_whole() -> None:
    rx = re.compile(factored_alternation(["ab|cd", "ax", "a?z", r"\dq"]))
    assert rx.search("cd") and rx.search("ax") and rx.search("z") and rx.search("7q")
    assert not rx.search("ad") and not rx.search("a")


def test_link_lists_longer_than_the_article_are_still_removed() -> None:
    # Together the widgets hold far more text than the article, but it is all link text:
    # the article keeps its running text, so the all-removals valve must not trip.
    links = "".join(
        f'<li><a href="/s{i}">Another headline number {i} from the site</a></li>' for i in range(20)
    )
    body = fragment(
        f'<p>{PROSE}</p><ul class="related-posts">{links}</ul>'
        f'<ul class="popular-posts">{links}</ul><div class="share-links">{links}</div>'
    )
    stats = clean.CleanStats()
    clean.remove_by_markup(body, stats)
    assert text_of(body) == PROSE
    assert stats.kept == 0 and sum(stats.removed.values()) == 3
