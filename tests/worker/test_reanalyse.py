"""Analysing stored articles again: what older analysis stored is replaced, stories follow."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from corpus.brief import refresh_stale_event_briefs
from corpus.db import transaction
from corpus.tables import Article, ArticleTopic, EventBrief
from worker.pipeline import ingest_paths
from worker.pipeline.reanalyse import reanalyse
from worker.wiring import build_stages

SAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "samples"


@pytest.fixture
def stages(settings, sessions):
    built = build_stages(settings, sessions)
    report = ingest_paths(built, [str(SAMPLES)])
    assert (len(report.stored), report.problems) == (5, [])
    yield built
    built.close()


def _analyses(stages) -> dict[int, tuple[Any, ...]]:
    with transaction(stages.sessions) as s:
        tags: dict[int, set[str]] = {}
        for article_id, topic in s.execute(select(ArticleTopic.article_id, ArticleTopic.topic)):
            tags.setdefault(article_id, set()).add(topic)
        rows = s.execute(select(Article.id, Article.summary, Article.themes, Article.figures))
        return {row.id: (row.summary, row.themes, row.figures, tags.get(row.id)) for row in rows}


def _stories(stages) -> dict[tuple[str, int], Any]:
    with transaction(stages.sessions) as s:
        rows = s.execute(select(EventBrief.topic, EventBrief.event_id, EventBrief.body))
        return {(row.topic, row.event_id): row.body for row in rows}


def _as_older_code_stored(stages) -> None:
    """Overwrite every analysis as an older analyser might have left it, stories included."""
    with transaction(stages.sessions) as s:
        s.execute(update(Article).values(summary=["An older summary."], figures=[]))
        refresh_stale_event_briefs(s)


def test_older_analyses_are_replaced_and_their_stories_recomposed(stages):
    """After a reanalysis every article and story is as a fresh ingest stores it."""
    fresh, fresh_stories = _analyses(stages), _stories(stages)
    _as_older_code_stored(stages)
    assert _analyses(stages) != fresh and _stories(stages) != fresh_stories
    seen: list[tuple[int, int]] = []
    report = reanalyse(stages, progress=lambda done, total: seen.append((done, total)))
    assert (report.articles, report.changed, report.failed) == (5, 5, ())
    assert seen == [(5, 5)]
    assert _analyses(stages) == fresh
    assert _stories(stages) == fresh_stories
    again = reanalyse(stages)
    assert (again.articles, again.changed) == (5, 0)


def test_the_window_keeps_to_articles_dated_in_it(stages):
    """--days N reads articles published (else fetched) in the last N days only."""
    _as_older_code_stored(stages)
    report = reanalyse(stages, days=30)
    # One shipped sample was published in 2023; the four undated ones count by fetch time.
    assert (report.articles, report.changed) == (4, 4)
    old = [a for a in _analyses(stages).values() if a[0] == ["An older summary."]]
    assert len(old) == 1


def test_an_article_the_analyser_fails_on_keeps_its_analysis(stages):
    """A failing analysis is reported with its reason; what was stored stays."""

    def broken(title: str, text: str):
        raise RecursionError("too deep")

    before = _analyses(stages)
    report = reanalyse(replace(stages, analyse=broken))
    assert (report.articles, report.changed, len(report.failed)) == (5, 0, 5)
    assert all("Analysis failed unexpectedly (RecursionError" in r for _, r in report.failed)
    assert "5 failed (their earlier analysis is kept)" in report.summary()
    assert _analyses(stages) == before


def test_without_an_analyser_nothing_is_pretended(stages):
    """With no analyser configured the call refuses, saying why."""
    with pytest.raises(ValueError, match="No analyser is configured"):
        reanalyse(replace(stages, analyse=None))
