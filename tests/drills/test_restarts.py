"""Redis and database restarts under a running worker and delivery loop, at test-suite size.

Real redis-server, Celery worker processes and the local site; the full-size run is
``python -m bench.drills.restarts``.
"""

from __future__ import annotations

import shutil

import pytest

from bench.drills import restarts

pytestmark = [
    pytest.mark.drill,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


def test_redis_and_database_restarts_lose_nothing() -> None:
    """Redis restarted and database connections cut: worker and loop recover by themselves."""
    figures = restarts.run(feeds=3, items=2, redis_restarts=1, pg_restarts=1)
    for key in ("lost", "duplicated", "posts_missed", "posts_duplicated", "worker_restarted"):
        assert figures[key] == 0, figures
    assert figures["redis_restarts"] == 1
