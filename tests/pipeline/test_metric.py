"""Benchmark metric: 4-token shingles, per-page P/R, averaged, F1 of the averages."""

from __future__ import annotations

import pytest

from benchmarks.metric import score_page, shingles, summarize


def test_shingles_overlap_and_keep_case() -> None:
    got = shingles("The cat sat on the mat")
    assert got == {
        ("The", "cat", "sat", "on"): 1,
        ("cat", "sat", "on", "the"): 1,
        ("sat", "on", "the", "mat"): 1,
    }


def test_short_text_is_one_shingle_and_empty_is_none() -> None:
    assert shingles("Hello, world!") == {("Hello", "world"): 1}
    assert not shingles("  ... ")


def test_tokens_are_unicode_word_runs() -> None:
    assert shingles("Berita terkini: café naïve 2025") == {
        ("Berita", "terkini", "café", "naïve"): 1,
        ("terkini", "café", "naïve", "2025"): 1,
    }


def test_multiset_counts_repeats() -> None:
    # 'a b c d a b c d' has the shingle (a, b, c, d) twice.
    score = score_page("a b c d", "a b c d a b c d")
    assert score.precision == 1.0
    assert score.recall == pytest.approx(1 / 5)


def test_identical_texts_score_one() -> None:
    score = score_page("one two three four five", "one two three four five")
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_empty_prediction_drops_out_of_precision_only() -> None:
    empty = score_page("", "one two three four five")
    assert empty.precision is None
    assert empty.recall == 0.0
    perfect = score_page("alpha beta gamma delta", "alpha beta gamma delta")
    summary = summarize([empty, perfect])
    assert summary.precision == 1.0
    assert summary.recall == 0.5
    assert summary.f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)


def test_both_empty_scores_one_and_counts_as_exact() -> None:
    both = score_page("", "")
    assert (both.precision, both.recall) == (1.0, 1.0)
    assert summarize([both]).accuracy == 1.0


def test_partial_overlap_fractions() -> None:
    # predicted shingles: (a b c d), (b c d x); true: (a b c d), (b c d e), (c d e f)
    score = score_page("a b c d x", "a b c d e f")
    assert score.precision == pytest.approx(1 / 2)
    assert score.recall == pytest.approx(1 / 3)


def test_exact_match_accuracy_counts_only_perfect_pages() -> None:
    pages = [
        score_page("w x y z", "w x y z"),
        score_page("w x y z q", "w x y z"),
    ]
    assert summarize(pages).accuracy == 0.5
