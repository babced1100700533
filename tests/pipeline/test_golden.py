"""Golden extraction fixtures: tests/pipeline/golden/NAME.html(.gz) + NAME.json.

NAME.json holds:
    "url":              the page URL given to extract()
    "expected":         exact values of Article fields (dates as ISO 8601 strings, lists)
    "must_contain":     strings that must appear in article.text
    "must_not_contain": strings that must not appear in article.text
A failure names the fixture and the field.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from pipeline import extract

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.glob("*.json"))


def _load_html(case: Path) -> bytes:
    plain = case.with_suffix(".html")
    if plain.exists():
        return plain.read_bytes()
    return gzip.decompress(case.with_suffix(".html.gz").read_bytes())


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden_fixture(case: Path) -> None:
    spec = json.loads(case.read_text(encoding="utf-8"))
    article = extract(_load_html(case), spec["url"]).to_dict()
    for field_name, want in spec.get("expected", {}).items():
        assert article[field_name] == want, f"{case.stem}: field {field_name!r}"
    for needle in spec.get("must_contain", []):
        assert needle in article["text"], f"{case.stem}: text lacks {needle!r}"
    for needle in spec.get("must_not_contain", []):
        assert needle not in article["text"], f"{case.stem}: text keeps {needle!r}"


def test_golden_suite_is_not_empty() -> None:
    assert CASES, "no golden fixtures found"
