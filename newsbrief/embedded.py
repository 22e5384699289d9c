"""Embedded mode: without a broker, the console runs the worker's tasks itself.

``newsbrief console`` with no ``NEWSBRIEF_REDIS_URL`` has no queue to send a poll to, and
no worker may be running at all. ``EmbeddedTaskSender`` matches ``bot.app.TaskSender`` and
runs each task by name in a background thread through the same pipeline functions the
worker uses, so ``/sources add`` shows what its first poll found instead of waiting for a
worker that is not there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from corpus import jobs
from corpus.settings import Settings

log = logging.getLogger(__name__)

JOIN_TIMEOUT = 120.0  # seconds ``close`` waits for tasks still running


class EmbeddedTaskSender:
    """Run poll, fetch and analyse tasks in this process, each in its own thread.

    The pipeline's stages are built on the first task (building them loads the extractor
    and analysis); other task names are only logged.
    """

    note = (
        "No worker queue is configured (NEWSBRIEF_REDIS_URL is not set), "
        "so this console does the work itself now."
    )

    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker[Session],
        *,
        build: Callable[[Settings, sessionmaker[Session]], Any] | None = None,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self._build = build
        self._stages: Any = None
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def _ready_stages(self) -> Any:
        with self._lock:
            if self._stages is None:
                build = self._build
                if build is None:
                    from worker.wiring import build_stages

                    build = build_stages
                self._stages = build(self.settings, self.sessions)
            return self._stages

    def __call__(self, job: jobs.Job, args: Sequence[Any] = ()) -> None:
        """Start ``job``'s task with ``args`` in a background thread and return at once."""
        thread = threading.Thread(
            target=self._run, args=(job, tuple(args)), name=f"embedded {job.name}", daemon=True
        )
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def _run(self, job: jobs.Job, args: tuple[Any, ...]) -> None:
        from worker.pipeline import analyse_article, poll_source, process_article

        try:
            stages = self._ready_stages()
            if job == jobs.POLL_SOURCE:
                poll = poll_source(stages, int(args[0]))
                log.info("source %s: %s", poll.source_id, poll.summary)
                for article_id in poll.article_ids:
                    process_article(stages, article_id)
            elif job == jobs.FETCH_ARTICLE:
                process_article(stages, int(args[0]))
            elif job == jobs.ANALYSE_ARTICLE:
                analyse_article(stages, int(args[0]))
            else:
                log.info("embedded mode does not run %s%r", job.name, args)
        except Exception:  # a background task must not take the console down
            log.exception("embedded task %s%r failed", job.name, args)

    def close(self) -> None:
        """Wait for the running tasks (bounded), then close the stages' connections."""
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=JOIN_TIMEOUT)
        with self._lock:
            if self._stages is not None:
                self._stages.close()
                self._stages = None
