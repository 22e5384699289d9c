"""/digest callbacks with spec'd fake interactions; the database and the composer are real."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest
from discord import app_commands
from sqlalchemy.orm import Session

from bot import errors
from bot.app import BotResources
from bot.extensions.digest._cog import DigestCog, TimeOfDay, TimeZoneName, outbox_sweep
from corpus import outbox, sources
from corpus.db import make_engine, make_session_factory, transaction
from corpus.digests import schedules
from corpus.settings import Settings
from testing.discord_interaction import (
    admin_interaction,
    command_of,
    fake_interaction,
    invoke,
    text_channel,
)

GUILD = 7


@pytest.fixture
def sessions(settings: Settings):
    engine = make_engine(settings.effective_database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def cog(settings, sessions) -> DigestCog:
    return DigestCog(BotResources(settings=settings, sessions=sessions))


def _schedule(session: Session, channel_id: int, **changes: Any) -> None:
    """A daily 08:00 UTC digest of russia-china in the guild's channel ``channel_id``."""
    options: dict[str, Any] = {"topic": "russia-china", "time_of_day": "08:00", "timezone": "UTC"}
    schedules.set_schedule(session, guild_id=GUILD, channel_id=channel_id, **(options | changes))


def followup(interaction) -> dict:
    call = interaction.followup.send.await_args
    assert call.kwargs.get("ephemeral") is True
    return call.kwargs


@pytest.mark.parametrize("name", ["set", "off", "status"])
async def test_admin_commands_refuse_a_non_admin(cog, name) -> None:
    """set, off and status check Manage Server on our side."""
    interaction = admin_interaction(fake_interaction(guild_id=GUILD), admin=False)
    with pytest.raises(app_commands.MissingPermissions):
        await invoke(command_of(cog, name), interaction, cog)


def test_preview_is_open_to_everyone_and_the_group_is_guild_only(cog) -> None:
    """Preview has no permission check; the whole group exists only in servers."""
    assert command_of(cog, "preview").checks == []
    assert cog.app_command.guild_only is True
    assert cog.app_command.default_permissions is None


@pytest.mark.parametrize("value", ["25:00", "8am", "7.30", ""])
async def test_bad_time_is_refused_before_the_command_runs(value) -> None:
    """The time transformer refuses anything but HH:MM with an example."""
    with pytest.raises(errors.UserError, match=r"HH:MM|00 to 23"):
        await TimeOfDay().transform(fake_interaction(), value)


async def test_bad_time_zone_is_refused_with_examples() -> None:
    """An unknown zone is refused, naming valid ones."""
    with pytest.raises(errors.UserError, match="Europe/Berlin"):
        await TimeZoneName().transform(fake_interaction(), "Europe/Atlantis")
    assert await TimeZoneName().transform(fake_interaction(), "asia/tokyo") == "Asia/Tokyo"


async def test_time_zone_autocomplete_suggests_iana_names() -> None:
    """Typing part of a city suggests the zone."""
    choices = await TimeZoneName().autocomplete(fake_interaction(), "berl")
    assert [c.value for c in choices] == ["Europe/Berlin"]


async def test_set_stores_the_schedule_and_says_when_it_comes(cog, sessions) -> None:
    """An admin's /digest set stores the schedule and replies with the first digest's time."""
    interaction = admin_interaction(fake_interaction(guild_id=GUILD, user_id=5))
    await invoke(
        command_of(cog, "set"),
        interaction,
        cog,
        channel=text_channel(interaction, 555),
        time="08:00",
        timezone="Europe/Berlin",
        topic=None,
        frequency="weekly",
    )
    with sessions() as session:
        (schedule,) = schedules.list_schedules(session, GUILD)
    assert (schedule.channel_id, schedule.topic, schedule.frequency) == (
        555,
        "russia-china",
        "weekly",
    )
    assert schedule.timezone == "Europe/Berlin"
    embed = followup(interaction)["embeds"][0].to_dict()
    assert "every Monday at 08:00 Europe/Berlin" in embed["description"]
    assert "The first digest comes Mon" in embed["description"]


async def test_set_refuses_a_channel_the_bot_cannot_post_in(cog, sessions) -> None:
    """A channel without the bot's posting permissions is refused and nothing is stored."""
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    with pytest.raises(errors.UserError, match="Send Messages"):
        await invoke(
            command_of(cog, "set"),
            interaction,
            cog,
            channel=text_channel(interaction, 556, can_post=False),
            time="08:00",
            timezone="UTC",
        )
    with sessions() as session:
        assert schedules.list_schedules(session, GUILD) == []


async def test_set_refuses_an_unknown_topic(cog) -> None:
    """An unknown topic is refused, pointing at /topics list."""
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    with pytest.raises(errors.UserError, match="/topics list"):
        await invoke(
            command_of(cog, "set"),
            interaction,
            cog,
            channel=text_channel(interaction),
            time="08:00",
            timezone="UTC",
            topic="no-such-topic",
        )


async def test_off_stops_only_the_named_channel(cog, sessions) -> None:
    """/digest off channel:X leaves the other channel's digest on."""
    with transaction(sessions) as session:
        for channel in (1, 2):
            _schedule(session, channel)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    await invoke(
        command_of(cog, "off"), interaction, cog, channel=text_channel(interaction, 2), topic=None
    )
    assert interaction.followup.send.await_args.args[0].startswith("Turned off:\n<#2>")
    with sessions() as session:
        on = schedules.list_schedules(session, GUILD, enabled_only=True)
    assert [s.channel_id for s in on] == [1]


async def test_off_accepts_a_topic_alias_and_refuses_an_unknown_topic(cog, sessions) -> None:
    """/digest off topic:china-russia stops the russia-china digest; an unknown topic is refused."""
    with transaction(sessions) as session:
        _schedule(session, 1)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    with pytest.raises(errors.UserError, match="no topic “nope”"):
        await invoke(command_of(cog, "off"), interaction, cog, channel=None, topic="nope")
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    await invoke(command_of(cog, "off"), interaction, cog, channel=None, topic="china-russia")
    assert interaction.followup.send.await_args.args[0].startswith("Turned off:\n<#1>")
    with sessions() as session:
        assert schedules.list_schedules(session, GUILD, enabled_only=True) == []


async def test_status_surfaces_a_failed_delivery_and_its_reason(cog, sessions) -> None:
    """A digest that could not be posted shows up in /digest status with the reason."""
    with transaction(sessions) as session:
        _schedule(session, 9)
        outbox.enqueue(
            session,
            key="digest:7:9:russia-china:2026-11-24",
            kind="digest",
            guild_id=GUILD,
            channel_id=9,
            payload={"period_date": "2026-11-24"},
        )
        item = outbox.get_by_key(session, "digest:7:9:russia-china:2026-11-24")
        outbox.mark_failed(session, item.id, "The bot may not post in <#9>: give it Send Messages.")
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    await invoke(command_of(cog, "status"), interaction, cog)
    embeds = [e.to_dict() for e in followup(interaction)["embeds"]]
    assert "<#9> · `russia-china` · every day at 08:00 UTC" in embeds[0]["description"]
    assert (
        "❌ digest 2026-11-24 → <#9> **not posted:** The bot may not post"
        in embeds[1]["description"]
    )


async def test_preview_shows_this_channels_next_digest_to_anyone(cog, sessions) -> None:
    """A member without Manage Server previews the channel's next digest, only for them."""
    with transaction(sessions) as session:
        _schedule(session, 321, timezone="Asia/Tokyo", now=datetime.now(UTC) - timedelta(days=2))
    interaction = admin_interaction(fake_interaction(guild_id=GUILD), admin=False)
    await invoke(command_of(cog, "preview"), interaction, cog, topic=None)
    sent = followup(interaction)
    assert sent["content"].startswith("🗞️ **Daily digest · Russia–China")
    assert sent["content"].endswith("· preview")  # the server's one digest, previewed
    assert sent["embeds"][0].title.startswith("📰 What's new since")


async def test_preview_of_a_weekly_digest_says_weekly_from_any_channel(cog, sessions) -> None:
    """The server's weekly digest of the topic is previewed as weekly, not "Daily"."""
    with transaction(sessions) as session:
        _schedule(session, 321, frequency="weekly", now=datetime.now(UTC) - timedelta(days=9))
    interaction = admin_interaction(fake_interaction(guild_id=GUILD), admin=False)
    interaction.channel_id = 999
    await invoke(command_of(cog, "preview"), interaction, cog, topic="russia-china")
    content = followup(interaction)["content"]
    assert content.startswith("🗞️ **Weekly digest · Russia–China") and "week to" in content


async def test_preview_without_a_digest_does_not_call_itself_daily(cog) -> None:
    """With no digest set up, the preview says it shows the last day's news."""
    interaction = admin_interaction(fake_interaction(guild_id=GUILD), admin=False)
    await invoke(command_of(cog, "preview"), interaction, cog, topic="russia-china")
    content = followup(interaction)["content"]
    assert "Daily" not in content and "the last day's news" in content


def test_bot_composes_digests_itself_only_without_a_broker(settings, sessions) -> None:
    """Without Redis the delivery sweep composes due digests; with Redis it leaves that to beat."""
    with transaction(sessions) as session:
        _schedule(session, 1, now=datetime.now(UTC) - timedelta(days=2))
        sources.add_source(session, "https://x.example/rss")
    with_broker = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    outbox_sweep(BotResources(settings=with_broker, sessions=sessions))()
    with sessions() as session:
        assert outbox.pending(session) == []
    outbox_sweep(BotResources(settings=settings, sessions=sessions))()
    with sessions() as session:
        assert len(outbox.pending(session)) == 2


async def test_set_refuses_a_voice_channel(cog, sessions) -> None:
    """Digests go to text channels; a voice channel is refused with what to choose."""
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    voice = text_channel(interaction, 557, kind=discord.ChannelType.voice)
    with pytest.raises(errors.UserError, match="not a text channel"):
        await invoke(
            command_of(cog, "set"), interaction, cog, channel=voice, time="08:00", timezone="UTC"
        )


async def test_delivery_starts_when_connected_and_stops_with_the_cog(settings, sessions) -> None:
    """On ready the outbox loop runs a real pass; unloading the cog cancels it while idle."""
    from bot.app import NewsbriefBot

    bot = NewsbriefBot(BotResources(settings=settings, sessions=sessions))
    await bot.load_extensions()
    # An earlier test's bot.close() unloads the extensions, and discord.py then drops their
    # modules: the cog's class is the one loaded now, not the one imported at the top.
    from bot.extensions.digest._cog import DigestCog as LoadedDigestCog

    cog = bot.get_cog("DigestCog")
    assert isinstance(cog, LoadedDigestCog) and cog.delivery is not None
    delivery = cog.delivery
    passes: asyncio.Queue[object] = asyncio.Queue()
    run_once = delivery.run_once

    async def counted_pass() -> Any:
        report = await run_once()
        passes.put_nowait(report)  # the loop goes on to its idle wait before the test resumes
        return report

    delivery.run_once = counted_pass  # type: ignore[method-assign]
    try:
        await cog.on_ready()
        task = delivery.start()  # idempotent: the running task
        # Wait for a whole pass (its database work in threads included), so the cancel below
        # always lands in the idle wait and no thread outlives the test's database.
        await asyncio.wait_for(passes.get(), timeout=60)
        assert not task.done()
        await bot.remove_cog("DigestCog")
        assert task.cancelled()
        assert passes.empty()
    finally:
        await bot.close()


async def test_status_hides_digests_turned_off_more_than_a_week_ago(cog, sessions) -> None:
    """A digest off for eight days is not listed; one turned off yesterday still is."""
    now = datetime.now(UTC)
    with transaction(sessions) as session:
        for channel in (501, 502):
            _schedule(session, channel, now=now - timedelta(days=20))
        schedules.disable_schedules(
            session, guild_id=GUILD, channel_id=501, now=now - timedelta(days=8)
        )
        schedules.disable_schedules(
            session, guild_id=GUILD, channel_id=502, now=now - timedelta(days=1)
        )
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    await invoke(command_of(cog, "status"), interaction, cog)
    text = followup(interaction)["embeds"][0].to_dict()["description"]
    assert "<#501>" not in text
    assert "<#502> · `russia-china`" in text and "**off**" in text
