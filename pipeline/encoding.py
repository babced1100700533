"""Pipeline stage (decode): bytes -> str, robust to wrong or missing charset declarations.

STUB: replaced by the real implementation. Contract:
    decode_html(data: bytes, content_type: str | None = None) -> str
"""

from __future__ import annotations


def decode_html(data: bytes, content_type: str | None = None) -> str:
    return data.decode("utf-8", errors="replace")
