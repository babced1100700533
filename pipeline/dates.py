"""Pipeline stage (normalize): date strings from pages -> timezone-aware UTC datetimes.

Fast paths first (each a precompiled pattern or a stdlib parser): ISO 8601, Unix
timestamps, RFC 822, numeric day-first dates, English and Indonesian month names with an
optional weekday, time and zone ("Senin, 14 Maret 2025 10:30 WIB"). dateparser is the
slow fallback, only for strings that hold a four-digit year.

Rules a caller relies on:
- a time without a zone is taken as UTC (pages rarely say, and guessing the site's zone
  from its language would be wrong as often as right); WIB/WITA/WIT are UTC+7/+8/+9;
- "2 hours ago" / "2 jam yang lalu" / "kemarin" count only relative to ``fetched_at``;
  without it they give None rather than a date relative to whenever we happen to run;
- years outside 1995..(reference year + 1) are rejected as noise.
"""

from __future__ import annotations

import email.utils
import logging
import re
from datetime import UTC, datetime, timedelta, timezone

logger = logging.getLogger(__name__)

MIN_YEAR = 1995
MAX_RAW_CHARS = 200

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("january", "jan", "januari"),
        ("february", "feb", "februari", "pebruari", "peb"),
        ("march", "mar", "maret", "mrt"),
        ("april", "apr"),
        ("may", "mei"),
        ("june", "jun", "juni"),
        ("july", "jul", "juli"),
        ("august", "aug", "agustus", "agu", "agt", "ags", "agus"),
        ("september", "sep", "sept"),
        ("october", "oct", "oktober", "okt"),
        ("november", "nov", "nop", "nopember"),
        ("december", "dec", "desember", "des"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number

_FULL_MONTHS = sorted((name for name in MONTHS if len(name) >= 5), key=len, reverse=True)

ZONES: dict[str, timedelta] = {
    "utc": timedelta(0),
    "gmt": timedelta(0),
    "z": timedelta(0),
    "wib": timedelta(hours=7),
    "wita": timedelta(hours=8),
    "wit": timedelta(hours=9),
    "sgt": timedelta(hours=8),
    "jst": timedelta(hours=9),
    "cet": timedelta(hours=1),
    "cest": timedelta(hours=2),
    "bst": timedelta(hours=1),
    "est": timedelta(hours=-5),
    "edt": timedelta(hours=-4),
    "cst": timedelta(hours=-6),
    "cdt": timedelta(hours=-5),
    "pst": timedelta(hours=-8),
    "pdt": timedelta(hours=-7),
}

_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_TIME = (
    r"(?:\s*(?:,|\||-|–|pukul|jam|at|@)?\s*"
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
)
_ZONE = (
    r"(?:\s*\(?(?P<zone>WIB|WITA|WIT|UTC|GMT|Z|[A-Z]{3,4}T?)?"
    r"(?P<offset>\s*[+-]\d{1,2}(?::?\d{2})?)?\)?)?"
)
_ZONE_ONLY = re.compile(_ZONE, re.IGNORECASE)
_DAY_FIRST = re.compile(
    rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}}){_TIME}{_ZONE}",
    re.IGNORECASE,
)
_MONTH_FIRST = re.compile(
    rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}}){_TIME}{_ZONE}",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})[/.-](?P<mon>\d{{1,2}})[/.-](?P<year>\d{{4}}){_TIME}{_ZONE}",
    re.IGNORECASE,
)
_ISO_LIKE = re.compile(r"^\d{4}[-/]\d{2}[-/]\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?")
_ISO_SLASHES = re.compile(r"^(\d{4})/(\d{2})/(\d{2})")
_ISO_OFFSET_NO_COLON = re.compile(r"([+-]\d{2})(\d{2})$")
_TIMESTAMP = re.compile(r"^\d{10}(?:\d{3})?$")
_RFC822 = re.compile(r"^(?:[A-Za-z]{3},?\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_RELATIVE = re.compile(
    r"(?P<n>\d+|an?|one|se)\s*(?P<unit>seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?"
    r"|months?|years?|detik|menit|jam|hari|minggu|pekan|bulan|tahun)\s+(?:ago|(?:yang\s+)?lalu)",
    re.IGNORECASE,
)
_YESTERDAY = re.compile(r"\b(?:yesterday|kemarin)\b", re.IGNORECASE)
_JUST_NOW = re.compile(r"\b(?:just now|baru saja|moments? ago)\b", re.IGNORECASE)
_UNIT_SECONDS = {
    "sec": 1,
    "second": 1,
    "detik": 1,
    "min": 60,
    "minute": 60,
    "menit": 60,
    "hr": 3600,
    "hour": 3600,
    "jam": 3600,
    "day": 86400,
    "hari": 86400,
    "week": 604800,
    "minggu": 604800,
    "pekan": 604800,
    "month": 2592000,
    "bulan": 2592000,
    "year": 31536000,
    "tahun": 31536000,
}


def parse_date(raw: str | None, *, fetched_at: datetime | None = None) -> datetime | None:
    """A timezone-aware UTC datetime for ``raw``, or None when it holds no usable date."""
    found = parse_date_as_written(raw, fetched_at=fetched_at)
    return to_utc(found) if found is not None else None


def to_utc(value: datetime) -> datetime:
    """Aware UTC; a naive value is taken to be UTC already (see the module docstring)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_date_as_written(
    raw: str | None, *, fetched_at: datetime | None = None
) -> datetime | None:
    """The date in ``raw`` in its own zone: aware when ``raw`` names a zone, else naive.

    Callers that hold several strings for one date use it to let a zoned string supply
    the zone of a naive one with the same wall-clock time.
    """
    if not raw:
        return None
    text = " ".join(raw.split())
    if not text or len(text) > MAX_RAW_CHARS:
        return None
    found = _parse_absolute(text)
    if found is None:
        found = _parse_relative(text, fetched_at)
    if found is None:
        return None
    reference = fetched_at or datetime.now(UTC)
    if not MIN_YEAR <= to_utc(found).year <= reference.year + 1:
        logger.debug("date %r outside the plausible range", raw)
        return None
    return found


def _parse_absolute(text: str) -> datetime | None:
    iso_match = _ISO_LIKE.match(text)
    if iso_match:
        found = _parse_iso(text, iso_match)
        if found is not None:
            return found
    if _TIMESTAMP.match(text):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC)
    if _RFC822.match(text):
        try:
            return email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    for pattern in (_DAY_FIRST, _MONTH_FIRST, _NUMERIC):
        for match in pattern.finditer(text):
            found = _from_match(match)
            if found is not None:
                return found
    if _YEAR.search(text):
        return _parse_with_dateparser(text)
    return None


def _parse_iso(text: str, match: re.Match[str]) -> datetime | None:
    iso = _ISO_SLASHES.sub(r"\1-\2-\3", text)
    try:
        return datetime.fromisoformat(_ISO_OFFSET_NO_COLON.sub(r"\1:\2", iso))
    except ValueError:
        pass
    # "2025-03-14 10:30:00 WIB", "2025/03/14 10:30 GMT+7": ISO date-time, then a zone.
    zone = _ZONE_ONLY.fullmatch(text[match.end() :].strip())
    if zone is None:
        return None
    try:
        naive = datetime.fromisoformat(_ISO_SLASHES.sub(r"\1-\2-\3", match.group(0)))
    except ValueError:
        return None
    return naive.replace(tzinfo=_zone(zone.group("zone"), zone.group("offset")))


def _month_number(name: str) -> int:
    """1..12 for a month name; 0 when unknown. "ArnoldNovember" (a byline glued to its
    date) ends with a full month name, which counts; abbreviations must stand alone."""
    lowered = name.lower()
    if lowered in MONTHS:
        return MONTHS[lowered]
    for full in _FULL_MONTHS:
        if lowered.endswith(full):
            return MONTHS[full]
    return 0


def _from_match(match: re.Match[str]) -> datetime | None:
    parts = match.groupdict()
    month = int(parts["mon"]) if parts.get("mon") else _month_number(parts["month"])
    hour = int(parts["hour"] or 0)
    ampm = (parts["ampm"] or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        naive = datetime(
            int(parts["year"]),
            month,
            int(parts["day"]),
            hour,
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
        )
    except ValueError:
        return None
    return naive.replace(tzinfo=_zone(parts.get("zone"), parts.get("offset")))


def _zone(name: str | None, offset: str | None) -> timezone | None:
    if not name and not offset:
        return None
    delta = ZONES.get(name.lower(), timedelta(0)) if name else timedelta(0)
    if name and name.lower() not in ZONES and not offset:
        return None  # an unknown abbreviation: treat the time as naive (UTC)
    if offset:
        sign = -1 if offset.strip().startswith("-") else 1
        digits = offset.strip()[1:].replace(":", "")
        hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
        delta += sign * timedelta(hours=int(hours), minutes=int(minutes))
    try:
        return timezone(delta)
    except ValueError:
        return None


def _parse_relative(text: str, fetched_at: datetime | None) -> datetime | None:
    if fetched_at is None:
        return None
    base = fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=UTC)
    match = _RELATIVE.search(text)
    if match:
        count = match.group("n").lower()
        amount = int(count) if count.isdigit() else 1
        unit = match.group("unit").lower()
        seconds = _UNIT_SECONDS.get(unit) or _UNIT_SECONDS.get(unit.rstrip("s"), 0)
        return base - timedelta(seconds=amount * seconds)
    if _YESTERDAY.search(text):
        return base - timedelta(days=1)
    if _JUST_NOW.search(text):
        return base
    return None


def _parse_with_dateparser(text: str) -> datetime | None:
    import dateparser  # slow to import and to run: only for strings the fast paths missed

    settings = {
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": "UTC",
        "TO_TIMEZONE": "UTC",
        "PARSERS": ["custom-formats", "absolute-time"],
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DATES_FROM": "past",
    }
    try:
        return dateparser.parse(text, languages=["en", "id"], settings=settings)
    except Exception as exc:  # a third-party fallback: its failure must not fail the page
        logger.debug("dateparser failed on %r: %s", text, exc)
        return None
