"""A message whose next step cannot be queued goes back to the broker instead of being dropped."""

from __future__ import annotations

import pytest
from celery.exceptions import Reject

from corpus.jobs import ANALYSE_ARTICLE
from corpus.settings import Settings
from testing.redis_server import free_port
from worker.celery_app import make_celery
from worker.errors import TransientError
from worker.tasks import _retrying, send_follow_up


@pytest.fixture
def unreachable_app(tmp_path):
    """A real app whose broker does not answer, with sending retried not at all."""
    settings = Settings(
        _env_file=None, redis_url=f"redis://127.0.0.1:{free_port()}/0", data_dir=tmp_path
    )
    app = make_celery(settings)
    app.conf.task_publish_retry = False
    yield app
    app.close()


def test_a_follow_up_that_fails_to_send_requeues_the_message(unreachable_app) -> None:
    task = unreachable_app.tasks[ANALYSE_ARTICLE.name]

    def send() -> None:
        raise AttributeError("'NoneType' object has no attribute 'client'")  # as kombu raised

    with pytest.raises(Reject) as raised:
        send_follow_up(task, send)
    assert raised.value.requeue is True
    sent: list[int] = []
    send_follow_up(task, lambda: sent.append(1))
    assert sent == [1]


def test_a_retry_that_cannot_be_sent_requeues_instead_of_dropping(unreachable_app) -> None:
    """Celery rejects without requeue when the retry's publish fails; we requeue."""
    task = unreachable_app.tasks[ANALYSE_ARTICLE.name]
    task.push_request(id="t-1", retries=0, is_eager=False, called_directly=False, args=(1,))
    try:

        def stage() -> None:
            raise TransientError("the database is restarting")

        with pytest.raises(Reject) as raised:
            _retrying(task, stage)
    finally:
        task.pop_request()
    assert raised.value.requeue is True
