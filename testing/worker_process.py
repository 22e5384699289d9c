"""A ``newsbrief worker`` subprocess for end-to-end tests and drills, and its environment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from testing.waiting import wait_for

ROOT = Path(__file__).resolve().parents[1]
NEWSBRIEF_WORKER = ("-m", "newsbrief.cli", "worker")


def worker_env(redis_url: str, database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """A worker's environment: ours without its NEWSBRIEF_ settings, on the given services.

    The local test site is allowed (private networks, no per-host interval); ``extra`` adds or
    replaces variables.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    env.update(
        {
            "NEWSBRIEF_REDIS_URL": redis_url,
            "NEWSBRIEF_DATABASE_URL": database_url,
            "NEWSBRIEF_DATA_DIR": str(data_dir),
            "NEWSBRIEF_ALLOW_PRIVATE_NETWORKS": "true",
            "NEWSBRIEF_HOST_MIN_INTERVAL": "0",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


class WorkerProcess:
    """``python LAUNCHER... WORKER_ARGS...`` in its own process group, output to ``log``.

    The launcher is ``-m newsbrief.cli worker`` unless another is given; killing the group
    takes the pool processes with it.
    """

    def __init__(
        self,
        env: Mapping[str, str],
        log: Path,
        *worker_args: str,
        launcher: Sequence[str] = NEWSBRIEF_WORKER,
    ) -> None:
        self.env = dict(env)
        self.log = log
        self._out = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, *launcher, *worker_args],
            cwd=ROOT,
            env=self.env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> WorkerProcess:
        """Wait until Celery logs that the worker is ready; raise if it exits first."""

        def ready() -> bool:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log.read_text()[-3000:]}")
            return b" ready." in self.log.read_bytes()

        wait_for(ready, timeout, "the Celery worker to be ready", every=0.05)
        return self

    def kill(self) -> None:
        """SIGKILL the worker and every process in its group, like a crash or an OOM kill."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self._out.close()

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM the group (a warm shutdown); SIGKILL it when it is not gone in ``timeout``."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self._out.close()
