"""Real services for drills and benchmarks: measured workers, databases by backend, dumps.

Redis, worker processes and databases come from ``testing/`` (the e2e tests use the same);
this adds what drills need on top. The drills in this package and the tests in
``tests/drills`` share it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from corpus.db import make_engine, make_session_factory, transaction
from corpus.jobs import POLL_SOURCE, SCHEDULE_DUE_POLLS
from corpus.settings import Settings
from corpus.sources import add_source
from corpus.tables import Article, ArticleStatus, Base, Source
from testing import databases
from testing.databases import migrated_sqlite, unreachable
from testing.redis_server import RedisServer
from testing.worker_process import WorkerProcess
from testing.worker_process import worker_env as testing_worker_env

POSTGRES_ADMIN_URL = os.environ.get(
    "NEWSBRIEF_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SETTLED = (ArticleStatus.READY, ArticleStatus.DUPLICATE, ArticleStatus.FAILED)


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


class Worker(WorkerProcess):
    """A drill worker (through ``bench.drills.worker_main``) whose peak memory is sampled."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        *worker_args: str,
        triple: bool = False,
        loopback_only: bool = False,
    ) -> None:
        flags = [*(["--triple"] if triple else []), *(["--loopback-only"] if loopback_only else [])]
        launcher = ("-m", "bench.drills.worker_main", *flags, "--")
        super().__init__(env, log, *worker_args, launcher=launcher)
        self.rss = PeakRss(self.proc.pid)
        self.rss_at_ready = 0

    def wait_ready(self, timeout: float = 90) -> Worker:
        """Wait until the worker is ready, and note its pool processes' memory then."""
        super().wait_ready(timeout)
        self.rss.sample()
        self.rss_at_ready = self.rss.peak_child
        return self

    def kill(self) -> None:
        """SIGKILL the worker and every process in its group, like an OOM kill."""
        self.rss.stop()
        super().kill()

    def stop(self, timeout: float = 30) -> None:
        """Stop the worker warmly (SIGKILL after ``timeout``)."""
        self.rss.stop()
        super().stop(timeout)


def worker_env(redis_url: str, database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """Environment of a drill worker: the drill's Redis and database, the local site allowed.

    Redelivery comes after 10 s, so that lost tasks come back within a drill.
    """
    return testing_worker_env(
        redis_url, database_url, data_dir, **{"NEWSBRIEF_CELERY_VISIBILITY_TIMEOUT": "10", **extra}
    )


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
    """A migrated SQLite database in ``workdir`` (kept with the drill's other files)."""
    yield migrated_sqlite(workdir / f"{name}.sqlite3")


def postgres_unreachable(admin_url: str = POSTGRES_ADMIN_URL) -> str | None:
    """Why the drills' PostgreSQL server does not answer, or None."""
    return unreachable(admin_url)


@contextlib.contextmanager
def postgres_database(admin_url: str = POSTGRES_ADMIN_URL, prefix: str = "drill") -> Iterator[str]:
    """A fresh, migrated PostgreSQL database, dropped afterwards."""
    with databases.postgres_database(admin_url, prefix) as url:
        yield url


def database(backend: str, workdir: Path, name: str = "drill") -> AbstractContextManager[str]:
    """A fresh migrated database: ``backend`` "sqlite" (a file in ``workdir``) or "postgresql"."""
    if backend == "sqlite":
        return sqlite_database(workdir, name)
    return postgres_database(prefix=name)


def backends(choice: str) -> list[str]:
    """The backends a ``--backend`` choice names ("both": the two), less an absent PostgreSQL.

    A PostgreSQL that does not answer is left out, and why is said on stderr.
    """
    chosen = ["sqlite", "postgresql"] if choice == "both" else [choice]
    if "postgresql" in chosen and (reason := postgres_unreachable()):
        print(f"PostgreSQL skipped ({reason})", file=sys.stderr)
        chosen.remove("postgresql")
    return chosen


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
    server: RedisServer,
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
# (``event_briefs``) follows its event, with a stamp new at every rewrite, and so do the
# events noted stale (``stale_event_briefs``).
_DERIVED_TABLES = {"events", "event_terms", "event_briefs", "stale_event_briefs"}


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


def figures_line(drill: str, figures: Mapping[str, Any]) -> str:
    """A drill's figures on one line: ``drill: key=value ...``."""
    return f"{drill}: " + " ".join(f"{k}={v}" for k, v in figures.items())


def engine_sessions(url: str) -> tuple[Engine, sessionmaker[Session]]:
    engine = make_engine(url)
    return engine, make_session_factory(engine)
