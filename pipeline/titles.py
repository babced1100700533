"""Pipeline stage (normalize): article titles without site names or breadcrumb trails.

"OpenAI ships a model | TechDaily" -> "OpenAI ships a model";
"Beranda » Tekno » OpenAI rilis model" -> "OpenAI rilis model";
"Title - detikInet" -> "Title". Only whole separator-delimited segments at either end are
removed, and only when they name the site or a navigation step, so a title that really
contains " - " keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_SITE_SEGMENT_WORDS = 4
NAVIGATION_WORDS = frozenset(
    {"home", "beranda", "news", "berita", "index", "homepage", "halaman utama", "blog"}
)
_SEPARATOR = re.compile(r"(\s+(?:\||-|–|—|·|•|»|›|>|::|~)\s+)")


def _fold(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def _names_site(segment: str, org_names: Iterable[str]) -> bool:
    folded = _fold(segment)
    if not folded:
        return True
    if segment.strip().casefold() in NAVIGATION_WORDS:
        return True
    if len(segment.split()) > MAX_SITE_SEGMENT_WORDS:
        return False
    for name in org_names:
        name_folded = _fold(name)
        if not name_folded:
            continue
        # "Kompas.com" ~ "KOMPAS.com"; "detikInet" contains the host label "detik".
        if folded == name_folded or (len(name_folded) >= 4 and name_folded in folded):
            return True
        if len(folded) >= 4 and folded in name_folded:
            return True
    return False


def clean_title(raw: str, org_names: Iterable[str], heading: str | None = None) -> str:
    """``raw`` without site-name and navigation segments at its ends."""
    title = " ".join(raw.split())
    names = [name for name in org_names if name]
    if heading and heading != title and heading.casefold() in title.casefold():
        # "Site: Headline" with <h1>Headline</h1>: keep the heading when the rest names the site.
        start = title.casefold().index(heading.casefold())
        rest = title[:start] + " " + title[start + len(heading) :]
        if _names_site(rest.strip(" :|-–—·•»›>~"), names):
            return heading
    pieces = _SEPARATOR.split(title)
    if len(pieces) == 1:
        return title
    segments = pieces[0::2]
    separators = pieces[1::2]
    if heading:
        heading_folded = _fold(heading)
        for segment in segments:
            if _fold(segment) == heading_folded:
                return segment.strip()
    start, end = 0, len(segments)
    while end - start > 1 and _names_site(segments[end - 1], names):
        end -= 1
    while end - start > 1 and _names_site(segments[start], names):
        start += 1
    kept = [segments[start]]
    for index in range(start + 1, end):
        if _fold(segments[index]) != _fold(kept[-1]):  # "Title | Title" duplicates
            kept.append(separators[index - 1] + segments[index])
    return "".join(kept).strip()
