"""Storage stage: the highlighted snippet of a search hit, cut from the article text in Python.

The databases can do this (FTS5 snippet(), PostgreSQL ts_headline()), but both re-read
and re-tokenize every whole body of the page, which costs more than the search itself;
here one regular-expression pass over each text picks the window of SNIPPET_CHARS
characters with the most query words and marks them. Words match ignoring case and accents, and a
word also matches its longer forms ("model" marks "models", "modelling") as PostgreSQL's
stemming would match them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

SNIPPET_CHARS = 220
HIGHLIGHT = ("**", "**")  # Markdown bold: readable in a terminal, in JSON and rendered
ELLIPSIS = "…"
_MAX_SUFFIX = 4  # "model" -> "modelling"


def _base_letter(ch: str) -> str:
    """``ch`` without its accents, when that is one character ("é" -> "e"); else ``ch``."""
    base = [c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)]
    return base[0] if len(base) == 1 else ch


def fold_accents(text: str) -> str:
    """``text`` with accented letters replaced by their base letter, same length."""
    if text.isascii():
        return text
    return text.translate({ord(ch): _base_letter(ch) for ch in set(text) if not ch.isascii()})


class Highlighter:
    """Cuts snippets for one search: the words are compiled once, used for a page of hits."""

    def __init__(self, words: Iterable[str], size: int = SNIPPET_CHARS) -> None:
        alternatives = []
        for word in sorted({fold_accents(w).casefold() for w in words if w}, key=len, reverse=True):
            suffix = f"[^\\W_]{{0,{_MAX_SUFFIX}}}" if len(word) >= 3 else ""
            alternatives.append(re.escape(word) + suffix)
        self.size = size
        self.pattern = (
            re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])", re.I)
            if alternatives
            else None
        )

    def snippet(self, text: str) -> str:
        """About ``size`` characters of ``text`` around its densest run of matches."""
        # fold_accents keeps the length, so offsets found in it are offsets in text.
        hits = list(self.pattern.finditer(fold_accents(text))) if self.pattern else []
        start = 0
        if hits:
            best, best_count, j = 0, 0, 0
            for i, hit in enumerate(hits):  # two pointers: most hits within one window
                j = max(j, i)
                while j + 1 < len(hits) and hits[j + 1].end() - hit.start() <= self.size:
                    j += 1
                if j - i + 1 > best_count:
                    best, best_count = i, j - i + 1
            start = max(0, hits[best].start() - self.size // 4)
        if start > 0:  # begin on a word
            start = text.rfind(" ", 0, start) + 1
        end = min(len(text), start + self.size)
        if end < len(text):
            space = text.find(" ", end)
            end = len(text) if space < 0 else space
        out = [ELLIPSIS] if start > 0 else []
        position = start
        for hit in hits:
            if hit.start() < start or hit.end() > end:
                continue
            out.append(text[position : hit.start()])
            out.append(HIGHLIGHT[0] + text[hit.start() : hit.end()] + HIGHLIGHT[1])
            position = hit.end()
        out.append(text[position:end])
        if end < len(text):
            out.append(ELLIPSIS)
        return " ".join("".join(out).split())


def snippet(text: str, words: Iterable[str], size: int = SNIPPET_CHARS) -> str:
    """The ``size``-character window of ``text`` richest in ``words``, those in **bold**."""
    return Highlighter(words, size).snippet(text)
