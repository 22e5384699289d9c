"""Event clustering cost per article with 10k and 100k articles already stored and clustered.

    python -m bench.event_clustering_scale [--sizes 10000 100000] [--rounds 5]

For each size a fresh SQLite database (``--database-url`` for another) is filled in bulk with
that many ready articles in events of three, dated over the year before the reference time,
each event posting 10 terms drawn from a vocabulary of real event terms and rarer filler
terms, with matching term counts. Then the 14 articles of our own Russia–China stream
(``tests/worker/events_gold``) are stored ``--rounds`` times, dated at the reference time,
and each is clustered with the worker's own ``cluster_article``. The baseline, in the same
run, is building the articles' term vectors alone (what any clustering must at least pay).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bench import table
from corpus.db import make_engine, make_session_factory, migrate, transaction
from corpus.tables import Article, ArticleStatus, Event, EventTerm, TermCount
from worker.analysis.event_terms import vectorise
from worker.events import ClusterPolicy, cluster_article

STREAM = Path(__file__).resolve().parents[1] / "tests" / "worker" / "events_gold"
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
_BATCH = 5000


def _stream() -> list[dict[str, str]]:
    path = STREAM / "russia_china_stream.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]


def _fill(url: str, size: int, vocabulary: list[str], seed: int = 7) -> None:
    engine = make_engine(url)
    migrate(engine)
    rng = random.Random(seed)
    events = max(1, size // 3)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        rows = []
        for i in range(events):
            at = NOW - timedelta(days=rng.uniform(0, 365))
            rows.append(
                {"id": i + 1, "first_at": at, "last_at": at, "article_count": 3, "centroid": {}}
            )
        for i in range(0, len(rows), _BATCH):
            conn.execute(insert(Event), rows[i : i + _BATCH])
        terms = []
        for row in rows:
            for term in set(rng.choices(vocabulary, k=10)):
                terms.append({"term": term, "event_id": row["id"], "last_at": row["last_at"]})
                counts[term] = counts.get(term, 0) + 3
        for i in range(0, len(terms), _BATCH):
            conn.execute(insert(EventTerm), terms[i : i + _BATCH])
        articles = [
            {
                "canonical_url": f"https://fill.example/{i}",
                "url": f"https://fill.example/{i}",
                "status": ArticleStatus.READY,
                "title": "filler",
                "text": "filler",
                "published_at": rows[i % events]["last_at"],
                "fetched_at": rows[i % events]["last_at"],
                "event_id": rows[i % events]["id"],
                "attempts": 0,
            }
            for i in range(size)
        ]
        for i in range(0, len(articles), _BATCH):
            conn.execute(insert(Article), articles[i : i + _BATCH])
        counts[""] = size
        conn.execute(insert(TermCount), [{"term": t, "documents": n} for t, n in counts.items()])
    engine.dispose()


def _measure(url: str, rounds: int) -> tuple[float, float]:
    """Return (ms per clustered article, ms per term vector) for the stream, ``rounds`` times."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    ids = []
    records = _stream() * rounds
    with transaction(sessions) as session:
        for n, record in enumerate(records):
            article = Article(
                canonical_url=f"https://stream.example/{n}",
                url=f"https://stream.example/{n}",
                status=ArticleStatus.READY,
                title=record["title"],
                text=record["text"],
                site=record["site"],
                published_at=NOW + timedelta(minutes=n),
                fetched_at=NOW + timedelta(minutes=n),
            )
            session.add(article)
            session.flush()
            ids.append(article.id)
    policy = ClusterPolicy()
    started = time.perf_counter()
    for article_id in ids:
        cluster_article(sessions, article_id, policy)
    clustering = (time.perf_counter() - started) / len(ids) * 1000
    started = time.perf_counter()
    for record in records:
        vectorise(record["title"], record["text"])
    vectors = (time.perf_counter() - started) / len(records) * 1000
    engine.dispose()
    return clustering, vectors


def main(argv: list[str] | None = None) -> int:
    """Fill, measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    stream = _stream()
    real = sorted({t for r in stream for t in vectorise(r["title"], r["text"])})
    vocabulary = real + [f"filler{i}" for i in range(20_000)]
    rows = []
    first: float | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            url = f"sqlite:///{Path(tmp) / f'events-{size}.sqlite3'}"
            _fill(url, size, vocabulary)
            clustering, vectors = _measure(url, args.rounds)
            first = first or clustering
            rows.append(
                [
                    f"{size:,}",
                    f"{clustering:.1f}",
                    f"{vectors:.2f}",
                    f"{clustering / vectors:.1f}×",
                    f"{clustering / first:.2f}×",
                ]
            )
    header = ["stored articles", "ms / article", "term vector ms", "× vector", "× first size"]
    print(table(header, rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
