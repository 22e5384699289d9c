"""Fill a database with N analysed articles generated from the shipped corpus.

    python -m bench.corpus_gen --articles 100000 --database-url sqlite:////tmp/nb-100k.sqlite3

Each shipped sample is analysed once (summary, themes, figures, topics, as the worker
would store them); the generated articles are copies of those analyses spread over
stories (each its own event) of 1–8 syndicated copies from different outlets, with dates spread
over ``--span-days`` before a fixed reference time, distinct URLs, and the money and
percent figures of one story in three shifted by up to ±20 % so that sources disagree.
About 3 % are left unanalysed and 10 % belong to another topic only, so the brief's
filters have something to skip. Rows go in with bulk Core inserts in large batches.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select

from corpus.brief import refresh_all_event_briefs
from corpus.db import make_engine, make_session_factory, migrate
from corpus.tables import Article, ArticleStatus, ArticleTopic, Event, Story
from corpus.topics import get_topic

SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"
REFERENCE_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TOPIC = "russia-china"
OTHER_TOPIC = "india-china"
OUTLETS = (
    "tass.com globaltimes.cn scmp.com rt.com reuters.com apnews.com bbc.com aljazeera.com "
    "xinhuanet.com chinadaily.com.cn themoscowtimes.com kommersant.ru rbc.ru ria.ru "
    "nikkei.com japantimes.co.jp thediplomat.com foreignpolicy.com ft.com wsj.com "
    "bloomberg.com nytimes.com washingtonpost.com lemonde.fr dw.com spiegel.de "
    "theguardian.com economist.com politico.eu euractiv.com cgtn.com sputniknews.com "
    "eurasianet.org carnegieendowment.org csis.org rferl.org interfax.com vedomosti.ru "
    "caixinglobal.com sixthtone.com strategiccouncil.ir hindustantimes.com"
).split()
_BATCH = 2000


@dataclass(frozen=True)
class Template:
    """One analysed shipped sample."""

    slug: str
    title: str
    text: str
    summary: list[str]
    themes: list[dict[str, Any]]
    figures: list[dict[str, Any]]


def _plain(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(getattr(value, k)) for k in value.__dataclass_fields__}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def analysed_templates(samples: Path = SAMPLES) -> list[Template]:
    """Analyse every shipped sample once with the worker's analysis."""
    from worker.analysis import analyse
    from worker.extract import extract_text_document

    templates = []
    for path in sorted(samples.glob("*.txt")):
        extracted = extract_text_document(path.read_text(encoding="utf-8"), None)
        enrichment = analyse(extracted.title, extracted.text)
        templates.append(
            Template(
                slug=re.sub(r"[^a-z0-9]+", "-", extracted.title.lower()).strip("-")[:50],
                title=extracted.title,
                text=extracted.text,
                summary=list(enrichment.summary),
                themes=_plain(list(enrichment.themes)),
                figures=_plain(list(enrichment.figures)),
            )
        )
    return templates


def _text_for(value: float, unit: str, kind: str) -> str:
    if kind == "percent":
        return f"{value:.1f} per cent"
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            return f"{value / scale:.2f} {word} {unit}"
    return f"{value:,.0f} {unit}"


def _shifted(figures: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for fig in figures:
        fig = dict(fig)
        if fig.get("kind") in ("money", "percent") and rng.random() < 0.5:
            fig["value"] = round(float(fig["value"]) * rng.uniform(0.8, 1.2), 2)
            fig["text"] = _text_for(fig["value"], str(fig.get("unit")), str(fig.get("kind")))
        out.append(fig)
    return out


def generate(
    engine: Engine,
    articles: int,
    *,
    span_days: float = 365.0,
    seed: int = 7,
    with_text: bool = True,
    now: datetime = REFERENCE_NOW,
) -> dict[str, float]:
    """Insert ``articles`` generated articles; return counts and the time it took."""
    rng = random.Random(seed)
    templates = analysed_templates()
    started = time.perf_counter()
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        if get_topic(session, TOPIC) is None:
            raise SystemExit(f"The topic {TOPIC!r} is not defined in corpus/data/topics.yaml.")
        first_story = int(
            session.execute(select(func.coalesce(func.max(Story.id), 0))).scalar_one()
        )
        first_article = int(
            session.execute(select(func.coalesce(func.max(Article.id), 0))).scalar_one()
        )
        first_event = int(
            session.execute(select(func.coalesce(func.max(Event.id), 0))).scalar_one()
        )
    stories: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []  # each story reports one event of its own
    rows: list[dict[str, Any]] = []
    topics: list[dict[str, Any]] = []
    article_id = first_article
    story_id = first_story
    for story_size in _story_sizes(rng, articles):
        story_id += 1
        template = templates[rng.randrange(len(templates))]
        figures = _shifted(template.figures, rng) if rng.random() < 1 / 3 else template.figures
        base = now - timedelta(days=rng.uniform(0, span_days))
        stories.append({"id": story_id, "created_at": base, "updated_at": base})
        event_id = first_event + story_id - first_story
        events.append(
            {
                "id": event_id,
                "first_at": base,
                "last_at": min(now, base + timedelta(hours=36)),
                "article_count": story_size,
                "centroid": {},
                "created_at": base,
                "updated_at": base,
            }
        )
        other_topic = rng.random() < 0.10
        for copy, outlet in enumerate(rng.sample(OUTLETS, story_size)):
            article_id += 1
            published = min(now, base + timedelta(hours=rng.uniform(0, 36)))
            url = f"https://{outlet}/news/{story_id}-{copy}-{template.slug}"
            ready = rng.random() >= 0.03
            rows.append(
                {
                    "id": article_id,
                    "canonical_url": url,
                    "url": url,
                    "status": ArticleStatus.READY if ready else ArticleStatus.STORED,
                    "attempts": 1,
                    "title": template.title,
                    "site": outlet,
                    "language": "en",
                    "published_at": published,
                    "discovered_at": published,
                    "fetched_at": published + timedelta(minutes=rng.uniform(1, 90)),
                    "text": template.text if with_text else None,
                    "story_id": story_id,
                    "event_id": event_id,
                    "analysed_at": published if ready else None,
                    "summary": template.summary if ready else None,
                    "summary_backend": "extractive" if ready else None,
                    "themes": template.themes if ready else None,
                    "figures": figures if ready else None,
                }
            )
            topics.append(
                {"article_id": article_id, "topic": OTHER_TOPIC if other_topic else TOPIC}
            )
    with engine.begin() as conn:
        tables: list[tuple[Any, list[dict[str, Any]]]] = [
            (Story.__table__, stories),
            (Event.__table__, events),
            (Article.__table__, rows),
            (ArticleTopic.__table__, topics),
        ]
        for table, batch in tables:
            for i in range(0, len(batch), _BATCH):
                conn.execute(insert(table), batch[i : i + _BATCH])
    with sessions() as session, session.begin():  # the stories the worker keeps composed
        refresh_all_event_briefs(session)
    return {
        "articles": len(rows),
        "stories": len(stories),
        "seconds": time.perf_counter() - started,
    }


def _story_sizes(rng: random.Random, total: int) -> Iterator[int]:
    left = total
    while left > 0:
        roll = rng.random()
        size = 1 if roll < 0.5 else 2 if roll < 0.75 else 3 if roll < 0.9 else rng.randint(4, 8)
        size = min(size, left)
        left -= size
        yield size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--span-days", type=float, default=365.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-text", action="store_true", help="leave article texts out")
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url)
    migrate(engine)
    result = generate(
        engine,
        args.articles,
        span_days=args.span_days,
        seed=args.seed,
        with_text=not args.no_text,
    )
    engine.dispose()
    print(
        f"{result['articles']:.0f} articles in {result['stories']:.0f} stories "
        f"inserted in {result['seconds']:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
