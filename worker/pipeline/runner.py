"""The in-process runner (no Redis): poll due sources and process what they found, in a loop."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from corpus.articles import unanalysed_ids
from corpus.db import transaction
from corpus.sources import due_source_ids
from worker.pipeline.article import analyse_article, process_article
from worker.pipeline.poll import poll_source
from worker.pipeline.stages import FetchResult, PollResult, Stages

log = logging.getLogger(__name__)


@dataclass
class RunReport:
    """What one in-process round of due polls did."""

    polls: list[PollResult] = field(default_factory=list)
    articles: list[FetchResult] = field(default_factory=list)


def overdue_analyses(stages: Stages, *, now: datetime | None = None) -> list[int]:
    """Ids of stored articles whose analysis should have happened long ago (its task was lost)."""
    with transaction(stages.sessions) as session:
        overdue = timedelta(seconds=stages.settings.worker.analysis_overdue_seconds)
        return unanalysed_ids(session, older_than=overdue, now=now)


def run_due_polls(stages: Stages, *, now: datetime | None = None) -> RunReport:
    """Poll every due source and process what it found, all in this process."""
    report = RunReport()
    with transaction(stages.sessions) as session:
        due = due_source_ids(session, now)
    for source_id in due:
        poll = poll_source(stages, source_id, now=now)
        report.polls.append(poll)
        for article_id in poll.article_ids:
            report.articles.append(process_article(stages, article_id))
    for article_id in overdue_analyses(stages, now=now):
        analyse_article(stages, article_id)
    return report


def run_forever(stages: Stages, stop: threading.Event, *, every: float = 60.0) -> None:
    """Run ``run_due_polls`` every ``every`` seconds until ``stop`` is set."""
    while not stop.is_set():
        try:
            report = run_due_polls(stages)
            for poll in report.polls:
                log.info("source %s: %s", poll.source_id, poll.summary)
        except Exception:  # keep the loop alive; the next round tries again
            log.exception("in-process polling round failed")
        stop.wait(every)
