"""Offline demo: RSS 2.0, Atom and sitemap (index, gzipped, Google News) documents."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from warta.demo.common import Resource, esc, xml_resource


@dataclass(frozen=True, slots=True)
class Entry:
    url: str
    title: str
    summary: str
    authors: tuple[str, ...]
    published: datetime
    updated: datetime | None
    categories: tuple[str, ...]
    guid: str


def rss(
    *,
    title: str,
    link: str,
    self_url: str,
    description: str,
    language: str,
    entries: Sequence[Entry],
    content_html: Sequence[str] | None = None,
) -> Resource:
    """RSS 2.0 the way WordPress and most CMSs write it (dc:creator, optional content:encoded)."""
    items = []
    for i, e in enumerate(entries):
        cats = "".join(f"<category><![CDATA[{c}]]></category>" for c in e.categories)
        creators = "".join(f"<dc:creator><![CDATA[{a}]]></dc:creator>" for a in e.authors)
        content = (
            f"<content:encoded><![CDATA[{content_html[i]}]]></content:encoded>"
            if content_html
            else ""
        )
        items.append(
            f"""
    <item>
      <title>{esc(e.title)}</title>
      <link>{esc(e.url)}</link>
      {creators}
      <pubDate>{format_datetime(e.published)}</pubDate>
      {cats}
      <guid isPermaLink="false">{esc(e.guid)}</guid>
      <description><![CDATA[{e.summary}]]></description>
      {content}
    </item>"""
        )
    newest = max((e.published for e in entries), default=datetime(2025, 1, 1, tzinfo=UTC))
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
  <channel>
    <title>{esc(title)}</title>
    <atom:link href="{esc(self_url)}" rel="self" type="application/rss+xml" />
    <link>{esc(link)}</link>
    <description>{esc(description)}</description>
    <lastBuildDate>{format_datetime(newest)}</lastBuildDate>
    <language>{esc(language)}</language>
    <sy:updatePeriod>hourly</sy:updatePeriod>
    <sy:updateFrequency>1</sy:updateFrequency>
    <generator>warta-demo</generator>{"".join(items)}
  </channel>
</rss>
"""
    return xml_resource(text, "application/rss+xml; charset=utf-8")


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def atom(
    *, title: str, link: str, self_url: str, feed_id: str, entries: Sequence[Entry]
) -> Resource:
    items = []
    for e in entries:
        authors = "".join(f"<author><name>{esc(a)}</name></author>" for a in e.authors)
        cats = "".join(f'<category term="{esc(c)}" />' for c in e.categories)
        items.append(
            f"""
  <entry>
    <title type="text">{esc(e.title)}</title>
    <link rel="alternate" type="text/html" href="{esc(e.url)}" />
    <id>{esc(e.guid)}</id>
    <published>{_iso(e.published)}</published>
    <updated>{_iso(e.updated or e.published)}</updated>
    {authors}{cats}
    <summary type="html">{esc(e.summary)}</summary>
  </entry>"""
        )
    newest = max((e.updated or e.published for e in entries), default=datetime(2025, 1, 1))
    text = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>{esc(title)}</title>
  <link rel="alternate" type="text/html" href="{esc(link)}" />
  <link rel="self" type="application/atom+xml" href="{esc(self_url)}" />
  <id>{esc(feed_id)}</id>
  <updated>{_iso(newest)}</updated>{"".join(items)}
</feed>
"""
    return xml_resource(text, "application/atom+xml; charset=utf-8")


def sitemap_index(sitemaps: Sequence[tuple[str, datetime]]) -> Resource:
    rows = "".join(
        f"\n  <sitemap>\n    <loc>{esc(url)}</loc>\n"
        f"    <lastmod>{_iso(mod)}</lastmod>\n  </sitemap>"
        for url, mod in sitemaps
    )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}\n'
        "</sitemapindex>\n"
    )
    return xml_resource(text)


def _urlset(urls: Sequence[tuple[str, datetime | None]]) -> str:
    rows = []
    for url, mod in urls:
        lastmod = f"\n    <lastmod>{_iso(mod)}</lastmod>" if mod else ""
        rows.append(f"\n  <url>\n    <loc>{esc(url)}</loc>{lastmod}\n  </url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{"".join(rows)}\n'
        "</urlset>\n"
    )


def sitemap(urls: Sequence[tuple[str, datetime | None]]) -> Resource:
    return xml_resource(_urlset(urls))


def sitemap_gz(urls: Sequence[tuple[str, datetime | None]]) -> Resource:
    """A gzipped sitemap file (served as the .gz file itself, not Content-Encoding)."""
    # mtime=0 keeps the bytes identical between runs
    body = gzip.compress(_urlset(urls).encode("utf-8"), mtime=0)
    return Resource(body, "application/gzip")


def news_sitemap(
    entries: Sequence[Entry], *, publication: str, language: str, keywords: bool = True
) -> Resource:
    """A Google News sitemap: <news:news> with publication, date and title per URL."""
    rows = []
    for e in entries:
        kw = f"\n      <news:keywords>{esc(', '.join(e.categories))}</news:keywords>"
        rows.append(
            f"""
  <url>
    <loc>{esc(e.url)}</loc>
    <news:news>
      <news:publication>
        <news:name>{esc(publication)}</news:name>
        <news:language>{esc(language)}</news:language>
      </news:publication>
      <news:publication_date>{_iso(e.published)}</news:publication_date>
      <news:title>{esc(e.title)}</news:title>{kw if keywords else ""}
    </news:news>
  </url>"""
        )
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"\n'
        '        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{''.join(rows)}\n</urlset>\n"
    )
    return xml_resource(text)
