"""A throwaway ``redis-server`` on a free 127.0.0.1 port, for tests and drills that need real Redis.

Usage::

    with RedisServer() as server:
        client = redis.Redis.from_url(server.url)

``RedisServer(workdir, appendonly=True)`` keeps its files in ``workdir`` and its queues across a
``stop()`` and ``start()``, as the compose file's Redis does.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

import redis

from corpus.jobs import QUEUES
from testing.waiting import wait_for


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisExited(RuntimeError):
    """redis-server stopped before it answered."""


class RedisServer:
    """``redis-server`` on a fixed free port that can be stopped and started again.

    Its files go to ``workdir`` (kept) or to a temporary directory removed on exit. Without
    ``appendonly`` nothing is persisted, so a restart starts empty.
    """

    def __init__(self, workdir: Path | None = None, *, appendonly: bool = False) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.binary = binary
        self.port = free_port()
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="redis-test-")
            self.dir = Path(self._tmp.name)
        else:
            self.dir = workdir / f"redis-{self.port}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.appendonly = appendonly
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:PORT/0``."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, attempts: int = 3) -> RedisServer:
        """Start the server and wait until it answers; retry when it exits at once."""
        for attempt in range(1, attempts + 1):
            try:
                return self._start_once()
            except RedisExited:
                if attempt == attempts:
                    raise
                time.sleep(0.5 * attempt)
        raise AssertionError("unreachable")

    def _start_once(self) -> RedisServer:
        log = self.dir / "redis.log"
        self.proc = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes" if self.appendonly else "no",
                "--dir",
                str(self.dir),
                "--logfile",
                str(log),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)

        def ready() -> bool:
            if self.proc is not None and self.proc.poll() is not None:
                tail = log.read_text(errors="replace").splitlines()[-5:] if log.exists() else []
                raise RedisExited(
                    f"redis-server exited with {self.proc.returncode}: " + " | ".join(tail)
                )
            try:
                return bool(client.ping())
            except redis.exceptions.RedisError:  # BusyLoadingError while it reads the AOF
                return False

        try:
            wait_for(ready, 20, "redis-server to answer PING", every=0.05)
        except TimeoutError:
            self.stop()
            raise
        finally:
            client.close()
        return self

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the server (with ``sig``, then SIGKILL after 10 s); its files stay."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def drained(self) -> bool:
        """No task waiting in a queue of this server nor held by a worker."""
        return queues_drained(self.url)

    def close(self) -> None:
        """Stop the server and remove its temporary directory (a given ``workdir`` stays)."""
        self.stop()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> RedisServer:
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def queues_drained(url: str) -> bool:
    """No task waiting in a queue nor reserved unacknowledged by a worker (False when down)."""
    client = redis.Redis.from_url(url)
    try:
        waiting = sum(client.llen(q) for q in QUEUES) + client.hlen("unacked")
    except redis.exceptions.RedisError:
        return False
    finally:
        client.close()
    return waiting == 0
