"""Pipeline stage: the one entry point that turns (html, url) into an Article.

Parse once with lxml, then: metadata from the full tree, boilerplate removal and
main-content selection on the body, rendering to text/html, hashing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pipeline.body import extract_body
from pipeline.dedup import content_hash
from pipeline.encoding import clean_html_text, decode_page
from pipeline.metadata import extract_metadata
from pipeline.parse import parse_html
from pipeline.types import Article, ExtractionError
from pipeline.urls import canonicalize_url

WORDS_PER_MINUTE = 230


def extract(
    html: str | bytes,
    url: str,
    *,
    fetched_at: datetime | None = None,
    language_hint: str | None = None,
    remove_selectors: Sequence[str] = (),
    content_type: str | None = None,
) -> Article:
    """Extract the clean article from one page.

    Raises ExtractionError on unusable input, and when no article text is left.
    """
    utf8: bytes | None = None
    if isinstance(html, bytes):
        text_html, utf8 = decode_page(html, content_type)
    elif "\x00" in html[:4096]:
        raise ExtractionError("binary content (NUL bytes) served as HTML")
    else:
        text_html = clean_html_text(html)
    tree = parse_html(text_html, utf8)
    meta = extract_metadata(tree, url, fetched_at=fetched_at, language_hint=language_hint)
    body = extract_body(tree, url, remove_selectors=remove_selectors, title=meta.title)
    if not body.text:
        # An article without text is not worth storing; the crawl counts it as an error.
        raise ExtractionError("no article text")
    language = meta.resolve_language(body.text)
    words = len(body.text.split())
    canonical = canonicalize_url(meta.canonical_url or url)
    return Article(
        url=url,
        canonical_url=canonical,
        text=body.text,
        title=meta.title,
        authors=meta.authors,
        published_at=meta.published_at,
        published_raw=meta.published_raw,
        modified_at=meta.modified_at,
        modified_raw=meta.modified_raw,
        language=language,
        site_name=meta.site_name,
        description=meta.description,
        tags=meta.tags,
        section=meta.section,
        image=meta.image,
        html=body.html,
        word_count=words,
        reading_time_minutes=max(1, round(words / WORDS_PER_MINUTE)) if words else 0,
        content_hash=content_hash(body.text),
    )
