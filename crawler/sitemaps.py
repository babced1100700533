"""Fetch stage: sitemap bodies (plain or gzipped) and Google News `news:` fields.

Parsing is Scrapy's own `scrapy.utils.sitemap.Sitemap` (iterative, entity-safe); this module
only adds the nested `<news:news>` fields that Scrapy's flat parser drops.
"""

from __future__ import annotations

import logging
from typing import Any

import lxml.etree
from scrapy.http import Response, XmlResponse
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap

logger = logging.getLogger(__name__)


class NewsSitemap(Sitemap):
    """A Sitemap whose url entries also carry `news_title`, `news_publication_date`,
    `news_language`, `news_name` and `news_keywords` when a `<news:news>` block is present."""

    __slots__ = ()

    def _process_sitemap_element(self, elem: lxml.etree._Element) -> dict[str, Any] | None:
        # Read the nested news block before the parent implementation clears the children.
        news: dict[str, str] = {}
        for child in elem:
            if self._get_tag_name(child) == "news":
                for field in child.iter():
                    tag = self._get_tag_name(field)
                    if tag not in ("news", "publication") and field.text and field.text.strip():
                        news[f"news_{tag}"] = field.text.strip()
        entry = super()._process_sitemap_element(elem)
        if entry is not None:
            entry.pop("news", None)
            entry.update(news)
        return entry


def sitemap_body(response: Response, max_size: int) -> bytes | None:
    """The XML of a sitemap response, gunzipped when needed; None when it is not a sitemap.

    A `.xml.gz` file is served as application/gzip (so the HTTP layer leaves it compressed);
    it is unpacked here with the same size cap as downloads, so a gzip bomb is refused.
    """
    if gzip_magic_number(response):
        try:
            return gunzip(response.body, max_size=max_size)
        except ValueError:  # scrapy's size-cap error subclasses ValueError
            logger.warning("Sitemap %s is larger than %d bytes unpacked", response.url, max_size)
            return None
        except (OSError, EOFError):
            return None
    if isinstance(response, XmlResponse):
        return response.body
    head = response.body[:512].lstrip()
    is_xml = head.startswith(b"<?xml") or b"<urlset" in head or b"<sitemapindex" in head
    return response.body if is_xml else None
