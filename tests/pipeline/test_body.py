"""Main-content extraction: container choice, structure kept, output forms, golden coverage."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest

from pipeline import ExtractionError, extract
from pipeline.body import extract_body
from pipeline.parse import parse_html

GOLDEN = Path(__file__).parent / "golden"
WIDGET_TYPES = range(1, 26)  # entries of ../shared/docs/boilerplate-widgets.md

P1 = (
    "The startup said its new model was trained on licensed data only, a claim that "
    "several researchers asked it to document in more detail."
)
P2 = (
    "Investors valued the company at two billion dollars, almost four times the figure "
    "from its previous round, according to people familiar with the deal."
)
P3 = (
    "A spokesperson declined to say when the model would be offered to customers in "
    "Europe, where new transparency rules start to apply next year."
)


def body_of(html: str, title: str | None = None, **kwargs: object) -> str:
    tree = parse_html(f"<html><body>{html}</body></html>")
    return extract_body(tree, "https://example.com/a", title=title, **kwargs).text  # type: ignore[arg-type]


def teasers(n: int) -> str:
    return "".join(
        f"<div class='card'><h3><a href='/s{i}'>Other headline number {i}</a></h3>"
        f"<p>A short teaser sentence for story {i}, with a comma.</p></div>"
        for i in range(n)
    )


def test_paragraphs_are_separated_by_one_blank_line() -> None:
    text = body_of(f"<div><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>")
    assert text == f"{P1}\n\n{P2}\n\n{P3}"


def test_article_wins_over_a_longer_teaser_list() -> None:
    story = f"<div class='story'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"
    page = f"<div class='list'>{teasers(12)}</div>{story}"
    text = body_of(page)
    assert text == f"{P1}\n\n{P2}\n\n{P3}"


def test_article_split_over_sibling_columns_is_merged() -> None:
    page = (
        "<section><div class='col'><div><p>" + P1 + "</p><p>" + P2 + "</p></div></div>"
        "<div class='ad-free'><img src='x.jpg'></div>"
        "<div class='col'><div><p>" + P3 + "</p><p>" + P1 + "</p></div></div></section>"
    )
    assert body_of(page) == f"{P1}\n\n{P2}\n\n{P3}\n\n{P1}"


def test_text_in_divs_and_br_lines_counts() -> None:
    page = (
        f"<div class='post-body'><div><span>{P1}<br></span></div><div>{P2}<br><br>{P3}</div></div>"
    )
    assert body_of(page) == f"{P1}\n\n{P2}\n\n{P3}"


def test_lists_headings_quotes_and_tables_keep_their_text() -> None:
    page = (
        f"<article><p>{P1}</p><h2>What changes</h2><ul><li>first item</li><li>second item</li></ul>"
        f"<blockquote><p>We expect the rules to settle the question.</p></blockquote>"
        f"<table><tr><th>Year</th><th>Revenue</th></tr><tr><td>2024</td><td>12.5</td></tr></table>"
        f"<p>{P2}</p></article>"
    )
    text = body_of(page)
    for needle in ("What changes", "first item", "second item", "settle the question", "2024 12.5"):
        assert needle in text
    assert text.startswith(P1) and text.endswith(P2)


def test_figure_captions_and_credits_are_not_body() -> None:
    page = (
        f"<article><p>{P1}</p><figure><img src='a.jpg' alt='A chip'>"
        "<figcaption>The new chip. Photo: Company handout</figcaption></figure>"
        f"<p>{P2}</p></article>"
    )
    text = body_of(page)
    assert "handout" not in text and "A chip" not in text
    assert text == f"{P1}\n\n{P2}"


def test_duplicated_title_is_dropped() -> None:
    page = f"<article><h1>Startup raises money</h1><p>{P1}</p><p>{P2}</p></article>"
    assert body_of(page, title="Startup raises money") == f"{P1}\n\n{P2}"


def test_remove_selectors_apply() -> None:
    page = (
        f"<article><p>{P1}</p><p class='sponsor-note'>Presented by Acme.</p><p>{P2}</p></article>"
    )
    assert "Acme" not in body_of(page, remove_selectors=("p.sponsor-note",))


def test_page_without_text_gives_empty_body() -> None:
    tree = parse_html("<html><body><div><img src='a.jpg'></div></body></html>")
    body = extract_body(tree, "https://example.com/a")
    assert body.text == "" and body.html == ""


def test_a_page_without_article_text_is_an_extraction_error() -> None:
    page = "<html><body><nav><a href='/'>Home</a></nav><img src='a.jpg'></body></html>"
    with pytest.raises(ExtractionError, match="no article text"):
        extract(page, "https://example.com/a")


def test_html_output_is_sanitized_and_keeps_structure() -> None:
    page = (
        f"<article><p onclick='steal()'>{P1} <a href='javascript:alert(1)'>bad link</a> "
        f"<a href='https://example.com/r'>good link</a></p><script>alert(1)</script>"
        f"<style>p{{}}</style><h2>Heading</h2><ul><li>item</li></ul>"
        f"<img src='https://example.com/i.png' onerror='x()'><p>{P2}</p></article>"
    )
    tree = parse_html(f"<html><body>{page}</body></html>")
    html = extract_body(tree, "https://example.com/a").html
    assert "onclick" not in html and "onerror" not in html
    assert "javascript:" not in html and "<script" not in html and "<style" not in html
    for tag in ("<p>", "<h2>", "<ul>", "<li>", '<a href="https://example.com/r"', "<img"):
        assert tag in html
    assert lxml.html.fragment_fromstring(html, create_parent="div").text_content()


def test_html_links_and_images_are_absolute_and_markdown_keeps_structure() -> None:
    page = (
        f"<article><p>{P1} <a href='/report.pdf'>report</a></p><h2>Heading</h2>"
        f"<img src='img/chart.png' alt='chart'><ul><li>first item</li></ul><p>{P2}</p></article>"
    )
    article = extract(f"<html><body>{page}</body></html>", "https://example.com/news/a.html")
    assert 'href="https://example.com/report.pdf"' in article.html
    assert 'src="https://example.com/news/img/chart.png"' in article.html
    markdown = article.markdown
    assert "## Heading" in markdown
    assert "first item" in markdown and "[report](https://example.com/report.pdf)" in markdown


def test_control_characters_never_reach_the_text() -> None:
    text = body_of(f"<article><p>{P1}\x07\x1b</p><p>\x0b{P2}\x7f</p></article>")
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    assert text == f"{P1}\n\n{P2}"


def test_control_characters_in_text_around_removed_widgets() -> None:
    page = (
        f"<article><p>{P1}</p><div class='share'>Share</div>\x07tail\x1b text"
        f"<div>\x0bloose\x07 words<p>{P2}</p></div></article>"
    )
    text = body_of(page)
    assert "Share" not in text
    assert "tail text" in text and "loose words" in text
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)


def test_deeply_nested_page_returns_quickly_without_crashing() -> None:
    html = "<html><body>" + "<div>" * 10_000 + f"<p>{P1}</p>" + "</div>" * 10_000 + "</body></html>"
    try:
        article = extract(html, "https://example.com/deep")
    except ExtractionError:
        return
    assert isinstance(article.text, str)


@pytest.mark.parametrize("payload", ["", "   ", "\x00\x01binary\x00"])
def test_unusable_input_is_an_extraction_error(payload: str) -> None:
    with pytest.raises(ExtractionError):
        extract(payload, "https://example.com/bad")


def test_every_widget_type_has_a_golden_fixture() -> None:
    covered: set[int] = set()
    for spec_path in GOLDEN.glob("body-*.json"):
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        assert spec.get("must_not_contain"), f"{spec_path.name} lists no widget text"
        covered.update(spec.get("widgets", []))
    missing = sorted(set(WIDGET_TYPES) - covered)
    assert not missing, f"widget types without a golden fixture: {missing}"


def test_seed_page_gives_exactly_its_five_paragraphs() -> None:
    spec = json.loads((GOLDEN / "body-seed-booster.json").read_text(encoding="utf-8"))
    article = extract((GOLDEN / "body-seed-booster.html").read_bytes(), spec["url"])
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("San Francisco –")
    assert paragraphs[-1].endswith("paling kuat di dunia.")


def _golden_pages() -> list[bytes]:
    import gzip

    pages = [p.read_bytes() for p in sorted(GOLDEN.glob("*.html"))]
    return pages + [gzip.decompress(p.read_bytes()) for p in sorted(GOLDEN.glob("*.html.gz"))]


def test_measures_kept_from_container_choice_equal_a_fresh_measure() -> None:
    # The text-shape pass reuses the measures of the container choice, refreshed only
    # where sibling blocks were dropped: they must be what a fresh walk would give.
    from pipeline import clean
    from pipeline.body import select_main
    from pipeline.encoding import decode_html

    trimmed_pages = 0
    for page in _golden_pages():
        tree = parse_html(decode_html(page))
        clean.drop_noise(tree)
        root = tree.find("body")
        assert root is not None
        clean.remove_by_markup(root, clean.CleanStats())
        clean.wrap_loose_text(root)
        measures = clean.measure(root)
        container, trimmed = select_main(root, measures)
        trimmed_pages += bool(trimmed)
        kept = clean.remeasure_within(measures, container, trimmed)
        fresh = clean.measure(container)
        assert kept.leaf_blocks == fresh.leaf_blocks
        for el in container.iter():
            assert kept.plain.get(el) == fresh.plain.get(el)
            assert kept.full.get(el) == fresh.full.get(el)
    assert trimmed_pages >= 3  # the refresh path itself is exercised
