"""Fetch stage: refuse binary data served as a web page before it reaches the extractor.

Misconfigured servers and traps send images, archives or random bytes as `text/html`.
The extractor would turn them into mojibake "articles"; this check rejects them first.
"""

from __future__ import annotations

SAMPLE_BYTES = 64 * 1024
# Magic numbers of formats that are never an HTML page.
BINARY_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"%PDF",
    b"PK\x03\x04",  # zip, docx, epub
    b"\x1f\x8b",  # gzip (a compressed body the server did not label)
    b"\x28\xb5\x2f\xfd",  # zstd
    b"BZh",
    b"\x7fELF",
    b"RIFF",
)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
MAX_NUL_RATIO = 0.001
MAX_CONTROL_RATIO = 0.05
# C0 controls other than tab, LF, FF, CR; and DEL.
_CONTROL = bytes(sorted(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D} | {0x7F}))


def binary_reason(body: bytes) -> str | None:
    """Why `body` is not a text page (None: it may be one)."""
    sample = body[:SAMPLE_BYTES]
    if not sample:
        return None  # empty: the extractor reports it
    if sample.startswith(UTF16_BOMS):
        return None  # UTF-16 text has NUL bytes by design
    for magic in BINARY_MAGIC:
        if sample.startswith(magic):
            return f"binary data ({magic!r} signature)"
    nuls = sample.count(0)
    if nuls > MAX_NUL_RATIO * len(sample):
        return f"binary data ({nuls} NUL bytes in the first {len(sample)})"
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if controls > MAX_CONTROL_RATIO * len(sample):
        return f"binary data ({controls} control bytes in the first {len(sample)})"
    return None
