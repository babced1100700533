"""Article language: declared value checked against detection on the text."""

from __future__ import annotations

import pytest

from pipeline.language import detect_language, normalize_language, resolve_language

EN = (
    "OpenAI said on Monday that it would release a new reasoning model to developers next "
    "month, after a long period of testing with partners and researchers. The company did "
    "not say how much access would cost, but analysts expect prices to fall over the year."
)
ID = (
    "Perusahaan teknologi asal Amerika Serikat itu mengumumkan model kecerdasan buatan "
    "terbaru pada Senin. Model ini diklaim mampu menjawab pertanyaan yang rumit dengan lebih "
    "cepat, dan akan tersedia bagi pengembang di Indonesia mulai bulan depan."
)


@pytest.mark.parametrize(
    ("declared", "want"),
    [
        ("en-US", "en"),
        ("id_ID", "id"),
        ("in", "id"),
        ("ID", "id"),
        ("English", "en"),
        (" fr-CA ", "fr"),
        ("x-default", None),
        ("", None),
        (None, None),
        ("12", None),
    ],
)
def test_normalize_language(declared: str | None, want: str | None) -> None:
    assert normalize_language(declared) == want


def test_detection_on_english_and_indonesian() -> None:
    assert detect_language(EN)[0] == "en"
    code, confidence = detect_language(ID)
    assert code == "id"
    assert confidence > 0.95


def test_declared_language_agreeing_with_text_is_kept() -> None:
    assert resolve_language("en-GB", None, EN) == "en"
    assert resolve_language("id", None, ID) == "id"


def test_wrong_theme_default_declaration_is_overridden_by_confident_detection() -> None:
    assert resolve_language("en-US", None, ID) == "id"
    assert resolve_language("id-ID", "id", EN) == "en"


def test_malay_detection_never_overrides_an_indonesian_declaration() -> None:
    malay_leaning = ID.replace("bulan depan", "bulan hadapan").replace("Perusahaan", "Syarikat")
    assert resolve_language("id", None, malay_leaning) == "id"


def test_undeclared_long_text_is_detected() -> None:
    assert resolve_language(None, None, EN) == "en"
    assert resolve_language(None, "id", EN) == "en"  # the text beats the source's habit


def test_short_text_uses_declaration_then_hint() -> None:
    assert resolve_language("en", "id", "Halo dunia") == "en"
    assert resolve_language(None, "id", "Halo dunia") == "id"
    assert resolve_language(None, None, "Halo dunia") is None
    assert resolve_language(None, None, "") is None


def test_a_declaration_is_checked_against_the_opening_of_the_text() -> None:
    # An opening that confirms the declaration settles it (detection on the first few
    # hundred characters costs a third of the full sample): an English lead before a
    # long Indonesian quote keeps the page English.
    assert resolve_language("en-US", None, EN + " " + ID * 4) == "en"
    assert resolve_language(None, "en", EN + " " + ID * 4) == "en"
    # An opening that does not confirm it leaves the decision to the full sample.
    assert resolve_language("en-US", None, ID * 4) == "id"
