"""Pipeline stage (normalize): canonical URLs, the key every article is stored under.

STUB: replaced by the real implementation. Contract:
    canonicalize_url(url: str) -> str  (tracking params, fragments, www., trailing slash folded)
"""

from __future__ import annotations


def canonicalize_url(url: str) -> str:
    return url.split("#")[0]
