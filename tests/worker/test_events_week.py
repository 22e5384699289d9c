"""A hard same-topic week: many Russia–China events in five days that share background.

``events_gold/russia_china_week.jsonl`` holds 34 articles of 200–270 words dated 9–13 March
2026: 13 events (ten reported by two to four outlets in wire, newspaper, state-media and
analysis styles, three single reports), all inside one clustering window, each article
carrying the background paragraphs real copy repeats ("no limits" partnership, record 2024
trade, sanctions). It was written, labels included, after the clustering rules were chosen
and before any run, so it is a check, not a tuning set.

First run (default policy, threshold 0.18): 15 events found; pairwise P / R / F1 0.806 /
0.735 / 0.769, B-cubed 0.912 / 0.868 / 0.889. The false pairs: the EU's sanctions proposal
with the US Treasury's sanctions on two Chinese banks (the proposal came first and the US
reports joined it), and the first Putin–Xi summit report with the SCO foreign ministers'
meeting that prepared it. The missed pairs: the four summit reports end in four events, and
Beijing's reply to the bank sanctions starts its own.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from bench.events_eval import scores
from corpus.db import make_engine, make_session_factory, transaction
from corpus.events import live_event_id
from corpus.tables import Article
from testing.stored_articles import add_report
from worker.events import ClusterPolicy, cluster_article

WEEK = Path(__file__).parent / "events_gold" / "russia_china_week.jsonl"
GOLD = WEEK.with_suffix(".gold.json")


def _records() -> list[dict[str, str]]:
    return [json.loads(line) for line in WEEK.read_text("utf-8").splitlines() if line]


def test_the_bench_gold_file_holds_the_streams_own_labels() -> None:
    """``russia_china_week.gold.json`` (what ``bench.events_eval`` reads) matches the stream."""
    records = _records()
    assert json.loads(GOLD.read_text("utf-8")) == {r["id"]: r["event"] for r in records}
    assert [r["date"] for r in records] == sorted(r["date"] for r in records)


def test_a_same_topic_week_clusters_above_its_first_run_floor(sqlite_url: str) -> None:
    """Clustered in stream order on SQLite, the week keeps its first-run scores (see above)."""
    engine = make_engine(sqlite_url)
    sessions = make_session_factory(engine)
    labels: dict[int, str] = {}
    for record in _records():
        article_id = add_report(
            sessions,
            record["title"],
            record["text"],
            site=record["site"],
            at=datetime.fromisoformat(record["date"]),
        )
        labels[article_id] = record["event"]
    for article_id in sorted(labels):
        cluster_article(sessions, article_id, ClusterPolicy())
    with transaction(sessions) as session:
        rows = session.execute(select(Article.id, Article.event_id)).all()
        found = {str(a): live_event_id(session, e) if e else -a for a, e in rows}
    engine.dispose()
    result = scores({str(a): label for a, label in labels.items()}, found)
    assert result["pair_p"] >= 0.78
    assert result["pair_f1"] >= 0.74
    assert result["b3_f1"] >= 0.86
