"""Tests for bot.app: resources injected, extensions discovered, nothing needs a login."""

from __future__ import annotations

from unittest.mock import create_autospec

import discord
import pytest

from bot import app
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
        app.no_task_sender("newsbrief.poll_source", [1], queue="fetch")
