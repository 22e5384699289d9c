"""From schedule to channel: composed digests and alerts are rendered and posted exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord

from bot.app import BotResources
from bot.delivery import DeliveryLoop
from bot.extensions.digest import _embeds
from bot.extensions.digest._cog import _on_channel_gone, outbox_sweep
from corpus import alerts, outbox, sources
from corpus.brief import compose_brief
from corpus.db import transaction
from corpus.digests import composition, schedules
from corpus.tables import OutboxStatus, Story
from testing.discord_channel import BOT_USER_ID, FakeChannel, FakeGuildChannels, http_error
from testing.stored_articles import TOPIC, add_article, add_topic

GUILD = 1
DAY0 = datetime(2026, 11, 1, tzinfo=UTC)


def loop_for(sessions, channels: FakeGuildChannels, settings) -> DeliveryLoop:
    # With a broker configured the bot leaves composing to beat and only queues alerts.
    settings = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    return DeliveryLoop(
        sessions,
        channels.resolve,
        {"digest": _embeds.digest_message, "alert": _embeds.alert_message},
        bot_user_id=lambda: BOT_USER_ID,
        sweep=outbox_sweep(BotResources(settings=settings, sessions=sessions)),
        on_channel_gone=_on_channel_gone,
        backoff=lambda attempts: 0.0,
    )


def setup_schedule(sessions, channel: int) -> None:
    with transaction(sessions) as session:
        add_topic(session)
        schedules.set_schedule(
            session,
            guild_id=GUILD,
            channel_id=channel,
            topic=TOPIC,
            time_of_day="09:00",
            timezone="Europe/Berlin",
            now=DAY0,
        )
        story = Story()
        session.add(story)
        add_article(
            session,
            key="k1",
            site="tass.com",
            title="Power of Siberia 2 agreed",
            published=DAY0 + timedelta(days=1, hours=2),
            fetched=DAY0 + timedelta(days=1, hours=3),
            story=story,
            summary=["Russia and China agreed the Power of Siberia 2 route in Moscow."],
        )


async def test_stored_digests_are_posted_once_with_date_stories_and_reference(
    sessions, settings
) -> None:
    """Digests composed into the database are posted from their stored JSON, once each."""
    setup_schedule(sessions, 10)
    composition.compose_due_digests(sessions, compose_brief, now=DAY0 + timedelta(days=3))
    chan = FakeChannel(10)
    loop = loop_for(sessions, FakeGuildChannels(chan), settings)
    await loop.run_once()
    await loop.run_once()
    assert [m.content.splitlines()[0] for m in chan.messages] == [
        "🗞️ **Daily digest · Russia–China relations** — Sunday 1 November 2026",
        "🗞️ **Daily digest · Russia–China relations** — Monday 2 November 2026",
        "🗞️ **Daily digest · Russia–China relations** — Tuesday 3 November 2026",
    ]
    bodies = [m.embeds[0].description for m in chan.messages]
    assert "Power of Siberia 2 agreed" in bodies[1]  # fetched on 2 Nov, 04:00 Berlin
    assert bodies[0].startswith("Nothing new on Russia–China relations since Sat 31 Oct, 09:00")
    assert bodies[2].startswith("Nothing new on Russia–China relations since Mon 2 Nov, 09:00")
    with sessions() as session:
        items = outbox.for_guild(session, GUILD, limit=10)
    refs = sorted(m.content.rsplit("\n", 1)[1] for m in chan.messages)
    assert refs == sorted(f"-# ref {item.ref}" for item in items)
    with sessions() as session:
        assert outbox.count_by_status(session) == {OutboxStatus.SENT: 3}


async def test_deleted_channel_fails_the_digest_and_turns_its_schedule_off(
    sessions, settings
) -> None:
    """A digest for a deleted channel fails with the reason; that schedule stops."""
    setup_schedule(sessions, 99)
    composition.compose_due_digests(sessions, compose_brief, now=DAY0 + timedelta(days=1))
    report = await loop_for(sessions, FakeGuildChannels(), settings).run_once()
    assert all("no longer exists" in reason for reason in report.failed.values())
    with sessions() as session:
        assert schedules.list_schedules(session, GUILD, enabled_only=True) == []


async def test_paused_source_alert_reaches_the_alert_channel_once(sessions, settings) -> None:
    """A source paused after failures is announced once in the chosen channel."""
    with transaction(sessions) as session:
        alerts.set_alert_channel(session, GUILD, 20)
        source_id = sources.add_source(session, "https://feeds.example.org/rss").id
        for _ in range(settings.max_consecutive_failures):
            sources.record_poll_failure(
                session,
                source_id,
                "The server answered 503.",
                max_failures=settings.max_consecutive_failures,
            )
    chan = FakeChannel(20)
    loop = loop_for(sessions, FakeGuildChannels(chan), settings)
    for _ in range(3):
        await loop.run_once()
    (message,) = chan.messages
    assert message.content.startswith("⚠️ **Source paused:** <https://feeds.example.org/rss>")
    assert message.embeds[0].title == f"⏸️ Source #{source_id} was paused"


async def test_alert_to_a_forbidden_channel_is_failed_with_the_permissions_needed(
    sessions, settings
) -> None:
    """Missing permissions fail the alert for good, naming what to grant."""
    with transaction(sessions) as session:
        alerts.set_alert_channel(session, GUILD, 21)
        source_id = sources.add_source(session, "https://feeds.example.org/atom").id
        for _ in range(settings.max_consecutive_failures):
            sources.record_poll_failure(
                session, source_id, "timeout", max_failures=settings.max_consecutive_failures
            )
    chan = FakeChannel(21, fail_before=[http_error(discord.Forbidden, 403, 50013, "Missing")])
    report = await loop_for(sessions, FakeGuildChannels(chan), settings).run_once()
    (reason,) = report.failed.values()
    assert "View Channel, Send Messages, Embed Links and Read Message History" in reason
