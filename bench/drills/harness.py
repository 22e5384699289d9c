"""Real services for drills and benchmarks: redis-server, worker subprocesses, databases.

Everything here starts real processes on 127.0.0.1 free ports and stops them cleanly; the
drills in this package and the tests in ``tests/drills`` share it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import redis
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from corpus.db import make_engine, make_session_factory, migrate, transaction
from corpus.jobs import POLL_SOURCE, SCHEDULE_DUE_POLLS
from corpus.settings import Settings
from corpus.sources import add_source
from corpus.tables import Article, ArticleStatus, Base, Source
from testing.redis_server import free_port
from testing.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
QUEUES = ("fetch", "analyse", "schedule")
POSTGRES_ADMIN_URL = os.environ.get(
    "NEWSBRIEF_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SETTLED = (ArticleStatus.READY, ArticleStatus.DUPLICATE, ArticleStatus.FAILED)


class RedisExited(RuntimeError):
    """redis-server stopped before it answered."""


class RedisProcess:
    """``redis-server`` on a fixed free port that can be stopped and started again.

    ``appendonly`` mirrors the compose file (``--appendonly yes``): a restart keeps the queues.
    """

    def __init__(self, workdir: Path, *, appendonly: bool = False) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.binary = binary
        self.port = free_port()
        self.dir = workdir / f"redis-{self.port}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.appendonly = appendonly
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, attempts: int = 3) -> RedisProcess:
        """Start redis-server; retry when it exits at once (its log says why in the error)."""
        for attempt in range(1, attempts + 1):
            try:
                return self._start_once()
            except RedisExited:
                if attempt == attempts:
                    raise
                time.sleep(0.5 * attempt)
        raise AssertionError("unreachable")

    def _start_once(self) -> RedisProcess:
        log = self.dir / "redis.log"
        self.proc = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes" if self.appendonly else "no",
                "--dir",
                str(self.dir),
                "--logfile",
                str(log),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)

        def ready() -> bool:
            if self.proc is not None and self.proc.poll() is not None:
                tail = log.read_text(errors="replace").splitlines()[-5:] if log.exists() else []
                raise RedisExited(
                    f"redis-server exited with {self.proc.returncode}: " + " | ".join(tail)
                )
            try:
                return bool(client.ping())
            except redis.exceptions.RedisError:  # BusyLoadingError while it reads the AOF
                return False

        try:
            wait_for(ready, 20, "redis-server to answer PING", every=0.05)
        finally:
            client.close()
        return self

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def drained(self) -> bool:
        """No task waiting in a queue nor reserved unacknowledged by a worker."""
        client = redis.Redis.from_url(self.url)
        try:
            waiting = sum(client.llen(q) for q in QUEUES) + client.hlen("unacked")
        except redis.exceptions.RedisError:
            return False
        finally:
            client.close()
        return waiting == 0

    def __enter__(self) -> RedisProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class PeakRss:
    """Samples the peak resident set (VmHWM) of a process and all its descendants."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        self.pid = pid
        self.every = every
        self.per_process: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def sample(self) -> None:
        try:
            root = psutil.Process(self.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        for proc in procs:
            with contextlib.suppress(OSError, psutil.Error):
                for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = int(line.split()[1]) * 1024
                        self.per_process[proc.pid] = max(self.per_process.get(proc.pid, 0), peak)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def stop(self) -> None:
        self.sample()
        self._stop.set()
        self._thread.join(5)

    @property
    def peak_child(self) -> int:
        """Peak RSS of the busiest pool process (not counting the supervising parent)."""
        children = [v for pid, v in self.per_process.items() if pid != self.pid]
        return max(children or [self.per_process.get(self.pid, 0)])

    @property
    def peak_parent(self) -> int:
        return self.per_process.get(self.pid, 0)


class Worker:
    """A ``newsbrief worker`` subprocess (through ``bench.drills.worker_main``), own group."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        *worker_args: str,
        triple: bool = False,
        loopback_only: bool = False,
    ) -> None:
        self.log = log
        self._out = log.open("ab")
        flags = [*(["--triple"] if triple else []), *(["--loopback-only"] if loopback_only else [])]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.drills.worker_main", *flags, "--", *worker_args],
            cwd=ROOT,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.rss = PeakRss(self.proc.pid)
        self.rss_at_ready = 0

    def wait_ready(self, timeout: float = 90) -> Worker:
        def ready() -> bool:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log.read_text()[-3000:]}")
            return b" ready." in self.log.read_bytes()

        wait_for(ready, timeout, "the Celery worker to be ready", every=0.05)
        self.rss.sample()
        self.rss_at_ready = self.rss.peak_child
        return self

    def kill(self) -> None:
        """SIGKILL the worker and every process in its group, like an OOM kill."""
        self.rss.stop()
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self._out.close()

    def stop(self) -> None:
        self.rss.stop()
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self._out.close()


def worker_env(redis_url: str, database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """Environment of a drill worker: the drill's Redis and database, the local site allowed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    env.update(
        {
            "NEWSBRIEF_REDIS_URL": redis_url,
            "NEWSBRIEF_DATABASE_URL": database_url,
            "NEWSBRIEF_DATA_DIR": str(data_dir),
            "NEWSBRIEF_ALLOW_PRIVATE_NETWORKS": "true",
            "NEWSBRIEF_HOST_MIN_INTERVAL": "0",
            "NEWSBRIEF_CELERY_VISIBILITY_TIMEOUT": "10",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


def client_settings(redis_url: str, database_url: str, data_dir: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        redis_url=redis_url,
        database_url=database_url,
        data_dir=data_dir,
        celery_visibility_timeout=10,
    )


# --- databases ---------------------------------------------------------------------------


@contextlib.contextmanager
def sqlite_database(workdir: Path, name: str = "drill") -> Iterator[str]:
    url = f"sqlite:///{workdir / (name + '.sqlite3')}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    yield url


def postgres_unreachable(admin_url: str = POSTGRES_ADMIN_URL) -> str | None:
    try:
        engine = make_engine(admin_url)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # any failure: skip PostgreSQL and say why
        return f"{exc.__class__.__name__}: {str(exc).splitlines()[0]}"
    return None


@contextlib.contextmanager
def postgres_database(admin_url: str = POSTGRES_ADMIN_URL, prefix: str = "drill") -> Iterator[str]:
    """A fresh, migrated PostgreSQL database, dropped afterwards."""
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"newsbrief_{prefix}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def terminate_backends(database_url: str, admin_url: str = POSTGRES_ADMIN_URL) -> int:
    """Terminate every connection to ``database_url``'s database: a restart, as clients see it."""
    name = make_engine(database_url).url.database
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            killed = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            ).scalar_one()
    finally:
        admin.dispose()
    return int(killed)


# --- state -------------------------------------------------------------------------------


def add_sources(sessions: sessionmaker[Session], urls: list[str]) -> list[int]:
    with transaction(sessions) as session:
        return [add_source(session, url).id for url in urls]


def article_rows(sessions: sessionmaker[Session]) -> list[Any]:
    with transaction(sessions) as session:
        return list(
            session.execute(
                select(
                    Article.id,
                    Article.canonical_url,
                    Article.status,
                    Article.text_hash,
                    Article.error,
                ).order_by(Article.id)
            ).all()
        )


def settled(sessions: sessionmaker[Session], expected: int) -> list[Any] | None:
    """The article rows once ``expected`` of them exist and none is still in the pipeline."""
    rows = article_rows(sessions)
    if len(rows) >= expected and all(r.status in SETTLED for r in rows):
        return rows
    return None


def settled_like_beat(
    app: Any,
    sessions: sessionmaker[Session],
    server: RedisProcess,
    source_ids: list[int],
    expected: int,
    *,
    every: float = 5.0,
) -> Callable[[], bool]:
    """A ``wait_for`` predicate: every article settled and no task queued or held.

    While waiting it does beat's job at a drill-sized interval: re-polls the sources and sends
    the schedule task, which re-queues analyses whose task was lost.
    """
    polled = [time.monotonic()]

    def done() -> bool:
        if settled(sessions, expected) and server.drained():
            return True
        if time.monotonic() - polled[0] > every:
            polled[0] = time.monotonic()
            for source_id in source_ids:
                app.send_task(POLL_SOURCE.name, args=(source_id,))
            app.send_task(SCHEDULE_DUE_POLLS.name)
        return False

    return done


def sources(sessions: sessionmaker[Session]) -> list[Source]:
    with transaction(sessions) as session:
        return list(session.execute(select(Source).order_by(Source.id)).scalars())


_VOLATILE = {
    "created_at",
    "updated_at",
    "discovered_at",
    "fetched_at",
    "analysed_at",
    "last_polled_at",
    "last_success_at",
    "last_modified",
    "etag",
    "attempts",
    "id",
}
# Which articles share an event depends on the order they were clustered in, and that order
# differs between any two runs with several worker processes, single delivery or not. So the
# events themselves are not compared; that every article is in exactly one event and counted
# once is (``articles.event_id`` set, ``term_counts`` equal). Each event's stored story
# (``event_briefs``) follows its event, with a stamp new at every rewrite.
_DERIVED_TABLES = {"events", "event_terms", "event_briefs"}


def canonical_dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows as sorted tuples, with ids replaced by natural keys and times dropped.

    Two runs that stored the same things give equal dumps, whatever ids and clocks they saw.
    """
    with engine.connect() as conn:
        urls: dict[Any, Any] = dict(
            conn.execute(text("SELECT id, canonical_url FROM articles")).all()
        )
        source_urls: dict[Any, Any] = dict(conn.execute(text("SELECT id, url FROM sources")).all())
        members: dict[Any, list[str]] = {}
        for story_id, url in conn.execute(
            text("SELECT story_id, canonical_url FROM articles WHERE story_id IS NOT NULL")
        ).all():
            members.setdefault(story_id, []).append(url)
        story_key = {sid: min(m) for sid, m in members.items()}
        dump: dict[str, list[tuple[Any, ...]]] = {}
        for table in Base.metadata.sorted_tables:
            if table.name in _DERIVED_TABLES:
                continue
            rows = []
            for row in conn.execute(table.select()).mappings():
                out = []
                for column, value in row.items():
                    if column in _VOLATILE:
                        continue
                    if column in ("article_id", "duplicate_of"):
                        value = urls.get(value, value)
                    elif column == "story_id":
                        value = story_key.get(value, f"story without articles {value}")
                    elif column == "source_id":
                        value = source_urls.get(value, value)
                    elif column == "event_id":
                        value = "in an event" if value is not None else None
                    out.append((column, repr(value)))
                if table.name == "stories":
                    out.append(("key", story_key.get(row["id"], f"orphan story {row['id']}")))
                rows.append(tuple(out))
            dump[table.name] = sorted(rows)
        return dump


def dump_difference(first: dict[str, list[Any]], second: dict[str, list[Any]]) -> list[str]:
    """Lines describing how two canonical dumps differ (empty when they are identical)."""
    out = []
    for table in sorted(set(first) | set(second)):
        a, b = first.get(table, []), second.get(table, [])
        if a != b:
            only_a = [r for r in a if r not in b][:2]
            only_b = [r for r in b if r not in a][:2]
            out.append(
                f"{table}: {len(a)} vs {len(b)} rows; only first {only_a}; only second {only_b}"
            )
    return out


@contextlib.contextmanager
def workdir(prefix: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=f"newsbrief-{prefix}-"))
    try:
        yield path
    finally:
        if not os.environ.get("NEWSBRIEF_DRILL_KEEP"):  # keep logs and databases to look at
            shutil.rmtree(path, ignore_errors=True)


def engine_sessions(url: str) -> tuple[Engine, sessionmaker[Session]]:
    engine = make_engine(url)
    return engine, make_session_factory(engine)
