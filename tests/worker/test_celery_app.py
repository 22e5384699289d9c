"""The Celery app's settings, beat schedule and retry backoff."""

from __future__ import annotations

import sys

import pytest

from corpus.jobs import (
    ANALYSE_ARTICLE,
    COMPOSE_DUE_DIGESTS,
    COMPOSE_STALE_STORIES,
    FETCH_ARTICLE,
    JOBS,
    POLL_SOURCE,
    QUEUES,
    SCHEDULE_DUE_POLLS,
)
from corpus.settings import Settings
from worker.celery_app import make_celery
from worker.limits import MAX_RETRIES, task_limits, time_limit_warning
from worker.tasks import backoff_seconds


@pytest.fixture
def app(tmp_path):
    settings = Settings(_env_file=None, redis_url="redis://127.0.0.1:1/0", data_dir=tmp_path)
    built = make_celery(settings)
    yield built
    built.close()


def test_importing_the_worker_needs_no_settings_or_broker():
    """Importing the Celery modules creates no app and reads no settings."""
    import worker.celery_app
    import worker.tasks

    assert worker.celery_app.make_celery is not None
    assert "celery.app" not in {type(v).__module__ for v in vars(worker.tasks).values()}


def test_reliability_settings(app):
    """Late acks, reject on worker lost, prefetch 1, ignored results and an explicit timeout."""
    conf = app.conf
    for job in JOBS:
        task = app.tasks[job.name]
        assert task.acks_late and task.reject_on_worker_lost and task.ignore_result
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["visibility_timeout"] == 3600
    assert conf.task_time_limit * 2 <= 3600
    assert conf.newsbrief_max_countdown * 4 <= 3600


def test_every_job_is_routed_and_registered_and_every_task_is_a_job(app):
    """Routes, registered tasks and ``corpus.jobs.JOBS`` name the same tasks, queues, policy."""
    registered = {name for name in app.tasks if not name.startswith("celery.")}
    assert registered == {job.name for job in JOBS}
    assert set(app.conf.task_routes) == {job.name for job in JOBS}
    assert {queue.name for queue in app.conf.task_queues} == set(QUEUES)
    for job in JOBS:
        task = app.tasks[job.name]
        assert job.queue in QUEUES
        assert task.queue == job.queue
        assert app.conf.task_routes[job.name] == {"queue": job.queue}
        assert task.acks_late is job.delivery.acks_late
        assert task.reject_on_worker_lost is job.delivery.reject_on_worker_lost
        assert task.ignore_result is job.delivery.ignore_result
        assert task.max_retries == (MAX_RETRIES if job.retried else 0)


def test_tasks_have_the_queues_and_retry_limits_they_always_had(app):
    """The pipeline's tasks keep their queues and retry; composing never retries."""
    expected = {
        POLL_SOURCE: "fetch",
        FETCH_ARTICLE: "fetch",
        ANALYSE_ARTICLE: "analyse",
        SCHEDULE_DUE_POLLS: "schedule",
        COMPOSE_DUE_DIGESTS: "schedule",
        COMPOSE_STALE_STORIES: "schedule",
    }
    for job, queue in expected.items():
        assert app.tasks[job.name].queue == queue
    assert app.tasks[FETCH_ARTICLE.name].max_retries == 6
    assert app.tasks[COMPOSE_DUE_DIGESTS.name].max_retries == 0
    assert app.tasks[COMPOSE_STALE_STORIES.name].max_retries == 0


def test_beat_polls_and_composes_every_minute(app):
    """Beat sends the polls, digests and stale stories' jobs every 60 s on the schedule queue."""
    schedule = app.conf.beat_schedule
    assert set(schedule) == {"schedule-due-polls", "compose-due-digests", "compose-stale-stories"}
    assert schedule["compose-stale-stories"]["task"] == COMPOSE_STALE_STORIES.name
    assert schedule["schedule-due-polls"]["task"] == SCHEDULE_DUE_POLLS.name
    assert schedule["compose-due-digests"]["task"] == COMPOSE_DUE_DIGESTS.name
    for entry in schedule.values():
        assert entry["schedule"] == 60
        assert entry["options"] == {"queue": "schedule", "expires": 60}


def test_no_redis_url_is_refused_with_reason(tmp_path):
    """Building the app without Redis says to use the in-process mode."""
    with pytest.raises(ValueError, match="in-process"):
        make_celery(Settings(_env_file=None, data_dir=tmp_path))


def test_limits_shrink_with_a_short_visibility_timeout():
    """A short visibility timeout gives a proportionally short time limit and countdown."""
    hard, soft, countdown = task_limits(12)
    assert (hard, countdown) == (6, 3)
    assert soft < hard
    assert task_limits(3600)[0] == 180
    assert task_limits(3600)[2] == 600


def test_a_timeout_too_short_for_a_fetch_is_warned_about(tmp_path):
    """The soft limit (0.4 x the timeout) must cover the fetch deadline, or the worker warns."""

    def warning(timeout: int, fetch: float) -> str | None:
        settings = Settings(
            _env_file=None,
            data_dir=tmp_path,
            celery_visibility_timeout=timeout,
            fetch_total_timeout=fetch,
        )
        return time_limit_warning(settings)

    assert warning(3600, 30) is None
    assert warning(75, 30) is None  # soft limit exactly 30 s
    text = warning(10, 30)
    assert text is not None
    assert "soft time limit of 4 s" in text and "Use at least 75 s" in text
    assert warning(10, 4) is None


@pytest.mark.parametrize("retries", range(8))
def test_backoff_grows_with_jitter_and_is_capped(retries):
    """Backoff doubles per retry within jitter bounds and never exceeds the cap."""
    delays = [backoff_seconds(retries) for _ in range(50)]
    window = min(600, 15 * 2**retries)
    assert all(window / 2 <= d <= window for d in delays)
    assert len(set(delays)) > 1


def test_backoff_honours_retry_after_up_to_the_cap():
    """Retry-After raises the delay, but never past the cap."""
    assert backoff_seconds(0, retry_after=120) == 120
    assert backoff_seconds(0, retry_after=5000) == 600
    assert backoff_seconds(0, retry_after=120, cap=3) == 3


def test_corpus_does_not_import_celery():
    """corpus stays free of celery: importing the storage modules pulls neither in."""
    import subprocess

    code = (
        "import sys, corpus.sources, corpus.articles; "
        "print('celery' in sys.modules, 'discord' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
