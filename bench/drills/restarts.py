"""Restart Redis and PostgreSQL under a running worker and delivery loop: nothing is lost.

    python -m bench.drills.restarts --feeds 10 --items 4 --redis-restarts 2 --pg-restarts 3

A real redis-server (append-only file on, as in docker-compose.yml), a real Celery worker
(prefork, 2 processes) and the outbox delivery loop (posting to a fake Discord channel that
keeps every post, even one with a repeated nonce) all run on a fresh PostgreSQL database
while feeds are ingested and digests are queued. Meanwhile Redis is stopped and started
again on the same port, and every connection to the database is terminated with
``pg_terminate_backend`` (what a PostgreSQL restart looks like to a client). Neither the
worker nor the loop is restarted: they must reconnect by themselves. Ends with one line:
restarts done, articles lost and duplicated, posts missed and duplicated, worker restarts.
Without PostgreSQL it runs on SQLite and restarts only Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sys
import threading
import time
from collections import Counter
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bench.drills import harness
from bench.drills.content import make_feeds
from bench.drills.harness import (
    Worker,
    add_sources,
    article_rows,
    client_settings,
    engine_sessions,
    settled_like_beat,
    terminate_backends,
    workdir,
    worker_env,
)
from bot.delivery import DeliveryLoop
from corpus import outbox
from corpus.db import transaction
from corpus.jobs import POLL_SOURCE
from corpus.outbox import OutboxItem
from corpus.tables import ArticleStatus, OutboxStatus
from testing.discord_channel import BOT_USER_ID, FakeChannel, FakeGuildChannels
from testing.local_site import LocalSite
from testing.redis_server import RedisServer
from testing.waiting import wait_for
from worker.celery_app import make_celery

GUILD = 1
CHANNEL = 10


def render(item: OutboxItem) -> dict[str, Any]:
    n = item.payload["n"]
    return {"content": f"**Digest {n}**", "embeds": [{"title": f"Digest {n}"}]}


def enqueue_digests(sessions: sessionmaker[Session], first: int, count: int) -> None:
    with transaction(sessions) as session:
        for n in range(first, first + count):
            outbox.enqueue(
                session,
                key=f"digest:{GUILD}:{CHANNEL}:drill:{n:05d}",
                kind="digest",
                guild_id=GUILD,
                channel_id=CHANNEL,
                payload={"type": "digest", "n": n},
            )


class LoopThread:
    """The delivery loop on its own event loop in a thread, as the bot runs it."""

    def __init__(self, sessions: sessionmaker[Session], channel: FakeChannel) -> None:
        self.loop = asyncio.new_event_loop()
        self.delivery = DeliveryLoop(
            sessions,
            FakeGuildChannels(channel).resolve,
            {"digest": render},
            bot_user_id=lambda: BOT_USER_ID,
            interval=0.2,
            backoff=lambda attempts: 0.5,
        )
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._main())

    async def _main(self) -> None:
        self.task = self.delivery.start()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(lambda: self.task.cancel())
        self.thread.join(10)


# Short enough that a task a worker held when Redis went away is redelivered within the drill
# (production redelivers the same way after its 1 h timeout);
# long enough that the task time limit (half of it) stays above the 30 s fetch deadline.
DRILL_VISIBILITY_TIMEOUT = 70


def run(
    feeds: int,
    items: int,
    redis_restarts: int,
    pg_restarts: int,
    seed: int = 5,
    visibility_timeout: int = DRILL_VISIBILITY_TIMEOUT,
    sweep_after: int | None = None,
) -> dict[str, Any]:
    """Run the drill; ``sweep_after`` lets beat's sweep re-queue analyses stored that long ago.

    Without it the sweep keeps its production threshold (10 minutes), longer than the drill,
    so a lost task shows as ``lost``: the drill measures the queue itself.
    """
    rng = random.Random(seed)
    backend = "postgresql" if harness.postgres_unreachable() is None else "sqlite"
    if backend == "sqlite":
        pg_restarts = 0
    with workdir("restarts") as tmp, LocalSite(crawl_delay=None) as site:
        made = make_feeds(site, feeds, items, name="restarts")
        with (
            harness.database(backend, tmp, "restarts") as db_url,
            RedisServer(tmp, appendonly=True) as server,
        ):
            engine, sessions = engine_sessions(db_url)
            ids = add_sources(sessions, [site.url(f.path) for f in made])
            enqueue_digests(sessions, 0, 20)
            sweep = (
                {}
                if sweep_after is None
                else {"NEWSBRIEF_ANALYSIS_OVERDUE_SECONDS": str(sweep_after)}
            )
            env = worker_env(
                server.url,
                db_url,
                tmp,
                NEWSBRIEF_HOST_MIN_INTERVAL="0.2",
                NEWSBRIEF_CELERY_VISIBILITY_TIMEOUT=str(visibility_timeout),
                **sweep,
            )
            app = make_celery(client_settings(server.url, db_url, tmp))
            worker = Worker(env, tmp / "worker.log", "--pool", "prefork", "--concurrency", "2")
            worker.wait_ready()
            pid = worker.proc.pid
            channel = FakeChannel(CHANNEL, honour_nonce=False)
            loop = LoopThread(sessions, channel)
            digests = 20
            events = ["redis"] * redis_restarts + ["postgres"] * pg_restarts
            rng.shuffle(events)
            done_events: Counter[str] = Counter()
            try:
                for source_id in ids:
                    app.send_task(POLL_SOURCE.name, args=(source_id,))
                for event in events:
                    time.sleep(rng.uniform(0.5, 2.0))
                    if event == "redis":
                        server.stop()
                        time.sleep(rng.uniform(0.5, 3.0))
                        server.start()
                    else:
                        terminate_backends(db_url)
                    done_events[event] += 1
                    enqueue_digests(sessions, digests, 5)
                    digests += 5
                expected = feeds * items

                done = settled_like_beat(app, sessions, server, ids, expected)

                def delivered() -> bool:
                    with transaction(sessions) as session:
                        counts = outbox.count_by_status(session)
                    return counts.get(OutboxStatus.PENDING, 0) == 0

                with contextlib.suppress(TimeoutError):
                    wait_for(
                        done,
                        120 + 3 * expected + 2 * visibility_timeout,
                        "every article to settle",
                        every=0.5,
                    )
                with contextlib.suppress(TimeoutError):
                    wait_for(delivered, 60, "every digest to be posted")
                worker_alive = worker.proc.poll() is None and worker.proc.pid == pid
            finally:
                loop.stop()
                worker.stop()
                app.close()
            rows = article_rows(sessions)
            engine.dispose()
    wanted = {site.url(a.path) for f in made for a in f.articles}
    ready = Counter(r.canonical_url for r in rows if r.status == ArticleStatus.READY)
    posted = Counter(m.content.rsplit("ref ", 1)[1] for m in channel.messages if m.content)
    return {
        "database": backend,
        "redis_restarts": done_events["redis"],
        "pg_restarts": done_events["postgres"],
        "articles_expected": len(wanted),
        "lost": len(wanted - set(ready)),
        "duplicated": sum(n - 1 for n in ready.values()),
        "posts_expected": digests,
        "posts_missed": digests - len(posted),
        "posts_duplicated": sum(n - 1 for n in posted.values()),
        "worker_restarted": 0 if worker_alive else 1,
        "unsettled": [
            (r.canonical_url, r.status, r.error) for r in rows if r.status != ArticleStatus.READY
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=10)
    parser.add_argument("--items", type=int, default=4)
    parser.add_argument("--redis-restarts", type=int, default=2)
    parser.add_argument("--pg-restarts", type=int, default=3)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--sweep-after",
        type=int,
        default=None,
        help="let beat's sweep re-queue analyses overdue by this many seconds (default: off)",
    )
    args = parser.parse_args(argv)
    figures = run(
        args.feeds,
        args.items,
        args.redis_restarts,
        args.pg_restarts,
        seed=args.seed,
        sweep_after=args.sweep_after,
    )
    print(harness.figures_line("restarts", figures))
    bad = ("lost", "duplicated", "posts_missed", "posts_duplicated", "worker_restarted")
    return 0 if all(figures[k] == 0 for k in bad) else 1


if __name__ == "__main__":
    sys.exit(main())
