"""What a story's own key figures add to composing it, on a generated corpus (SQLite).

    python -m bench.story_figures                 # 10k articles, 7 rounds
    python -m bench.story_figures --size 2000 --rounds 5

A fresh database is filled by ``bench.corpus_gen``; every live event's story is composed
as its ``event_briefs`` row is (``corpus.brief._story_item``), and, on the same inputs in
the same run, its figures alone (``corpus.brief._figures``). The baseline is the story
without its figures (the first time less the second); the ratio is what a row's composition
costs now against it. ``/brief`` reads the figures from the rows and does not compose them.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from bench import forbid_network, table
from bench.corpus_gen import generate
from corpus import brief, queries
from corpus.brief_figures import pair_words
from corpus.db import make_engine, make_session_factory, migrate
from corpus.tables import Event


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    forbid_network()
    engine = make_engine(f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}")
    migrate(engine)
    generate(engine, args.size)
    with make_session_factory(engine)() as session:
        live = select(Event.id).where(Event.merged_into.is_(None))
        members = queries.event_members(session, list(session.execute(live).scalars()))
        stories = {
            k: brief._story(brief.StoryKey.event(k[1]), m, brief._BUILD_NOW)
            for k, m in members.items()
        }
        loaded = queries.load_articles(
            session, [a for story in stories.values() for a in story.load_ids()]
        )
    engine.dispose()
    work = [
        (pair_words(topic), story, [loaded[a] for a in story.load_ids() if a in loaded])
        for (topic, _event), story in stories.items()
    ]
    work = [(pair, story, rows) for pair, story, rows in work if rows]
    whole: list[float] = []
    alone: list[float] = []
    for _ in range(args.rounds):
        story_s = figures_s = 0.0
        for pair, story, rows in work:
            numbers = brief._Numbering()
            started = time.perf_counter()
            item, cited = brief._story_item(story.key.shown, rows, story.outlets, numbers, pair)
            story_s += time.perf_counter() - started
            started = time.perf_counter()
            brief._figures(cited, item.bullets, numbers, pair)
            figures_s += time.perf_counter() - started
        whole.append(story_s * 1000 / len(work))
        alone.append(figures_s * 1000 / len(work))
    story_ms, figures_ms = sorted(whole)[len(whole) // 2], sorted(alone)[len(alone) // 2]
    base_ms = story_ms - figures_ms
    headers = ["stories", "story ms", "of it figures ms", "without figures ms", "ratio"]
    print(table(headers, [[len(work), story_ms, figures_ms, base_ms, story_ms / base_ms]]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
