"""compose_brief latency with 1k, 10k and 100k stored articles, on SQLite and PostgreSQL.

    python -m bench.compose_brief                       # 1k, 10k, 100k; PostgreSQL if it answers
    python -m bench.compose_brief --sizes 1000 10000 --repeat 50 --no-postgres

For every size a fresh database is filled by ``bench.corpus_gen`` (dates spread over a
year, so the 7-day window holds ~2 % of the articles), then ``compose_brief`` for the
default 7-day brief, a theme-filtered one and a 90-day one is timed ``--repeat`` times,
each in a fresh session. The baseline, measured in the same run on the same database, is a bare
``SELECT count(*)`` over the same window and topic (what any brief must at least pay);
the table also gives each p50 as a multiple of the same backend's 1k p50.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bench import forbid_network, percentile, table
from bench.corpus_gen import REFERENCE_NOW, TOPIC, generate
from corpus.brief import compose_brief
from corpus.db import make_engine, make_session_factory, migrate
from corpus.queries import count_window
from testing import databases

DEFAULT_POSTGRES = os.environ.get(
    "NEWSBRIEF_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _timed(
    sessions: sessionmaker[Session], fn: Callable[[Session], object], repeat: int
) -> list[float]:
    for _ in range(2):  # warm caches and the connection pool
        with sessions() as session:
            fn(session)
    out = []
    for _ in range(repeat):
        with sessions() as session:
            started = time.perf_counter()
            fn(session)
            out.append((time.perf_counter() - started) * 1000)
    return out


@contextmanager
def sqlite_database(workdir: Path, size: int) -> Iterator[Engine]:
    path = workdir / f"bench-{size}.sqlite3"
    path.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    try:
        yield engine
    finally:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextmanager
def postgres_database(admin_url: str, size: int) -> Iterator[Engine]:
    """A fresh, migrated PostgreSQL database for the ``size`` run, dropped afterwards."""
    with databases.postgres_database(admin_url, f"bench_{size}") as url:
        engine = make_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


def measure(engine: Engine, size: int, repeat: int) -> dict[str, object]:
    migrate(engine)
    made = generate(engine, size)
    with engine.begin() as conn:  # what autovacuum / a maintenance job would have done
        conn.execute(text("ANALYZE"))
    sessions = make_session_factory(engine)
    start = REFERENCE_NOW - timedelta(days=7)
    holder: dict[str, object] = {}

    def brief(session: Session) -> None:
        holder["brief"] = compose_brief(session, TOPIC, now=REFERENCE_NOW)

    def themed(session: Session) -> None:
        compose_brief(session, TOPIC, now=REFERENCE_NOW, theme="energy")

    def quarter(session: Session) -> None:
        compose_brief(session, TOPIC, now=REFERENCE_NOW, days=90)

    def baseline(session: Session) -> None:
        holder["count"] = count_window(session, TOPIC, start, REFERENCE_NOW)

    base = _timed(sessions, baseline, repeat)
    plain = _timed(sessions, brief, repeat)
    theme = _timed(sessions, themed, repeat)
    wide = _timed(sessions, quarter, repeat)
    composed = holder["brief"]
    return {
        "size": size,
        "generated_s": made["seconds"],
        "window": holder["count"],
        "stories": len(composed.stories),  # type: ignore[attr-defined]
        "baseline": base,
        "brief": plain,
        "theme": theme,
        "wide": wide,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args(argv)
    forbid_network()

    backends: list[tuple[str, Callable[[int], object]]] = []
    workdir = Path(tempfile.mkdtemp(prefix="newsbrief-bench-"))
    if not args.no_sqlite:
        backends.append(("sqlite", lambda n: sqlite_database(workdir, n)))
    if not args.no_postgres:
        reason = databases.unreachable(args.postgres_url)
        if reason:
            print(f"PostgreSQL skipped ({reason})", file=sys.stderr)
        else:
            backends.append(("postgresql", lambda n: postgres_database(args.postgres_url, n)))

    rows = []
    for backend, database in backends:
        first_p50: float | None = None
        for size in args.sizes:
            with database(size) as engine:  # type: ignore[attr-defined]
                r = measure(engine, size, args.repeat)
            base, plain, theme = r["baseline"], r["brief"], r["theme"]
            p50 = percentile(plain, 50)  # type: ignore[arg-type]
            first_p50 = first_p50 or p50
            base50 = percentile(base, 50)  # type: ignore[arg-type]
            rows.append(
                [
                    backend,
                    size,
                    r["window"],
                    r["stories"],
                    p50,
                    percentile(plain, 95),  # type: ignore[arg-type]
                    percentile(plain, 99),  # type: ignore[arg-type]
                    percentile(theme, 95),  # type: ignore[arg-type]
                    percentile(r["wide"], 95),  # type: ignore[arg-type]
                    base50,
                    p50 / base50,
                    p50 / first_p50,
                ]
            )
            print(f"{backend} {size}: generated in {r['generated_s']:.1f} s", file=sys.stderr)
    print(
        table(
            [
                "backend",
                "articles",
                "in window",
                "stories",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "theme p95",
                "90-day p95",
                "count(*) p50",
                "p50/count",
                "p50/p50@1st",
            ],
            rows,
        )
    )
    workdir.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
