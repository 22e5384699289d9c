"""Source health alerts: tell each guild's chosen channel, once, when a source was paused.

The worker pauses a source after ``max_consecutive_failures`` failed polls in a row
(``corpus.sources.record_poll_failure``). :func:`enqueue_pause_alerts` turns every such pause
into one outbox message per guild that chose an alert channel. The pause event is identified by
the time of the poll that paused the source (a paused source is not polled, so the time stays
put until an admin resumes it), which makes the outbox key unique per pause and per guild.
Sources paused by an admin (fewer failures than the threshold) raise no alert.

A source whose polls work but whose items keep failing (a feed of images, a page with no
article: ``corpus.sources.ItemHealth.failing``) raises an alert too, once per run of failures:
the key names the newest item that was kept before the run began.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corpus import outbox
from corpus.clock import as_utc
from corpus.sources import ItemHealth, item_health
from corpus.tables import AlertChannel, Article, ArticleStatus, Source, SourceStatus

PAYLOAD_VERSION = 1
SOURCE_PAUSED = "source-paused"
ITEMS_FAILING = "items-failing"


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
        "alert": SOURCE_PAUSED,
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
        keys = {
            c.guild_id: pause_alert_key(c.guild_id, source.id, source.last_polled_at)
            for c in channels
        }
        added += _to_every_channel(session, channels, payload, keys)
    return added


def _to_every_channel(
    session: Session,
    channels: Sequence[AlertChannel],
    payload: dict[str, Any],
    keys: Mapping[int, str],
) -> list[str]:
    """Queue ``payload`` for each guild's alert channel under its guild's key; return new keys."""
    added: list[str] = []
    for channel in channels:
        key = keys[channel.guild_id]
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


def items_failing_key(guild_id: int, source_id: int, last_kept_id: int) -> str:
    """Return the outbox key of the alert about one run of failing items of one source."""
    return f"alert:{ITEMS_FAILING}:{guild_id}:{source_id}:after-{last_kept_id}"


def items_failing_payload(source: Source, items: ItemHealth) -> dict[str, Any]:
    """Return the outbox payload of an items-failing alert: the counts and latest reasons."""
    return {
        "type": outbox.OutboxKind.ALERT,
        "version": PAYLOAD_VERSION,
        "alert": ITEMS_FAILING,
        "source_id": source.id,
        "url": source.url,
        "topic": source.topic,
        "reason": (
            f"{items.failed} of its items failed and {items.stored} were stored; "
            "its polls work, but nothing usable comes of them."
        ),
        "last_error": "; ".join(items.recent_failures) or None,
        "stored": items.stored,
        "failed": items.failed,
    }


def enqueue_item_failure_alerts(session: Session) -> list[str]:
    """Queue one alert per guild for every active source whose items keep failing.

    Idempotent, like :func:`enqueue_pause_alerts`; a source alerts again only after one of
    its items was kept and a new run of failures began.
    """
    channels = list(session.scalars(select(AlertChannel).order_by(AlertChannel.guild_id)))
    if not channels:
        return []
    # Only sources with a failed item can qualify (the status index finds them cheaply).
    with_failures = select(Article.source_id).where(Article.status == ArticleStatus.FAILED)
    active = session.scalars(
        select(Source)
        .where(Source.status == SourceStatus.ACTIVE, Source.id.in_(with_failures))
        .order_by(Source.id)
    )
    added: list[str] = []
    for source in active:
        items = item_health(session, source.id)
        if not items.failing:
            continue
        payload = items_failing_payload(source, items)
        keys = {
            c.guild_id: items_failing_key(c.guild_id, source.id, items.last_kept_id)
            for c in channels
        }
        added += _to_every_channel(session, channels, payload, keys)
    return added


def enqueue_source_alerts(session: Session, *, max_failures: int) -> list[str]:
    """Queue every source alert that is due: paused sources and sources whose items fail."""
    return enqueue_pause_alerts(session, max_failures=max_failures) + (
        enqueue_item_failure_alerts(session)
    )
