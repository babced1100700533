"""Storage stage: make text safe for every backend before it is written.

PostgreSQL rejects NUL characters in text, control characters are never text (and can
drive a terminal), and lone UTF-16 surrogates (from broken
``\\ud800`` escapes in JSON-LD, say) cannot be encoded as UTF-8 by any driver.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# NUL (PostgreSQL refuses it), other C0 controls and DEL (terminal escapes, bells: they
# would reach `warta query` output and exports), lone surrogates. Tab, LF and CR stay.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# The same controls as bytes: in UTF-8 each is its own byte, never part of another character.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def clean_text(value: str) -> str:
    """``value`` without NUL and other control characters (tab and newlines kept) and lone
    surrogates."""
    # Nearly all text is clean already, and checking its UTF-8 bytes is several times
    # faster than the regex scan (strict UTF-8 refuses a lone surrogate).
    try:
        data = value.encode()
    except UnicodeEncodeError:
        return _UNSTORABLE.sub("", value)
    if len(data.translate(None, _CONTROL_BYTES)) == len(data):
        return value
    return _UNSTORABLE.sub("", value)


def clean_optional(value: str | None) -> str | None:
    return None if value is None else clean_text(value)


def clean_list(values: Iterable[str]) -> list[str]:
    return [clean_text(v) for v in values]
