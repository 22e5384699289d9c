"""Regression: a task sent while Redis restarts is queued once Redis is back, not dropped."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import redis

from corpus.jobs import POLL_SOURCE
from corpus.settings import Settings
from testing.redis_server import RedisServer
from worker.celery_app import make_celery

pytestmark = pytest.mark.drill


def test_task_sent_while_redis_restarts_is_queued(tmp_path: Path) -> None:
    """Redis down for two seconds: send_task waits it out and the message lands in the queue."""
    server = RedisServer(tmp_path).start()
    settings = Settings(_env_file=None, redis_url=server.url, data_dir=tmp_path)  # type: ignore[call-arg]
    app = make_celery(settings)
    try:
        app.send_task(POLL_SOURCE.name, args=(1,))  # connected before the restart, as a worker is
        server.stop()
        with pytest.raises(redis.ConnectionError):
            redis.Redis.from_url(server.url).ping()
        back = threading.Timer(2.0, server.start)
        back.start()
        app.send_task(POLL_SOURCE.name, args=(2,))
        back.join()
        client = redis.Redis.from_url(server.url)
        queued = client.llen("fetch")
        client.close()
    finally:
        app.close()
        server.stop()
    assert queued == 1  # the second message (the first went with the old server's memory)
