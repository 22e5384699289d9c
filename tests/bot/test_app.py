"""Tests for bot.app: resources injected, extensions discovered, nothing needs a login."""

from __future__ import annotations

from unittest.mock import create_autospec

import discord
import pytest

from bot import app
from corpus import jobs
from corpus.db import make_engine, make_session_factory


@pytest.fixture
def resources(settings):
    engine = make_engine(settings.effective_database_url)
    yield app.BotResources(settings=settings, sessions=make_session_factory(engine))
    engine.dispose()


def test_extension_names_are_the_packages_under_extensions():
    """Every extension is a package under bot/extensions, named by its dotted path."""
    names = app.extension_names()
    assert all(n.startswith("bot.extensions.") for n in names)
    assert names == sorted(names)


async def test_bot_loads_given_extensions_without_login(resources):
    """Building the bot and loading extensions needs no token and no network."""
    bot = app.NewsbriefBot(resources, extensions=[])
    await bot.load_extensions()
    assert bot.resources is resources
    assert not bot.intents.message_content


def test_resources_of_returns_the_bots_resources(resources):
    """A callback finds the injected resources through interaction.client."""
    bot = app.NewsbriefBot(resources, extensions=[])
    interaction = create_autospec(discord.Interaction, instance=True)
    interaction.client = bot
    assert app.resources_of(interaction) is resources


def test_shared_group_is_created_once(resources):
    """Two extensions asking for the same group get the same object."""
    bot = app.NewsbriefBot(resources, extensions=[])
    first = app.shared_group(bot, "topics", "Topics")
    assert app.shared_group(bot, "topics", "Topics") is first


def test_no_task_sender_explains_what_to_configure():
    """Without a broker, queuing work fails with a sentence naming the setting."""
    with pytest.raises(Exception, match="NEWSBRIEF_REDIS_URL"):
        app.no_task_sender(jobs.POLL_SOURCE, [1])


def _spy_sync(bot):
    """Replace the HTTP-bound sync with a spec'd recorder (Discord's side only)."""
    from unittest.mock import AsyncMock

    bot.tree.sync = AsyncMock(spec=bot.tree.sync, return_value=[])
    return bot.tree.sync


async def test_setup_hook_syncs_to_the_dev_guild_only(resources):
    """With a dev guild set, commands sync there and not globally."""
    settings = resources.settings.model_copy(
        update={"bot": resources.settings.bot.model_copy(update={"dev_guild_id": 1234})}
    )
    bot = app.NewsbriefBot(
        app.BotResources(settings=settings, sessions=resources.sessions), extensions=[]
    )
    sync = _spy_sync(bot)
    await bot.setup_hook()
    assert [c.kwargs["guild"].id for c in sync.await_args_list] == [1234]
    guild_commands = bot.tree.get_commands(guild=discord.Object(id=1234))
    assert "sync" in {c.name for c in guild_commands}
    assert bot.tree.get_command("sync") is None  # never registered globally


async def test_setup_hook_syncs_globally_only_when_asked(resources):
    """No dev guild and no flag: nothing is synced; with the flag: one global sync."""
    quiet = app.NewsbriefBot(resources, extensions=[])
    sync = _spy_sync(quiet)
    await quiet.setup_hook()
    sync.assert_not_awaited()
    loud = app.NewsbriefBot(resources, extensions=[], sync_global=True)
    sync = _spy_sync(loud)
    await loud.setup_hook()
    sync.assert_awaited_once_with()


async def test_sync_command_refuses_non_owners(resources):
    """/sync is refused for anyone but the owner, with a sentence."""
    from bot.errors import RefusedError, user_message
    from testing.discord_interaction import fake_interaction

    settings = resources.settings.model_copy(
        update={"bot": resources.settings.bot.model_copy(update={"owner_ids": [1]})}
    )
    bot = app.NewsbriefBot(
        app.BotResources(settings=settings, sessions=resources.sessions), extensions=[]
    )
    check = app.sync_command.checks[0]
    with pytest.raises(RefusedError) as refused:
        await check(fake_interaction(bot, user_id=2))
    assert user_message(refused.value) == "Only the bot's owner can do that."
    assert await check(fake_interaction(bot, user_id=1)) is True


def test_invite_url_asks_for_the_two_scopes_and_minimal_permissions():
    """The invite asks for bot + applications.commands and exactly four channel permissions."""
    url = app.invite_url(123)
    assert url == (
        "https://discord.com/oauth2/authorize?client_id=123"
        "&scope=bot+applications.commands&permissions=84992"
    )
    granted = {name for name, value in app.REQUIRED_PERMISSIONS if value}
    # discord.py iterates the flag under its older name, read_messages (View Channels).
    assert granted == {"read_messages", "send_messages", "embed_links", "read_message_history"}
