"""Offline demo: helpers shared by the fictional sites' page renderers."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from warta.demo.model import Story

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def esc(text: str) -> str:
    return escape(text, quote=True)


def date_id(moment: datetime) -> str:
    """'14 Maret 2025', the way Indonesian WordPress themes print dates."""
    return f"{moment.day} {MONTHS_ID[moment.month - 1]} {moment.year}"


def date_en(moment: datetime) -> str:
    """'March 14, 2025'."""
    return f"{MONTHS_EN[moment.month - 1]} {moment.day}, {moment.year}"


def number(seed: str, low: int, high: int) -> int:
    """A stable pseudo-random number per page, so counters differ but pages are reproducible."""
    digest = hashlib.sha256(seed.encode()).digest()
    return low + int.from_bytes(digest[:4], "big") % (high - low + 1)


def word_count(story: Story) -> int:
    return sum(len(p.split()) for p in story.paragraphs)


def read_time(story: Story, words_per_minute: int = 200) -> tuple[int, int]:
    seconds = round(word_count(story) * 60 / words_per_minute)
    return seconds // 60, seconds % 60


def slugify(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(part for part in out.split("-") if part)


def json_ld(data: dict[str, Any]) -> str:
    # "</" must not end the script element early
    body = json.dumps(data, ensure_ascii=False, indent=None).replace("</", "<\\/")
    return f'<script type="application/ld+json">{body}</script>'


def others(stories: tuple[Story, ...], story: Story, count: int, offset: int = 1) -> list[Story]:
    """Other stories of the same site for related/popular blocks, never the story itself."""
    index = stories.index(story)
    picked: list[Story] = []
    step = offset
    while len(picked) < count and step < len(stories) * 2:
        candidate = stories[(index + step) % len(stories)]
        if candidate is not story and candidate not in picked:
            picked.append(candidate)
        step += 1
    return picked


@dataclass(frozen=True, slots=True)
class Resource:
    """One file the demo server answers with."""

    body: bytes
    content_type: str


def html_resource(text: str) -> Resource:
    return Resource(text.encode("utf-8"), "text/html; charset=utf-8")


def xml_resource(text: str, content_type: str = "application/xml; charset=utf-8") -> Resource:
    return Resource(text.encode("utf-8"), content_type)
