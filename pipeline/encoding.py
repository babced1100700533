"""Pipeline stage (decode): bytes -> str, robust to wrong or missing charset declarations.

Order of trust: a byte-order mark (it cannot lie), the HTTP ``Content-Type`` charset, the
``<meta charset>`` / ``http-equiv`` declaration, then UTF-8. Each is tried *strictly*; the
first that decodes without error wins, except that bytes which are valid non-ASCII UTF-8
are read as UTF-8 whatever a single-byte label says (a UTF-8 page labelled ISO-8859-1 is
common; cp1252 text that happens to be valid UTF-8 is not). When none decodes (a cp1252
page declared UTF-8, an Indonesian Latin-1 page served without a charset), detection
takes over, off the normal path: mixed UTF-8 + cp1252 bytes are repaired byte by byte,
pure single-byte pages go to charset-normalizer. ``latin-1``/``ascii`` labels mean
cp1252, as in every browser (WHATWG). Bytes that no charset reads (charset-normalizer
finds none) raise ``ExtractionError``: the page is counted, not stored as mojibake.
The result never holds U+FFFD, NUL or other control characters (tab/newline/CR excepted).
"""

from __future__ import annotations

import codecs
import logging
import re

from pipeline.types import ExtractionError

logger = logging.getLogger(__name__)

SNIFF_BYTES = 4096
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BINARY_MAGIC = (
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"%PDF",
    b"\x1f\x8b",
    b"PK\x03\x04",
    b"RIFF",
    b"\x00\x00\x01\x00",
    b"OggS",
    b"ID3",
    b"\x7fELF",
)
# Bytes that never occur in text: C0 controls other than tab, newline, form feed and CR.
_CONTROL_BYTES = bytes(range(9)) + bytes(range(14, 32))
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE | re.DOTALL
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# C0 controls except \t \n \r, DEL, C1 controls (a sign of a misdecoded byte), U+FFFD.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
# Bytes of strict UTF-8 that decode to a character _CONTROL removes: one-byte C0 controls
# and DEL, and the C1 controls (\xc2 followed by \x80-\x9f).
_UTF8_CONTROL_BYTES = bytes(range(9)) + b"\x0b\x0c" + bytes(range(14, 32)) + b"\x7f"
_UTF8_C1 = re.compile(rb"\xc2[\x80-\x9f]")
_UTF8_CONTROL_SINGLES = tuple(bytes([byte]) for byte in _UTF8_CONTROL_BYTES)
# Labels browsers read as windows-1252; Python's latin-1 would turn 0x80-0x9f into controls.
_WINDOWS_1252_ALIASES = frozenset({"latin_1", "ascii", "iso8859_1", "cp819"})
# Latin-script single-byte guesses (charset-normalizer often names a DOS code page for
# cp1252 text): all read as cp1252, the browsers' default for our sources' languages.
_WESTERN_GUESSES = frozenset(
    {
        "cp1252", "latin_1", "ascii", "mac_roman", "mac_latin2", "cp1250", "cp1254", "cp1257",
        "cp437", "cp850", "cp852", "cp858", "cp775", "iso8859_2", "iso8859_3", "iso8859_4",
        "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
    }
)  # fmt: skip


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode each undecodable byte as cp1252 (Latin-1 for its holes)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    chars = []
    for byte in bad:
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(bytes([byte]).decode("latin-1"))
    return "".join(chars), exc.end


codecs.register_error("warta-cp1252", _cp1252_fallback)


def _codec_name(label: str | bytes | None) -> str | None:
    """Python codec name for a charset label, None when unknown."""
    if not label:
        return None
    text = label.decode("ascii", "ignore") if isinstance(label, bytes) else label
    try:
        name = codecs.lookup(text.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    name = name.replace("-", "_")
    if name in _WINDOWS_1252_ALIASES:
        return "cp1252"
    return name


def _declared_encodings(data: bytes, content_type: str | None) -> list[str]:
    found: list[str | None] = []
    for bom, name in _BOMS:
        if data.startswith(bom):
            found.append(name)
            break
    if content_type:
        match = _HTTP_CHARSET.search(content_type)
        found.append(_codec_name(match.group(1)) if match else None)
    meta_match = _META_CHARSET.search(data[:SNIFF_BYTES])
    meta = _codec_name(meta_match.group(1)) if meta_match else None
    # A <meta> inside ASCII-compatible bytes cannot truthfully say UTF-16 (WHATWG rule).
    found.append("utf_8" if meta and meta.startswith("utf_16") else meta)
    found.append("utf_8")
    ordered: list[str] = []
    for candidate in found:
        if candidate and candidate not in ordered:
            ordered.append(candidate)
    return ordered


def _has_bom(data: bytes) -> bool:
    return any(data.startswith(bom) for bom, _ in _BOMS)


def _looks_binary(data: bytes, declared: list[str]) -> bool:
    head = data[:SNIFF_BYTES]
    if _has_bom(data) or declared[0].startswith(("utf_16", "utf_32")):
        return False
    if head.startswith(_BINARY_MAGIC):
        return True
    # UTF-16 without BOM still has text; real binary has NULs *and* many other controls.
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > len(head) * 0.1


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


_ASCII_BYTES = bytes(range(128))


def _mostly_utf8(data: bytes) -> bool:
    """True for UTF-8 text with a few stray bytes, False for single-byte text or noise.

    Either nearly all non-ASCII bytes form valid UTF-8 sequences, or most do on a page of
    mostly ASCII text (random bytes form valid pairs by chance, but they are not mostly
    ASCII).
    """
    valid = sum(len(m) for m in _UTF8_SEQUENCE.findall(data))
    if not valid:
        return False
    stray = len(data.translate(None, _ASCII_BYTES)) - valid
    return stray * 4 <= valid or (stray <= valid and (stray + valid) * 10 <= len(data) * 3)


def _detect(data: bytes) -> str:
    """Decode bytes whose declarations all failed; never returns U+FFFD.

    Raises ExtractionError when no charset reads them (random or encrypted bytes): such a
    page is counted as an extraction error rather than stored as mojibake.
    """
    if _mostly_utf8(data):
        # A UTF-8 page with stray cp1252 bytes: repair them one by one.
        logger.debug("mixed UTF-8/cp1252 bytes repaired byte by byte")
        return data.decode("utf-8", errors="warta-cp1252")
    from charset_normalizer import from_bytes  # off the normal path: import only when needed

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise ExtractionError("undecodable page: no charset reads its bytes as text")
    guess = _codec_name(best.encoding)
    if guess is None or guess in _WESTERN_GUESSES:
        # Our sources write Latin-script languages; cp1252 is the browsers' default too.
        guess = "cp1252"
    logger.debug("charset detected as %s", guess)
    return data.decode(guess, errors="warta-cp1252")


def clean_text(text: str) -> str:
    """Drop NUL, control characters and U+FFFD: they break storage and carry no text."""
    return _CONTROL.sub("", text)


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Decode a fetched page. Raises ExtractionError for binary content."""
    return decode_page(data, content_type)[0]


def decode_page(data: bytes, content_type: str | None = None) -> tuple[str, bytes | None]:
    """``decode_html``'s text, and ``data`` itself when it is exactly that text in UTF-8
    (the parser then reads the bytes instead of encoding the text again)."""
    if not data:
        return "", None
    declared = _declared_encodings(data, content_type)
    if _looks_binary(data, declared):
        raise ExtractionError("binary content served as HTML")
    text: str | None = None
    if (
        not _has_bom(data)
        and not declared[0].startswith(("utf_16", "utf_32"))
        and not data.isascii()
    ):
        # Valid non-ASCII UTF-8 is almost never an accident of a single-byte charset,
        # while "UTF-8 page labelled ISO-8859-1" is common: UTF-8 validity wins.
        declared.insert(0, "utf_8")
    for name in dict.fromkeys(declared):
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        if name == "utf_8" and not _utf8_has_controls(data, text):
            # The usual page: nothing to remove, unless a preamble the parser refuses.
            if text.startswith("\ufeff") or _XML_DECLARATION.match(text):
                return clean_html_text(text, controls=False), None
            return text, data
        return clean_html_text(text), None
    return clean_html_text(_detect(data)), None


def _utf8_has_controls(data: bytes, text: str) -> bool:
    """Whether ``text``, decoded from ``data`` as strict UTF-8, holds a character that
    ``clean_text`` removes; asked of the bytes, several times cheaper than the regex
    over every character of the text."""
    return (
        # One memchr per control byte: faster than translating the whole page.
        any(byte in data for byte in _UTF8_CONTROL_SINGLES)
        or _UTF8_C1.search(data) is not None
        or "\ufffd" in text
    )


def clean_html_text(text: str, *, controls: bool = True) -> str:
    """Already-decoded HTML made safe to parse: no BOM, no XML declaration, no controls.

    ``decode_html`` ends with it; callers holding a ``str`` page should apply it too, so
    both inputs reach the parser in the same shape. ``controls=False``: the caller knows
    the text holds none.
    """
    text = text.removeprefix("\ufeff")
    # The declaration names the bytes' encoding; on a str it is stale and lxml refuses it.
    text = _XML_DECLARATION.sub("", text, count=1)
    return clean_text(text) if controls else text
