"""Pipeline stage (normalize): py3langid's ``rank()`` with its two slow loops in NumPy.

py3langid scores a text in two steps that dominate its cost on an article's sample:

- a DFA walked byte by byte in Python, emitting one n-gram feature per state;
- the float16 weight rows of the features found, cast to float32 one element at a time
  before the matrix product.

Both are done here with whole-array operations, and the result is the same to the bit:

- The DFA's state after a byte depends only on the last few bytes read (n-grams are
  short), so every position is walked at once from the root over its own window of
  ``WINDOW`` bytes. That shortcut is then proved, not assumed: each state must be the
  DFA's move from the state before it on that byte, which by induction from the start
  state is the exact walk. A text where it fails goes through py3langid's own loop.
- Features keep py3langid's order (first occurrence) and counts, so the matrix product
  adds the same numbers in the same order. The weights are negative normal float16
  values (checked once when the model is first used): their float32 bits are the
  float16 bits shifted and offset, which is exact, and several times faster than
  NumPy's element-wise float16 cast.
"""

from __future__ import annotations

import math
from operator import itemgetter
from typing import Any

import numpy as np
from numpy.typing import NDArray

# Longest n-gram of the model is 6 bytes; a longer window only costs time.
WINDOW = 6
# Below this many bytes py3langid's own loop is as fast as the array operations.
MIN_ARRAY_BYTES = 48
# A negative normal float16 (sign set, exponent 1..30) as float32 bits: exponent
# re-biased from 15 to 127, sign moved from bit 15 to bit 31, mantissa widened.
_HALF_TO_SINGLE = 0xA800_0000


class LanguageScorer:
    """Exact ``rank()`` of one py3langid ``LanguageIdentifier`` (model fixed at init)."""

    def __init__(self, identifier: Any) -> None:
        self.identifier = identifier
        nextmove = identifier.tk_nextmove
        self.nextmove = np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}")  # no copy
        self.rowbase = np.asarray(identifier._rowbase, dtype=np.intp)
        self.output = np.asarray(identifier.tk_output, dtype=np.intp)
        self.classes = list(identifier.nb_classes)
        self.prior = identifier.nb_pc
        self.weights = identifier.nb_ptc
        self.bits = self.weights.view(np.uint16) if self.weights.dtype == np.float16 else None
        if self.bits is not None and not _negative_normal(self.bits):
            self.bits = None
        # A padding byte on which the root stays the root: windows that start before the
        # text then begin at its first byte. (None: none exists, every text takes the loop.)
        root_row = self.nextmove[self.rowbase[0] : self.rowbase[0] + 256]
        stay = np.flatnonzero(root_row == 0)
        self.pad = int(stay[-1]) if len(stay) and self.output[0] < 0 else None
        # Columns whose label came earlier (script aliases): rank() lists a label once.
        first: dict[str, int] = {}
        self.alias_pairs = []
        for i, label in enumerate(self.classes):
            if label in first:
                self.alias_pairs.append((first[label], i))
            else:
                first[label] = i
        self.labels = list(first)
        self.label_columns = np.fromiter(first.values(), dtype=np.intp, count=len(first))

    def rank(self, text: str) -> list[tuple[str, float]]:
        """All languages by probability, best first: py3langid ``rank(text)``, faster."""
        merged: dict[str, float] = {}
        for label, score in zip(self.classes, self.scores(text).tolist(), strict=True):
            merged.setdefault(label, score)
        return sorted(merged.items(), key=itemgetter(1), reverse=True)

    def top(self, text: str, count: int) -> list[tuple[str, float]]:
        """``rank(text)[:count]`` without converting and sorting every language."""
        scores = self.scores(text)[self.label_columns]
        if not np.isfinite(scores).all():  # NaN orders differently in Python and NumPy
            return self.rank(text)[:count]
        # Stable, like sorted(reverse=True): ties keep the model's class order.
        best = np.argsort(-scores, kind="stable")[:count]
        return [(self.labels[i], float(scores[i])) for i in best.tolist()]

    def scores(self, text: str) -> NDArray[np.float32]:
        """One score per model column, as py3langid's ``_decide`` computes it."""
        data = self.identifier._encode(text)
        scores = self._raw_score(data)
        if self.identifier._norm_probs:
            scores *= 1.0 / math.sqrt(len(data) or 1)
            np.exp(scores - scores.max(), out=scores)
            scores /= scores.sum()
        for i, j in self.alias_pairs:
            if self.identifier._norm_probs:
                scores[i] += scores[j]
                scores[j] = 0.0
            else:
                scores[i] = max(scores[i], scores[j])
                scores[j] = self._floor()
        return scores

    def features(self, data: bytes) -> tuple[NDArray[np.intp], NDArray[np.float32]] | None:
        """(feature indexes in order of first occurrence, their counts), None if none."""
        states = self._states(data)
        if states is None:
            from py3langid.langid import visit_counts

            ident = self.identifier
            visits = visit_counts(ident.tk_nextmove, ident._rowbase, ident.tk_output, data)
            if not visits:
                return None
            index = np.fromiter(visits.keys(), dtype=np.intp, count=len(visits))
            return index, np.fromiter(visits.values(), dtype=np.float32, count=len(visits))
        found = self.output.take(states)
        found = found[found >= 0]
        if not len(found):
            return None
        unique, first, counts = np.unique(found, return_index=True, return_counts=True)
        order = np.argsort(first)
        return unique[order], counts[order].astype(np.float32)

    def _states(self, data: bytes) -> NDArray[np.intp] | None:
        """The DFA's state after each byte of ``data``; None to use py3langid's loop."""
        size = len(data)
        if size < MIN_ARRAY_BYTES or self.pad is None:
            return None
        padded = np.empty(size + WINDOW - 1, dtype=np.intp)
        padded[: WINDOW - 1] = self.pad
        padded[WINDOW - 1 :] = np.frombuffer(data, dtype=np.uint8)
        nextmove, rowbase = self.nextmove, self.rowbase
        states = nextmove.take(padded[:size] + rowbase[0])
        for k in range(1, WINDOW):
            states = nextmove.take(rowbase.take(states) + padded[k : k + size])
        # The proof: state i is the move from state i-1 (the root before the text).
        before = np.empty_like(states)
        before[0] = 0
        before[1:] = states[:-1]
        if not np.array_equal(nextmove.take(rowbase.take(before) + padded[WINDOW - 1 :]), states):
            return None
        return states

    def _raw_score(self, data: bytes) -> NDArray[np.float32]:
        found = self.features(data)
        if found is None:
            fill = 0.0 if self.identifier._norm_probs else self._floor()
            return np.full(len(self.classes), fill, dtype=np.float32)
        index, counts = found
        if self.bits is None:
            rows = self.weights[index]
        else:
            wide = self.bits.take(index, axis=0).astype(np.uint32)
            wide <<= 13
            wide += _HALF_TO_SINGLE
            rows = wide.view(np.float32)
        result: NDArray[np.float32] = np.log1p(counts) @ rows + self.prior
        return result

    @staticmethod
    def _floor() -> float:
        from py3langid.langid import RAW_FLOOR

        return float(RAW_FLOOR)


def _negative_normal(bits: NDArray[np.uint16]) -> bool:
    """Whether every float16 (as bits) is negative and normal: 0x8400..0xFBFF."""
    flat = bits.reshape(-1)
    step = 1 << 22
    for start in range(0, len(flat), step):
        chunk = flat[start : start + step]
        if chunk.min() < 0x8400 or chunk.max() > 0xFBFF:
            return False
    return True
