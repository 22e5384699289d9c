"""Run ``newsbrief worker`` for a drill, optionally with every task message sent three times.

    python -m bench.drills.worker_main [--triple] [--loopback-only] -- --pool prefork ...

``--loopback-only`` refuses private networks as production does, except 127.0.0.1 where the
local test site runs (the fetch tests' ``strict_fetcher`` does the same), so redirects to
private addresses are refused for real. ``--triple`` publishes every task the worker sends
(fetch after poll, analyse after fetch) three times, to prove that stages are idempotent.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from typing import Any

LOOPBACK = ("127.0.0.1/32",)


def triple_publishing() -> None:
    """Make every ``apply_async`` and ``send_task`` publish its message three times."""
    from celery import Celery
    from celery.app.task import Task

    apply_async = Task.apply_async
    send_task = Celery.send_task

    def apply_thrice(self: Task, *args: Any, **kwargs: Any) -> Any:
        for _ in range(2):
            apply_async(self, *args, **kwargs)
        return apply_async(self, *args, **kwargs)

    def send_thrice(self: Celery, *args: Any, **kwargs: Any) -> Any:
        for _ in range(2):
            send_task(self, *args, **kwargs)
        return send_task(self, *args, **kwargs)

    Task.apply_async = apply_thrice
    Celery.send_task = send_thrice


def loopback_only() -> None:
    """Refuse private networks except 127.0.0.1, in the fetcher and in the URL checks."""
    from worker import wiring

    wiring.build_stages = partial(wiring.build_stages, allowed_networks=LOOPBACK)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triple", action="store_true")
    parser.add_argument("--loopback-only", action="store_true")
    parser.add_argument("worker_args", nargs="*")
    args = parser.parse_args(argv)
    if args.triple:
        triple_publishing()
    if args.loopback_only:
        loopback_only()
    from newsbrief.cli import main as cli_main

    return cli_main(["worker", *args.worker_args])


if __name__ == "__main__":
    sys.exit(main())
