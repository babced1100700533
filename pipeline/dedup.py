"""Pipeline stage (dedup): content fingerprints used to detect unchanged and duplicate bodies."""

from __future__ import annotations

import hashlib


def normalize_for_hash(text: str) -> str:
    """Fold whitespace and case so cosmetic re-renders do not count as edits.

    ``str.split()`` splits on exactly the characters regex ``\\s`` matches, in C.
    """
    return " ".join(text.split()).casefold()


def content_hash(text: str) -> str:
    """A stable sha256 hex digest of the normalized body text."""
    return hashlib.sha256(normalize_for_hash(text).encode("utf-8", "surrogatepass")).hexdigest()
