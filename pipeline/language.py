"""Pipeline stage (normalize): ISO 639-1 language codes, declared and detected.

Declared values ("en-US", "id_ID", "in", "ind", "English") are normalized to ISO 639-1.
Detection uses py3langid (offline) on the text. ``resolve_language`` decides:

- text long enough (``MIN_DETECT_CHARS``): a declaration stands when detection on the
  text's opening confirms it, or unless detection on the full sample disagrees with
  confidence >= ``OVERRIDE_CONFIDENCE`` (WordPress themes ship ``lang="en-US"`` on
  Indonesian sites); with nothing declared, the detected language;
- text too short: the declaration, else the source's hint, else a very confident guess.

Indonesian and Malay are close enough that detection often mixes them up, so a ``ms``
result never overrides an ``id`` declaration or hint (and vice versa).
"""

from __future__ import annotations

import functools
import logging
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.langscore import LanguageScorer

logger = logging.getLogger(__name__)

MIN_DETECT_CHARS = 200
OVERRIDE_CONFIDENCE = 0.95
SHORT_TEXT_CONFIDENCE = 0.99
# Detection cost grows with the sample (py3langid's model is walked byte by byte). On the
# 170 texts of the dev set and golden fixtures, 1,000 characters give the same language
# and the same side of OVERRIDE_CONFIDENCE as 3,000, at less than half the cost.
DETECT_SAMPLE_CHARS = 1000
# Most pages declare their language truthfully. Detection on the text's opening this long
# confirms a declaration (or a source's hint) when it names the same language with
# OVERRIDE_CONFIDENCE: a third of the cost of the full sample, which then runs only when
# the opening disagrees or is unsure. On the 170 texts of the dev set and golden pages
# the result is the same as with the full sample everywhere.
CONFIRM_SAMPLE_CHARS = 300
# Pairs that detection confuses; one never overrides the other.
RELATED = frozenset({frozenset({"id", "ms"}), frozenset({"no", "nb"}), frozenset({"hr", "sr"})})

# Within a confusable pair, the member our sources write, unless the other clearly leads:
# py3langid splits Indonesian text roughly evenly between id and ms.
FAMILY_DEFAULT = {"ms": "id"}
FAMILY_MARGIN = 0.5

_ALIASES = {
    "in": "id",  # the pre-1989 code Java (and some CMSs) still emit
    "ind": "id",
    "indonesian": "id",
    "bahasa": "id",
    "eng": "en",
    "english": "en",
    "iw": "he",
    "ji": "yi",
    "jw": "jv",
    "zsm": "ms",
    "msa": "ms",
    "may": "ms",
    "malay": "ms",
    "nob": "nb",
}
_CODE = re.compile(r"^[a-z]{2,3}$")


def normalize_language(value: str | None) -> str | None:
    """ISO 639-1 code for a declared language tag, or None when it is not one."""
    if not value:
        return None
    tag = value.strip().lower().replace("_", "-").split("-")[0].split(",")[0].strip()
    tag = _ALIASES.get(tag, tag)
    if not _CODE.match(tag) or len(tag) != 2:
        return None
    return tag


@functools.cache
def _identifier() -> Any:
    """py3langid's model, loaded once per process on first use (~100 ms).

    Read in memory: py3langid's own loader unpacks the model into a temporary file, so on
    a full disk (or a full /tmp) every page of a crawl would fail. The arrays are read
    straight from the decompressed stream (an uncompressed .npz is a run of zip entries,
    each a .npy file), never holding the 65 MB archive: the load peaks at the model's own
    size instead of three times it (every crawl process and worker pays that peak).
    """
    import lzma
    import struct
    from array import array

    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    tables = {"nextmove", "nextmove_row"}  # indexed per byte in Python: array, not numpy
    model: dict[str, Any] = {}
    with lzma.open(MODEL_DIR / MODEL_FILE) as stream:
        while (entry := stream.read(30))[:4] == b"PK\x03\x04":
            flags, method, *_, name_len, extra_len = struct.unpack("<HHHHIIIHH", entry[6:])
            if flags & 8 or method != 0:
                raise ValueError(f"{MODEL_FILE}: unexpected zip layout")
            name = stream.read(name_len).decode().removesuffix(".npy")
            stream.read(extra_len)
            version = np.lib.format.read_magic(stream)
            read_header = {(1, 0): np.lib.format.read_array_header_1_0}.get(
                version, np.lib.format.read_array_header_2_0
            )
            shape, fortran, dtype = read_header(stream)
            size = int(np.prod(shape)) * dtype.itemsize
            if name in tables:
                out = array({2: "H", 4: "I", 8: "L"}[dtype.itemsize])
                for start in range(0, size, 1 << 20):
                    out.frombytes(stream.read(min(1 << 20, size - start)))
                model[name] = out
            else:
                data = np.frombuffer(stream.read(size), dtype)
                model[name] = data.reshape(shape, order="F" if fortran else "C")
    return LanguageIdentifier(
        model["ptc"],
        model["pc"],
        model["classes"].tolist(),
        model["nextmove"],
        model["out_feat"].tolist(),
        norm_probs=True,
        tk_row=model["nextmove_row"],
    )


@functools.cache
def _scorer() -> LanguageScorer:
    """py3langid's ranking with its byte loop in NumPy (same results to the bit)."""
    from pipeline.langscore import LanguageScorer

    return LanguageScorer(_identifier())


def detect_language(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, confidence 0..1) for ``text``; (None, 0.0) when there is no text.

    The confidence of a language counts its confusable sibling too (id+ms), so a clear
    Indonesian text is not "unsure" merely because Malay shares its vocabulary.
    """
    sample = text[:DETECT_SAMPLE_CHARS].strip()
    if not sample:
        return None, 0.0
    ranked = _scorer().top(sample, 5)
    top, top_p = str(ranked[0][0]), float(ranked[0][1])
    siblings = {str(code): float(p) for code, p in ranked[:5] if _same_language(str(code), top)}
    if top in FAMILY_DEFAULT:
        default = FAMILY_DEFAULT[top]
        if siblings.get(default, 0.0) >= top_p * FAMILY_MARGIN:
            top = default
    return normalize_language(top), sum(siblings.values())


def _confirms(sample: str, expected: str) -> bool:
    """Whether detection on ``sample`` names ``expected`` (or its sibling) confidently."""
    detected, confidence = detect_language(sample)
    return (
        detected is not None
        and _same_language(detected, expected)
        and confidence >= OVERRIDE_CONFIDENCE
    )


def _same_language(a: str, b: str) -> bool:
    return a == b or frozenset({a, b}) in RELATED


def resolve_language(declared: str | None, hint: str | None, text: str) -> str | None:
    """The article's language from its declaration, the source's hint and its text."""
    declared = normalize_language(declared)
    hint = normalize_language(hint)
    text = text.strip()
    if len(text) >= MIN_DETECT_CHARS:
        expected = declared or hint
        if expected and _confirms(text[:CONFIRM_SAMPLE_CHARS], expected):
            return expected
        detected, confidence = detect_language(text)
        if detected is None:
            return declared or hint
        if declared is None:
            expected = hint
            if expected and _same_language(detected, expected):
                return expected
            return detected
        if _same_language(detected, declared) or confidence < OVERRIDE_CONFIDENCE:
            return declared
        logger.debug("declared %s overridden by detected %s (%.2f)", declared, detected, confidence)
        return detected
    if declared or hint:
        return declared or hint
    if text:
        detected, confidence = detect_language(text)
        if confidence >= SHORT_TEXT_CONFIDENCE:
            return detected
    return None
