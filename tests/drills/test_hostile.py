"""Hostile inputs against a real worker, at test-suite size.

Real redis-server, Celery worker processes and the local site; the full-size run is
``python -m bench.drills.hostile``.
"""

from __future__ import annotations

import shutil

import pytest

from bench.drills import hostile

pytestmark = [
    pytest.mark.drill,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


def test_hostile_inputs_are_recorded_and_other_sources_served() -> None:
    """Every hostile input gets a clear record; the good feed is stored in full."""
    figures = hostile.run(quick=True)
    assert figures["recorded"] == figures["cases"]
    assert figures["good_articles"] == "5/5"
