"""Pipeline stage (clean, normalize): long regex alternations made cheap to search.

Markup rules and DOM field lookups test many words or patterns against each class/id
value; a flat ``a|b|c|...`` tries every branch at every position of the value.
"""

from __future__ import annotations

from collections.abc import Iterable

# Leading pieces that many class patterns share: start of a token or of a token part.
_SHARED_HEADS = (r"(?:^|[\s_-])", r"(?:^|\s)")


def _top_level_branches(pattern: str) -> bool:
    """True when ``pattern`` has a ``|`` outside any group or character class."""
    depth, in_class, escaped = 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


def factored_alternation(patterns: Iterable[str]) -> str:
    """One regex matching where any of ``patterns`` matches, grouped by leading piece.

    A flat alternation of ~180 class patterns tries every branch at every position of a
    token (7 us a token, and a page brings dozens of tokens no cache has seen). Grouped as
    ``s(?:hare|ponsor|...)``, the regex engine skips a group on its first character.
    Same matches: only a literal first character not bound to a quantifier, or a shared
    head, is moved out, and never from a pattern with a top-level ``|``.
    """
    groups: dict[str, list[str]] = {}
    for pattern in patterns:
        head = next((h for h in _SHARED_HEADS if pattern.startswith(h)), None)
        if head is None and pattern[:1].isalnum() and pattern[1:2] not in ("?", "*", "+", "{"):
            head = pattern[0]
        if head is None or _top_level_branches(pattern) or len(pattern) == len(head):
            groups.setdefault("", []).append(pattern)
        else:
            groups.setdefault(head, []).append(pattern[len(head) :])
    loose = groups.pop("", [])
    return "|".join([f"{head}(?:{'|'.join(rests)})" for head, rests in groups.items()] + loose)
