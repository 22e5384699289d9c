"""The corpus clock: stored times read back as aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from corpus.clock import as_utc


def test_as_utc_reads_naive_as_utc_and_converts_other_zones() -> None:
    """A naive time (SQLite) is taken as UTC; an aware one is converted; None stays None."""
    naive = datetime(2026, 11, 24, 12, 0)
    moscow = datetime(2026, 11, 24, 15, 0, tzinfo=timezone(timedelta(hours=3)))
    assert as_utc(naive) == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert as_utc(moscow).tzinfo is UTC and as_utc(moscow).hour == 12
    assert as_utc(None) is None
