"""Every task delivered three times, at test-suite size.

Real redis-server, Celery worker processes and the local site; the full-size run is
``python -m bench.drills.triple_delivery``.
"""

from __future__ import annotations

import shutil

import pytest

from bench.drills import triple_delivery

pytestmark = [
    pytest.mark.drill,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


def test_every_task_delivered_three_times_leaves_the_same_database() -> None:
    """Each task sent three times, copies running at once: the same rows as single delivery."""
    figures = triple_delivery.run("sqlite", feeds=2, items=2)
    assert figures["differences"] == []
    assert figures["articles"] == 5  # four articles and one syndicated copy
