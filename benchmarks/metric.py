"""Benchmark (extraction): the shingle metric of ../shared/eval/README.md.

Tokens are ``\\w+`` runs; a text is the multiset of its overlapping 4-token shingles (a
text with fewer than 4 tokens is one shingle). Per page TP/FP/FN come from the multiset
intersection; precision and recall are averaged over pages, F1 is their harmonic mean.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

TOKEN = re.compile(r"\w+")
SHINGLE = 4


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """The multiset of overlapping 4-token shingles of ``text`` (case kept)."""
    tokens = TOKEN.findall(text)
    if not tokens:
        return Counter()
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


@dataclass(frozen=True, slots=True)
class PageScore:
    """One page's counts, normalized so that tp + fp + fn == 1 (all zero when both are empty)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        """TP/(TP+FP), or None when nothing was predicted (the page drops out of precision)."""
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp) if self.tp + self.fp > 0 else None

    @property
    def recall(self) -> float | None:
        """TP/(TP+FN), or None when the truth is empty."""
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn) if self.tp + self.fn > 0 else None

    @property
    def f1(self) -> float:
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r > 0 else 0.0


def score_page(predicted: str, truth: str) -> PageScore:
    """Score one prediction against its ground truth."""
    pred, true = shingles(predicted), shingles(truth)
    tp = sum((pred & true).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    if total == 0:
        return PageScore(0.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


@dataclass(frozen=True, slots=True)
class Summary:
    precision: float
    recall: float
    f1: float
    accuracy: float
    pages: int


def summarize(scores: Iterable[PageScore]) -> Summary:
    """Average precision and recall over pages; F1 of the averages; exact-match accuracy."""
    scores = list(scores)
    precisions = [p for s in scores if (p := s.precision) is not None]
    recalls = [r for s in scores if (r := s.recall) is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    exact = sum(1 for s in scores if s.fp == 0 and s.fn == 0)
    accuracy = exact / len(scores) if scores else 0.0
    return Summary(precision, recall, f1, accuracy, len(scores))
