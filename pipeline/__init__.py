"""Pipeline stage: pure Python over (url, html) -> clean, normalized Article.

No Scrapy, no SQLAlchemy: usable from a notebook, a test, the CLI or a re-processing job.

    >>> from pipeline import extract
    >>> article = extract(html, "https://example.com/news/1")
    >>> article.title, article.text
"""

from pipeline.extract import extract
from pipeline.types import Article, ExtractionError
from pipeline.urls import canonicalize_url

__all__ = ["Article", "ExtractionError", "canonicalize_url", "extract"]
