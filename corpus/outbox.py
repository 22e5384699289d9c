"""The outbox: messages composed once, delivered by the bot, marked sent only after Discord accepts.

Composition is exactly-once through the unique ``key`` (``INSERT ... ON CONFLICT DO NOTHING`` on
both SQLite and PostgreSQL). Delivery is at-least-once from the database's point of view; the bot
closes the remaining window with :func:`delivery_nonce` (Discord drops a second message with the
same nonce for a few minutes) and :func:`delivery_ref` (a reference printed in the message footer
that the bot looks for in the channel's recent messages before it resends).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from corpus.clock import as_utc, utcnow
from corpus.db import dialect_insert
from corpus.tables import OutboxMessage, OutboxStatus


class OutboxKind(StrEnum):
    """What an outbox message is."""

    DIGEST = "digest"
    ALERT = "alert"


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A read-only copy of one outbox row."""

    id: int
    key: str
    kind: str
    guild_id: int | None
    channel_id: int
    payload: dict[str, Any]
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    message_id: int | None

    @property
    def ref(self) -> str:
        """The reference printed in the delivered message; see :func:`delivery_ref`."""
        return delivery_ref(self.key)

    @property
    def nonce(self) -> str:
        """The nonce sent with the message; see :func:`delivery_nonce`."""
        return delivery_nonce(self.key)


def _item(row: OutboxMessage) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        key=row.key,
        kind=row.kind,
        guild_id=row.guild_id,
        channel_id=row.channel_id,
        payload=dict(row.payload),
        status=row.status,
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=as_utc(row.created_at),
        sent_at=as_utc(row.sent_at),
        message_id=row.message_id,
    )


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def delivery_ref(key: str) -> str:
    """Return a short reference for ``key``, printed in the message so a resend can find it."""
    return _digest(key)[:12]


def delivery_nonce(key: str) -> str:
    """Return the Discord nonce for ``key`` (at most 25 characters, the same on every attempt)."""
    return "nb" + _digest(key)[:22]


def enqueue(
    session: Session,
    *,
    key: str,
    kind: str,
    channel_id: int,
    payload: dict[str, Any],
    guild_id: int | None = None,
) -> bool:
    """Add a message unless one with ``key`` exists; return True when this call added it.

    Safe under concurrency: two composers racing on the same key leave exactly one row.
    """
    values: dict[str, Any] = {
        "key": key,
        "kind": kind,
        "guild_id": guild_id,
        "channel_id": channel_id,
        "payload": payload,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "created_at": utcnow(),
    }
    stmt = dialect_insert(session, OutboxMessage).values(**values)
    added = stmt.on_conflict_do_nothing(index_elements=["key"]).returning(OutboxMessage.id)
    return session.execute(added).scalar() is not None


def exists(session: Session, key: str) -> bool:
    """Return True when a message with ``key`` was already composed."""
    return session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None


def get(session: Session, item_id: int) -> OutboxItem | None:
    """Return one message by id, or None."""
    row = session.get(OutboxMessage, item_id)
    return _item(row) if row is not None else None


def get_by_key(session: Session, key: str) -> OutboxItem | None:
    """Return one message by key, or None."""
    row = session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
    return _item(row) if row is not None else None


def pending(session: Session, limit: int = 20) -> list[OutboxItem]:
    """Return the oldest messages still waiting for delivery."""
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
        .limit(limit)
    )
    return [_item(row) for row in rows]


def begin_attempt(session: Session, item_id: int) -> int | None:
    """Record that a send is starting; return the attempts made before, or None if not pending.

    Committed before the send, so after a crash the next attempt knows an earlier one may have
    reached Discord and checks the channel first.
    """
    row = session.get(OutboxMessage, item_id, with_for_update=True)
    if row is None or row.status != OutboxStatus.PENDING:
        return None
    before = row.attempts
    row.attempts = before + 1
    return before


def mark_sent(session: Session, item_id: int, message_id: int) -> bool:
    """Mark a message sent with the Discord message id; return False if it was not pending."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == item_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SENT, message_id=message_id, sent_at=utcnow(), last_error=None)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def mark_failed(session: Session, item_id: int, reason: str) -> None:
    """Give up on a message for good, keeping the reason for the admins."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == item_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.FAILED, last_error=reason)
    )


def note_error(session: Session, item_id: int, reason: str) -> None:
    """Record a transient delivery error; the message stays pending and is tried again."""
    session.execute(
        update(OutboxMessage).where(OutboxMessage.id == item_id).values(last_error=reason)
    )


def for_guild(
    session: Session, guild_id: int, *, kind: str | None = None, limit: int = 10
) -> list[OutboxItem]:
    """Return a guild's newest messages (any status), newest first."""
    query = select(OutboxMessage).where(OutboxMessage.guild_id == guild_id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    rows = session.scalars(
        query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(limit)
    )
    return [_item(row) for row in rows]


def count_by_status(session: Session) -> dict[str, int]:
    """Return how many messages are in each status."""
    rows = session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    return {status: int(count) for status, count in rows}
