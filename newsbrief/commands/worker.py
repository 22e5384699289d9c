"""``newsbrief worker`` and ``newsbrief beat``: run the ingestion worker and its scheduler."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from types import FrameType
from typing import TYPE_CHECKING, Any

from corpus.jobs import QUEUES

# Imported when a command runs, so that building the parser stays light.
if TYPE_CHECKING:
    from corpus.settings import Settings

ALL_QUEUES = ",".join(QUEUES)


def register(subparsers: Any) -> None:
    """Add the ``worker`` and ``beat`` subcommands."""
    worker = subparsers.add_parser(
        "worker",
        help="run the ingestion worker (Celery with NEWSBRIEF_REDIS_URL, else in-process)",
        description=(
            "With NEWSBRIEF_REDIS_URL set, start a Celery worker on the fetch, analyse and "
            "schedule queues. Without it, poll due sources in this process every minute."
        ),
    )
    worker.add_argument("--queues", default=ALL_QUEUES, help=f"queues to consume ({ALL_QUEUES})")
    worker.add_argument("--concurrency", type=int, default=2, help="worker processes (default 2)")
    worker.add_argument(
        "--pool", default="prefork", choices=("prefork", "solo", "threads"), help="Celery pool"
    )
    worker.add_argument(
        "--once", action="store_true", help="in-process mode: run one round of due polls and exit"
    )
    worker.add_argument(
        "--every", type=float, default=60.0, help="in-process mode: seconds between rounds"
    )
    worker.set_defaults(handler=run_worker)
    beat = subparsers.add_parser(
        "beat",
        help="run the Celery beat scheduler (needs NEWSBRIEF_REDIS_URL)",
        description="Every minute, queue a poll for each source that is due.",
    )
    beat.set_defaults(handler=run_beat)


def run_worker(args: argparse.Namespace, settings: Settings) -> int:
    """Start the Celery worker, or the in-process loop when no Redis is configured."""
    from newsbrief.runtime import open_runtime

    runtime = open_runtime(settings)  # migrates the schema before any task runs
    # Poll summaries and give-ups are logged at INFO; show them unless -v asked for more.
    if logging.getLogger().getEffectiveLevel() > logging.INFO:
        logging.getLogger("worker").setLevel(logging.INFO)
    if not settings.redis_url:
        return _in_process(args, settings, runtime)
    runtime.engine.dispose()
    from worker.celery_app import make_celery
    from worker.limits import time_limit_warning

    warning = time_limit_warning(settings)
    if warning:
        logging.getLogger("worker").warning("%s", warning)
    app = make_celery(settings)
    app.worker_main(
        [
            "worker",
            "--loglevel=INFO",
            f"--queues={args.queues}",
            f"--concurrency={args.concurrency}",
            f"--pool={args.pool}",
            f"--hostname=newsbrief-{os.getpid()}@%h",
        ]
    )
    return 0


def _in_process(args: argparse.Namespace, settings: Settings, runtime: Any) -> int:
    from worker.pipeline import run_due_polls, run_forever
    from worker.wiring import build_stages

    stages = build_stages(settings, runtime.sessions)
    try:
        if args.once:
            report = run_due_polls(stages)
            for poll in report.polls:
                print(f"source {poll.source_id}: {poll.summary}")
            if not report.polls:
                print(
                    "No source is due for a poll; `newsbrief sources list` shows each last poll.",
                    file=sys.stderr,
                )
            return 0
        stop = threading.Event()

        def _stop(_signum: int, _frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        print("No NEWSBRIEF_REDIS_URL: polling due sources in this process.", file=sys.stderr)
        run_forever(stages, stop, every=args.every)
        return 0
    finally:
        stages.close()
        runtime.engine.dispose()


def run_beat(args: argparse.Namespace, settings: Settings) -> int:
    """Start Celery beat; without Redis there is nothing to schedule onto."""
    if not settings.redis_url:
        print(
            "beat needs NEWSBRIEF_REDIS_URL; without Redis, `newsbrief worker` polls due "
            "sources itself.",
            file=sys.stderr,
        )
        return 2
    from celery.signals import beat_init

    from corpus.jobs import SCHEDULE_DUE_POLLS
    from worker.celery_app import make_celery

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = make_celery(settings)

    def _poll_now(**_kwargs: Any) -> None:
        # Interval entries first run one period after beat starts; sources that fell due
        # while beat was down are polled right away instead.
        app.send_task(SCHEDULE_DUE_POLLS.name, queue=SCHEDULE_DUE_POLLS.queue)

    beat_init.connect(_poll_now, weak=False)
    app.start(
        [
            "beat",
            "--loglevel=INFO",
            f"--schedule={settings.data_dir / 'celerybeat-schedule'}",
        ]
    )
    return 0
