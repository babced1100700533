"""Pipeline stage (extract + clean): main-content selection and boilerplate removal.

Contract: ``extract_body(tree, url, *, remove_selectors=(), title=None) -> Body(text, html)``.
``tree`` is the parsed document and is modified in place (metadata was read before).
Steps: drop scripts and styles; drop boilerplate by markup (``pipeline.clean`` applying the
data in ``pipeline.rules``); pick the main container (where long paragraphs concentrate,
plus sibling blocks that carry paragraphs of their own); drop widgets recognised by text
shape; render text and sanitized HTML.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.html

from pipeline import clean
from pipeline.render import body_html, paragraphs
from pipeline.sanitize import sanitize_html

logger = logging.getLogger(__name__)

# Block elements without blocks inside whose whole text is one paragraph when scoring.
LEAF_UNIT_TAGS = frozenset({"p", "pre", "td", "div", "section", "article", "blockquote", "center"})
MIN_PARAGRAPH = 25
EXCERPT_ENDINGS = ("…", "...", "[…]", "[...]", "…]")
COMMAS = (",", "，", "、", "،")
# A paragraph's score goes to its parent, then damped to grandparent and great-grandparent.
DAMPING = (1.0, 2.0, 6.0)
# Siblings of the best candidate join it when they score this much (absolute, relative).
SIBLING_MIN_SCORE = 10.0
SIBLING_SHARE = 0.2
SIBLING_SHORT_SHARE = 0.5
SIBLING_LEVELS = 5
# URLs that need no resolving against the page.
ABSOLUTE_PREFIXES = ("http://", "https://", "//", "mailto:", "data:", "#", "tel:")


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
    """The article body of a parsed page as clean text and sanitized HTML."""
    clean.drop_noise(tree)
    clean.remove_selectors(tree, remove_selectors)
    root = tree.find("body")
    if root is None:
        root = tree
    stats = clean.CleanStats()
    # Held to the end: the later passes get these nodes' Python objects back (cheaper).
    walked = clean.remove_by_markup(root, stats)
    clean.remove_title_repeats(root, title)
    clean.wrap_loose_text(root)
    measures = clean.measure(root)
    container, trimmed = select_main(root, measures)
    clean.remove_by_text(container, stats, clean.remeasure_within(measures, container, trimmed))
    blocks = clean.clean_blocks(paragraphs(container))
    logger.debug(
        "%s: removed %s (valve kept %d, %d nodes)", url, stats.removed, stats.kept, len(walked)
    )
    if not blocks:
        return Body(text="", html="")
    if url.startswith(("http://", "https://")):
        absolute_links(container, url)
    return Body(text="\n\n".join(blocks), html=sanitize_html(body_html(container)))


def select_main(
    root: lxml.html.HtmlElement, measures: clean.Measures | None = None
) -> tuple[lxml.html.HtmlElement, list[lxml.html.HtmlElement]]:
    """The element holding the article, and the elements inside it that lost children.

    Paragraph scores flow to their container and, damped, to two more ancestors, so the
    winner is where long paragraphs concentrate (a teaser list spreads its text over many
    small parents). Siblings that score well or read like paragraphs join it (articles
    split in several columns); siblings that do not are dropped.
    ``measures``: ``clean.measure(root)``, when the caller has it.
    """
    measures = measures or clean.measure(root)
    plain, full = measures.plain, measures.full
    scores: dict[lxml.html.HtmlElement, float] = {}
    # Undamped credit from paragraphs directly inside: what a sibling must show to join.
    direct: dict[lxml.html.HtmlElement, float] = {}
    # Paragraph units: blocks with no block inside (loose text was wrapped into <p>).
    for el in measures.leaf_blocks:
        if el.tag not in LEAF_UNIT_TAGS:
            continue
        # A childless element's text is its .text: no XPath string() call needed.
        text = clean.text_content(el).strip()
        length = len(text)
        # Teaser excerpts end with an ellipsis: they do not make their list an article.
        if length < MIN_PARAGRAPH or text.endswith(EXCERPT_ENDINGS):
            continue
        score = 1 + sum(map(text.count, COMMAS)) + min(length / 100, 3)
        start = el.getparent()
        if start is not None:
            direct[start] = direct.get(start, 0.0) + score
        for damping in DAMPING:
            if start is None:
                break
            scores[start] = scores.get(start, 0.0) + score / damping
            start = start.getparent()
    if not scores:
        return root, []
    for table in (scores, direct):
        for candidate, score in table.items():
            total = full.get(candidate, 0)
            table[candidate] = score * (plain.get(candidate, 0) / total if total else 0.0)
    best = max(scores, key=scores.__getitem__)
    return _with_siblings(best, scores[best], direct, root)


def _with_siblings(
    best: lxml.html.HtmlElement,
    top: float,
    direct: dict[lxml.html.HtmlElement, float],
    root: object,
) -> tuple[lxml.html.HtmlElement, list[lxml.html.HtmlElement]]:
    """``best``, or an ancestor trimmed to the run of children that belong to the article
    (with the ancestors that lost children, innermost first).

    Looks up to ``SIBLING_LEVELS`` levels up, because CMSs split one article into several
    column or section wrappers, each with its own paragraphs. A sibling joins when some
    element inside it holds paragraphs of its own worth a share of the best score (a
    teaser list spreads many small scores over many cards and does not).
    """
    # Readability's max(10, 20 %), but a short article's best block scores under 10 itself:
    # then a sibling needs half the best score.
    threshold = max(SIBLING_SHARE * top, min(SIBLING_MIN_SCORE, SIBLING_SHORT_SHARE * top))
    # Every element holding (at any depth) a block whose own paragraphs pass the threshold:
    # marked once from the few such blocks upwards, instead of searching each sibling.
    holders: set[lxml.html.HtmlElement] = set()
    for el, score in direct.items():
        if score >= threshold:
            holders.add(el)
            holders.update(el.iterancestors())
    node = best
    current = best
    trimmed: list[lxml.html.HtmlElement] = []
    for _ in range(SIBLING_LEVELS):
        parent = current.getparent()
        if parent is None or current is root:
            break
        children = [c for c in parent if isinstance(c.tag, str)]
        kept = [
            i
            for i, c in enumerate(children)
            if c is current or c in holders or _reads_like_paragraph(c)
        ]
        if len(kept) > 1:
            for i, child in enumerate(children):
                if i < kept[0] or i > kept[-1]:
                    clean.drop(child)
                    if not trimmed or trimmed[-1] is not parent:
                        trimmed.append(parent)
            node = parent
        current = parent
    return node, trimmed


def _reads_like_paragraph(el: lxml.html.HtmlElement) -> bool:
    """A paragraph of prose: a <p>, or a <div> used as one (no block inside)."""
    if el.tag != "p" and not (el.tag == "div" and not any(c.tag in clean.BLOCK_TAGS for c in el)):
        return False
    text = clean.normalize_space(clean.text_content(el))
    if text.endswith(EXCERPT_ENDINGS):
        return False
    density = clean.link_density(el)
    if len(text) >= 80:
        return density < 0.25
    return density == 0 and text.endswith((".", "!", "?", "。", "”", '"'))


def absolute_links(root: lxml.html.HtmlElement, base: str) -> None:
    """Resolve relative link and image URLs: stored HTML is read away from its page.

    Only <a href> and <img src> survive sanitizing, so only they are resolved (lxml's
    make_links_absolute visits every URL-bearing attribute and costs several times more).
    """
    for el in root.iter("a", "img"):
        name = "href" if el.tag == "a" else "src"
        value = el.get(name)
        if not value or value.startswith(ABSOLUTE_PREFIXES):
            continue
        try:
            el.set(name, urljoin(base, value.strip()))
        except ValueError:  # malformed URL or control characters: keep it as written
            logger.debug("unresolvable URL %r on %s", value, base)
