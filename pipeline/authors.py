"""Pipeline stage (normalize): author credits -> a tuple of person names.

A credit as pages write it ("By Jane Doe and John Roe | March 14, 2025",
"Oleh: Budi Santoso, Rina Wati - detikInet", "Penulis Budi | Editor Ani") becomes
``("Jane Doe", "John Roe")``. Organizations (the site itself, wire agencies, "Tim Redaksi")
are kept only when no person is credited at all.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.dates import MONTHS
from pipeline.jsonld import Credit

MAX_NAME_CHARS = 60
MAX_NAME_WORDS = 5

# Roles that introduce a name; the name that follows is the credit.
_LEADING_ROLE = re.compile(
    r"^(?:(?:written|posted|words|reported|story|text)\s+by|by|oleh|ditulis\s+oleh|penulis|"
    r"reporter|reporters|wartawan|kontributor|author|authors|laporan|jurnalis)\b\s*[:\-–]?\s*",
    re.IGNORECASE,
)
# Roles that are not authorship: everything from here on is dropped.
_OTHER_ROLE = re.compile(
    r"\b(?:editor|penyunting|redaktur|editing|edited\s+by|disunting\s+oleh|photo|foto|"
    r"photographer|fotografer|ilustrasi|illustration|sumber|source)\b\s*[:\-–]?.*$",
    re.IGNORECASE,
)
_SEGMENTS = re.compile(r"\s*(?:\||•|·|—|–|\s-\s|\n)\s*")
# "and"/"dan" only in lower case: "Dan Brown" is a name, "Budi dan Rina" are two.
_NAMES = re.compile(r"\s*(?:,|;|&|/)\s*|\s+(?:and|dan|serta|AND|DAN)\s+")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^]]*\]")
_URLISH = re.compile(r"https?://|www\.|@\w|\w@\w|\.(?:com|net|org|id|co)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_EDGE_PUNCTUATION = " \t.,:;-–—|/\"'“”‘’"
_DATE_WORDS = frozenset(
    {"on", "at", "pada", "pukul", "updated", "diperbarui", "published", "diterbitkan"}
    | set(MONTHS)
    | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
    | {"senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu"}
)
_NOISE = frozenset(
    {"admin", "administrator", "anonymous", "guest", "unknown", "user", "penulis", "author"}
)
_ORG_WORDS = re.compile(
    r"\b(?:news|media|redaksi|team|tim|staff|staf|desk|newsroom|network|group|grup|inc|ltd|"
    r"llc|corp|pt|tbk|agency|press|wire|editorial|editors|contributors|kontributor)\b",
    re.IGNORECASE,
)
WIRE_AGENCIES = frozenset(
    {
        "reuters",
        "associated press",
        "ap",
        "afp",
        "agence france-presse",
        "antara",
        "bloomberg",
        "bernama",
        "xinhua",
        "kyodo",
        "yonhap",
        "dpa",
        "ansa",
        "efe",
        "upi",
        "pti",
        "ani",
        "cnn",
        "bbc",
        "the verge",
        "techcrunch",
    }
)


@dataclass(frozen=True, slots=True)
class Names:
    """Cleaned credits split into persons and organizations, in page order."""

    persons: tuple[str, ...]
    organizations: tuple[str, ...]


def _fold(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def _tidy(name: str) -> str:
    name = " ".join(_PARENTHESES.sub(" ", name).split()).strip(_EDGE_PUNCTUATION)
    if name.isupper() and " " in name:
        name = name.title()  # "BUDI SANTOSO" is a shouted name, not an acronym
    return name


def _without_date(text: str) -> str:
    """ "Jane Doe on March 14" -> "Jane Doe": cut at the first digit, then date words."""
    match = _DIGIT.search(text)
    if not match:
        return text
    words = text[: match.start()].split()
    while words and words[-1].strip(",.").casefold() in _DATE_WORDS:
        words.pop()
    return " ".join(words)


def split_credit(text: str) -> list[str]:
    """Candidate names from one credit string, roles, dates and URLs removed."""
    text = " ".join(html.unescape(text).split())
    names: list[str] = []
    for segment in _SEGMENTS.split(text):
        segment = _LEADING_ROLE.sub("", segment.strip())
        if not segment or _OTHER_ROLE.match(segment):
            continue  # "Editor: Ani" credits an editor, not an author
        segment = _OTHER_ROLE.sub("", segment)
        if _URLISH.search(segment):
            continue  # a profile URL or an e-mail address, not a name
        for part in _NAMES.split(segment):
            name = _tidy(_without_date(_LEADING_ROLE.sub("", part.strip())))
            if not name or _DIGIT.search(name):
                continue
            if len(name) > MAX_NAME_CHARS or len(name.split()) > MAX_NAME_WORDS:
                continue
            if name.casefold() in _NOISE or not any(ch.isalpha() for ch in name):
                continue
            if all(word.strip(",.").casefold() in _DATE_WORDS for word in name.split()):
                continue
            names.append(name)
    return names


def is_organization(name: str, org_names: Iterable[str]) -> bool:
    """True when ``name`` is the publisher, a wire agency or a team, not a person."""
    folded = _fold(name)
    if not folded:
        return True
    if name.casefold() in WIRE_AGENCIES or _ORG_WORDS.search(name):
        return True
    for org in org_names:
        org_folded = _fold(org)
        if org_folded and (folded == org_folded or (len(org_folded) >= 4 and org_folded in folded)):
            return True
    return False


def clean_credits(credits: Sequence[Credit], org_names: Iterable[str]) -> Names:
    """Persons and organizations named by ``credits`` (duplicates dropped)."""
    org_list = [org for org in org_names if org]
    persons: dict[str, str] = {}
    organizations: dict[str, str] = {}
    for credit in credits:
        for name in split_credit(credit.name):
            key = name.casefold()
            if credit.is_org or is_organization(name, org_list):
                organizations.setdefault(key, name)
            else:
                persons.setdefault(key, name)
    return Names(tuple(persons.values()), tuple(organizations.values()))
