"""Source pause alerts: one outbox message per pause per guild, none for an admin's pause."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from corpus import alerts, outbox, sources
from corpus.db import transaction

MAX = 3
T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def add_source(sessions, url: str = "https://feeds.example.org/rss") -> int:
    with transaction(sessions) as session:
        return sources.add_source(session, url, added_by_guild=1).id


def fail(sessions, source_id: int, times: int, start: datetime = T0) -> None:
    for n in range(times):
        with transaction(sessions) as session:
            sources.record_poll_failure(
                session,
                source_id,
                "the server answered 503",
                max_failures=MAX,
                now=start + timedelta(minutes=n),
            )


def sweep(sessions) -> list[str]:
    with transaction(sessions) as session:
        return alerts.enqueue_pause_alerts(session, max_failures=MAX)


def alert_items(sessions) -> list[outbox.OutboxItem]:
    with sessions() as session:
        return [i for g in (1, 2) for i in outbox.for_guild(session, g, kind="alert", limit=100)]


def set_channel(sessions, guild: int, channel: int) -> None:
    with transaction(sessions) as session:
        alerts.set_alert_channel(session, guild, channel)


def test_pause_after_failures_alerts_each_guild_once(sessions) -> None:
    """Two guilds with alert channels get one alert each, however often the sweep runs."""
    set_channel(sessions, 1, 11)
    set_channel(sessions, 2, 22)
    source_id = add_source(sessions)
    fail(sessions, source_id, MAX)
    assert len(sweep(sessions)) == 2
    assert sweep(sessions) == []
    items = alert_items(sessions)
    assert sorted(i.channel_id for i in items) == [11, 22]
    payload = items[0].payload
    assert payload["source_id"] == source_id and "503" in payload["reason"]
    assert payload["url"] == "https://feeds.example.org/rss"


def test_admin_pause_raises_no_alert(sessions) -> None:
    """A source paused by an admin is not a health problem."""
    set_channel(sessions, 1, 11)
    source_id = add_source(sessions)
    fail(sessions, source_id, 1)
    with transaction(sessions) as session:
        sources.pause_source(session, source_id)
    assert sweep(sessions) == []


def test_failures_below_the_threshold_raise_no_alert(sessions) -> None:
    """A source still active after a few failures is not reported."""
    set_channel(sessions, 1, 11)
    fail(sessions, add_source(sessions), MAX - 1)
    assert sweep(sessions) == []


def test_a_second_pause_after_resume_alerts_again(sessions) -> None:
    """Resume, then fail again: a new pause, a new alert."""
    set_channel(sessions, 1, 11)
    source_id = add_source(sessions)
    fail(sessions, source_id, MAX)
    sweep(sessions)
    with transaction(sessions) as session:
        sources.resume_source(session, source_id)
    fail(sessions, source_id, MAX, start=T0 + timedelta(hours=5))
    assert len(sweep(sessions)) == 1
    assert len(alert_items(sessions)) == 2


def test_changing_the_alert_channel_does_not_repeat_an_alert(sessions) -> None:
    """The same pause is told once per guild, even if the channel changes later."""
    set_channel(sessions, 1, 11)
    source_id = add_source(sessions)
    fail(sessions, source_id, MAX)
    sweep(sessions)
    set_channel(sessions, 1, 12)
    assert sweep(sessions) == []
    with sessions() as session:
        assert alerts.alert_channel(session, 1) == 12


def test_no_alert_channel_means_no_alert(sessions) -> None:
    """Without a chosen channel nothing is queued; clearing the channel stops alerts."""
    source_id = add_source(sessions)
    fail(sessions, source_id, MAX)
    assert sweep(sessions) == []
    set_channel(sessions, 1, 11)
    with transaction(sessions) as session:
        assert alerts.clear_alert_channel(session, 1) is True
        assert alerts.clear_alert_channel(session, 1) is False
    assert sweep(sessions) == []


def _failed_item(sessions, source_id: int, n: int, *, kept: bool = False) -> None:
    from corpus.articles import discover, mark_failed
    from corpus.tables import Article, ArticleStatus

    with transaction(sessions) as session:
        url = f"https://feeds.example.org/item-{n}"
        article_id, _ = discover(session, url, url, source_id)
        if kept:
            session.get(Article, article_id).status = ArticleStatus.READY
        else:
            mark_failed(session, article_id, "it is an image (image/png), not an article")


def sweep_all(sessions) -> list[str]:
    with transaction(sessions) as session:
        return alerts.enqueue_source_alerts(session, max_failures=MAX)


def test_a_source_whose_items_keep_failing_alerts_once_per_run(sessions) -> None:
    """Items failing with working polls alert once; again only after a kept item and new run."""
    set_channel(sessions, 1, 11)
    source_id = add_source(sessions)
    for n in range(2):
        _failed_item(sessions, source_id, n)
    (key,) = sweep_all(sessions)
    assert "items-failing" in key
    assert sweep_all(sessions) == []
    (item,) = alert_items(sessions)
    assert item.payload["alert"] == alerts.ITEMS_FAILING
    assert "image/png" in item.payload["last_error"]
    assert "2 of its items failed and 0 were stored" in item.payload["reason"]
    _failed_item(sessions, source_id, 2, kept=True)
    assert sweep_all(sessions) == []
    for n in range(3, 6):
        _failed_item(sessions, source_id, n)
    assert len(sweep_all(sessions)) == 1


def test_a_source_with_a_stored_item_does_not_alert(sessions) -> None:
    """One failed item among stored ones is no alert."""
    set_channel(sessions, 1, 11)
    source_id = add_source(sessions)
    _failed_item(sessions, source_id, 0, kept=True)
    _failed_item(sessions, source_id, 1)
    assert sweep_all(sessions) == []
