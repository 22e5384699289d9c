"""Celery tasks: transport and retry policy only, over the stage functions in ``pipeline``.

Tasks carry ids, never objects. Transient failures are retried with exponential backoff and
full jitter (at least the server's ``Retry-After``); permanent ones are recorded by the stage
and never retried. Every stage is idempotent, so a task delivered twice changes nothing.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from celery import Celery, Task
from celery.exceptions import Reject, SoftTimeLimitExceeded
from sqlalchemy.exc import OperationalError

from corpus import jobs
from corpus.db import make_engine, make_session_factory, transaction
from corpus.jobs import Job
from corpus.settings import Settings
from corpus.sources import due_source_ids
from worker import pipeline
from worker.errors import TransientError
from worker.events import recompose_stale
from worker.limits import (
    ANALYSE_QUEUED_SECONDS,
    BACKOFF_BASE_SECONDS,
    MAX_COUNTDOWN_SECONDS,
    MAX_RETRIES,
    POLL_QUEUED_SECONDS,
    SCHEDULE_LOCK_SECONDS,
    STORIES_DELAY_SECONDS,
    STORIES_QUEUED_SECONDS,
)
from worker.per_process import PerProcess
from worker.pipeline import Stages

log = logging.getLogger(__name__)

T = TypeVar("T")


def job_task(app: Celery, job: Job) -> Callable[[Callable[..., Any]], Task]:
    """Return the task decorator for ``job``: its name, queue, delivery policy, retry cap.

    Tasks are bound (they see their own retries) and not shared: a shared task would be
    copied into every later Celery app in the process.
    """
    decorate: Callable[[Callable[..., Any]], Task] = app.task(
        name=job.name,
        queue=job.queue,
        bind=True,
        shared=False,
        acks_late=job.delivery.acks_late,
        reject_on_worker_lost=job.delivery.reject_on_worker_lost,
        ignore_result=job.delivery.ignore_result,
        max_retries=MAX_RETRIES if job.retried else 0,
    )
    return decorate


def backoff_seconds(
    retries: int, retry_after: float | None = None, cap: float = MAX_COUNTDOWN_SECONDS
) -> float:
    """Exponential backoff with jitter, at least ``retry_after``, at most ``cap`` seconds."""
    window = min(cap, BACKOFF_BASE_SECONDS * 2**retries)
    delay = random.uniform(window / 2, window)  # noqa: S311 - jitter, not cryptography
    if retry_after:
        delay = max(delay, retry_after)
    return min(delay, cap)


def _build_stages(settings: Settings) -> Stages:
    from worker.wiring import build_stages, redis_limiter

    engine = make_engine(settings.effective_database_url)
    built = build_stages(settings, make_session_factory(engine), limiter=redis_limiter(settings))
    # The soft time limit is a transient failure: retried, never recorded as final.
    return replace(built, passthrough=(SoftTimeLimitExceeded,))


def _redis_client(settings: Settings) -> Any:
    """Return a Redis client for locks."""
    import redis

    return redis.Redis.from_url(settings.redis_url or "")


def _retrying(
    task: Task, stage: Callable[[], T], give_up: Callable[[str], None] | None = None
) -> T | None:
    """Run ``stage``; retry transient failures, or call ``give_up`` once retries run out."""
    try:
        return stage()
    except (TransientError, OperationalError, SoftTimeLimitExceeded) as exc:
        reason = getattr(exc, "reason", None) or f"{exc.__class__.__name__}: {exc}"
        retries = task.request.retries
        if retries >= task.max_retries:
            log.warning("%s gave up after %d attempts: %s", task.name, retries + 1, reason)
            if give_up is not None:
                give_up(f"Gave up after {retries + 1} attempts; last error: {reason}")
            return None
        cap = float(task.app.conf.get("newsbrief_max_countdown", MAX_COUNTDOWN_SECONDS))
        countdown = backoff_seconds(retries, getattr(exc, "retry_after", None), cap)
        try:
            raise task.retry(exc=exc, countdown=countdown) from exc
        except Reject as rejected:
            # Celery drops the message when the retry cannot be sent; put it back instead.
            log.warning("%s: could not queue its retry (%s); requeued", task.name, rejected.reason)
            raise Reject(rejected.reason, requeue=True) from exc


def send_follow_up(task: Task, send: Callable[[], object]) -> None:
    """Queue the next stage's task, or hand the current message back to the broker.

    The current stage has already committed, so the message is safe to run again: its
    redelivery finds the work done and queues the follow-up once more. Without this, a publish
    that fails while Redis restarts would fail the task, Celery would acknowledge it, and the
    next stage would never run. (kombu's Redis transport can raise ``AttributeError`` from a
    closed channel there, which its own publish retry does not catch, hence any exception.)
    """
    try:
        send()
    except Exception as exc:
        log.warning("%s: could not queue the next stage (%r); requeued", task.name, exc)
        raise Reject(exc, requeue=True) from exc


def register_tasks(app: Celery, settings: Settings) -> None:
    """Register the pipeline's jobs (``corpus.jobs``) on ``app``."""
    stages = PerProcess(lambda: _build_stages(settings))
    client = PerProcess(lambda: _redis_client(settings))

    @job_task(app, jobs.POLL_SOURCE)
    def poll_source(self: Task, source_id: int) -> None:
        client().delete(_queued_key(source_id))
        # A redelivered poll may have stopped between committing and queueing its fetches.
        redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
        result = _retrying(
            self, lambda: pipeline.poll_source(stages(), source_id, all_pending=redelivered)
        )
        if result is None:
            return
        log.info("source %s: %s", source_id, result.summary)
        ids = result.article_ids

        def queue_fetches() -> None:
            for article_id in ids:
                fetch_article.apply_async((article_id,), queue=jobs.FETCH_ARTICLE.queue)

        send_follow_up(self, queue_fetches)

    @job_task(app, jobs.FETCH_ARTICLE)
    def fetch_article(self: Task, article_id: int) -> None:
        def give_up(reason: str) -> None:
            pipeline.fail_article(stages(), article_id, reason)

        result = _retrying(self, lambda: pipeline.fetch_and_store(stages(), article_id), give_up)
        if result is not None and result.needs_analysis:
            send_follow_up(
                self,
                lambda: analyse_article.apply_async(
                    (article_id,), queue=jobs.ANALYSE_ARTICLE.queue
                ),
            )

    @job_task(app, jobs.ANALYSE_ARTICLE)
    def analyse_article(self: Task, article_id: int) -> None:
        # The stories of the events it joins are composed a moment later, once for all the
        # joins meanwhile; till then the stale marks have briefs compose them from articles.
        deferred: set[int] = set()
        try:
            _retrying(
                self,
                lambda: pipeline.analyse_article(
                    replace(stages(), due_stories=deferred), article_id
                ),
            )
        finally:
            if deferred:
                _queue_stale_stories(client(), compose_stale_stories)

    @job_task(app, jobs.COMPOSE_STALE_STORIES)
    def compose_stale_stories(self: Task) -> None:
        client().delete(_STORIES_QUEUED)  # a join from now on queues the next composition
        recompose_stale(stages().sessions)

    @job_task(app, jobs.SCHEDULE_DUE_POLLS)
    def schedule_due_polls(self: Task) -> int:
        return _schedule_due_polls(stages, client, poll_source, analyse_article)


_STORIES_QUEUED = "newsbrief:stale-stories-queued"


def _queue_stale_stories(redis: Any, compose: Task) -> None:
    """Send a composition of the stale stories a moment from now, unless one is waiting.

    Never raises: should Redis or the send fail, the stale marks keep briefs right and
    beat's run of the job composes the stories within a minute.
    """
    try:
        if redis.set(_STORIES_QUEUED, "1", nx=True, ex=STORIES_QUEUED_SECONDS):
            compose.apply_async(
                countdown=STORIES_DELAY_SECONDS, queue=jobs.COMPOSE_STALE_STORIES.queue
            )
    except Exception as exc:  # the analysis is stored; only the composition waits
        log.warning("could not queue the stories' composition (%r); beat's run will", exc)


def _queued_key(source_id: int) -> str:
    return f"newsbrief:poll-queued:{source_id}"


def _schedule_due_polls(
    stages: PerProcess[Stages], client: PerProcess[Any], poll: Task, analyse: Task
) -> int:
    """Queue a poll for every due source (and lost analyses); returns how many polls.

    A short Redis lock makes a second beat's tick a no-op, and a per-source key keeps a poll
    that is still waiting in the queue from being queued again. Both only save work: the
    stages are idempotent, so a double poll would still store nothing twice.
    """
    redis = client()
    token = uuid.uuid4().hex
    lock = "newsbrief:lock:schedule_due_polls"
    if not redis.set(lock, token, nx=True, ex=SCHEDULE_LOCK_SECONDS):
        return 0
    with transaction(stages().sessions) as session:
        due = due_source_ids(session)
    queued = 0
    for source_id in due:
        if redis.set(_queued_key(source_id), token, nx=True, ex=POLL_QUEUED_SECONDS):
            poll.apply_async((source_id,), queue=jobs.POLL_SOURCE.queue)
            queued += 1
    for article_id in pipeline.overdue_analyses(stages()):
        key = f"newsbrief:analyse-queued:{article_id}"
        if redis.set(key, token, nx=True, ex=ANALYSE_QUEUED_SECONDS):
            analyse.apply_async((article_id,), queue=jobs.ANALYSE_ARTICLE.queue)
    return queued
