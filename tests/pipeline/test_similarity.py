"""MinHash signatures: the fast path gives the slots of the plain definition, to the bit."""

from __future__ import annotations

import gzip
import random
import re
from pathlib import Path

import pytest

from pipeline.similarity import (
    CASEFOLD_SPLITS,
    EMPTY,
    SLOTS,
    Signature,
    _hash64,
    shingles,
    signature,
)

GOLDEN = Path(__file__).parent / "golden"


def _reference(text: str) -> Signature:
    """The definition stored signatures were made with: one blake2b per distinct shingle."""
    slots = [EMPTY] * SLOTS
    for shingle in shingles(text):
        h = _hash64(shingle)
        slot, value = h % SLOTS, h // SLOTS
        slots[slot] = min(slots[slot], value)
    return Signature(tuple(slots))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ...  !!",
        "one",
        "two words",
        "exactly three words",
        "four words in all",
        "Repeat repeat REPEAT repeat repeat repeat",
        "snake_case and digits 2025 and 3.14",
        "İstanbul'da Straße ǅemal ΐ ᾷ ǰ ﬁnance ﬃ",  # casefold adds or drops word characters
        "Berita terkini: café naïve — “kutipan” 2025",
        "He said “No—it’s FINE…” 2025 – «ok» ½ ² Ⅻ",  # words ASCII, punctuation not
        "lone \ud800 surrogate and \udfff another one",
        "ΣΊΣΥΦΟΣ ΚΑΙ ΟΔΥΣΣΕΑΣ τελικό σίγμα",
        "中文文本 没有 空格 日本語のテキスト",
        "tab\tand\nnewline\u00a0nbsp\u2003em-space words",
    ],
)
def test_signature_matches_the_plain_definition(text: str) -> None:
    assert signature(text) == _reference(text)


@pytest.mark.parametrize(
    ("seed", "alphabet"),
    [
        # Letters, digits, marks, punctuation and the characters whose casefold splits words.
        (7, "aZ9_ \n.,-'éßİΣσςﬁǅ\u0345\u0390\u1e96\u1fb6\u0307\u00a0中ー"),
        # ASCII words among non-word characters (the byte path), and a lone surrogate.
        (11, "aZ9_ \n.,-'’“”—…«»½²\u00a0\u2003\ud800"),
    ],
    ids=["unicode", "ascii-words"],
)
def test_signature_matches_on_random_text(seed: int, alphabet: str) -> None:
    rng = random.Random(seed)
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        assert signature(text) == _reference(text), repr(text)


def test_signature_matches_on_golden_pages() -> None:
    pages = sorted(GOLDEN.glob("*.html")) + sorted(GOLDEN.glob("*.html.gz"))
    assert pages
    for page in pages:
        data = page.read_bytes()
        text = (gzip.decompress(data) if page.suffix == ".gz" else data).decode("utf-8", "replace")
        assert signature(text) == _reference(text), page.name


def test_casefold_splits_covers_every_character_that_needs_it() -> None:
    """Casefolding a whole text splits it into the same words as casefolding each word,
    unless it holds a character whose casefold changes what is a word character."""
    word = re.compile(r"\w")
    for code in range(0x110000):
        char = chr(code)
        folded = char.casefold()
        if folded == char:
            continue
        is_word = word.match(char) is not None
        if any((word.match(c) is not None) != is_word for c in folded):
            assert CASEFOLD_SPLITS.match(char), hex(code)
