"""Digest composition into the outbox on a real database: exactly one digest per period."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from corpus import outbox
from corpus.brief import compose_brief
from corpus.db import transaction
from corpus.digests import composition, parsing, schedules
from corpus.tables import DigestSchedule, OutboxMessage, Story
from testing.stored_articles import NOW, TOPIC, add_article, add_topic, insert_scenario

GUILD = 500
DAY0 = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)


def schedule(sessions, channel: int = 7, *, at: str = "08:00", tz: str = "UTC", freq="daily"):
    with transaction(sessions) as session:
        add_topic(session)
        return schedules.set_schedule(
            session,
            guild_id=GUILD,
            channel_id=channel,
            topic=TOPIC,
            time_of_day=at,
            timezone=tz,
            frequency=freq,
            now=DAY0,
        )


def article(sessions, key: str, title: str, fetched: datetime) -> None:
    with transaction(sessions) as session:
        story = Story()
        session.add(story)
        add_article(
            session,
            key=key,
            site=f"{key}.example",
            title=title,
            published=fetched - timedelta(hours=1),
            fetched=fetched,
            story=story,
            summary=[f"{title}: Russia and China signed a deal in Moscow on {key}."],
        )


def digest_rows(sessions) -> list[OutboxMessage]:
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.key)))


def at(day: int, hour: int = 8, minute: int = 0) -> datetime:
    return DAY0 + timedelta(days=day, hours=hour, minutes=minute)


def test_set_schedule_refuses_a_bad_time_zone_and_stores_nothing(sessions) -> None:
    """A bad time zone is refused with a sentence and no schedule is stored."""
    with pytest.raises(parsing.DigestInputError, match="IANA"), transaction(sessions) as session:
        schedules.set_schedule(
            session, guild_id=1, channel_id=2, topic=TOPIC, time_of_day="08:00", timezone="Mars"
        )
    with sessions() as session:
        assert schedules.list_schedules(session, 1) == []


def test_set_schedule_updates_in_place_and_reenabling_owes_nothing(sessions) -> None:
    """Setting again changes the time; turning back on starts from now, not from the gap."""
    first = schedule(sessions)
    with transaction(sessions) as session:
        schedules.disable_schedules(session, guild_id=GUILD)
    later = DAY0 + timedelta(days=10)
    with transaction(sessions) as session:
        again = schedules.set_schedule(
            session,
            guild_id=GUILD,
            channel_id=7,
            topic=TOPIC,
            time_of_day="9:30",
            timezone="Europe/Paris",
            frequency="weekly",
            now=later,
        )
    assert again.id == first.id and again.enabled
    assert (again.time_of_day, again.timezone, again.frequency) == (
        "09:30",
        "Europe/Paris",
        "weekly",
    )
    assert again.last_period_end == later
    assert again.describe() == "every Monday at 09:30 Europe/Paris"


def test_disable_by_channel_or_topic_only_touches_those(sessions) -> None:
    """/digest off in one channel leaves the other channel's digest on."""
    schedule(sessions, channel=7)
    schedule(sessions, channel=8)
    with transaction(sessions) as session:
        off = schedules.disable_schedules(session, guild_id=GUILD, channel_id=8)
    assert [s.channel_id for s in off] == [8]
    with sessions() as session:
        assert [
            s.channel_id for s in schedules.list_schedules(session, GUILD, enabled_only=True)
        ] == [7]


def test_each_digest_holds_what_was_new_in_its_period(sessions) -> None:
    """Three late periods: each digest carries its own date and only that period's stories."""
    schedule(sessions)
    article(sessions, "alpha", "Alpha pipeline deal", at(1, 10))
    article(sessions, "beta", "Beta bank agreement", at(2, 10))
    report = composition.compose_due_digests(sessions, compose_brief, now=at(3, 9))
    assert report.errors == {}
    rows = digest_rows(sessions)
    assert [r.payload["period_date"] for r in rows] == [f"2026-11-0{d}" for d in (1, 2, 3, 4)]
    headlines = [[s["headline"] for s in r.payload["brief"]["stories"]] for r in rows]
    assert headlines == [[], [], ["Alpha pipeline deal"], ["Beta bank agreement"]]
    assert rows[2].payload["period_start"] == at(1).isoformat()
    assert rows[2].payload["period_end"] == at(2).isoformat()
    assert {r.channel_id for r in rows} == {7} and {r.guild_id for r in rows} == {GUILD}


def _headlines_by_date(sessions) -> dict[str, list[str]]:
    return {
        r.payload["period_date"]: [s["headline"] for s in r.payload["brief"]["stories"]]
        for r in digest_rows(sessions)
    }


@pytest.mark.parametrize("late", [False, True], ids=["on-time", "late"])
def test_article_fetched_after_a_period_ended_is_only_in_the_next_digest(sessions, late) -> None:
    """Published before period N ended but fetched after: in digest N+1, never in N."""
    schedule(sessions)
    if not late:
        composition.compose_due_digests(sessions, compose_brief, now=at(1, 8, 5))
    article(sessions, "gamma", "Gamma rail link", at(1, 8, 30))
    report = composition.compose_due_digests(sessions, compose_brief, now=at(2, 9))
    assert report.errors == {}
    headlines = _headlines_by_date(sessions)
    assert headlines["2026-11-02"] == []
    assert headlines["2026-11-03"] == ["Gamma rail link"]


def test_composing_again_adds_nothing_and_moves_the_mark(sessions) -> None:
    """A second run in the same period composes nothing; the schedule remembers the last end."""
    schedule(sessions)
    composition.compose_due_digests(sessions, compose_brief, now=at(0, 9))
    report = composition.compose_due_digests(sessions, compose_brief, now=at(0, 23))
    assert report.composed == [] and len(digest_rows(sessions)) == 1
    with sessions() as session:
        (sched,) = schedules.list_schedules(session, GUILD)
    assert sched.last_period_end == at(0)


def test_unknown_topic_is_reported_and_other_schedules_still_compose(sessions) -> None:
    """A schedule whose topic vanished is reported; the others still get their digest."""
    schedule(sessions, channel=7)
    with transaction(sessions) as session:
        session.add(
            DigestSchedule(
                guild_id=GUILD,
                channel_id=9,
                topic="gone",
                time_of_day="08:00",
                timezone="UTC",
                frequency="daily",
                created_at=DAY0,
            )
        )
    report = composition.compose_due_digests(sessions, compose_brief, now=at(0, 9))
    assert len(report.errors) == 1 and "gone" in next(iter(report.errors.values()))
    assert [r.channel_id for r in digest_rows(sessions)] == [7]


def _race(sessions, now: datetime, runners: int = 2) -> list[composition.ComposeReport]:
    barrier = threading.Barrier(runners)
    reports: list[composition.ComposeReport] = []

    def run() -> None:
        barrier.wait()
        reports.append(composition.compose_due_digests(sessions, compose_brief, now=now))

    threads = [threading.Thread(target=run) for _ in range(runners)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return reports


def test_two_racing_composers_write_one_digest_per_period(sessions) -> None:
    """Two composers started at the same moment leave one row per period between them."""
    schedule(sessions)
    reports = _race(sessions, at(5, 9))
    composed = [k for r in reports for k in r.composed]
    assert sorted(composed) == sorted(set(composed))
    assert len(digest_rows(sessions)) == 6 == len(composed)


def test_two_beats_over_24_periods_give_exactly_one_digest_per_period_per_channel(sessions) -> None:
    """24 daily periods, two beats each tick, two channels, a 3-day outage: 24 digests each."""
    schedule(sessions, channel=7, tz="Europe/Berlin")
    schedule(sessions, channel=8, at="18:45", tz="America/New_York")
    for day in range(24):
        article(sessions, f"d{day}", f"Day {day} story", at(day, 3))
        if day in (9, 10, 11):
            continue  # both beats down; those periods are composed late on the next tick
        _race(sessions, at(day, 23, 59))
    rows = digest_rows(sessions)
    for channel in (7, 8):
        dates = [r.payload["period_date"] for r in rows if r.channel_id == channel]
        assert len(dates) == len(set(dates)) == 24
    berlin = sorted(r.payload["period_date"] for r in rows if r.channel_id == 7)
    assert berlin == [(date(2026, 11, 1) + timedelta(days=d)).isoformat() for d in range(24)]
    late = [r for r in rows if r.channel_id == 7 and r.payload["period_date"] == "2026-11-11"]
    assert [s["headline"] for s in late[0].payload["brief"]["stories"]] == ["Day 10 story"]


def test_two_beat_processes_give_one_digest_per_period(database_url, sessions) -> None:
    """Two separate processes composing the same 24 periods leave one row per period."""
    schedule(sessions)
    script = (
        "import sys\n"
        "from datetime import UTC, datetime, timedelta\n"
        "from corpus.brief import compose_brief\n"
        "from corpus.db import make_engine, make_session_factory\n"
        "from corpus.digests.composition import compose_due_digests\n"
        "engine = make_engine(sys.argv[1])\n"
        "sessions = make_session_factory(engine)\n"
        "day0 = datetime(2026, 11, 1, 9, tzinfo=UTC)\n"
        "for day in range(24):\n"
        "    compose_due_digests(sessions, compose_brief, now=day0 + timedelta(days=day))\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, database_url]) for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    dates = [r.payload["period_date"] for r in digest_rows(sessions)]
    assert len(dates) == len(set(dates)) == 24


def test_enqueued_digest_is_pending_in_the_outbox(sessions) -> None:
    """A composed digest waits in the outbox for the bot."""
    schedule(sessions)
    composition.compose_due_digests(sessions, compose_brief, now=at(0, 9))
    with sessions() as session:
        (item,) = outbox.pending(session)
    assert item.kind == "digest" and item.key == f"digest:{GUILD}:7:{TOPIC}:2026-11-01"


def test_stored_brief_reads_back_equal(sessions) -> None:
    """A brief stored in a digest payload reads back equal to the composed one."""
    insert_scenario(sessions)
    with sessions() as session:
        brief = compose_brief(session, TOPIC, days=30, now=NOW)
    assert brief.stories and brief.figures and brief.sources
    payload = {"brief": brief.to_dict()}
    assert composition.brief_from_payload(payload) == brief
