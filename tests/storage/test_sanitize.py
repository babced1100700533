"""storage.sanitize: text reaches the database without controls or lone surrogates."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from storage.sanitize import clean_text

KEPT_CONTROLS = "\t\n\r"


def _storable(char: str) -> bool:
    if char in KEPT_CONTROLS:
        return True
    return unicodedata.category(char) != "Cs" and not (char <= "\x1f" or char == "\x7f")


def test_controls_and_lone_surrogates_go_tabs_and_newlines_stay() -> None:
    assert clean_text("a\x00b\x1b[0m\x7fc\td\r\ne") == "ab[0mc\td\r\ne"
    assert clean_text("Zaż\udc00ółć \ud83d gęślą") == "Zażółć  gęślą"
    assert clean_text("") == ""


def test_clean_text_is_returned_unchanged() -> None:
    text = "Łódź — “quoted”, 東京, emoji 🙂\u200b, NBSP\xa0and soft\xadhyphen\n"
    assert clean_text(text) is text


# Any code point, with controls and surrogates (Cc, Cs) drawn often.
_ANY = st.characters(codec=None, exclude_categories=()) | st.characters(categories=["Cc", "Cs"])


@given(st.text(alphabet=_ANY))
def test_only_unstorable_characters_are_dropped(text: str) -> None:
    assert clean_text(text) == "".join(c for c in text if _storable(c))


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_ascii_text_keeps_every_printable_character(text: str) -> None:
    assert clean_text(text) == "".join(c for c in text if _storable(c))
