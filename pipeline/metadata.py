"""Pipeline stage (normalize): article metadata from JSON-LD, meta tags, microdata, DOM, URL.

STUB: replaced by the real implementation. Contract:
    extract_metadata(tree, url, *, fetched_at=None, language_hint=None) -> Metadata
    Metadata.resolve_language(body_text) -> ISO 639-1 code or None
It must not modify ``tree`` (body extraction runs on it afterwards).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import lxml.html


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    published_raw: str | None = None
    modified_at: datetime | None = None
    modified_raw: str | None = None
    declared_language: str | None = None
    language_hint: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    section: str | None = None
    image: str | None = None
    canonical_url: str | None = None

    def resolve_language(self, body_text: str) -> str | None:
        return self.declared_language or self.language_hint


def extract_metadata(
    tree: lxml.html.HtmlElement,
    url: str,
    *,
    fetched_at: datetime | None = None,
    language_hint: str | None = None,
) -> Metadata:
    titles = tree.xpath("//title/text()")
    lang = tree.get("lang")
    return Metadata(
        title=titles[0].strip() if titles else None,
        declared_language=lang.split("-")[0].lower() if lang else None,
        language_hint=language_hint,
    )
