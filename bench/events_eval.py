"""Event clustering against labelled sets: pairwise and B-cubed precision, recall and F1.

    python -m bench.events_eval DATA.jsonl GOLD.json [--pred PRED.json] [--threshold 0.18]
        [--half A|B]

DATA.jsonl has one article per line (``id``, ``title``, ``text``, optional ``date``,
``site``); GOLD.json maps id to event label. Each article is stored as a ready article in a
fresh SQLite database (``--database-url`` for another) and clustered by the worker's own
``cluster_article``, in file order (undated articles get one second each after the other,
so the order is the stream order). ``--pred`` writes ``{id: event id}`` for other scorers.
``--half`` keeps only the gold events whose label hashes into that half (SHA-1 of the label,
even: A, odd: B), in stream order: tune on one half, report on the other.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from dateutil import parser as dateparser
from sqlalchemy import select

from corpus.db import make_engine, make_session_factory, migrate, transaction
from corpus.events import live_event_id
from corpus.settings import Settings
from corpus.tables import Article, ArticleStatus
from worker.events import ClusterPolicy, cluster_article

_START = datetime(2000, 1, 1, tzinfo=UTC)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def scores(gold: Mapping[str, Hashable], pred: Mapping[str, Hashable]) -> dict[str, float]:
    """B-cubed and pairwise precision, recall and F1 over the gold ids (missing: singletons)."""
    ids = list(gold)
    plabel = {i: ("p", pred[i]) if i in pred else ("missing", i) for i in ids}
    cell = Counter((plabel[i], gold[i]) for i in ids)
    psize = Counter(plabel.values())
    gsize = Counter(gold[i] for i in ids)
    n = len(ids)
    b3p = sum(cell[(plabel[i], gold[i])] / psize[plabel[i]] for i in ids) / n
    b3r = sum(cell[(plabel[i], gold[i])] / gsize[gold[i]] for i in ids) / n
    tp = sum(_pairs(v) for v in cell.values())
    predicted = sum(_pairs(v) for v in psize.values())
    actual = sum(_pairs(v) for v in gsize.values())
    pp = tp / predicted if predicted else 1.0
    pr = tp / actual if actual else 1.0
    return {
        "events": float(len(psize)),
        "gold_events": float(len(gsize)),
        "b3_p": b3p,
        "b3_r": b3r,
        "b3_f1": _f1(b3p, b3r),
        "pair_p": pp,
        "pair_r": pr,
        "pair_f1": _f1(pp, pr),
    }


def in_half(label: str, half: str) -> bool:
    """Whether a gold event label falls into half ``A`` or ``B`` (by its SHA-1)."""
    return int(hashlib.sha1(label.encode("utf-8")).hexdigest(), 16) % 2 == "AB".index(half)


def _date(record: Mapping[str, Any], index: int) -> datetime:
    raw = record.get("date")
    if raw:
        parsed = dateparser.parse(str(raw))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return _START + timedelta(seconds=index)


def cluster_records(
    records: list[dict[str, Any]], policy: ClusterPolicy, database_url: str
) -> tuple[dict[str, int], float]:
    """Store and cluster the records in order; return ``({id: event}, seconds per article)``."""
    engine = make_engine(database_url)
    migrate(engine)
    sessions = make_session_factory(engine)
    ids: dict[int, str] = {}
    with transaction(sessions) as session:
        for index, record in enumerate(records):
            article = Article(
                canonical_url=f"https://eval.invalid/{index}",
                url=record.get("url") or f"https://eval.invalid/{index}",
                status=ArticleStatus.READY,
                title=record.get("title") or "",
                text=record.get("text") or record.get("title") or "",
                site=record.get("site"),
                published_at=_date(record, index),
                fetched_at=_date(record, index),
            )
            session.add(article)
            session.flush()
            ids[article.id] = str(record["id"])
    started = time.perf_counter()
    for article_id in sorted(ids):
        cluster_article(sessions, article_id, policy)
    elapsed = time.perf_counter() - started
    out: dict[str, int] = {}
    with transaction(sessions) as session:
        rows = session.execute(select(Article.id, Article.event_id)).all()
        for article_id, event_id in rows:
            live = live_event_id(session, event_id) if event_id is not None else None
            out[ids[article_id]] = live if live is not None else -article_id
    engine.dispose()
    return out, elapsed / max(1, len(ids))


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print the scores."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--pred", type=Path)
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--headline-threshold", type=float)
    parser.add_argument("--merge-threshold", type=float)
    parser.add_argument("--window-days", type=float)
    parser.add_argument("--database-url")
    parser.add_argument("--half", choices=("A", "B"))
    args = parser.parse_args(argv)
    policy = ClusterPolicy.from_settings(Settings())
    changes: dict[str, Any] = {}
    if args.threshold is not None:
        changes["threshold"] = args.threshold
    if args.headline_threshold is not None:
        changes["headline_threshold"] = args.headline_threshold
    if args.merge_threshold is not None:
        changes["merge_threshold"] = args.merge_threshold
    if args.window_days is not None:
        changes["window"] = timedelta(days=args.window_days)
    policy = replace(policy, **changes)
    records = [json.loads(line) for line in args.data.read_text("utf-8").splitlines() if line]
    gold = json.loads(args.gold.read_text("utf-8"))
    if args.half:
        gold = {i: label for i, label in gold.items() if in_half(str(label), args.half)}
        records = [r for r in records if str(r["id"]) in gold]
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'events.sqlite3'}"
        pred, per_article = cluster_records(records, policy, url)
    if args.pred:
        args.pred.write_text(json.dumps(pred, indent=0), "utf-8")
    result = scores(gold, pred)
    print(
        f"{args.data.name}: {len(records)} articles, {int(result['gold_events'])} gold events, "
        f"{int(result['events'])} found; {per_article * 1000:.1f} ms/article; "
        f"threshold={policy.threshold} headline={policy.headline_threshold} "
        f"merge={policy.merge_threshold} window={policy.window.days}d"
    )
    print(
        "pairwise P/R/F1 {pair_p:.3f} {pair_r:.3f} {pair_f1:.3f}   "
        "B-cubed P/R/F1 {b3_p:.3f} {b3_r:.3f} {b3_f1:.3f}".format(**result)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
