"""The measure rules: listed in the module's docstring in the order they are tried."""

from __future__ import annotations

import re

import pytest

from worker.analysis import figures_measure, figures_units
from worker.analysis.figures_units import FigureKind


def test_docstring_lists_the_rules_in_order() -> None:
    """The docstring's numbered list is ``RULES``, name for name and in order."""
    listed = re.findall(r"^(\d+)\. ``(\w+)``", figures_measure.__doc__ or "", re.MULTILINE)
    assert [int(n) for n, _ in listed] == list(range(1, len(listed) + 1))
    assert [name for _, name in listed] == [rule.__name__ for rule in figures_measure.RULES]


def test_every_unit_has_a_figure_kind() -> None:
    """Each unit's kind is one the measure rules know."""
    units = {**figures_units.QUANTITY_UNITS, **figures_units.DURATION_UNITS}
    units |= figures_units.GLUED_ONLY_UNITS
    assert {unit.kind for unit in units.values()} <= set(FigureKind)


def test_an_unknown_kind_is_refused() -> None:
    """``describe`` takes only the figure kinds."""
    with pytest.raises(ValueError, match="thing"):
        figures_measure.describe("Trade rose 5 things.", 11, 12, kind="thing")
