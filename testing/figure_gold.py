"""Matching extracted figures to annotated gold ones, for the figure quality gates."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol, TypeVar

from corpus.pipeline_values import Figure


class GoldSpan(Protocol):
    """What matching needs of a gold figure: its value and where it stands in the text."""

    @property
    def value(self) -> float:
        """The number the figure stands for."""

    @property
    def unit(self) -> str:
        """Its unit (USD, percent, m3 ...)."""

    @property
    def kind(self) -> str:
        """money, percent, quantity, count or duration."""

    @property
    def start(self) -> int:
        """Where its text starts in the document."""

    @property
    def end(self) -> int:
        """Where its text ends."""


G = TypeVar("G", bound=GoldSpan)


def same_value(gold: GoldSpan, predicted: Figure) -> bool:
    """Tell whether value, unit and kind agree."""
    return (
        gold.unit == predicted.unit
        and gold.kind == predicted.kind
        and math.isclose(gold.value, predicted.value, rel_tol=1e-9)
    )


def match_figures(gold: Sequence[G], predicted: Sequence[Figure]) -> list[tuple[G, Figure]]:
    """Match predictions to gold one-to-one: overlapping spans first, then equal values."""
    free = list(range(len(predicted)))
    out: list[tuple[G, Figure]] = []
    for g in gold:
        overlapping = [i for i in free if predicted[i].start < g.end and g.start < predicted[i].end]
        candidates = overlapping or [i for i in free if same_value(g, predicted[i])]
        if not candidates:
            continue
        best = next((i for i in candidates if same_value(g, predicted[i])), candidates[0])
        free.remove(best)
        out.append((g, predicted[best]))
    return out
