"""Analyse stored articles again with the current rules, so better analysis reaches old news.

Summaries, themes, key figures and topics are computed when an article is stored; when the
rules improve (a figure's period read better, a theme's terms widened), the articles stored
before keep what older code made of them. :func:`reanalyse` runs the analyser again on the
stored text of every ready article of a window, stores what differs and recomposes the stories
whose articles changed. Events stay as they are (they are built from the text, not from the
analysis); an article the analyser now fails on keeps its earlier analysis and is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from corpus.articles import get_article, ready_article_ids, replace_enrichment
from corpus.brief import refresh_stale_event_briefs
from corpus.clock import utcnow
from corpus.db import transaction
from worker.errors import PipelineError
from worker.pipeline.stages import Stages, guarded

REFRESH_EVERY = 200  # articles between recomposing the stories they changed
Progress = Callable[[int, int], None]  # (articles done, articles in all)


@dataclass(frozen=True)
class ReanalysisReport:
    """What a reanalysis did: articles read, analyses that changed, and failures with reasons."""

    articles: int
    changed: int
    failed: tuple[tuple[int, str], ...]
    since: datetime | None

    def summary(self) -> str:
        """One line for a person: counts, and how many kept their earlier analysis."""
        line = f"{_count(self.articles, 'article')} analysed again, {self.changed} changed"
        if self.failed:
            line += f", {len(self.failed)} failed (their earlier analysis is kept)"
        return line


def _count(n: int, noun: str) -> str:
    return f"1 {noun}" if n == 1 else f"{n} {noun}s"


def reanalyse(
    stages: Stages,
    *,
    days: int | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> ReanalysisReport:
    """Analyse again the ready articles dated in the last ``days`` (all when None).

    Raises ``ValueError`` when no analyser is configured (nothing could change).
    """
    analyse = stages.analyse
    if analyse is None:
        raise ValueError("No analyser is configured, so there is nothing to analyse again.")
    since = (now or utcnow()) - timedelta(days=days) if days is not None else None
    with transaction(stages.sessions) as session:
        ids = ready_article_ids(session, since)
    changed = 0
    failed: list[tuple[int, str]] = []
    for done, article_id in enumerate(ids, 1):
        with transaction(stages.sessions) as session:
            ref = get_article(session, article_id)
        if ref is not None:
            step = partial(analyse, ref.title or "", ref.text or "")
            try:
                enrichment = guarded(stages, step, "Analysis")
            except PipelineError as exc:
                failed.append((article_id, exc.reason))
            else:
                with transaction(stages.sessions) as session:
                    changed += replace_enrichment(session, article_id, enrichment)
        if done % REFRESH_EVERY == 0 or done == len(ids):
            with transaction(stages.sessions) as session:
                refresh_stale_event_briefs(session)
            if progress is not None:
                progress(done, len(ids))
    return ReanalysisReport(articles=len(ids), changed=changed, failed=tuple(failed), since=since)
