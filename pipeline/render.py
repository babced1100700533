"""Pipeline stage (output forms): body HTML -> Markdown, off the crawl's hot path."""

from __future__ import annotations


def to_markdown(html: str) -> str:
    from markdownify import markdownify

    return str(markdownify(html, heading_style="ATX")).strip()
