"""Senders of worker tasks by name: through the Celery broker, or, without one, to the next poll.

Both match ``bot.app.TaskSender``. The bot never imports the worker; a task is a job record
from ``corpus.jobs`` (its name and queue) and plain arguments. ``note`` says, in words for the
user, what happens next.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from corpus.jobs import Job

log = logging.getLogger(__name__)

# Fail fast when the broker is down: a user is waiting on the reply.
_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.0, "interval_step": 0.5, "interval_max": 1.0}


class CeleryTaskSender:
    """Send tasks by name through a Celery broker (Redis); the Celery app is built on first use."""

    note = "The worker has it queued."

    def __init__(self, broker_url: str) -> None:
        self.broker_url = broker_url
        self._app: Any = None
        self._lock = threading.Lock()

    def _celery(self) -> Any:
        with self._lock:
            if self._app is None:
                import celery  # only the sender needs Celery; the console without Redis does not

                self._app = celery.Celery("newsbrief-bot", broker=self.broker_url)
                self._app.conf.broker_connection_retry_on_startup = True
        return self._app

    def __call__(self, job: Job, args: Sequence[Any] = ()) -> None:
        """Publish ``job``'s task with ``args`` on its queue (blocks: run it off the event loop)."""
        self._celery().send_task(
            job.name, args=list(args), queue=job.queue, retry=True, retry_policy=_RETRY_POLICY
        )

    def close(self) -> None:
        """Release the broker connections."""
        with self._lock:
            if self._app is not None:
                self._app.close()
                self._app = None


@dataclass
class NextPollTaskSender:
    """Without a broker nothing is queued: the worker finds new work in the database itself.

    A new source is due at once (it was never polled), so the worker's next pass polls it.
    The requests are kept, so a console or a test can show what would have been queued.
    """

    note: str = "The worker will pick this up at its next poll."
    requested: list[tuple[Job, tuple[Any, ...]]] = field(default_factory=list)

    def __call__(self, job: Job, args: Sequence[Any] = ()) -> None:
        """Record the request; the worker's database poll does the work."""
        log.info("no broker: %s%r will run at the worker's next poll", job.name, tuple(args))
        self.requested.append((job, tuple(args)))


def make_task_sender(redis_url: str | None) -> CeleryTaskSender | NextPollTaskSender:
    """Return the Celery sender when a broker URL is set, else the next-poll sender."""
    if redis_url:
        return CeleryTaskSender(redis_url)
    return NextPollTaskSender()


def note_of(sender: object) -> str:
    """Return what a sender's ``note`` says happens next (a generic sentence if it has none)."""
    note = getattr(sender, "note", None)
    return note if isinstance(note, str) else "The worker will pick this up shortly."
