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
    r"^(?:(?:[a-z]+\s+){0,2}by|oleh|ditulis\s+oleh|penulis|reporter|reporters|wartawan|"
    r"kontributor|author|authors|laporan|jurnalis)\b\s*[:\-–]?\s*",
    re.IGNORECASE,
)
# "Text: Name", "Teks: Name": a one-word label before a colon introduces the credit.
_LABEL = re.compile(r"^[^\W\d_]{2,15}:\s*(?=\S)")
# Roles that are not authorship: everything from here on is dropped.
_OTHER_ROLE = re.compile(
    r"\b(?:editor|penyunting|redaktur|editing|edited\s+by|disunting\s+oleh|photo|foto|"
    r"photographer|fotografer|ilustrasi|illustration|sumber|source)\b\s*[:\-–]?.*$",
    re.IGNORECASE,
)
_SEGMENTS = re.compile(r"\s*(?:\||｜|／|•|·|—|–|\s-\s|\n)\s*")
# "and"/"dan" only in lower case: "Dan Brown" is a name, "Budi dan Rina" are two.
_NAMES = re.compile(r"\s*(?:,|;|&|/)\s*|\s+(?:and|dan|serta|AND|DAN)\s+")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^]]*\]")
_URLISH = re.compile(r"https?://|www\.|@\w|\w@\w|\.(?:com|net|org|id|co)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_EDGE_PUNCTUATION = " \t.,:;-–—|/\"'“”‘’／｜"
_DAY_AND_MONTH_NAMES = (
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
    "May|June|July|August|September|October|November|December"
)
# "Jeff FoustMonday" (byline and date glued together by the page's markup).
_GLUED_DATE = re.compile(rf"(?<=[a-z])(?:{_DAY_AND_MONTH_NAMES})$")
# Credentials and one-word initials after a comma are not names ("Ilana Muhlstein, MS, RDN").
_CREDENTIALS = frozenset(
    {"phd", "md", "ms", "msc", "mba", "rdn", "rd", "cpa", "jr", "sr", "ma", "ba", "bsc", "dr"}
)
_JOB_WORDS = re.compile(
    r"\b(?:writer|correspondent|columnist|contributor|reporter|analyst|editor|producer|"
    r"bureau|koresponden)s?\b",
    re.IGNORECASE,
)
_DATE_WORDS = frozenset(
    {"on", "at", "pada", "pukul", "updated", "diperbarui", "published", "diterbitkan"}
    | set(MONTHS)
    | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
    | {"senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu"}
)
_NOISE = frozenset(
    {"admin", "administrator", "anonymous", "guest", "unknown", "user", "penulis", "author"}
)
# Words of author-box headings ("About Post Author", "Tentang Penulis", "Author Profile"):
# a credit holding one is a section heading, not a name.
_HEADING_WORDS = frozenset(
    {"about", "tentang", "author", "authors", "penulis", "profile", "profil", "biography"}
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
    name = _GLUED_DATE.sub("", name).strip(_EDGE_PUNCTUATION)
    if name.isupper() and " " in name:
        name = name.title()  # "BUDI SANTOSO" is a shouted name, not an acronym
    return name


def _without_date(text: str) -> str:
    """ "Jane Doe on March 14" / "Jane Doe on Monday" -> "Jane Doe"."""
    match = _DIGIT.search(text)
    words = (text[: match.start()] if match else text).split()
    while len(words) > 1 and words[-1].strip(",.").casefold() in _DATE_WORDS:
        words.pop()
    if len(words) > 2 and words[-2].casefold() in ("on", "pada"):
        words = words[:-2]  # "on Thanksgiving": a date word we do not list
    return " ".join(words)


def split_credit(text: str) -> list[str]:
    """Candidate names from one credit string, roles, dates and URLs removed."""
    text = " ".join(html.unescape(text).split())
    names: list[str] = []
    for segment in _SEGMENTS.split(text):
        segment = _LEADING_ROLE.sub("", segment.strip())
        if not segment or _OTHER_ROLE.match(segment):
            continue  # "Editor: Ani" credits an editor, not an author
        segment = _OTHER_ROLE.sub("", _LABEL.sub("", segment))
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
            if any(word.casefold() in _HEADING_WORDS for word in name.split()):
                continue
            if all(word.strip(",.").casefold() in _DATE_WORDS for word in name.split()):
                continue
            if name.casefold().strip(".") in _CREDENTIALS:
                continue
            names.append(name)
    return names


def is_organization(name: str, org_names: Iterable[str]) -> bool:
    """True when ``name`` is the publisher, a wire agency or a team, not a person."""
    folded = _fold(name)
    if not folded:
        return True
    if name.casefold() in WIRE_AGENCIES or _ORG_WORDS.search(name) or _JOB_WORDS.search(name):
        return True
    words = name.split()
    # "AP Auto Writer", "CNN Business": an agency's acronym leads the credit.
    if words[0].isupper() and words[0].casefold() in WIRE_AGENCIES:
        return True
    if len(words) == 1 and name.isupper() and len(name) <= 5:
        return True  # initials or an acronym ("AS", "PMJS"): not a person's name
    if words[0] == "The" and len(words) > 1:
        return True  # "The Associated Press", "The Water Coolest"
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
