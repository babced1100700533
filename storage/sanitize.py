"""Storage stage: make text safe for every backend before it is written.

PostgreSQL rejects NUL characters in text, and lone UTF-16 surrogates (from broken
``\\ud800`` escapes in JSON-LD, say) cannot be encoded as UTF-8 by any driver.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def clean_text(value: str) -> str:
    """``value`` without NUL characters and lone surrogates."""
    return _UNSTORABLE.sub("", value)


def clean_optional(value: str | None) -> str | None:
    return None if value is None else clean_text(value)


def clean_list(values: Iterable[str]) -> list[str]:
    return [clean_text(v) for v in values]
