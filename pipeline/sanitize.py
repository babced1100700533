"""Pipeline stage (output forms): sanitized article HTML via nh3 (the Rust ammonia sanitizer).

Keeps structure a reader needs (paragraphs, headings, lists, links, images, tables, quotes,
code) and drops every script, style, event handler and ``javascript:`` URL.
"""

from __future__ import annotations

import re

import nh3

# C0/C1 control characters; tab, newline and carriage return are whitespace and stay.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

ALLOWED_TAGS: frozenset[str] = frozenset(
    {"p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
     "a", "img", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
     "blockquote", "pre", "code", "em", "strong", "b", "i", "u", "s", "sub", "sup", "mark",
     "figure", "hr", "q", "cite", "abbr", "time", "small", "del", "ins"}
)  # fmt: skip

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "abbr": {"title"},
}

URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

# Elements removed together with their content (everything else unknown is unwrapped).
CLEAN_CONTENT_TAGS: frozenset[str] = frozenset(
    {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
     "textarea", "select", "button", "form", "title"}
)  # fmt: skip


# Built once: nh3.clean would convert the allow-lists to Rust sets on every call.
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(CLEAN_CONTENT_TAGS),
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Body HTML safe to store and display: allow-listed tags, attributes and URL schemes."""
    if not html:
        return ""
    return _CLEANER.clean(CONTROL_CHARS.sub("", html)).strip()
