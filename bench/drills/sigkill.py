"""SIGKILL a real Celery worker at random points during ingestion, many times.

    python -m bench.drills.sigkill --runs 50

A real redis-server, real ``newsbrief worker`` processes (prefork, 2 processes) and the local
test site serving one feed of new articles per run. Each run starts a worker, sends the poll
of that run's feed (and re-polls of a few earlier feeds), waits a random time, then kills the
worker's whole process group with SIGKILL. After the last run a worker is left running while
the drill plays beat (a poll of every source every few seconds) until every article settled.
Ends with one line: runs, articles expected, lost (never stored) and duplicated (stored twice,
or marked as a duplicate of itself).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

from bench.drills.content import make_feeds
from bench.drills.harness import (
    Worker,
    add_sources,
    article_rows,
    client_settings,
    engine_sessions,
    figures_line,
    settled_like_beat,
    sqlite_database,
    workdir,
    worker_env,
)
from corpus.jobs import POLL_SOURCE
from corpus.tables import ArticleStatus
from testing.local_site import LocalSite
from testing.redis_server import RedisServer
from testing.waiting import wait_for
from worker.celery_app import make_celery

STALE_SECONDS = 15  # a discovered article not fetched after this is re-queued by its poll


def run(
    runs: int, per_run: int = 2, seed: int = 11, max_uptime: float = 2.5, base: Path | None = None
) -> dict[str, int]:
    """Run the drill; return its figures."""
    rng = random.Random(seed)
    with workdir("sigkill") as tmp, LocalSite(crawl_delay=None) as site:
        tmp = base or tmp
        feeds = make_feeds(site, runs, per_run, name="sigkill")
        with sqlite_database(tmp) as db_url, RedisServer(tmp) as server:
            engine, sessions = engine_sessions(db_url)
            ids = add_sources(sessions, [site.url(f.path) for f in feeds])
            env = worker_env(
                server.url,
                db_url,
                tmp,
                NEWSBRIEF_STALE_PENDING_SECONDS=str(STALE_SECONDS),
                NEWSBRIEF_HOST_MIN_INTERVAL="0.1",
            )
            app = make_celery(client_settings(server.url, db_url, tmp))
            kills = 0
            try:
                for index, source_id in enumerate(ids):
                    worker = Worker(
                        env, tmp / "worker.log", "--pool", "prefork", "--concurrency", "2"
                    ).wait_ready()
                    app.send_task(POLL_SOURCE.name, args=(source_id,))
                    for earlier in rng.sample(ids[: index + 1], min(2, index + 1)):
                        app.send_task(POLL_SOURCE.name, args=(earlier,))
                    time.sleep(rng.uniform(0, max_uptime))
                    worker.kill()
                    kills += 1
                final = Worker(
                    env, tmp / "worker.log", "--pool", "prefork", "--concurrency", "2"
                ).wait_ready()
                expected = runs * per_run

                done = settled_like_beat(app, sessions, server, ids, expected)

                try:
                    wait_for(done, 120 + 2 * runs, "every article to settle", every=0.5)
                except TimeoutError:
                    pass  # counted as lost below
                final.stop()
            finally:
                app.close()
            rows = article_rows(sessions)
            engine.dispose()
    print(f"statuses: {Counter(r.status for r in rows)}", file=sys.stderr)
    for r in rows:
        if r.status == ArticleStatus.FAILED:
            print(f"failed: {r.canonical_url}: {r.error}", file=sys.stderr)
    wanted = {site.url(a.path) for f in feeds for a in f.articles}
    ready = [r for r in rows if r.status == ArticleStatus.READY]
    per_url = Counter(r.canonical_url for r in ready)
    per_text = Counter(r.text_hash for r in ready)
    lost = len(wanted - set(per_url))
    duplicated = (
        sum(n - 1 for n in per_url.values())
        + sum(n - 1 for n in per_text.values())
        + sum(1 for r in rows if r.status == ArticleStatus.DUPLICATE)
    )
    return {
        "runs": kills,
        "articles_expected": len(wanted),
        "lost": lost,
        "duplicated": duplicated,
        "failed": sum(1 for r in rows if r.status == ArticleStatus.FAILED),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--per-run", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    figures = run(args.runs, args.per_run, args.seed)
    print(figures_line("sigkill", figures))
    return 0 if figures["lost"] == 0 and figures["duplicated"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
