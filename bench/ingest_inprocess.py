"""One process, no queue: fetch → extract → store → analyse per article, beside bare extract.

    python -m bench.ingest_inprocess [--articles 40] [--profile [--profile-out FILE]]
    python -m bench.ingest_inprocess --as-tasks 20   # one article at a time, as the worker

The local test site serves ``--articles`` distinct generated articles (``bench.drills.content``,
robots.txt without a crawl delay); ``worker.pipeline.ingest_paths`` takes each URL through
the real stages into a fresh SQLite database, as ``newsbrief ingest URL`` does. Baseline in
the same run: trafilatura's bare ``extract`` on the same pages, timed by wall clock and by the
process's CPU time (on a loaded machine waiting for a core swamps wall time). ``--profile``
prints where the time goes (cProfile, cumulative; ``--profile-out`` also saves it), which is
what ``bench.polling_scale``'s per-article cost is made of once Celery and Redis are taken away.
``--as-tasks N`` takes the articles one at a time through ``process_article`` instead, as the
worker's tasks do, and composes the stale events' stories after every N (what one delayed
composition task does for the joins of a moment; 0: at each join, as the tasks did before).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx
import trafilatura

from bench import forbid_network
from bench.drills.content import varied_article
from bench.local_pipeline import local_pipeline
from corpus.articles import discover
from corpus.db import transaction
from testing.local_site import LocalSite
from worker.events import recompose_stale
from worker.pipeline import Stages, ingest_paths, process_article
from worker.pipeline.stages import canonical_url

WARM_UP = 5


def as_tasks(stages: Stages, urls: list[str], every: int) -> str:
    """Process each URL on its own, composing stale stories after every ``every`` (0: joins)."""
    with transaction(stages.sessions) as session:
        ids = [discover(session, canonical_url(stages, url), url, None)[0] for url in urls]
    for done, article_id in enumerate(ids, 1):
        if every <= 0:
            process_article(stages, article_id)
            continue
        process_article(replace(stages, due_stories=set()), article_id)
        if done % every == 0 or done == len(ids):
            recompose_stale(stages.sessions)
    mode = f"stale stories composed every {every}" if every > 0 else "composed at each join"
    return f"{len(ids)} articles one at a time, {mode}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary")
    parser.add_argument("--profile-out", type=Path, help="also write the profile to this file")
    parser.add_argument("--as-tasks", type=int, metavar="N", help="one at a time, as the worker")
    args = parser.parse_args(argv)
    forbid_network()
    with LocalSite(crawl_delay=None) as site, tempfile.TemporaryDirectory() as tmp:
        urls = []
        for number in range(WARM_UP + args.articles):
            article = varied_article(number)
            site.add_article(
                article.title,
                article.paragraphs,
                path=article.path,
                author=article.author,
                published=article.published,
            )
            urls.append(site.url(article.path))
        engine, stages = local_pipeline(Path(tmp))
        try:
            ingest_paths(stages, urls[:WARM_UP])  # load models and tables once
            with httpx.Client(trust_env=False) as client:
                pages = [client.get(url).text for url in urls[WARM_UP:]]
            started, started_cpu = time.perf_counter(), time.process_time()
            for page in pages:
                trafilatura.extract(page)
            bare = (time.perf_counter() - started) / len(pages)
            bare_cpu = (time.process_time() - started_cpu) / len(pages)
            profile = cProfile.Profile()
            started, started_cpu = time.perf_counter(), time.process_time()
            if args.profile:
                profile.enable()
            if args.as_tasks is None:
                summary = ingest_paths(stages, urls[WARM_UP:]).summary()
            else:
                summary = as_tasks(stages, urls[WARM_UP:], args.as_tasks)
            if args.profile:
                profile.disable()
            per_article = (time.perf_counter() - started) / len(pages)
            per_article_cpu = (time.process_time() - started_cpu) / len(pages)
        finally:
            stages.close()
            engine.dispose()
    print(summary)
    print(
        f"wall: ingest {per_article * 1000:.1f} ms/article; bare trafilatura extract "
        f"{bare * 1000:.1f} ms/page; {per_article / bare:.1f}×"
    )
    print(
        f"cpu:  ingest {per_article_cpu * 1000:.1f} ms/article; bare trafilatura extract "
        f"{bare_cpu * 1000:.1f} ms/page; {per_article_cpu / bare_cpu:.1f}×"
    )
    if args.profile:
        if args.profile_out is not None:
            profile.dump_stats(args.profile_out)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
