"""``/brief`` latency: composition and rendering to Discord payloads, from the database.

    python -m bench.brief_latency                        # 1k, 10k, 100k; PostgreSQL if it answers
    python -m bench.brief_latency --sizes 1000 10000 --no-postgres

For every size a fresh database is filled by ``bench.corpus_gen`` (dates over a year) and
``/brief russia-china`` is answered as the bot answers it: ``bot.briefs.SharedBriefs`` runs
``compose_brief`` in one transaction in a worker thread (asyncio's default thread pool),
shared by identical requests in flight, then ``bot.payloads.brief_message_payloads`` (every
page's embeds and buttons) on the event loop. Timed from the request to the payloads:
``--single`` requests one after another, then ``--rounds`` bursts of 50 concurrent requests,
twice: 50 identical requests (many people asking for the same brief), and 50 distinct ones
(each for a different moment, so none can share a composition). The baseline, in the same run
on the same database, is a bare ``SELECT count(*)`` over the brief's window and topic.
``cpu ms`` is this process's CPU time per request (PostgreSQL's own work runs in its server
processes, so it is not counted there). ``--keep NAME`` keeps the databases (a SQLite file
in the temporary directory, a PostgreSQL database) under that name and reuses them, already
filled, in a later run with the same name: migrated to the code's schema, not regenerated.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select, text

from bench import forbid_network, percentile, table
from bench.compose_brief import (
    DEFAULT_POSTGRES,
    postgres_database,
    sqlite_database,
)
from bench.corpus_gen import REFERENCE_NOW, TOPIC, generate
from bot.briefs import SharedBriefs
from bot.payloads import brief_message_payloads
from bot.transactions import in_transaction
from corpus.db import make_engine, make_session_factory, migrate
from corpus.queries import count_window
from corpus.tables import Article
from testing import databases

CONCURRENT = 50


async def _request(briefs: SharedBriefs, shift_s: int = 0) -> float:
    started = time.perf_counter()
    brief = await briefs.compose(TOPIC, now=REFERENCE_NOW - timedelta(seconds=shift_s))
    payloads = brief_message_payloads(brief)
    assert payloads, "the brief rendered no message"
    return (time.perf_counter() - started) * 1000


async def _baseline(sessions: Any) -> float:
    start = REFERENCE_NOW - timedelta(days=7)
    started = time.perf_counter()
    await in_transaction(sessions, count_window, TOPIC, start, REFERENCE_NOW)
    return (time.perf_counter() - started) * 1000


async def _measure(sessions: Any, single: int, rounds: int) -> dict[str, Any]:
    briefs = SharedBriefs(sessions)
    for _ in range(2):  # warm caches and the connection pool
        await _request(briefs)
        await _baseline(sessions)
    base = [await _baseline(sessions) for _ in range(single)]
    cpu = time.process_time()
    one = [await _request(briefs) for _ in range(single)]
    cpu_one = (time.process_time() - cpu) * 1000 / max(single, 1)
    same: list[float] = []
    distinct: list[float] = []
    base_burst: list[float] = []
    cpu_same = cpu_distinct = 0.0
    for _ in range(rounds):
        cpu = time.process_time()
        same += await asyncio.gather(*(_request(briefs) for _ in range(CONCURRENT)))
        cpu_same += time.process_time() - cpu
        cpu = time.process_time()
        distinct += await asyncio.gather(*(_request(briefs, i) for i in range(CONCURRENT)))
        cpu_distinct += time.process_time() - cpu
        base_burst += await asyncio.gather(*(_baseline(sessions) for _ in range(CONCURRENT)))
    burst = 1000 / max(rounds * CONCURRENT, 1)
    return {
        "baseline": base,
        "single": one,
        "identical": same,
        "distinct": distinct,
        "baseline_burst": base_burst,
        "cpu": {"single": cpu_one, "identical": cpu_same * burst, "distinct": cpu_distinct * burst},
    }


def _filled(engine: Engine, size: int) -> bool:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Article)).scalar_one()) >= size


def measure(engine: Engine, size: int, single: int, rounds: int) -> dict[str, Any]:
    migrate(engine)
    made = {"seconds": 0.0} if _filled(engine, size) else generate(engine, size)
    # What autovacuum / a maintenance job would have done (VACUUM sets PostgreSQL's
    # visibility map, without which no index-only scan pays off).
    maintenance = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(maintenance))
    sessions = make_session_factory(engine)
    timings = asyncio.run(_measure(sessions, single, rounds))
    return {"size": size, "generated_s": made["seconds"], **timings}


@contextmanager
def _kept_sqlite(name: str, size: int) -> Iterator[Engine]:
    folder = Path(tempfile.gettempdir()) / f"newsbrief-brief-latency-{name}"
    folder.mkdir(exist_ok=True)
    engine = make_engine(f"sqlite:///{folder / f'bench-{size}.sqlite3'}")
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _kept_postgres(admin_url: str, name: str, size: int) -> Iterator[Engine]:
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    database = f"newsbrief_keep_{name}_{size}"
    with admin.connect() as conn:
        found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": database})
        if found.first() is None:
            conn.execute(text(f'CREATE DATABASE "{database}"'))
    engine = make_engine(admin.url.set(database=database).render_as_string(hide_password=False))
    admin.dispose()
    try:
        yield engine
    finally:
        engine.dispose()


def _row(backend: str, r: dict[str, Any], mode: str, first: dict[str, float]) -> list[object]:
    values = r[mode]
    base = r["baseline" if mode == "single" else "baseline_burst"]
    p50 = percentile(values, 50)
    first.setdefault(mode, p50)
    return [
        backend,
        r["size"],
        "1" if mode == "single" else f"{CONCURRENT} {mode}",
        len(values),
        p50,
        percentile(values, 95),
        percentile(values, 99),
        percentile(base, 50),
        p50 / percentile(base, 50),
        p50 / first[mode],
        r["cpu"][mode],
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--single", type=int, default=40, help="sequential requests per size")
    parser.add_argument("--rounds", type=int, default=4, help="bursts of 50 requests per size")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--keep", metavar="NAME", help="keep and reuse the databases")
    args = parser.parse_args(argv)
    forbid_network()
    workdir = Path(tempfile.mkdtemp(prefix="newsbrief-brief-latency-"))
    backends: list[tuple[str, Callable[[int], AbstractContextManager[Engine]]]] = []
    keep = args.keep
    if not args.no_sqlite:
        if keep:
            backends.append(("sqlite", lambda n: _kept_sqlite(keep, n)))
        else:
            backends.append(("sqlite", lambda n: sqlite_database(workdir, n)))
    if not args.no_postgres:
        url = args.postgres_url
        reason = databases.unreachable(url)
        if reason:
            print(f"PostgreSQL skipped ({reason})", file=sys.stderr)
        elif keep:
            backends.append(("postgresql", lambda n: _kept_postgres(url, keep, n)))
        else:
            backends.append(("postgresql", lambda n: postgres_database(url, n)))
    rows = []
    for backend, database in backends:
        first: dict[str, float] = {}
        for size in args.sizes:
            with database(size) as engine:
                r = measure(engine, size, args.single, args.rounds)
            print(f"{backend} {size}: generated in {r['generated_s']:.1f} s", file=sys.stderr)
            for mode in ("single", "identical", "distinct"):
                rows.append(_row(backend, r, mode, first))
    print(
        table(
            [
                "backend",
                "articles",
                "concurrent",
                "requests",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "count(*) p50",
                "p50/count",
                "p50/p50@1st",
                "cpu ms",
            ],
            rows,
        )
    )
    workdir.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
