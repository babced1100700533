"""Storage stage: the user's search syntax, parsed once and rendered for each backend.

Users write words, ``"a phrase"``, ``OR`` between alternatives and ``-word`` to exclude,
as on web search engines. The text is parsed here into terms of plain words, then
rendered as an FTS5 MATCH expression (every term a quoted string, so FTS5 operators in
the user's text stay data) or as the input of PostgreSQL's ``websearch_to_tsquery``.
Either way the result is a bound parameter: user text never becomes SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Letters and digits only: the same split as FTS5's unicode61 tokenizer (which treats
# "_" and punctuation as separators), so "snake_case" searches for "snake case".
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CHUNK = re.compile(r'\s*(-?)(?:"([^"]*)("?)|([^\s"]+))')
MAX_QUERY_LENGTH = 1000
MAX_TERMS = 64


class QuerySyntaxError(ValueError):
    """The search text cannot be understood; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase: its words in order, and whether it is excluded (``-term``)."""

    words: tuple[str, ...]
    excluded: bool = False


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """All of ``groups`` must match (each group: any of its terms), none of ``excluded``."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Nothing searchable (only punctuation): matches no article."""
        return not self.groups

    @property
    def words(self) -> tuple[str, ...]:
        """The words looked for (excluded ones left out), for highlighting."""
        return tuple(w for group in self.groups for term in group for w in term.words)

    def to_fts5(self) -> str:
        """An FTS5 MATCH expression: quoted phrases joined by AND, OR and NOT."""
        parts = []
        for group in self.groups:
            alternatives = [_fts5_phrase(t) for t in group]
            parts.append(
                alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"
            )
        expression = " AND ".join(parts)
        for term in self.excluded:
            expression += " NOT " + _fts5_phrase(term)
        return expression

    def to_websearch(self) -> str:
        """The same query in the syntax of PostgreSQL's ``websearch_to_tsquery``."""
        parts = [" or ".join(_quoted(t) for t in group) for group in self.groups]
        parts.extend("-" + _quoted(t) for t in self.excluded)
        return " ".join(parts)


def _quoted(term: Term) -> str:
    return '"' + " ".join(term.words) + '"'


def _fts5_phrase(term: Term) -> str:
    # Words hold letters and digits only; doubling quotes is the FTS5 escape all the same.
    return '"' + " ".join(w.replace('"', '""') for w in term.words) + '"'


def parse_query(text: str) -> SearchQuery:
    """Parse the user's search text; raise QuerySyntaxError with a clear message."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"search text is too long (over {MAX_QUERY_LENGTH} characters)")
    if text.count('"') % 2:
        raise QuerySyntaxError('unbalanced quote: close the phrase with a second "')
    chunks: list[Term | None] = []  # None marks an OR
    for match in _CHUNK.finditer(text):
        minus, phrase, _closing, bare = match.groups()
        if bare == "OR" and not minus:
            chunks.append(None)
            continue
        words = tuple(_WORD.findall(phrase if phrase is not None else bare))
        # A chunk of punctuation only (', %, *, NEAR(...)'s brackets) keeps its place, so
        # "x OR ..." is still judged by what the user typed, but searches for nothing.
        chunks.append(Term(words, excluded=bool(minus)))
    return _build(chunks)


def _build(chunks: list[Term | None]) -> SearchQuery:
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    joined = False  # the previous chunk was OR
    previous: Term | None = None
    for index, chunk in enumerate(chunks):
        if chunk is None:
            if previous is None or index == len(chunks) - 1 or chunks[index + 1] is None:
                raise QuerySyntaxError("OR needs a word or phrase on each side")
            joined = True
            continue
        if chunk.excluded and (joined or (index + 1 < len(chunks) and chunks[index + 1] is None)):
            raise QuerySyntaxError("an excluded -term cannot be one side of OR")
        if chunk.excluded:
            if chunk.words:
                excluded.append(chunk)
        elif joined and groups and previous is not None and previous.words:
            if chunk.words:
                groups[-1].append(chunk)
        elif chunk.words:
            groups.append([chunk])
        previous, joined = chunk, False
    if sum(len(g) for g in groups) + len(excluded) > MAX_TERMS:
        raise QuerySyntaxError(f"too many search terms (at most {MAX_TERMS})")
    if excluded and not groups:
        raise QuerySyntaxError("say what to look for, not only what to exclude (-word)")
    return SearchQuery(tuple(tuple(g) for g in groups), tuple(excluded))
