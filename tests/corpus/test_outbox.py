"""The outbox keeps one row per key and moves rows from pending to sent or failed exactly once."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from corpus import outbox
from corpus.db import transaction
from corpus.tables import OutboxMessage, OutboxStatus


def _add(sessions: sessionmaker[Session], key: str, channel_id: int = 10) -> bool:
    with transaction(sessions) as session:
        return outbox.enqueue(
            session,
            key=key,
            kind=outbox.OutboxKind.DIGEST,
            guild_id=1,
            channel_id=channel_id,
            payload={"type": "digest", "n": key},
        )


def _count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


def test_enqueue_same_key_twice_keeps_one_row(sessions: sessionmaker[Session]) -> None:
    """A second enqueue with the same key adds nothing and says so."""
    assert _add(sessions, "digest:1:10:t:2026-01-01") is True
    assert _add(sessions, "digest:1:10:t:2026-01-01") is False
    assert _count(sessions) == 1


def test_enqueue_racing_threads_keep_one_row(sessions: sessionmaker[Session]) -> None:
    """Eight threads enqueueing the same key at once leave one row and one winner."""
    barrier = threading.Barrier(8)
    results: list[bool] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        added = _add(sessions, "digest:1:10:t:2026-02-02")
        with lock:
            results.append(added)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]
    assert _count(sessions) == 1


def test_begin_attempt_counts_previous_attempts(sessions: sessionmaker[Session]) -> None:
    """Each attempt returns how many came before it."""
    _add(sessions, "k1")
    with sessions() as session:
        item_id = outbox.pending(session)[0].id
    seen = []
    for _ in range(3):
        with transaction(sessions) as session:
            seen.append(outbox.begin_attempt(session, item_id))
    assert seen == [0, 1, 2]


def test_mark_sent_happens_once(sessions: sessionmaker[Session]) -> None:
    """Marking sent stores the message id; a second mark changes nothing."""
    _add(sessions, "k2")
    with sessions() as session:
        item_id = outbox.pending(session)[0].id
    with transaction(sessions) as session:
        assert outbox.mark_sent(session, item_id, 111) is True
    with transaction(sessions) as session:
        assert outbox.mark_sent(session, item_id, 222) is False
        assert outbox.begin_attempt(session, item_id) is None
    with sessions() as session:
        item = outbox.get(session, item_id)
        assert item is not None
        assert (item.status, item.message_id) == (OutboxStatus.SENT, 111)
        assert outbox.pending(session) == []


def test_mark_failed_keeps_reason_and_leaves_pending(sessions: sessionmaker[Session]) -> None:
    """A failed row keeps its reason and is no longer offered for delivery."""
    _add(sessions, "k3")
    _add(sessions, "k4")
    with sessions() as session:
        first, second = outbox.pending(session)
    with transaction(sessions) as session:
        outbox.mark_failed(session, first.id, "The channel was deleted.")
    with sessions() as session:
        assert [i.key for i in outbox.pending(session)] == [second.key]
        failed = outbox.get(session, first.id)
        assert failed is not None and failed.last_error == "The channel was deleted."
        assert outbox.count_by_status(session) == {"failed": 1, "pending": 1}


def test_note_error_keeps_row_pending(sessions: sessionmaker[Session]) -> None:
    """A transient error is recorded and the row stays pending."""
    _add(sessions, "k5")
    with sessions() as session:
        item_id = outbox.pending(session)[0].id
    with transaction(sessions) as session:
        outbox.note_error(session, item_id, "Discord answered 503.")
    with sessions() as session:
        (item,) = outbox.pending(session)
        assert item.last_error == "Discord answered 503."


def test_nonce_and_ref_are_stable_and_short() -> None:
    """The nonce fits Discord's 25 characters and is the same for the same key."""
    key = "digest:123456789012345678:123456789012345678:russia-china:2026-11-24"
    assert outbox.delivery_nonce(key) == outbox.delivery_nonce(key)
    assert len(outbox.delivery_nonce(key)) <= 25
    assert outbox.delivery_ref(key) != outbox.delivery_ref(key + "x")


def test_times_read_back_in_utc(sessions: sessionmaker[Session]) -> None:
    """Stored times come back timezone-aware in UTC on every database."""
    _add(sessions, "k6")
    with sessions() as session:
        (item,) = outbox.pending(session)
    assert item.created_at.utcoffset() is not None
    assert item.created_at.utcoffset().total_seconds() == 0
