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


def clean_text(value: str) -> str:
    """``value`` without NUL and other control characters (tab and newlines kept) and lone
    surrogates."""
    return _UNSTORABLE.sub("", value)


def clean_optional(value: str | None) -> str | None:
    return None if value is None else clean_text(value)


def clean_list(values: Iterable[str]) -> list[str]:
    return [clean_text(v) for v in values]
