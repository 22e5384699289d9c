"""Hostile inputs against a real worker: each recorded with a clear error, the rest still served.

    python -m bench.drills.hostile                 # full size: 1 GB gzip bomb, 30 s deadline
    python -m bench.drills.hostile --quick         # small bomb, 5 s deadline (the test suite)

One real redis-server, one real Celery worker (prefork, 2 processes) refusing private
networks as in production (only the local site's 127.0.0.1 is let through, as the fetch
tests' strict fetcher does), and the local site serving, beside a good feed of ordinary
articles: billion-laughs and external-entity feeds, a gzip bomb, a server sending 1 byte per
second, a 50 MB page, a cp1252 page with no charset, binary bytes served as text/html, an
endless redirect loop, a redirect to 10.0.0.1, a feed of 50,000 items and a sitemap index
listing itself. Each hostile URL is a source of its own. Prints a table of what was recorded
for each, then one line: cases, cases recorded, good articles stored, peak RSS of the
busiest worker process, and when the slow download was cut off.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bench import table
from bench.drills.content import make_feeds
from bench.drills.harness import (
    Worker,
    add_sources,
    client_settings,
    engine_sessions,
    figures_line,
    sqlite_database,
    workdir,
    worker_env,
)
from corpus.db import transaction
from corpus.jobs import POLL_SOURCE
from corpus.tables import Article, ArticleStatus, Source
from testing.hostile_xml import billion_laughs, external_entity
from testing.local_site import MB, FeedItem, LocalSite, Paths
from testing.redis_server import RedisServer
from testing.waiting import wait_for
from worker.celery_app import make_celery

LAUGHS = billion_laughs("/news/laughs")
XXE = external_entity("/news/xxe")


@dataclass(frozen=True)
class Case:
    """One hostile input: the source URL path and what a clear record of it must mention."""

    name: str
    path: str
    expect: tuple[str, ...]  # any of these words in the recorded error or summary


CASES = (
    Case("billion laughs", "/hostile/laughs.xml", ("entities",)),
    Case("external entity", "/hostile/xxe.xml", ("entities", "external")),
    Case("gzip bomb", Paths.GZIP_BOMB, ("bytes", "MB", "larger", "limit", "cap")),
    Case("1 byte/s", Paths.SLOW, ("deadline", "longer than", "timed out")),
    Case("50 MB page", Paths.OVERSIZED, ("bytes", "MB", "larger", "limit", "cap")),
    Case("cp1252, no charset", Paths.LEGACY_ENCODING, ("Café",)),
    Case("binary as text/html", Paths.BINARY_AS_HTML, ("binary", "not", "text")),
    Case("redirect loop", Paths.REDIRECT_LOOP, ("redirect",)),
    Case("redirect to 10.0.0.1", Paths.REDIRECT_PRIVATE, ("10.0.0.1",)),
    Case("50,000 items", "/hostile/huge.xml", ("50000 items",)),
    Case("sitemap index loop", "/hostile/sitemap_index.xml", ("loop",)),
)


def serve_hostile(site: LocalSite, huge_items: int) -> None:
    site.add_page("/hostile/laughs.xml", LAUGHS, content_type="application/rss+xml")
    site.add_page("/hostile/xxe.xml", XXE, content_type="application/rss+xml")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    items = [
        FeedItem(f"Item {i}", f"/private/huge-{i}", start + timedelta(seconds=i))
        for i in range(huge_items)
    ]
    site.set_feed("/hostile/huge.xml", items)
    own = site.url("/hostile/sitemap_index.xml")
    site.add_page(
        "/hostile/sitemap_index.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"  <sitemap><loc>{own}</loc></sitemap>\n</sitemapindex>\n",
        content_type="application/xml",
    )


def _record(session: Any, source: Source) -> tuple[str, str, str]:
    """What was recorded for a source: (outcome, every recorded word, the line to show)."""
    articles = list(
        session.execute(select(Article).where(Article.source_id == source.id)).scalars()
    )
    parts = [source.last_error or "", source.last_poll_summary or ""]
    parts += [a.error or "" for a in articles[:3]]
    if len(articles) == 1 and articles[0].status == ArticleStatus.READY:
        parts.append(articles[0].text or "")
    if source.consecutive_failures:
        outcome = "poll failed"
    else:
        counts = Counter(a.status for a in articles)
        outcome = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        outcome = outcome or ("warning" if source.last_error else "nothing found")
    shown = source.last_error or next((a.error for a in articles if a.error), None)
    if shown is None and len(articles) == 1 and articles[0].text:
        shown = articles[0].text
    return outcome, " ".join(p for p in parts if p), (shown or source.last_poll_summary or "")


def _finished(sessions: Any, ids: list[int], good: int) -> bool:
    with transaction(sessions) as session:
        sources = list(session.execute(select(Source).where(Source.id.in_(ids))).scalars())
        if any(s.last_polled_at is None for s in sources):
            return False
        statuses = session.execute(select(Article.status)).scalars().all()
        ready = sum(1 for s in statuses if s == ArticleStatus.READY)
        return ready >= good and all(
            s in (ArticleStatus.READY, ArticleStatus.FAILED, ArticleStatus.DUPLICATE)
            for s in statuses
        )


def run(*, quick: bool) -> dict[str, Any]:
    deadline = 5.0 if quick else 30.0
    bomb = 64 * MB if quick else 1024 * MB
    huge = 50_000
    site = LocalSite(crawl_delay=None, bomb_bytes=bomb, oversized_bytes=50 * MB)
    with workdir("hostile") as tmp, site:
        good_feed = make_feeds(site, 1, 5, name="good")[0]
        serve_hostile(site, huge)
        with sqlite_database(tmp) as db_url, RedisServer(tmp) as server:
            engine, sessions = engine_sessions(db_url)
            good_id, *ids = add_sources(
                sessions, [site.url(good_feed.path)] + [site.url(c.path) for c in CASES]
            )
            env = worker_env(
                server.url,
                db_url,
                tmp,
                NEWSBRIEF_ALLOW_PRIVATE_NETWORKS="false",
                NEWSBRIEF_FETCH_TOTAL_TIMEOUT=str(deadline),
                # The production task time limits (a 50,000-item poll takes seconds).
                NEWSBRIEF_CELERY_VISIBILITY_TIMEOUT="3600",
            )
            app = make_celery(client_settings(server.url, db_url, tmp))
            worker = Worker(
                env,
                tmp / "worker.log",
                "--pool",
                "prefork",
                "--concurrency",
                "2",
                loopback_only=True,
            ).wait_ready()
            started = time.monotonic()
            try:
                for source_id in ids:
                    app.send_task(POLL_SOURCE.name, args=(source_id,))
                app.send_task(POLL_SOURCE.name, args=(good_id,))  # queued behind every hostile one
                wait_for(
                    lambda: _finished(sessions, [good_id, *ids], len(good_feed.articles)),
                    300 + 2 * deadline,
                    "every source to be polled and every article settled",
                    every=1,
                )
                elapsed = time.monotonic() - started
            finally:
                worker.stop()
                app.close()
            rows = []
            recorded = 0
            with transaction(sessions) as session:
                for case, source_id in zip(CASES, ids, strict=True):
                    source = session.get(Source, source_id)
                    assert source is not None
                    outcome, words, shown = _record(session, source)
                    ok = any(w.lower() in words.lower() for w in case.expect)
                    recorded += ok
                    rows.append([case.name, outcome, "yes" if ok else "NO", shown[:90]])
                good_ready = sum(
                    1
                    for a in session.execute(
                        select(Article).where(Article.source_id == good_id)
                    ).scalars()
                    if a.status == ArticleStatus.READY
                )
            engine.dispose()
        slow = [r for r in site.requests_for(Paths.SLOW) if r.finished is not None]
        cut_after = max(((r.finished or r.started) - r.started for r in slow), default=float("nan"))
    print(table(["case", "outcome", "clear", "recorded on the source / article"], rows))
    return {
        "cases": len(CASES),
        "recorded": recorded,
        "good_articles": f"{good_ready}/{len(good_feed.articles)}",
        "rss_at_ready_mb": round(worker.rss_at_ready / MB),
        "peak_rss_mb": round(worker.rss.peak_child / MB),
        "bomb_inflated_mb": bomb // MB,
        "slow_cut_after_s": round(cut_after, 1),
        "deadline_s": deadline,
        "wall_s": round(elapsed),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    figures = run(quick=args.quick)
    print(figures_line("hostile", figures))
    return 0 if figures["recorded"] == figures["cases"] else 1


if __name__ == "__main__":
    sys.exit(main())
