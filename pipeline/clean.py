"""Pipeline stage (clean): remove boilerplate by markup vocabularies and by text shape.

Rules are data in ``pipeline.rules``; this module applies them to an lxml tree in place.
Every removal goes through a safety valve: an element that holds most of the page's
running text is kept whatever its class says, because a false positive there would
empty the article (e.g. ``<div class="content overflow-hidden">`` around everything).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector, SelectorError

from pipeline import rules
from pipeline.alternation import factored_alternation
from pipeline.sanitize import CONTROL_CHARS

logger = logging.getLogger(__name__)

# Share of the page's running text above which a markup match is not removed.
VALVE_SHARE = 0.5
# Markup removals are all undone when together they take this share of the running text
# and leave less than VALVE_MIN_CHARS characters of it.
VALVE_ALL_SHARE = 0.8
VALVE_MIN_CHARS = 400

BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
     "li", "dl", "dt", "dd", "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr",
     "td", "th", "figure", "figcaption", "header", "footer", "aside", "nav", "form",
     "fieldset", "address", "hr", "br", "center", "details", "summary", "caption", "body",
     "html"}
)  # fmt: skip

# Containers whose loose text is wrapped into paragraphs, and the blocks that end a run.
_NO_WRAP = frozenset({"pre", "html", "textarea"})
# Candidates for wrapping: elements with child elements and loose text (or text in common
# inline elements), found in C
# (a Python loop over every element would cost more than the wrapping itself).
# (One name lookup per child: a chain of self:: tests costs libxml2 a node-set each;
# no tag name holds a space.)
_MIXED_CONTENT = etree.XPath(
    "descendant-or-self::*[* and (text()[normalize-space()] or "
    "*[contains(' span a b strong em i font small time ', concat(' ', name(), ' '))]"
    "[normalize-space()])]",
    regexp=False,
)
_WRAP_BLOCKS = frozenset(
    {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
     "li", "dl", "dt", "dd", "blockquote", "pre", "table", "figure", "figcaption", "header",
     "footer", "aside", "nav", "form", "fieldset", "address", "hr", "center", "details", "tr",
     "td", "th", "tbody", "thead", "tfoot", "caption"}
)  # fmt: skip
# Descendants of an inline element checked one by one for a block (see _breaks_runs).
_FEW_DESCENDANTS = 8
# Blocks that structure text but do not make a block of their own for the leaf test.
_BREAKS = frozenset({"br", "hr"})
# Blocks that can be leaves: those that make a block of their own.
_LEAF_CANDIDATES = BLOCK_TAGS - _BREAKS
TITLE_TAGS = ("h1", "h2", "h3", "h4", "p", "span", "li")
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Containers checked as a whole for being a list of links.
LIST_BLOCKS = ("ul", "ol", "dl", "table", "div", "section", "nav")

# One alternation answers "is this boilerplate?" (named groups make every search
# slower); the intent is looked up only for the tokens that match.
_BOILERPLATE_RE = re.compile(
    factored_alternation(p for patterns in rules.BOILERPLATE_CLASSES.values() for p in patterns)
)
_INTENT_RES = tuple(
    (intent, re.compile(factored_alternation(patterns)))
    for intent, patterns in rules.BOILERPLATE_CLASSES.items()
)
# Tokens that protect an element from class rules: the body itself, quoted social posts.
_KEEP_RE = re.compile(factored_alternation(rules.BODY_MARKERS + rules.EMBED_MARKERS))
_EMOTION = "|".join(re.escape(w) for w in sorted(rules.EMOTION_WORDS, key=len, reverse=True))
# Two or more emotion words, each followed (possibly after a repeat of the word) by "N %".
_REACTION_RUN = re.compile(
    rf"^\s*(?:(?:{_EMOTION})(?:\s+(?:{_EMOTION}))?\s*{rules.PERCENT}\s*){{2,}}$",
    re.IGNORECASE,
)
_STAR_RUN = re.compile(
    r"^\s*(?:average rating|rata-rata(?: rating| penilaian)?|rating)?\s*[\d.,]*\s*"
    r"(?:\d\s*(?:star|stars|bintang)\s*\d{1,3}\s*%\s*){2,}(?:\(?add your review\)?)?\s*$",
    re.IGNORECASE,
)
# Attributes markup_intent reads besides class and id.
_RULE_ATTRIBUTES = frozenset(
    {"role", "style", "rel", *(name for name, _ in rules.BOILERPLATE_ATTRIBUTES)}
)
# Tags that are boilerplate by themselves (still subject to the attribute rules first).
_TAG_INTENTS: dict[str, str] = {
    **dict.fromkeys(rules.FURNITURE_TAGS, "furniture"),
    **dict.fromkeys(rules.CAPTION_TAGS, "captions"),
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# All text of an element without building Python strings per node.
# regexp=False: lxml would register the EXSLT regex functions on every call (half the
# cost of a call on a small element); none of these expressions uses them.
_TEXT = etree.XPath("normalize-space(.)", smart_strings=False, regexp=False)
_LINK_TEXT = etree.XPath("descendant-or-self::a//text()", smart_strings=False, regexp=False)
# el.text_content() (lxml.html's string() XPath), without the regex functions.
_STRING = etree.XPath("string()", smart_strings=False, regexp=False)


@dataclass(slots=True)
class CleanStats:
    """What the cleaner removed, by intent; ``kept`` counts removals the valve refused."""

    removed: dict[str, int] = field(default_factory=dict)
    kept: int = 0

    def count(self, intent: str) -> None:
        self.removed[intent] = self.removed.get(intent, 0) + 1


def normalize_space(text: str) -> str:
    return " ".join(text.split())


def drop(el: lxml.html.HtmlElement) -> None:
    """Remove an element and its subtree, keeping its tail text in place.

    lxml refuses to re-attach a tail that holds control characters (they came from the
    page, which lxml parsed fine), so such tails are cleaned first; stripping them from
    the whole page up front would cost a third of the parse time.
    """
    try:
        el.drop_tree()
    except ValueError:
        el.tail = CONTROL_CHARS.sub("", el.tail or "")
        previous = el.getprevious()
        if previous is not None:
            previous.tail = CONTROL_CHARS.sub("", previous.tail or "")
        else:
            parent = el.getparent()
            if parent is not None:
                parent.text = CONTROL_CHARS.sub("", parent.text or "")
        el.drop_tree()


def drop_noise(root: lxml.html.HtmlElement) -> None:
    """Remove scripts, styles, embedded objects, form controls and comments (keep tails)."""
    etree.strip_elements(root, *rules.DROP_TAGS, etree.Comment, etree.PI, with_tail=False)


@dataclass(slots=True)
class Measures:
    """Per-element text measures from one bottom-up pass over a tree."""

    plain: dict[lxml.html.HtmlElement, int]  # characters outside links
    full: dict[lxml.html.HtmlElement, int]  # all characters
    leaf_blocks: list[lxml.html.HtmlElement]  # block elements with no block inside


def measure(root: lxml.html.HtmlElement) -> Measures:
    """Text measures for every element under ``root``, children before parents."""
    plain: dict[lxml.html.HtmlElement, int] = {}
    full: dict[lxml.html.HtmlElement, int] = {}
    has_block: set[lxml.html.HtmlElement] = set()
    leaves: list[lxml.html.HtmlElement] = []
    full_get, plain_get = full.get, plain.get
    for el in reversed(list(root.iter(etree.Element))):
        text = el.text
        own = len(text.strip()) if text else 0
        tag = el.tag
        is_link = tag == "a"
        if len(el):
            total = own
            nonlink = 0 if is_link else own
            inner_block = False
            for child in el:
                tail = child.tail
                if tail:
                    tail_length = len(tail.strip())
                    total += tail_length
                    nonlink += tail_length
                total += full_get(child, 0)
                if not is_link:
                    nonlink += plain_get(child, 0)
                if child in has_block:
                    inner_block = True
        else:
            total, nonlink, inner_block = own, 0 if is_link else own, False
        plain[el] = nonlink
        full[el] = total
        if tag in _LEAF_CANDIDATES:
            if not inner_block:
                leaves.append(el)
            has_block.add(el)
        elif inner_block:
            has_block.add(el)
    leaves.reverse()
    return Measures(plain, full, leaves)


def remeasure_within(
    measures: Measures, node: lxml.html.HtmlElement, trimmed: Sequence[lxml.html.HtmlElement]
) -> Measures:
    """``measures`` of a tree, made exact for the subtree at ``node`` after children were
    dropped from the elements ``trimmed`` (innermost first, all inside ``node``).

    Only the trimmed elements and their ancestors up to ``node`` change; everything
    else keeps its measures, so the text-shape pass needs no second walk of the body.
    The sums are those of ``measure``.
    """
    plain, full = measures.plain, measures.full
    if trimmed:
        path = [trimmed[0], *trimmed[0].iterancestors()]
        for el in path[: path.index(node) + 1]:
            own = len((el.text or "").strip())
            is_link = el.tag == "a"
            total, nonlink = own, 0 if is_link else own
            for child in el:
                tail = len((child.tail or "").strip())
                total += full.get(child, 0) + tail
                nonlink += tail + (0 if is_link else plain.get(child, 0))
            plain[el] = nonlink
            full[el] = total
    leaf_set = set(measures.leaf_blocks)
    leaves = [el for el in node.iter(*BLOCK_TAGS) if el in leaf_set]
    return Measures(plain, full, leaves)


def link_density(el: lxml.html.HtmlElement) -> float:
    """Share of the element's text that sits inside links."""
    text = normalize_space(_STRING(el))
    if not text:
        return 0.0
    linked = sum(len(normalize_space(_STRING(a))) for a in el.iter("a"))
    return min(1.0, linked / len(text))


def markup_intent(el: lxml.html.HtmlElement) -> str | None:
    """The boilerplate intent an element's class/id/role/attributes declare, if any."""
    tag = el.tag
    if tag in rules.PROTECTED_TAGS:
        return None
    # One call for the attribute names instead of a lookup per rule: this runs on every
    # element of the page, and most carry none of the rarer attributes.
    names = el.keys()
    if not names:
        return _TAG_INTENTS.get(tag)
    if not _RULE_ATTRIBUTES.isdisjoint(names):
        role = el.get("role")
        if role and role.lower() in rules.BOILERPLATE_ROLES:
            return "role"
        for name, value in rules.BOILERPLATE_ATTRIBUTES:
            got = el.get(name)
            if got is not None and (not value or got.lower() == value):
                return "hidden" if name in ("aria-hidden", "hidden") else "comments"
        style = el.get("style")
        if style and _HIDDEN_STYLE.search(style):
            return "hidden"
        if el.get("rel") in ("tag", "category tag"):
            return "tags"
    intent = _TAG_INTENTS.get(tag)
    if intent is not None:
        return intent
    # _class_intent reads whitespace-separated tokens: "class id", or either alone.
    classes = el.get("class") if "class" in names else None
    ident = el.get("id") if "id" in names else None
    if ident is None:
        return _class_intent(classes) if classes else None
    return _class_intent(ident if classes is None else f"{classes} {ident}")


@lru_cache(maxsize=16384)
def _class_intent(attrs: str) -> str | None:
    """Intent declared by a "class id" string (cached: a site repeats its class strings)."""
    tokens = attrs.lower().split()
    intent = next(filter(None, map(_token_intent, tokens)), None)
    # Body markers matter only on an element some rule would remove.
    if intent is None or any(map(_is_marker_token, tokens)):
        return None
    return intent


@lru_cache(maxsize=32768)
def _token_intent(token: str) -> str | None:
    if _BOILERPLATE_RE.search(token) is None:
        return None
    return next((intent for intent, rx in _INTENT_RES if rx.search(token)), None)


@lru_cache(maxsize=32768)
def _is_marker_token(token: str) -> bool:
    return _KEEP_RE.search(token) is not None


def remove_by_markup(root: lxml.html.HtmlElement, stats: CleanStats) -> list[lxml.html.HtmlElement]:
    """Drop elements whose markup declares boilerplate, unless a safety valve objects.

    Two valves: an element holding most of the page's running text is kept whatever its
    class says; and if the removals together would leave almost no running text, none of
    them is applied (the rules misread this site's markup).

    Returns the nodes it looked at: while a caller holds them, lxml hands the same
    Python objects to later passes instead of building new ones for every node.
    """
    total = _plain_length(root)
    # (element, intent, all its text, its text outside links when it had to be counted)
    doomed: list[tuple[lxml.html.HtmlElement, str, int, int | None]] = []
    # Document order (iter()'s), stepping over a doomed element's subtree instead of
    # walking through it: on widget-heavy pages most nodes sit in doomed subtrees.
    seen: list[lxml.html.HtmlElement] = []
    el: lxml.html.HtmlElement | None = root
    while el is not None:
        seen.append(el)
        intent = markup_intent(el) if isinstance(el.tag, str) else None
        if intent is not None:
            # The text outside links is at most all the text: counting the links (the
            # dear part) is needed only when all the text could trip a valve.
            text = len(_TEXT(el))
            size = text - _link_length(el) if total and text > VALVE_SHARE * total else None
            if size is not None and size > VALVE_SHARE * total:
                stats.kept += 1
                logger.debug("valve kept <%s class=%r> (%s)", el.tag, el.get("class"), intent)
            else:
                doomed.append((el, intent, text, size))
                el = _after_subtree(el, root)
                continue
        el = el[0] if len(el) else _after_subtree(el, root)
    removed = _all_removed(doomed, total)
    if removed is not None:
        stats.kept += len(doomed)
        logger.info(
            "valve: markup rules would leave %d of %d characters; kept", total - removed, total
        )
        return seen
    for el, intent, _, _ in doomed:
        stats.count(intent)
        drop(el)
    return seen


def _all_removed(
    doomed: Sequence[tuple[lxml.html.HtmlElement, str, int, int | None]], total: int
) -> int | None:
    """The running text the removals would take together, when it trips the all-removals
    valve (most of the page's running text, leaving under VALVE_MIN_CHARS); else None.

    Counting an element's link text is the dear part (an XPath each), and widget-heavy
    pages doom dozens of link lists. Each element takes at most all its text, so the sum
    with the uncounted elements at their whole text bounds the result from above; the
    counting stops as soon as that bound cannot trip the valve (usually at once).
    """
    bound = sum(text for _, _, text, _ in doomed)
    for el, _, text, size in doomed:
        if not (bound > VALVE_ALL_SHARE * total and total - bound < VALVE_MIN_CHARS):
            return None
        if size is None:
            bound -= _link_length(el)
        else:
            bound -= text - size
    if bound > VALVE_ALL_SHARE * total and total - bound < VALVE_MIN_CHARS:
        return bound
    return None


def _after_subtree(
    el: lxml.html.HtmlElement, root: lxml.html.HtmlElement
) -> lxml.html.HtmlElement | None:
    """The node that follows ``el``'s subtree in document order, within ``root``."""
    while el is not root:
        following = el.getnext()
        if following is not None:
            return following
        parent = el.getparent()
        if parent is None:
            return None
        el = parent
    return None


def _link_length(el: lxml.html.HtmlElement) -> int:
    return sum(map(len, map(str.strip, _LINK_TEXT(el))))


def _plain_length(el: lxml.html.HtmlElement) -> int:
    """Characters of text outside links (menus and link lists weigh nothing)."""
    return len(_TEXT(el)) - _link_length(el)


def wrap_loose_text(root: lxml.html.HtmlElement) -> None:
    """Wrap text that sits loose between blocks (``<div>text<p>..</p>more</div>``) in <p>.

    Blogger-style posts and old CMSs write paragraphs as bare text between <br>s and
    blocks; once wrapped, every later step (scoring, text shapes, edge trimming) sees
    them as paragraphs, and cleaning its own output gives the same result.
    """
    for el in _MIXED_CONTENT(root):
        if el.tag not in _NO_WRAP and _has_loose_text(el):
            _wrap_runs(el)


def _has_loose_text(el: lxml.html.HtmlElement) -> bool:
    if not any(_breaks_runs(c) for c in el):
        return False  # only inline children: the element is itself a paragraph
    if el.text and el.text.strip():
        return True
    return any((c.tail and c.tail.strip()) or (not _breaks_runs(c) and _TEXT(c)) for c in el)


def _breaks_runs(el: lxml.html.HtmlElement) -> bool:
    """A block, or an inline element holding one (``<strong><p>..</p></strong>``, which
    libxml2 keeps and the sanitizer's parser splits): loose text stops at it."""
    tag = el.tag
    if not isinstance(tag, str):
        return False
    if tag in _WRAP_BLOCKS:
        return True
    if not len(el):
        return False
    # Inline elements mostly hold a few inline ones: looking at those is cheaper than
    # lxml's matcher for the many block names; a bigger subtree goes to the matcher.
    few = list(islice(el.iterdescendants(), _FEW_DESCENDANTS + 1))
    if len(few) <= _FEW_DESCENDANTS:
        return any(c.tag in _WRAP_BLOCKS for c in few)
    return any(True for _ in el.iterdescendants(*_WRAP_BLOCKS))


def _wrap_runs(el: lxml.html.HtmlElement) -> None:
    new_children: list[lxml.html.HtmlElement] = []
    lead = CONTROL_CHARS.sub("", el.text or "")
    el.text = None
    run: list[lxml.html.HtmlElement] = []

    def flush() -> None:
        has_text = lead.strip() or any(_TEXT(c) or (c.tail or "").strip() for c in run)
        if has_text:
            para = el.makeelement("p", {})
            para.text = lead
            for child in run:
                para.append(child)
            new_children.append(para)
        else:
            new_children.extend(run)

    for child in list(el):
        if _breaks_runs(child):
            flush()
            lead, child.tail, run = CONTROL_CHARS.sub("", child.tail or ""), None, []
            new_children.append(child)
        else:
            run.append(child)
    flush()
    el[:] = new_children


def remove_selectors(root: lxml.html.HtmlElement, selectors: Iterable[str]) -> None:
    """Drop elements matched by per-source CSS selectors (bad selectors are logged, skipped)."""
    for css in selectors:
        selector = _compile_css(css)
        if selector is None:
            continue
        for el in selector(root):
            if el is not root:
                drop(el)


@lru_cache(maxsize=256)
def _compile_css(css: str) -> CSSSelector | None:
    try:
        return CSSSelector(css)
    except SelectorError:
        logger.warning("ignoring invalid remove selector %r", css)
        return None


# Texts up to this long are remembered by widget_text (a bound on the cache's memory).
WIDGET_CACHE_CHARS = 1000


def widget_text(text: str) -> str | None:
    """The widget kind a block's text has the shape of, or None for ordinary text.

    Cached for short texts: the rendered paragraphs are checked again after their blocks
    were, and a site repeats its widget lines on every page.
    """
    if len(text) <= WIDGET_CACHE_CHARS:
        return _cached_widget_text(text)
    return _widget_text(text)


@lru_cache(maxsize=4096)
def _cached_widget_text(text: str) -> str | None:
    return _widget_text(text)


def _widget_text(text: str) -> str | None:
    if not text:
        return None
    if _REACTION_RUN.match(text):
        return "reactions"
    if _STAR_RUN.match(text):
        return "ratings"
    if rules.SHARE_HEADINGS.match(text) or rules.SHARE_NETWORK_ROW.match(text):
        return "share"
    if rules.WIDGET_LINES.match(text):
        return "widget-line"
    if is_credit_line(text):
        return "captions"
    if rules.NEWSLETTER_LINE.match(text):
        return "newsletter"
    return None


def is_credit_line(text: str) -> bool:
    """A photo credit such as "Jane Doe/Hindustan Times/Getty Images" (names, slashes)."""
    if len(text) > rules.CREDIT_MAX or "/" not in text or any(c.isdigit() for c in text):
        return False
    parts = [part.strip() for part in text.split("/")]
    low, high = rules.CREDIT_PARTS
    return low <= len(parts) <= high and all(
        part and part[0].isupper() and len(part.split()) <= 4 and ":" not in part for part in parts
    )


def is_read_more(el: lxml.html.HtmlElement, text: str) -> bool:
    """A short paragraph like "Baca juga: <a>...</a>" that only points to another article."""
    if len(text) > 250 or not rules.READ_MORE.match(text):
        return False
    return any(True for _ in el.iter("a")) or len(text) < 40


def remove_by_text(
    root: lxml.html.HtmlElement, stats: CleanStats, measures: Measures | None = None
) -> None:
    """Drop link lists, leaf blocks whose text has a widget's shape, and meta-like edges.

    ``measures``: exact text measures of the tree under ``root``, when the caller has them.
    """
    m = measures or measure(root)
    doomed: set[lxml.html.HtmlElement] = set()
    # Everything inside a doomed element: one set lookup instead of an ancestor walk
    # (up to the document root) for every element checked after the first removal.
    inside: set[lxml.html.HtmlElement] = set()
    for el in root.iter(*LIST_BLOCKS):
        if el is root or el in inside:
            continue
        full = m.full.get(el, 0)
        if not full:
            continue
        kind = None
        if 1 - m.plain[el] / full >= rules.LINK_DENSITY_LIST and m.plain[el] < 200:
            # At least two links inside.
            if next(islice(el.iterdescendants("a"), 1, None), None) is not None:
                kind = "link-dense"
        elif full <= rules.WIDGET_MAX_CHARS:
            # Widgets spread over several small blocks (a reaction bar, a rating table).
            kind = widget_text(normalize_space(text_content(el)))
        if kind is not None:
            stats.count(kind)
            doomed.add(el)
            inside.update(el.iterdescendants())
    leaves: list[tuple[lxml.html.HtmlElement, str]] = []
    for el in m.leaf_blocks:
        if el is root or el in inside:
            continue
        text = normalize_space(text_content(el))
        if not text:
            continue
        kind = widget_text(text)
        if kind is None and is_read_more(el, text):
            kind = "read-more"
        if kind is None and is_caption(el, text):
            kind = "captions"
        if kind is not None:
            stats.count(kind)
            doomed.add(el)
            inside.update(el.iterdescendants())
        else:
            leaves.append((el, text))
    for el in _edge_junk(leaves, m) + _link_runs(leaves, m):
        stats.count("edge")
        doomed.add(el)
    for el in doomed:
        if el.getparent() is not None and el is not root:
            drop(el)


def text_content(el: lxml.html.HtmlElement) -> str:
    """``el.text_content()``, cheaper: a childless element's text is its .text (no XPath
    call), and the XPath call does not register lxml's regex functions."""
    return _STRING(el) if len(el) else el.text or ""


def is_caption(el: lxml.html.HtmlElement, text: str) -> bool:
    """Short text right after an image inside a small image container: a caption/credit."""
    if len(text) > rules.CAPTION_MAX or el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return False
    prev = el.getprevious()
    if prev is None or not _is_image(prev):
        return False
    parent = el.getparent()
    if parent is None or len(parent) > 3 or parent.tag == "blockquote":
        return False
    # The caption is (nearly) all the text of its container; in an article body the
    # paragraph after an image is one of many.
    return len(_TEXT(parent)) <= len(text) + rules.CAPTION_SLACK


def _is_image(el: lxml.html.HtmlElement) -> bool:
    """An image, or a wrapper (link, span, div; at most 3 deep) around nothing but one."""
    for _ in range(4):
        if el.tag in ("img", "picture"):
            return True
        if len(el) != 1 or (el.text or "").strip() or (el[0].tail or "").strip():
            return False
        el = el[0]
    return False


def _linked(el: lxml.html.HtmlElement, m: Measures) -> bool:
    full = m.full.get(el, 0)
    return full > 0 and m.plain.get(el, 0) <= (1 - rules.LINK_DENSITY_PARAGRAPH) * full


def is_meta_line(text: str) -> bool:
    """A short line that is a byline, dateline or label rather than prose."""
    if len(text) > rules.META_LINE_MAX:
        return False
    if rules.DATELINE.search(text) or rules.BYLINE.match(text):
        return True
    # "Join the conversation..." trails off: an ellipsis does not end a sentence here.
    ends_sentence = text.endswith(rules.SENTENCE_END) and not text.endswith(("...", "…"))
    return len(text.split()) <= rules.LABEL_MAX_WORDS and not ends_sentence


def _is_edge_junk(el: lxml.html.HtmlElement, text: str, m: Measures, *, top: bool) -> bool:
    """Meta lines and link-only lines; above the body also headings (title, kicker, dek)."""
    if el.tag in ("td", "th"):
        return False
    if top and el.tag in HEADINGS and not text.endswith(rules.SENTENCE_END):
        return True
    return is_meta_line(text) or _linked(el, m)


def _edge_junk(
    leaves: list[tuple[lxml.html.HtmlElement, str]], m: Measures
) -> list[lxml.html.HtmlElement]:
    """Meta-like or fully linked leaves before the first and after the last prose block."""
    junk: list[lxml.html.HtmlElement] = []
    for ordered, top in ((leaves, True), (leaves[::-1], False)):
        for el, text in ordered:
            if not _is_edge_junk(el, text, m, top=top):
                break
            junk.append(el)
    if len(junk) >= len(leaves):  # nothing but short lines: keep them, it is a short page
        return []
    return junk


def _link_runs(
    leaves: list[tuple[lxml.html.HtmlElement, str]], m: Measures
) -> list[lxml.html.HtmlElement]:
    """Fully linked leaves next to another fully linked leaf (teaser lists inside the body)."""
    linked = [_linked(el, m) and len(text) < 200 for el, text in leaves]
    return [
        el
        for i, (el, _) in enumerate(leaves)
        if linked[i] and ((i > 0 and linked[i - 1]) or (i + 1 < len(linked) and linked[i + 1]))
    ]


def remove_title_repeats(root: lxml.html.HtmlElement, title: str | None) -> None:
    """Drop headings and crumbs that repeat the page title (h1, breadcrumb's last crumb)."""
    if not title:
        return
    wanted = normalize_space(title).casefold()
    size = len(wanted)
    doomed = []
    for el in root.iter(*TITLE_TAGS):
        if len(el) > 1:  # a title repeat is bare text, or text in one inline element
            continue
        # A childless element's text is its .text: no XPath string() call needed.
        raw = _STRING(el) if len(el) else el.text or ""
        # Cheap length test first: most elements cannot be the title.
        if not size / 3 <= len(raw) <= size * 3 + 40:
            continue
        text = normalize_space(raw).casefold()
        if text and (text == wanted or (len(text) > 20 and wanted.startswith(text))):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            drop(el)


def clean_blocks(paragraphs: Sequence[str]) -> list[str]:
    """Text-shape filter over already rendered paragraphs (idempotent)."""
    return [p for p in paragraphs if p and widget_text(p) is None]
