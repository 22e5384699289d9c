"""Word-shingle precision, recall and F1 of an extracted body against the expected one.

The scorer of the scrapinghub article-extraction benchmark (``evaluate.py`` in
scrapinghub/article-extraction-benchmark, MIT): texts are split into ``\\w+`` tokens, compared
as multisets of 4-token shingles, and each page's true/false positive and false negative counts
are normalised to sum to 1, so long pages weigh no more than short ones. Precision and recall
are means over pages; F1 is computed from the two means, as there.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+", re.UNICODE)
NGRAM = 4


@dataclass(frozen=True)
class Counts:
    """Normalised true positives, false positives and false negatives of one page."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0


def _shingles(text: str, n: int = NGRAM) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        shingle for i in range(max(1, len(tokens) - n + 1)) if (shingle := tuple(tokens[i : i + n]))
    )


def match(expected: str, predicted: str) -> Counts:
    """Shingle counts of ``predicted`` against ``expected``, normalised to sum to 1."""
    true, pred = _shingles(expected), _shingles(predicted)
    tp = fp = fn = 0.0
    for key in true.keys() | pred.keys():
        t, p = true.get(key, 0), pred.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    return Counts(tp / total, fp / total, fn / total) if total else Counts(0.0, 0.0, 0.0)


def summary(counts: Sequence[Counts]) -> tuple[float, float, float]:
    """(F1, precision, recall) over pages, as the scrapinghub benchmark computes them."""
    precision = (
        statistics.mean(c.precision for c in counts if c.tp + c.fp > 0)
        if any(c.tp + c.fp > 0 for c in counts)
        else 0.0
    )
    recall = statistics.mean(c.recall for c in counts if c.tp + c.fn > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall
