"""Polling at scale: 500 feeds x 20 items through one worker with 2 processes on real Redis.

    python -m bench.polling_scale                 # 500 feeds x 20 items
    python -m bench.polling_scale --feeds 50      # a quick run

The local test site serves ``--feeds`` RSS feeds of ``--items`` distinct articles built from
the shipped seeds (``bench.drills.content``); a real redis-server and one ``newsbrief worker``
(prefork, 2 processes) ingest them into a fresh SQLite database (``--postgres`` for
PostgreSQL). All feeds live on one host (127.0.0.1), so the per-host spacing of requests is
set to 0 here (in production 500 feeds sit on many hosts); at most 2 requests per host are
still in flight at once. Measured, in this order:

1. first complete ingest: one beat tick (``schedule_due_polls``) until every article is
   analysed and the queues are empty;
2. re-poll with nothing changed: a poll of every feed, answered 304 (conditional GET);
3. re-poll with 1 % new items: the new articles fetched, stored and analysed;
4. freshness at the default poll interval, simulated: the wait for the next poll is on
   average half the poll interval plus half the beat tick; to it is added the measured time
   from the poll being sent to the new article's story appearing in ``compose_brief``;
5. peak RSS of the worker's processes over the whole run.

Baselines in the same run: trafilatura's bare ``extract`` on the same pages (per article),
and plain conditional GETs of every feed from one thread (``httpx``) for the re-polls.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from typing import Any

import httpx
import trafilatura
from sqlalchemy import select

from bench import forbid_network, table
from bench.drills import harness
from bench.drills.content import Feed, add_to_feed, make_feeds, varied_article
from bench.drills.harness import (
    Worker,
    add_sources,
    client_settings,
    engine_sessions,
    workdir,
    worker_env,
)
from corpus.brief import compose_brief
from corpus.clock import utcnow
from corpus.db import transaction
from corpus.jobs import POLL_SOURCE, SCHEDULE_DUE_POLLS
from corpus.settings import Settings
from corpus.tables import Article, ArticleStatus, Source
from testing.local_site import MB, LocalSite
from testing.redis_server import RedisServer
from testing.waiting import wait_for
from worker.celery_app import make_celery

TOPIC = "russia-china"


def _counts(sessions: Any) -> Counter[str]:
    with transaction(sessions) as session:
        return Counter(session.execute(select(Article.status)).scalars().all())


def _all_done(sessions: Any, server: RedisServer, expected: int) -> bool:
    counts = _counts(sessions)
    total = sum(counts.values())
    busy = counts.get(ArticleStatus.PENDING, 0) + counts.get(ArticleStatus.STORED, 0)
    return total >= expected and busy == 0 and server.drained()


def _polled_since(sessions: Any, moment: Any) -> int:
    with transaction(sessions) as session:
        rows = session.execute(select(Source.last_polled_at)).scalars().all()
    return sum(1 for r in rows if r is not None and r.replace(tzinfo=None) >= moment)


def bare_extract_ms(site: LocalSite, numbers: list[int]) -> float:
    """Mean milliseconds of trafilatura's bare ``extract`` on the same article pages."""
    pages = [site.render_article(varied_article(n)) for n in numbers]
    trafilatura.extract(pages[0])  # warm up
    started = time.perf_counter()
    for page in pages:
        trafilatura.extract(page)
    return (time.perf_counter() - started) * 1000 / len(pages)


def bare_conditional_gets(site: LocalSite, feeds: list[Feed]) -> tuple[float, int]:
    """Seconds for one thread to GET every feed with its validators; how many 304s."""
    with httpx.Client(trust_env=False) as client:
        validators = {}
        for feed in feeds:
            r = client.get(site.url(feed.path))
            validators[feed.path] = {"If-None-Match": r.headers.get("ETag", "")}
        started = time.perf_counter()
        not_modified = 0
        for feed in feeds:
            r = client.get(site.url(feed.path), headers=validators[feed.path])
            not_modified += r.status_code == 304
        return time.perf_counter() - started, not_modified


def _feed_statuses(site: LocalSite, since: float) -> Counter[int | None]:
    return Counter(
        r.status for r in site.requests if r.started >= since and r.path.endswith(".xml")
    )


def run(feeds: int, items: int, use_postgres: bool, seed: int = 3) -> dict[str, Any]:
    rng = random.Random(seed)
    settings_defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    interval = settings_defaults.poll_interval_seconds
    site = LocalSite(crawl_delay=None)
    with workdir("polling") as tmp, site:
        t = time.perf_counter()
        made = make_feeds(site, feeds, items, name="scale")
        built_s = time.perf_counter() - t
        expected = feeds * items
        backend = "postgresql" if use_postgres else "sqlite"
        with harness.database(backend, tmp, "polling") as db_url, RedisServer(tmp) as server:
            engine, sessions = engine_sessions(db_url)
            ids = add_sources(sessions, [site.url(f.path) for f in made])
            env = worker_env(
                server.url,
                db_url,
                tmp,
                NEWSBRIEF_CELERY_VISIBILITY_TIMEOUT="3600",  # production settings
            )
            app = make_celery(client_settings(server.url, db_url, tmp))
            worker = Worker(env, tmp / "worker.log", "--pool", "prefork", "--concurrency", "2")
            worker.wait_ready()
            try:
                # 1. first complete ingest
                t0 = time.perf_counter()
                app.send_task(SCHEDULE_DUE_POLLS.name)
                wait_for(
                    lambda: _all_done(sessions, server, expected),
                    6 * 3600,
                    "the first complete ingest",
                    every=1,
                )
                first_s = time.perf_counter() - t0
                counts = _counts(sessions)

                # 2. re-poll, nothing changed
                mark = time.monotonic()
                since = utcnow().replace(tzinfo=None)
                t0 = time.perf_counter()
                for source_id in ids:
                    app.send_task(POLL_SOURCE.name, args=(source_id,))
                wait_for(
                    lambda: _polled_since(sessions, since) >= len(ids) and server.drained(),
                    3600,
                    "the unchanged re-poll",
                    every=0.2,
                )
                unchanged_s = time.perf_counter() - t0
                unchanged_status = _feed_statuses(site, mark)
                article_gets = sum(
                    1 for r in site.requests if r.started >= mark and r.path.startswith("/news/")
                )

                # 3. re-poll with 1 % new items, and 4. freshness
                new_count = max(1, expected // 100)
                grown = list(made)
                new_articles = []
                for k in range(new_count):
                    index = rng.randrange(len(grown))
                    grown[index], article = add_to_feed(site, grown[index], 10_000_000 + k)
                    new_articles.append(article)
                new_urls = {site.url(a.path) for a in new_articles}
                mark = time.monotonic()
                since = utcnow().replace(tzinfo=None)
                t0 = time.perf_counter()
                for source_id in ids:
                    app.send_task(POLL_SOURCE.name, args=(source_id,))
                seen_at: dict[str, float] = {}

                def fresh() -> bool:
                    with transaction(sessions) as session:
                        brief = compose_brief(session, TOPIC)
                        stories = {s.story_id for s in brief.stories}
                        rows = session.execute(
                            select(Article.canonical_url, Article.story_id).where(
                                Article.canonical_url.in_(new_urls),
                                Article.status == ArticleStatus.READY,
                            )
                        ).all()
                    now = time.perf_counter() - t0
                    for url, story_id in rows:
                        if story_id in stories:
                            seen_at.setdefault(url, now)
                    return _all_done(sessions, server, expected + new_count) and _polled_since(
                        sessions, since
                    ) >= len(ids)

                wait_for(fresh, 3600, "the re-poll with new items", every=0.5)
                new_s = time.perf_counter() - t0
                new_status = _feed_statuses(site, mark)
            finally:
                worker.stop()
                app.close()
            final = _counts(sessions)
            engine.dispose()
        baseline_gets_s, baseline_304 = bare_conditional_gets(site, made)
        extract_ms = bare_extract_ms(site, list(range(min(200, expected))))
    in_brief = sorted(seen_at.values())
    processing = statistics.median(in_brief) if in_brief else float("nan")
    assert SCHEDULE_DUE_POLLS.beat is not None  # a periodic job
    tick = SCHEDULE_DUE_POLLS.beat.every_seconds
    return {
        "feeds": feeds,
        "items": items,
        "articles": expected,
        "site_built_s": built_s,
        "first_s": first_s,
        "first_counts": dict(counts),
        "per_article_ms": first_s * 1000 / expected,
        "extract_ms": extract_ms,
        "unchanged_s": unchanged_s,
        "unchanged_status": dict(unchanged_status),
        "unchanged_article_gets": article_gets,
        "baseline_gets_s": baseline_gets_s,
        "baseline_304": baseline_304,
        "new_count": new_count,
        "new_s": new_s,
        "new_status": dict(new_status),
        "new_in_brief": len(in_brief),
        "processing_median_s": processing,
        "processing_max_s": in_brief[-1] if in_brief else float("nan"),
        "interval_s": interval,
        "freshness_s": interval / 2 + tick / 2 + processing,
        "final_counts": dict(final),
        "peak_rss_child_mb": worker.rss.peak_child / MB,
        "peak_rss_parent_mb": worker.rss.peak_parent / MB,
        "rss_at_ready_mb": worker.rss_at_ready / MB,
        "database": "postgresql" if use_postgres else "sqlite",
    }


def report(r: dict[str, Any]) -> str:
    new_base = r["baseline_gets_s"] + r["new_count"] * r["extract_ms"] / 1000
    rows = [
        [
            "first complete ingest",
            f"{r['first_s']:.1f} s",
            f"{r['per_article_ms']:.0f} ms/article",
            f"bare trafilatura extract {r['extract_ms']:.1f} ms/page",
            f"{r['per_article_ms'] / r['extract_ms']:.1f}x",
        ],
        [
            "re-poll, nothing changed",
            f"{r['unchanged_s']:.1f} s",
            f"304: {r['unchanged_status'].get(304, 0)}/{r['feeds']}, "
            f"article GETs: {r['unchanged_article_gets']}",
            f"bare conditional GETs {r['baseline_gets_s']:.2f} s",
            f"{r['unchanged_s'] / r['baseline_gets_s']:.1f}x",
        ],
        [
            "re-poll, 1 % new",
            f"{r['new_s']:.1f} s",
            f"{r['new_count']} new; 200: {r['new_status'].get(200, 0)}, "
            f"304: {r['new_status'].get(304, 0)}",
            f"bare GETs + extracts {new_base:.2f} s",
            f"{r['new_s'] / new_base:.1f}x",
        ],
        [
            "freshness (simulated)",
            f"{r['freshness_s']:.0f} s",
            f"interval {r['interval_s']} s / 2 + tick 60 s / 2 + measured "
            f"{r['processing_median_s']:.1f} s (p100 {r['processing_max_s']:.1f} s)",
            f"{r['new_in_brief']}/{r['new_count']} new in /brief",
            "",
        ],
        [
            "peak RSS",
            f"{r['peak_rss_child_mb']:.0f} MB",
            f"busiest pool process; parent {r['peak_rss_parent_mb']:.0f} MB",
            f"pool process at ready {r['rss_at_ready_mb']:.0f} MB",
            f"{r['peak_rss_child_mb'] / max(r['rss_at_ready_mb'], 1):.1f}x",
        ],
    ]
    head = (
        f"{r['feeds']} feeds x {r['items']} items = {r['articles']} articles, "
        f"{r['database']}, one worker with 2 processes; first ingest states "
        f"{r['first_counts']}"
    )
    return head + "\n" + table(["step", "time", "detail", "baseline", "ratio"], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args(argv)
    forbid_network()
    result = run(args.feeds, args.items, args.postgres)
    print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
