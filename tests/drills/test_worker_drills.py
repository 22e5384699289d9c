"""The fault drills at test-suite size, on real redis-server, Celery workers and the local site.

The full-size runs are ``python -m bench.drills.NAME`` (see bench/drills/__init__.py).
"""

from __future__ import annotations

import shutil

import pytest

from bench.drills import hostile, restarts, sigkill, triple_delivery

pytestmark = [
    pytest.mark.drill,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


def test_sigkill_during_ingestion_loses_and_duplicates_nothing() -> None:
    """Three SIGKILLs of the worker mid-ingestion: every article stored exactly once."""
    figures = sigkill.run(3)
    assert figures["runs"] == 3
    assert (figures["lost"], figures["duplicated"], figures["failed"]) == (0, 0, 0)


def test_every_task_delivered_three_times_leaves_the_same_database() -> None:
    """Each task sent three times, copies running at once: the same rows as single delivery."""
    figures = triple_delivery.run("sqlite", feeds=2, items=2)
    assert figures["differences"] == []
    assert figures["articles"] == 5  # four articles and one syndicated copy


def test_redis_and_database_restarts_lose_nothing() -> None:
    """Redis restarted and database connections cut: worker and loop recover by themselves."""
    figures = restarts.run(feeds=3, items=2, redis_restarts=1, pg_restarts=1)
    for key in ("lost", "duplicated", "posts_missed", "posts_duplicated", "worker_restarted"):
        assert figures[key] == 0, figures
    assert figures["redis_restarts"] == 1


def test_hostile_inputs_are_recorded_and_other_sources_served() -> None:
    """Every hostile input gets a clear record; the good feed is stored in full."""
    figures = hostile.run(quick=True)
    assert figures["recorded"] == figures["cases"]
    assert figures["good_articles"] == "5/5"
