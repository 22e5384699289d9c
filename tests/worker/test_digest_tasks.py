"""The digest task: composes due digests and alerts; a real worker on real Redis runs it by name."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.task_senders import CeleryTaskSender
from corpus import alerts, outbox, sources
from corpus.db import make_engine, make_session_factory, transaction
from corpus.digests import schedules
from corpus.jobs import COMPOSE_DUE_DIGESTS
from corpus.settings import Settings
from corpus.tables import OutboxMessage
from testing.redis_server import RedisServer
from worker.digest_tasks import compose_due

ROOT = Path(__file__).resolve().parents[2]
TOPIC = "russia-china"  # shipped in corpus/data/topics.yaml


def _schedule(sessions, created: datetime) -> None:
    with transaction(sessions) as session:
        schedules.set_schedule(
            session,
            guild_id=1,
            channel_id=2,
            topic=TOPIC,
            time_of_day="06:00",
            timezone="Asia/Tokyo",
            now=created,
        )


def test_compose_due_writes_digests_and_pause_alerts(sessions) -> None:
    """One call composes the due digests and queues the alert for a paused source."""
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    _schedule(sessions, now - timedelta(days=2))
    with transaction(sessions) as session:
        alerts.set_alert_channel(session, 1, 3)
        source_id = sources.add_source(session, "https://feeds.example.org/rss").id
        for _ in range(2):
            sources.record_poll_failure(session, source_id, "timed out", max_failures=2, now=now)
    settings = Settings(_env_file=None, max_consecutive_failures=2)  # type: ignore[call-arg]
    report = compose_due(sessions, settings, now=now)
    assert len(report.composed) == 2
    with sessions() as session:
        kinds = sorted(i.kind for i in outbox.for_guild(session, 1, limit=10))
    assert kinds == ["alert", "digest", "digest"]


def test_real_worker_composes_when_sent_the_task_by_name(tmp_path, sqlite_url) -> None:
    """A Celery worker on a real Redis runs COMPOSE_DUE_DIGESTS sent by name, as beat does."""
    sessions = make_session_factory(make_engine(sqlite_url))
    _schedule(sessions, datetime.now(UTC) - timedelta(days=3))
    with RedisServer() as server:
        env = {
            **os.environ,
            "NEWSBRIEF_DATABASE_URL": sqlite_url,
            "NEWSBRIEF_REDIS_URL": server.url,
            "NEWSBRIEF_DATA_DIR": str(tmp_path),
        }
        script = (
            "from corpus.settings import Settings\n"
            "from worker.celery_app import make_celery\n"
            "from worker.digest_tasks import register_digest_tasks\n"
            "settings = Settings(_env_file=None)\n"
            "app = make_celery(settings)\n"
            f"if {COMPOSE_DUE_DIGESTS.name!r} not in app.tasks:\n"
            "    register_digest_tasks(app, settings)\n"
            "app.worker_main(['worker', '--pool=solo', '--queues=schedule', '--loglevel=WARNING',"
            " '--without-mingle', '--without-gossip', '--without-heartbeat'])\n"
        )
        log = (tmp_path / "worker.log").open("wb")
        worker = subprocess.Popen(
            [sys.executable, "-c", script], cwd=ROOT, env=env, stdout=log, stderr=log
        )
        try:
            sender = CeleryTaskSender(server.url)
            sender(COMPOSE_DUE_DIGESTS, [])
            sender.close()
            deadline = time.monotonic() + 60
            rows: list[OutboxMessage] = []
            while time.monotonic() < deadline and len(rows) < 3:
                with sessions() as session:
                    rows = list(session.scalars(select(OutboxMessage)))
                time.sleep(0.2)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            log.close()
    dates = sorted(r.payload["period_date"] for r in rows)
    assert len(dates) == 3, (tmp_path / "worker.log").read_text()
    assert len(set(dates)) == 3
