"""Real services for end-to-end tests: a redis-server and Celery worker processes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from corpus.db import make_engine
from corpus.tables import Base
from testing.redis_server import RedisServer
from testing.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A real redis-server on a free port, without persistence, stopped after the test."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    with RedisServer() as server:
        yield server.url


class WorkerProcess:
    """A ``newsbrief worker`` subprocess (Celery) with its own log file."""

    def __init__(self, env: dict[str, str], log: Path, *extra: str) -> None:
        self.log = log
        self.env = env
        self._out = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newsbrief.cli", "worker", *extra],
            cwd=ROOT,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killing it takes its children
        )

    def wait_ready(self, timeout: float = 60) -> None:
        def ready() -> bool:
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited early:\n{self.log.read_text()[-3000:]}")
            return b" ready." in self.log.read_bytes()

        wait_for(ready, timeout, "the Celery worker to be ready")

    def kill(self) -> None:
        """SIGKILL the worker and every process in its group, like a crash or OOM kill."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._out.close()


@pytest.fixture
def e2e_database_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """SQLite by default; PostgreSQL (emptied) when a test is parametrised with "postgresql"."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return sqlite_url
    url = str(request.getfixturevalue("postgres_database_url"))
    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def start_worker(
    tmp_path: Path, redis_url: str, e2e_database_url: str
) -> Iterator[Callable[..., WorkerProcess]]:
    """Start ``newsbrief worker`` processes on the test Redis and database; stopped at the end."""
    started: list[WorkerProcess] = []

    def start(*extra: str, env: dict[str, str] | None = None) -> WorkerProcess:
        full = {
            **os.environ,
            "NEWSBRIEF_REDIS_URL": redis_url,
            "NEWSBRIEF_DATABASE_URL": e2e_database_url,
            "NEWSBRIEF_DATA_DIR": str(tmp_path),
            "NEWSBRIEF_ALLOW_PRIVATE_NETWORKS": "true",
            "NEWSBRIEF_HOST_MIN_INTERVAL": "0",
            **(env or {}),
        }
        worker = WorkerProcess(full, tmp_path / f"worker-{len(started)}.log", *extra)
        started.append(worker)
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.stop()
