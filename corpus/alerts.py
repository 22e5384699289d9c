"""Source health alerts: tell each guild's chosen channel, once, when a source was paused.

The worker pauses a source after ``max_consecutive_failures`` failed polls in a row
(``corpus.sources.record_poll_failure``). :func:`enqueue_pause_alerts` turns every such pause
into one outbox message per guild that chose an alert channel. The pause event is identified by
the time of the poll that paused the source (a paused source is not polled, so the time stays
put until an admin resumes it), which makes the outbox key unique per pause and per guild.
Sources paused by an admin (fewer failures than the threshold) raise no alert.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corpus import outbox
from corpus.models import AlertChannel, Source, SourceStatus, as_utc

PAYLOAD_VERSION = 1


def set_alert_channel(session: Session, guild_id: int, channel_id: int) -> None:
    """Choose where a guild's source alerts go (replacing an earlier choice)."""
    row = session.get(AlertChannel, guild_id)
    if row is None:
        session.add(AlertChannel(guild_id=guild_id, channel_id=channel_id))
    else:
        row.channel_id = channel_id
    session.flush()


def clear_alert_channel(session: Session, guild_id: int) -> bool:
    """Stop a guild's source alerts; return False when none were set."""
    row = session.get(AlertChannel, guild_id)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def alert_channel(session: Session, guild_id: int) -> int | None:
    """Return the channel a guild chose for source alerts, or None."""
    row = session.get(AlertChannel, guild_id)
    return row.channel_id if row is not None else None


def _stamp(moment: datetime | None) -> str:
    if moment is None:
        return "never-polled"
    return as_utc(moment).strftime("%Y%m%dT%H%M%S%f")


def pause_alert_key(guild_id: int, source_id: int, paused_poll_at: datetime | None) -> str:
    """Return the outbox key of the alert about one pause of one source, for one guild."""
    return f"alert:source-paused:{guild_id}:{source_id}:{_stamp(paused_poll_at)}"


def pause_alert_payload(source: Source) -> dict[str, Any]:
    """Return the outbox payload of a pause alert: what was paused, and why, as plain data."""
    polled = as_utc(source.last_polled_at)
    return {
        "type": outbox.OutboxKind.ALERT,
        "version": PAYLOAD_VERSION,
        "source_id": source.id,
        "url": source.url,
        "topic": source.topic,
        "reason": source.paused_reason or "paused after repeated failures",
        "last_error": source.last_error,
        "failures": source.consecutive_failures,
        "paused_at": polled.isoformat() if polled is not None else None,
    }


def enqueue_pause_alerts(session: Session, *, max_failures: int) -> list[str]:
    """Queue one alert per guild for every source paused after failures; return the new keys.

    Idempotent: run it as often as you like (each pass costs one query when nothing changed).
    """
    channels = list(session.scalars(select(AlertChannel).order_by(AlertChannel.guild_id)))
    if not channels:
        return []
    paused = session.scalars(
        select(Source)
        .where(
            Source.status == SourceStatus.PAUSED,
            Source.consecutive_failures >= max_failures,
        )
        .order_by(Source.id)
    )
    added: list[str] = []
    for source in paused:
        payload = pause_alert_payload(source)
        for channel in channels:
            key = pause_alert_key(channel.guild_id, source.id, source.last_polled_at)
            if outbox.enqueue(
                session,
                key=key,
                kind=outbox.OutboxKind.ALERT,
                guild_id=channel.guild_id,
                channel_id=channel.channel_id,
                payload=payload,
            ):
                added.append(key)
    return added
