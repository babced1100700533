"""Decoding fetched bytes: right text even when the declared charset is wrong."""

from __future__ import annotations

import codecs
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.encoding import clean_html_text, decode_html, decode_page
from pipeline.extract import extract
from pipeline.types import ExtractionError

TEXT = "Café “quoted” — Rp 5.000, naïve résumé, 14 Maret 2025"


def page(meta: str = "", body: str = TEXT) -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


def test_utf8_declared_and_true() -> None:
    data = page('<meta charset="utf-8">').encode("utf-8")
    assert TEXT in decode_html(data, "text/html; charset=utf-8")


def test_cp1252_page_declared_utf8_by_http_and_meta() -> None:
    data = page('<meta charset="utf-8">').encode("cp1252")
    out = decode_html(data, "text/html; charset=UTF-8")
    assert TEXT in out
    assert "\ufffd" not in out


def test_latin1_indonesian_page_without_any_declaration() -> None:
    body = "Pemerintah menargetkan ekspor kopi ke Café Olé naik 20% — kata menteri."
    data = page(body=body).encode("cp1252")
    assert body in decode_html(data)


def test_latin1_label_means_windows_1252() -> None:
    data = page('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">')
    out = decode_html(data.encode("cp1252"))
    assert "“quoted”" in out


def test_utf8_page_labelled_latin1_is_read_as_utf8() -> None:
    data = page().encode("utf-8")
    assert TEXT in decode_html(data, "text/html; charset=ISO-8859-1")


def test_mixed_utf8_page_with_stray_cp1252_bytes() -> None:
    data = page(body="Résumé ").encode("utf-8") + "“ad”".encode("cp1252")
    out = decode_html(data, "text/html; charset=utf-8")
    assert "Résumé" in out and "“ad”" in out


def test_meta_charset_is_used_when_http_says_nothing() -> None:
    data = page('<meta charset="windows-1250">', body="Łódź").encode("cp1250")
    assert "Łódź" in decode_html(data)


def test_bom_wins_over_a_wrong_http_label() -> None:
    data = codecs.BOM_UTF16_LE + page().encode("utf-16-le")
    out = decode_html(data, "text/html; charset=iso-8859-1")
    assert TEXT in out
    assert not out.startswith("\ufeff")


def test_xml_declaration_is_removed_so_lxml_accepts_the_string() -> None:
    data = ('<?xml version="1.0" encoding="utf-8"?>' + page()).encode("utf-8")
    out = decode_html(data)
    assert not out.startswith("<?xml")
    assert extract(data, "https://example.com/a").title == "t"


def test_control_characters_and_replacement_chars_are_stripped() -> None:
    data = page(body="a\x00b\x07c\x1bd\ufffde\tf").encode("utf-8")
    assert "abcde\tf" in decode_html(data)


@pytest.mark.parametrize(
    "blob",
    [b"\x89PNG\r\n\x1a\n" + bytes(200), b"%PDF-1.7\n" + bytes(range(256)), bytes(range(32)) * 40],
)
def test_binary_content_raises_extraction_error(blob: bytes) -> None:
    with pytest.raises(ExtractionError):
        decode_html(blob, "text/html")


def test_empty_bytes_decode_to_empty_text() -> None:
    assert decode_html(b"") == ""


@given(st.binary(max_size=2000), st.sampled_from([None, "text/html; charset=utf-8", "text/html"]))
def test_any_bytes_decode_cleanly_or_raise_extraction_error(data: bytes, ctype: str | None) -> None:
    try:
        out = decode_html(data, ctype)
    except ExtractionError:
        return
    assert "\ufffd" not in out
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in out)


def test_clean_html_text_prepares_str_input_like_bytes_input() -> None:
    raw = '\ufeff<?xml version="1.0" encoding="utf-8"?><html><body><p>a\x07b\x00c</p></body></html>'
    out = clean_html_text(raw)
    assert out == "<html><body><p>abc</p></body></html>"
    assert out == decode_html(raw.encode("utf-8"))


def test_random_bytes_that_no_charset_reads_raise_extraction_error() -> None:
    noise = random.Random(3).randbytes(4000).translate(None, bytes(range(32)))
    data = page().encode().replace(TEXT.encode(), noise)
    with pytest.raises(ExtractionError, match="undecodable"):
        decode_html(data, "text/html; charset=utf-8")


def test_cp1252_page_with_an_accidental_utf8_pair_stays_cp1252() -> None:
    # "Ã©" in cp1252 is C3 A9, valid UTF-8 on its own: one pair must not flip the page.
    body = "The startup’s “model” – €2, Ã© café " * 20
    out = decode_html(page(body=body).encode("cp1252"), "text/html; charset=utf-8")
    assert body in out


@pytest.mark.parametrize("label", [None, "text/html; charset=utf-8"])
def test_pure_cp1252_text_is_not_read_as_a_dos_code_page(label: str | None) -> None:
    body = "The chief executive said the model “reads contracts like a lawyer” – about €2"
    assert body in decode_html(page(body=body).encode("cp1252"), label)


def test_controls_of_every_kind_leave_a_utf8_page() -> None:
    # C0 (vertical tab, form feed), DEL, C1 (two bytes in UTF-8) and U+FFFD, each alone.
    for char in ("\x0b", "\x0c", "\x7f", "\x85", "\x9f", "\ufffd", "\x01"):
        text, raw = decode_page(page(body=f"a{char}b").encode("utf-8"))
        assert "<p>ab</p>" in text, repr(char)
        assert raw is None


def test_a_clean_utf8_page_is_handed_on_as_its_own_bytes() -> None:
    data = page().encode("utf-8")
    assert decode_page(data) == (page(), data)
    # A preamble the parser refuses is removed, so the bytes no longer match the text.
    text, raw = decode_page(b'<?xml version="1.0"?>' + data)
    assert (text, raw) == (page(), None)
    assert decode_page(codecs.BOM_UTF8 + data) == (page(), None)


@given(st.text(max_size=200))
def test_utf8_bytes_decode_like_the_same_text_cleaned(body: str) -> None:
    html = page(body=body)
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates have no UTF-8 form
        return
    try:
        text, raw = decode_page(data, "text/html; charset=utf-8")
    except ExtractionError:  # mostly control characters: binary
        return
    assert text == clean_html_text(html)
    assert raw is None or raw == text.encode("utf-8")
