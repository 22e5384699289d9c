"""The throwaway redis-server: restarts with and without the append-only file, and cleanup."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import redis

from testing.redis_server import RedisServer, queues_drained

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")


def _restarted_value(server: RedisServer) -> bytes | None:
    """Set a key, restart the server on its port, and read the key back."""
    client = redis.Redis.from_url(server.url)
    try:
        client.set("kept", "yes")
        server.stop()
        server.start()
        return client.get("kept")
    finally:
        client.close()


def test_append_only_server_keeps_its_data_across_a_restart(tmp_path: Path) -> None:
    """With ``appendonly`` a key written before the restart is there after it."""
    with RedisServer(tmp_path, appendonly=True) as server:
        assert _restarted_value(server) == b"yes"


def test_server_without_persistence_restarts_empty(tmp_path: Path) -> None:
    """Without ``appendonly`` the restarted server has forgotten the key."""
    with RedisServer(tmp_path) as server:
        assert _restarted_value(server) is None


def test_temporary_directory_goes_and_a_given_one_stays(tmp_path: Path) -> None:
    """Its own directory is removed on exit; files in a given ``workdir`` are kept."""
    with RedisServer() as own, RedisServer(tmp_path) as given:
        assert (own.dir / "redis.log").exists()
    assert not own.dir.exists()
    assert (given.dir / "redis.log").exists() and given.dir.parent == tmp_path


def test_queues_drained_sees_a_waiting_task_and_a_stopped_server() -> None:
    """A message in a queue is not drained, an empty server is, and a stopped one is not."""
    with RedisServer() as server:
        assert queues_drained(server.url)
        client = redis.Redis.from_url(server.url)
        client.rpush("fetch", "message")
        client.close()
        assert not server.drained()
        server.stop()
        assert not queues_drained(server.url)
