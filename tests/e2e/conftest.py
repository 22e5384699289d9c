"""Real services for end-to-end tests: a redis-server and Celery worker processes."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from testing.databases import emptied
from testing.redis_server import RedisServer
from testing.worker_process import WorkerProcess, worker_env


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A real redis-server on a free port, without persistence, stopped after the test."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    with RedisServer() as server:
        yield server.url


@pytest.fixture
def e2e_database_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """SQLite by default; PostgreSQL (emptied) when a test is parametrised with "postgresql"."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return sqlite_url
    return emptied(str(request.getfixturevalue("postgres_database_url")))


@pytest.fixture
def start_worker(
    tmp_path: Path, redis_url: str, e2e_database_url: str
) -> Iterator[Callable[..., WorkerProcess]]:
    """Start ``newsbrief worker`` processes on the test Redis and database; stopped at the end."""
    started: list[WorkerProcess] = []

    def start(*extra: str, env: dict[str, str] | None = None) -> WorkerProcess:
        full = worker_env(redis_url, e2e_database_url, tmp_path, **(env or {}))
        worker = WorkerProcess(full, tmp_path / f"worker-{len(started)}.log", *extra)
        started.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.stop()
