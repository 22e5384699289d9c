"""/sources callbacks with spec'd fake interactions; database, URL check and first poll are real."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import discord
import pytest
from discord import app_commands

from bot import errors
from bot.app import BotResources
from bot.extensions.sources._cog import SourcesCog
from bot.task_senders import NextPollTaskSender
from corpus import alerts, jobs, sources
from corpus.db import make_engine, make_session_factory, transaction
from corpus.settings import Settings
from newsbrief.url_check import source_url_checker
from testing.discord_interaction import (
    admin_interaction,
    command_of,
    fake_interaction,
    invoke,
    text_channel,
)
from worker.pipeline import Stages, poll_source, process_article
from worker.wiring import build_stages

GUILD = 7


@pytest.fixture
def sessions(settings: Settings):
    engine = make_engine(settings.effective_database_url)
    yield make_session_factory(engine)
    engine.dispose()


def make_cog(settings: Settings, sessions, *, private_ok: bool = True, wait: float = 20.0):
    checked = settings.model_copy(update={"allow_private_networks": private_ok})
    resources = BotResources(
        settings=settings,
        sessions=sessions,
        send_task=NextPollTaskSender(),
        check_url=source_url_checker(checked),
    )
    return SourcesCog(resources, first_poll_wait=wait)


@contextmanager
def worker_thread(
    cog: SourcesCog, settings: Settings, sessions, *, fetch: bool = True
) -> Iterator[Stages]:
    """A worker running the poll the cog sends, then fetching what it found unless not ``fetch``."""
    stages = build_stages(settings, sessions)
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set() and not cog.resources.send_task.requested:
            time.sleep(0.05)
        for _job, args in cog.resources.send_task.requested:
            for article_id in poll_source(stages, *args).article_ids:
                if fetch:
                    process_article(stages, article_id)

    thread = threading.Thread(target=work)
    thread.start()
    try:
        yield stages
    finally:
        stop.set()
        thread.join(timeout=60)
        stages.close()


def last_embed(interaction) -> dict:
    call = interaction.edit_original_response.await_args
    return call.kwargs["embeds"][-1].to_dict()


def ephemeral_text(interaction) -> str:
    call = interaction.followup.send.await_args
    assert call.kwargs.get("ephemeral") is True
    return call.args[0] if call.args else call.kwargs["content"]


@pytest.mark.parametrize(
    "name", ["add", "list", "edit", "poll", "remove", "pause", "resume", "alerts"]
)
async def test_every_sources_command_refuses_a_non_admin(settings, sessions, name) -> None:
    """Without Manage Server the server-side check refuses, whatever Discord let through."""
    cog = make_cog(settings, sessions)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD), admin=False)
    with pytest.raises(app_commands.MissingPermissions) as caught:
        await invoke(command_of(cog, name), interaction, cog)
    assert errors.user_message(caught.value) == (
        "You need the Manage Server permission to use this command."
    )


def test_sources_group_is_guild_only_with_manage_server_by_default(settings, sessions) -> None:
    """Discord hides /sources from non-admins by default and never offers it in DMs."""
    group = make_cog(settings, sessions).app_command
    assert group.guild_only is True
    assert group.default_permissions == discord.Permissions(manage_guild=True)


async def test_add_refuses_a_private_address_and_stores_nothing(settings, sessions) -> None:
    """A private address is refused with the reason; nothing is stored or queued."""
    cog = make_cog(settings, sessions, private_ok=False)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    with pytest.raises(sources.SourceError) as caught:
        await invoke(command_of(cog, "add"), interaction, cog, url="http://192.168.1.20/feed.xml")
    assert errors.user_message(caught.value) == (
        "The address 192.168.1.20 is refused: it is a private network address."
    )
    with sessions() as session:
        assert sources.list_sources(session) == []
    assert cog.resources.send_task.requested == []


async def test_add_refuses_a_duplicate_with_its_id(settings, sessions) -> None:
    """Adding a URL twice says which source it already is."""
    with transaction(sessions) as session:
        existing = sources.add_source(session, "https://news.example.org/feed.xml")
    cog = make_cog(settings, sessions)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    with pytest.raises(sources.SourceError) as caught:
        await invoke(
            command_of(cog, "add"), interaction, cog, url="https://news.example.org/feed.xml"
        )
    assert f"already source {existing.id}" in errors.user_message(caught.value)


async def test_add_reports_what_the_first_poll_found(settings, sessions, test_site) -> None:
    """The reply is edited with the first poll's findings once the worker has polled."""
    cog = make_cog(settings, sessions)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD, user_id=99))
    with worker_thread(cog, settings, sessions):
        await invoke(
            command_of(cog, "add"),
            interaction,
            cog,
            url=test_site.url("/feed.xml"),
            topic="russia-china",
        )
    assert cog.resources.send_task.requested == [(jobs.POLL_SOURCE, (1,))]
    first = interaction.edit_original_response.await_args_list[0].kwargs["embeds"][0].to_dict()
    assert "⏳" in first["description"]
    final = last_embed(interaction)
    assert final["title"] == "📡 Source #1 added"
    assert "✅ First poll:" in final["description"]
    assert "Items: 5 stored" in final["description"]
    with sessions() as session:
        row = sources.get_source(session, 1)
    assert row is not None and row.added_by_guild == GUILD and row.added_by_user == 99
    assert row.last_poll_summary and row.last_poll_summary in final["description"]


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def test_add_reports_items_that_all_failed(settings, sessions, test_site) -> None:
    """A source whose only item fails (an image) is no ✅: the reply counts it and says why."""
    test_site.add_page("/logo.png", PNG, content_type="image/png")
    cog = make_cog(settings, sessions)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    with worker_thread(cog, settings, sessions):
        await invoke(command_of(cog, "add"), interaction, cog, url=test_site.url("/logo.png"))
    final = last_embed(interaction)["description"]
    assert "✅" not in final
    assert "❌ First poll:" in final and "Items: 0 stored · 1 failed" in final
    assert "Latest item failures:" in final and "image/png" in final
    assert "found 1 item, 1 new" in final
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    await invoke(command_of(cog, "list"), interaction, cog)
    listed = interaction.followup.send.await_args.kwargs["embeds"][0].to_dict()
    assert "❌ `#1`" in listed["description"] and "0 stored · 1 failed" in listed["description"]
    assert "unhealthy" in listed["description"] and "image/png" in listed["description"]
    assert "1 unhealthy" in listed["footer"]["text"]


async def test_add_says_where_to_look_when_the_poll_is_slow(settings, sessions) -> None:
    """With no worker answering in time, the reply says the poll is queued and where to look."""
    cog = make_cog(settings, sessions, wait=0.2)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    await invoke(command_of(cog, "add"), interaction, cog, url="https://news.example.org/rss")
    text = last_embed(interaction)["description"]
    assert "has not finished yet" in text and "next poll" in text and "/sources list" in text


async def test_add_uses_the_configured_poll_interval(settings, sessions) -> None:
    """NEWSBRIEF_POLL_INTERVAL_SECONDS applies to sources added from Discord, as from the CLI."""
    cog = make_cog(settings.model_copy(update={"poll_interval_seconds": 300}), sessions, wait=0)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    await invoke(command_of(cog, "add"), interaction, cog, url="https://news.example.org/rss")
    with sessions() as session:
        (row,) = sources.list_sources(session)
    assert row.poll_interval_seconds == 300


async def test_add_refuses_an_unknown_topic(settings, sessions) -> None:
    """A topic that does not exist is refused before anything is stored."""
    cog = make_cog(settings, sessions)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    with pytest.raises(errors.UserError, match="no topic “nope”"):
        await invoke(
            command_of(cog, "add"), interaction, cog, url="https://a.example/rss", topic="nope"
        )
    with sessions() as session:
        assert sources.list_sources(session) == []


async def test_list_shows_health_in_words(settings, sessions) -> None:
    """The list shows article counts, last success and the last error in words."""
    now = datetime.now(UTC)
    with transaction(sessions) as session:
        ok = sources.add_source(session, "https://ok.example/rss")
        bad = sources.add_source(session, "https://bad.example/rss")
        sources.record_poll_success(session, ok.id, summary="12 entries, 3 new articles", now=now)
        sources.record_poll_failure(
            session, bad.id, "The server answered 503 Service Unavailable.", max_failures=5, now=now
        )
    cog = make_cog(settings, sessions)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    await invoke(command_of(cog, "list"), interaction, cog)
    embed = interaction.followup.send.await_args.kwargs["embeds"][0].to_dict()
    text = embed["description"]
    assert "ok.example/rss" in text and "12 entries, 3 new articles" in text
    assert "last error just now: The server answered 503 Service Unavailable." in text
    assert "no alert channel set" in embed["footer"]["text"]


async def test_pause_resume_remove_change_the_source(settings, sessions) -> None:
    """Pause stops polling, resume queues a poll, remove deletes; each reply says so."""
    with transaction(sessions) as session:
        row = sources.add_source(session, "https://p.example/rss")
    cog = make_cog(settings, sessions)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    await invoke(command_of(cog, "pause"), interaction, cog, id=row.id)
    assert ephemeral_text(interaction).startswith(f"Paused source `#{row.id}`")
    assert ephemeral_text(interaction).endswith("from Discord.")  # the reason, one full stop
    with sessions() as session:
        assert sources.get_source(session, row.id).status == "paused"
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    await invoke(command_of(cog, "resume"), interaction, cog, id=row.id)
    assert "next poll" in ephemeral_text(interaction)
    assert cog.resources.send_task.requested == [(jobs.POLL_SOURCE, (row.id,))]
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    await invoke(command_of(cog, "remove"), interaction, cog, id=row.id)
    assert ephemeral_text(interaction).startswith("Removed")
    with sessions() as session:
        assert sources.get_source(session, row.id) is None


async def test_unknown_id_is_refused(settings, sessions) -> None:
    """An id that is not a source is refused with where to find the ids."""
    cog = make_cog(settings, sessions)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    with pytest.raises(errors.UserError, match="no source #42"):
        await invoke(command_of(cog, "pause"), interaction, cog, id=42)


async def test_alerts_channel_is_stored(settings, sessions) -> None:
    """The alert channel is saved for the guild."""
    cog = make_cog(settings, sessions)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    await invoke(
        command_of(cog, "alerts"), interaction, cog, channel=text_channel(interaction, 600)
    )
    assert "<#600>" in ephemeral_text(interaction)
    with sessions() as session:
        assert alerts.alert_channel(session, GUILD) == 600


async def test_alerts_channel_the_bot_cannot_post_in_is_refused(settings, sessions) -> None:
    """A channel without Send Messages for the bot is refused, naming what is missing."""
    cog = make_cog(settings, sessions)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    with pytest.raises(errors.UserError, match="Send Messages, Embed Links"):
        await invoke(
            command_of(cog, "alerts"),
            interaction,
            cog,
            channel=text_channel(interaction, 601, can_post=False),
        )
    with sessions() as session:
        assert alerts.alert_channel(session, GUILD) is None


@pytest.mark.parametrize("name", ["remove", "pause", "resume"])
def test_source_id_is_limited_to_what_the_database_can_hold(settings, sessions, name) -> None:
    """Discord refuses source ids below 1 or beyond a 32-bit id column."""
    param = command_of(make_cog(settings, sessions), name).get_parameter("id")
    assert (param.min_value, param.max_value) == (1, 2**31 - 1)


async def test_pausing_a_paused_or_resuming_an_active_source_says_so(settings, sessions) -> None:
    """Nothing changes, the reply says the source already was so, and no poll is queued."""
    with transaction(sessions) as session:
        row = sources.add_source(session, "https://p.example/rss")
    cog = make_cog(settings, sessions)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    await invoke(command_of(cog, "resume"), interaction, cog, id=row.id)
    assert ephemeral_text(interaction).endswith("is already active: it is polled as usual.")
    assert cog.resources.send_task.requested == []
    with transaction(sessions) as session:
        sources.pause_source(session, row.id, "too noisy")
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    await invoke(command_of(cog, "pause"), interaction, cog, id=row.id)
    assert ephemeral_text(interaction).endswith("is already paused (too noisy).")


async def test_edit_changes_topic_and_interval(settings, sessions) -> None:
    """Edit sets the topic and the minutes between polls; 'none' removes the topic."""
    with transaction(sessions) as session:
        row = sources.add_source(session, "https://e.example/rss")
    cog = make_cog(settings, sessions)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    await invoke(
        command_of(cog, "edit"), interaction, cog, id=row.id, topic="russia-china", interval=30
    )
    assert ephemeral_text(interaction).endswith(": topic `russia-china`, polled every 30 min.")
    with sessions() as session:
        got = sources.get_source(session, row.id)
    assert (got.topic, got.poll_interval_seconds) == ("russia-china", 1800)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    await invoke(command_of(cog, "edit"), interaction, cog, id=row.id, topic="none")
    assert "no topic, polled every 30 min." in ephemeral_text(interaction)


async def test_edit_refuses_an_unknown_topic_and_an_empty_edit(settings, sessions) -> None:
    """An unknown topic is refused; so is an edit that changes nothing."""
    with transaction(sessions) as session:
        row = sources.add_source(session, "https://e.example/rss")
    cog = make_cog(settings, sessions)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    with pytest.raises(errors.UserError, match="no topic “atlantis”"):
        await invoke(command_of(cog, "edit"), interaction, cog, id=row.id, topic="atlantis")
    with pytest.raises(sources.SourceError, match="Say what to change"):
        await invoke(command_of(cog, "edit"), interaction, cog, id=row.id)


async def test_poll_now_polls_and_says_what_it_found(settings, sessions, test_site) -> None:
    """/sources poll queues a poll at once and the reply shows its result and items."""
    with transaction(sessions) as session:
        row = sources.add_source(session, test_site.url("/feed.xml"))
    cog = make_cog(settings, sessions)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    with worker_thread(cog, settings, sessions) as stages:
        for article_id in poll_source(stages, row.id).article_ids:  # an earlier poll, done
            process_article(stages, article_id)
        await invoke(command_of(cog, "poll"), interaction, cog, id=row.id)
    assert cog.resources.send_task.requested == [(jobs.POLL_SOURCE, (row.id,))]
    final = last_embed(interaction)
    assert final["title"] == f"📡 Source #{row.id} polled"
    assert "✅ Poll: not modified since the last poll; nothing new" in final["description"]
    assert "Items: 5 stored" in final["description"]


async def test_poll_of_a_paused_source_is_refused(settings, sessions) -> None:
    """A paused source is not polled; the reply says how to resume it."""
    with transaction(sessions) as session:
        row = sources.add_source(session, "https://p.example/rss")
        sources.pause_source(session, row.id, "too noisy")
    cog = make_cog(settings, sessions)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    with pytest.raises(errors.UserError, match="is paused \\(too noisy\\)"):
        await invoke(command_of(cog, "poll"), interaction, cog, id=row.id)
    assert cog.resources.send_task.requested == []


async def test_add_shows_items_still_being_fetched_at_the_deadline(
    settings, sessions, test_site
) -> None:
    """A poll whose items are not fetched in time shows ⏳ with what is still to fetch."""
    cog = make_cog(settings, sessions, wait=3.0)
    interaction = admin_interaction(fake_interaction(guild_id=GUILD))
    with worker_thread(cog, settings, sessions, fetch=False):  # polls, never fetches the items
        await invoke(command_of(cog, "add"), interaction, cog, url=test_site.url("/feed.xml"))
    final = last_embed(interaction)["description"]
    assert "⏳ First poll: found 5 items, 5 new" in final
    assert "Items: 0 stored · 5 to fetch" in final and "✅" not in final
