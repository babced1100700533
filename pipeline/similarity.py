"""Pipeline stage (dedup): MinHash signatures over word shingles, to find near-duplicate stories.

The same press release reprinted by several sites differs in a byline, a sentence or a
footer; its shingle sets overlap heavily, and the fraction of equal MinHash slots
estimates that overlap (Jaccard similarity). LSH banding turns a signature into a few
bucket keys so candidates are found with an index lookup instead of comparing against
every stored article.

One-permutation hashing: each shingle is hashed once (blake2b, 64 bits); the low bits
pick one of ``SLOTS`` slots and the slot keeps the smallest remaining value. That costs
one hash per shingle instead of one per shingle and slot, and estimates Jaccard as well
as classic MinHash for documents much longer than ``SLOTS`` shingles.

``signature`` is computed on bytes (the UTF-8 of the casefolded words, which is the
concatenation of the words' own UTF-8) and keeps each slot's minimum with NumPy; its
slots are those of the plain definition (``shingles`` + ``_hash64``) to the bit, which
stored signatures rely on.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np

SHINGLE_WORDS = 3
SLOTS = 128
BANDS = 16
ROWS_PER_BAND = SLOTS // BANDS  # 8 rows: pairs at Jaccard 0.8 collide in a band 93% of the time
EMPTY = 0xFFFFFFFFFFFFFFFF  # a slot no shingle fell into
NEAR_DUPLICATE = 0.8
# Below this many filled slots (about 40 words) a band holds one or two shingles, so a
# common phrase puts thousands of unrelated briefs in one bucket; such short texts are
# matched as exact duplicates only.
MIN_FILLED_SLOTS = 32

_WORD = re.compile(r"\w+", re.UNICODE)
# On ASCII, bytes ``\w`` ([A-Za-z0-9_]) matches what str ``\w`` does, and lower() is
# casefold(). Every other byte (UTF-8 of non-ASCII characters too) becomes a space, so
# one translate() and split() give the lowercased ``\w`` runs, without a regex.
_ASCII_WORD_BYTES = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
_LOWER_WORDS = bytes(byte if byte in _ASCII_WORD_BYTES else 0x20 for byte in range(256)).translate(
    bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
)
_ASCII_BYTES = bytes(range(128))
# A word character beyond ASCII. Without one, a text's words are ASCII and its other
# characters (curly quotes, dashes) only separate them, in UTF-8 bytes as well.
_NON_ASCII_WORD_CHAR = re.compile(r"[^\W\x00-\x7f]")
# Characters whose casefold adds or drops a word character ("İ" -> "i" + a combining dot,
# not ``\w``): with none of these in a text, casefolding it whole and then splitting it
# into words gives the casefolded words. A superset of the exact list (which a test
# recomputes from the running Python's Unicode tables).
CASEFOLD_SPLITS = re.compile("[\u0130\u01f0\u0345\u0390\u03b0\u1e96-\u1e99\u1f50-\u1ff7]")
_BLAKE2B = hashlib.blake2b
_EMPTY_STATE = _BLAKE2B(digest_size=8)
_LOW_BITS = np.uint64(SLOTS - 1)
_PACK = struct.Struct(f"<{SLOTS}Q")
_SLOT_BITS = SLOTS.bit_length() - 1


@dataclass(frozen=True, slots=True)
class Signature:
    """A document's MinHash slots (``EMPTY`` where no shingle fell)."""

    slots: tuple[int, ...]

    def to_bytes(self) -> bytes:
        return _PACK.pack(*self.slots)

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        return cls(_PACK.unpack(data))

    @property
    def is_empty(self) -> bool:
        return all(slot == EMPTY for slot in self.slots)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Overlapping runs of ``size`` casefolded words (the whole text when it is shorter)."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if not words:
        return set()
    if len(words) <= size:
        return {" ".join(words)}
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def _hash64(value: str) -> int:
    digest = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def _word_bytes(text: str) -> list[bytes]:
    """The casefolded words of ``text`` as UTF-8 (``[b""]`` when there are none)."""
    if text.isascii():
        return text.encode("ascii").translate(_LOWER_WORDS).split() or [b""]
    data = text.encode("utf-8", "surrogatepass")
    # The non-ASCII characters alone (ASCII bytes are never part of a longer sequence),
    # usually a few quotes and dashes: looking for a word character among them is cheaper
    # than reading the whole text.
    others = data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
    if _NON_ASCII_WORD_CHAR.search(others) is None:
        return data.translate(_LOWER_WORDS).split() or [b""]
    if CASEFOLD_SPLITS.search(text) is None:
        words = _WORD.findall(text.casefold())
    else:
        words = [word.casefold() for word in _WORD.findall(text)]
    # A word holds no space: one encode of the joined words, split again.
    return " ".join(words).encode("utf-8", "surrogatepass").split(b" ")


def signature(text: str) -> Signature:
    """The MinHash signature of ``text`` (title excluded: headlines are rewritten most).

    The slots of ``_hash64`` over ``shingles(text)``, computed on bytes. A repeated
    shingle is hashed again rather than looked up in a set: it gives the same value, so
    the slot minimums are the same, and news text repeats few shingles.
    """
    words = _word_bytes(text)
    if words == [b""]:
        return Signature((EMPTY,) * SLOTS)
    if len(words) <= SHINGLE_WORDS:
        runs: Sequence[bytes] = (b" ".join(words),)
    else:
        runs = list(map(b" ".join, zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False)))
    # Copies of one empty 8-byte blake2b state, fed and read by C-level map() loops: the
    # same digests as blake2b(run, digest_size=8), for a quarter fewer instructions.
    states = list(map(_BLAKE2B.copy, repeat(_EMPTY_STATE, len(runs))))
    list(map(_BLAKE2B.update, states, runs))
    hashes = np.frombuffer(b"".join(map(_BLAKE2B.digest, states)), dtype="<u8")
    slots = np.full(SLOTS, EMPTY, dtype=np.uint64)
    np.minimum.at(slots, hashes & _LOW_BITS, hashes >> np.uint64(_SLOT_BITS))
    return Signature(tuple(slots.tolist()))


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity: equal slots among slots either document filled."""
    filled = equal = 0
    for x, y in zip(a.slots, b.slots, strict=True):
        if x == EMPTY and y == EMPTY:
            continue
        filled += 1
        equal += x == y
    return equal / filled if filled else 0.0


def band_keys(sig: Signature) -> list[tuple[int, int]]:
    """(band, bucket) pairs for LSH: documents sharing a bucket are candidates.

    A bucket hashes the band's number with its slots, so one bucket value never stands
    for two bands. Buckets are 63-bit integers so every database stores them as BIGINT; a band
    whose slots are all empty says nothing and is left out, and so is every band of a
    text too short to compare (see MIN_FILLED_SLOTS).
    """
    if sum(slot != EMPTY for slot in sig.slots) < MIN_FILLED_SLOTS:
        return []
    keys = []
    for band in range(BANDS):
        rows = sig.slots[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        if all(r == EMPTY for r in rows):
            continue
        packed = struct.pack(f"<H{ROWS_PER_BAND}Q", band, *rows)
        digest = hashlib.blake2b(packed, digest_size=8).digest()
        keys.append((band, int.from_bytes(digest, "little") >> 1))
    return keys
