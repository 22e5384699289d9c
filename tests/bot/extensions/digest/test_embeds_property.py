"""Property test: any brief, stored as a digest and read back, posts as one valid message."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import limits
from bot.delivery import with_ref
from bot.extensions.digest import _embeds
from corpus.brief_values import Brief
from corpus.digests.composition import digest_payload
from corpus.digests.periods import Period, Schedule
from corpus.outbox import OutboxItem
from testing.brief_strategies import briefs

END = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
ZONES = st.sampled_from(["UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns"])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(briefs(), ZONES, st.sampled_from(["daily", "weekly"]), st.integers(0, 30))
def test_any_digest_is_one_valid_message_with_its_reference(
    brief: Brief, zone: str, frequency: str, folded: int
) -> None:
    """Embeds within every limit, content within 2000 characters and ending with the reference."""
    schedule = Schedule(
        id=1,
        guild_id=1,
        channel_id=2,
        topic=brief.topic,
        time_of_day="08:00",
        timezone=zone,
        frequency=frequency,  # type: ignore[arg-type]
        enabled=True,
        created_at=END,
        last_period_end=None,
    )
    period = Period(1, "k", date(2026, 11, 24), END - timedelta(days=1), END, folded)
    item = OutboxItem(
        id=1,
        key=f"digest:1:2:{brief.topic}:2026-11-24",
        kind="digest",
        guild_id=1,
        channel_id=2,
        payload=digest_payload(schedule, period, brief),
        status="pending",
        attempts=0,
        last_error=None,
        created_at=END,
        sent_at=None,
        message_id=None,
    )
    message = with_ref(item, _embeds.digest_message(item))
    assert 1 <= len(message["embeds"]) <= limits.EMBEDS_PER_MESSAGE
    assert limits.check_message(message["embeds"]) == []
    assert limits.size(message["content"]) <= limits.CONTENT
    assert message["content"].endswith(f"-# ref {item.ref}")
