"""Deliver every task three times: the database ends up exactly as with single delivery.

    python -m bench.drills.triple_delivery --feeds 10 --items 5

Two runs over the same local site (feeds of distinct articles, then a syndicated copy of
one of them that must be stored as its duplicate), each on a fresh database with a real
redis-server and a real Celery worker (prefork, 2 processes). The first sends every task
once. The second sends each poll three times and runs a worker that publishes every task
it sends (fetch after a poll, analyse after a fetch) three times, so copies of one task
run concurrently; after it settled, every fetch and analyse task is sent three more times.
The canonical dumps of all tables (ids replaced by natural keys, clocks and poll
bookkeeping left out) must match. Runs on SQLite, and on PostgreSQL when it answers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bench.drills import harness
from bench.drills.content import Feed, feed_items, make_feeds, publish
from bench.drills.harness import (
    Worker,
    add_sources,
    article_rows,
    canonical_dump,
    client_settings,
    dump_difference,
    engine_sessions,
    settled,
    workdir,
    worker_env,
)
from corpus.jobs import ANALYSE_ARTICLE, FETCH_ARTICLE, POLL_SOURCE
from testing.local_site import LocalSite, SiteArticle
from testing.redis_server import RedisServer
from testing.waiting import wait_for
from worker.celery_app import make_celery

# What a poll records about itself: which copy of a poll ran first decides these.
POLL_BOOKKEEPING = ("last_poll_summary", "last_error", "consecutive_failures")


def syndicated_copy(site: LocalSite, feeds: list[Feed]) -> Feed:
    """Publish a copy of the first article at another URL, listed in the last feed."""
    original = feeds[0].articles[0]
    copy = SiteArticle(
        f"{original.path}-syndicated",
        original.title,
        original.paragraphs,
        original.author,
        original.published,
        original.summary,
    )
    publish(site, copy)
    grown = Feed(feeds[-1].path, (*feeds[-1].articles, copy))
    site.set_feed(grown.path, feed_items(site, grown.articles))
    return grown


def _without_bookkeeping(dump: dict[str, list[Any]]) -> dict[str, list[Any]]:
    out = {}
    for table, rows in dump.items():
        out[table] = sorted(
            tuple(cell for cell in row if cell[0] not in POLL_BOOKKEEPING) for row in rows
        )
    return out


def one_run(
    tmp: Path, site: LocalSite, feeds: list[Feed], database_url: str, *, copies: int
) -> dict[str, list[Any]]:
    """Ingest every feed, each task sent ``copies`` times; return the canonical dump."""
    expected = len({a.path for f in feeds for a in f.articles})
    with RedisServer(tmp) as server:
        engine, sessions = engine_sessions(database_url)
        ids = add_sources(sessions, [site.url(f.path) for f in feeds])
        env = worker_env(server.url, database_url, tmp)
        app = make_celery(client_settings(server.url, database_url, tmp))
        worker = Worker(
            env,
            tmp / f"worker-{copies}.log",
            "--pool",
            "prefork",
            "--concurrency",
            "2",
            triple=copies > 1,
        ).wait_ready()
        try:
            for source_id in ids:
                for _ in range(copies):
                    app.send_task(POLL_SOURCE.name, args=(source_id,))

            def done() -> object:
                return settled(sessions, expected) and server.drained()

            wait_for(done, 60 + 10 * expected, "every article to settle", every=0.5)
            # Then a syndicated copy of a stored article appears: stored as its duplicate.
            syndicated_copy(site, feeds)
            expected += 1
            for _ in range(copies):
                app.send_task(POLL_SOURCE.name, args=(ids[-1],))
            wait_for(done, 60, "the syndicated copy to settle", every=0.5)
            site.set_feed(feeds[-1].path, feed_items(site, feeds[-1].articles))  # as it was
            if copies > 1:  # and every task once more, three times, after the fact
                for row in article_rows(sessions):
                    for _ in range(copies):
                        app.send_task(FETCH_ARTICLE.name, args=(row.id,))
                        app.send_task(ANALYSE_ARTICLE.name, args=(row.id,))
                wait_for(server.drained, 60 + 5 * expected, "the repeated tasks to finish")
        finally:
            worker.stop()
            app.close()
        dump = canonical_dump(engine)
        engine.dispose()
    return _without_bookkeeping(dump)


def run(backend: str, feeds: int, items: int) -> dict[str, Any]:
    """Run both deliveries on ``backend``; return the figures and the differences."""
    with workdir("triple") as tmp, LocalSite(crawl_delay=None) as site:
        made = make_feeds(site, feeds, items, name="triple")
        with harness.database(backend, tmp, "once") as url:
            once = one_run(tmp, site, made, url, copies=1)
        with harness.database(backend, tmp, "thrice") as url:
            thrice = one_run(tmp, site, made, url, copies=3)
    differences = dump_difference(once, thrice)
    return {
        "backend": backend,
        "tasks_x": 3,
        "articles": len(once.get("articles", [])),
        "rows_compared": sum(len(v) for v in once.values()),
        "tables_differing": len(differences),
        "differences": differences,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=10)
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args(argv)
    status = 0
    for backend in harness.backends(args.backend):
        figures = run(backend, args.feeds, args.items)
        for difference in figures["differences"]:
            print(difference, file=sys.stderr)
        shown = {k: v for k, v in figures.items() if k != "differences"}
        print(harness.figures_line("triple_delivery", shown))
        status |= figures["tables_differing"] != 0
    return status


if __name__ == "__main__":
    sys.exit(main())
