"""Language scoring: the NumPy walk gives py3langid's own features and ranking, to the bit."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import ExtractionError, extract, langscore
from pipeline.language import _identifier, _scorer

GOLDEN = Path(__file__).parent / "golden"
MIXED = (
    "The company said on Monday. Perusahaan itu mengumumkan pada Senin. "
    "Компания заявила в понедельник. 公司周一表示。 الشركة قالت يوم الاثنين. "
)


def golden_texts() -> Iterator[str]:
    for case in sorted(GOLDEN.glob("*.json")):
        spec = json.loads(case.read_text(encoding="utf-8"))
        plain = case.with_suffix(".html")
        html = (
            plain.read_bytes()
            if plain.exists()
            else gzip.decompress(case.with_suffix(".html.gz").read_bytes())
        )
        try:
            yield extract(html, spec["url"]).text
        except ExtractionError:
            continue


def py3langid_features(identifier: Any, data: bytes) -> tuple[list[int], list[float]]:
    from py3langid.langid import visit_counts

    visits = visit_counts(identifier.tk_nextmove, identifier._rowbase, identifier.tk_output, data)
    return (list(visits), [float(c) for c in visits.values()]) if visits else ([], [])


def assert_same_as_py3langid(text: str) -> None:
    identifier, scorer = _identifier(), _scorer()
    data = identifier._encode(text)
    found = scorer.features(data)
    ours = (found[0].tolist(), found[1].tolist()) if found is not None else ([], [])
    assert ours == py3langid_features(identifier, data)
    ranked = identifier.rank(text)
    assert scorer.rank(text) == ranked
    assert scorer.top(text, 5) == ranked[:5]


def test_article_texts_rank_exactly_as_py3langid() -> None:
    texts = list(golden_texts())
    assert len(texts) > 40
    walked = 0
    for text in texts:
        for sample in (text[:300], text[:1000], text):
            assert_same_as_py3langid(sample)
            walked += _scorer()._states(_identifier()._encode(sample)) is not None
    assert walked == 3 * len(texts)  # every sample went through the array walk


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from([*MIXED, "\n", "\t", "é", "ß", "\u200b", "\ud800"]),
        max_size=1500,
    )
)
def test_any_text_ranks_exactly_as_py3langid(text: str) -> None:
    assert_same_as_py3langid(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=600))
def test_any_unicode_ranks_exactly_as_py3langid(text: str) -> None:
    assert_same_as_py3langid(text)


def test_a_window_too_short_for_the_model_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    # The array walk proves each state from the one before it: a window that misses
    # part of an n-gram fails that proof, and py3langid's own loop takes over.
    monkeypatch.setattr(langscore, "WINDOW", 2)
    data = _identifier()._encode(MIXED * 3)
    assert _scorer()._states(data) is None
    assert_same_as_py3langid(MIXED * 3)
