"""Task senders: by job through a real Redis broker, or recorded for the worker's next poll."""

from __future__ import annotations

import json

import kombu.exceptions
import pytest
import redis

from bot.task_senders import CeleryTaskSender, NextPollTaskSender, make_task_sender, note_of
from corpus import jobs
from testing.redis_server import RedisServer, free_port


@pytest.fixture
def redis_url():
    with RedisServer() as server:
        yield server.url


def test_celery_sender_publishes_the_task_by_name_on_its_queue(redis_url) -> None:
    """The message lands on the job's queue with the job's task name and the arguments."""
    sender = CeleryTaskSender(redis_url)
    sender(jobs.POLL_SOURCE, [17])
    sender.close()
    client = redis.Redis.from_url(redis_url)
    raw = client.lpop(jobs.POLL_SOURCE.queue)
    client.close()
    assert raw is not None
    message = json.loads(raw)
    assert message["headers"]["task"] == jobs.POLL_SOURCE.name
    assert message["headers"]["argsrepr"] == "[17]"


def test_celery_sender_fails_fast_when_the_broker_is_down() -> None:
    """With no broker listening, sending raises instead of hanging the command."""
    sender = CeleryTaskSender(f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(kombu.exceptions.OperationalError):
        sender(jobs.POLL_SOURCE, [1])
    sender.close()


def test_next_poll_sender_records_and_says_when_it_runs() -> None:
    """Without Redis the request is kept and the note says the worker's next poll does it."""
    sender = NextPollTaskSender()
    sender(jobs.POLL_SOURCE, [3])
    assert sender.requested == [(jobs.POLL_SOURCE, (3,))]
    assert "next poll" in note_of(sender)


def test_make_task_sender_picks_by_broker_url() -> None:
    """A Redis URL gives the Celery sender; none gives the next-poll sender."""
    assert isinstance(make_task_sender("redis://127.0.0.1:1/0"), CeleryTaskSender)
    assert isinstance(make_task_sender(None), NextPollTaskSender)
    assert note_of(object()) == "The worker will pick this up shortly."
