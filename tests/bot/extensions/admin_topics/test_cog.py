"""/topics add with spec'd fake interactions: admin check, validation, stored and tagged."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands

from bot import errors
from bot.app import BotResources, NewsbriefBot
from bot.extensions.admin_topics._cog import topics_add, topics_edit, topics_remove
from bot.extensions.admin_topics._embeds import terms
from corpus import topics
from corpus.db import make_engine, make_session_factory, transaction
from corpus.tables import Article, ArticleStatus
from testing.discord_interaction import admin_interaction, fake_interaction, invoke

GUILD = 7
TEXT = (
    "India and China held border talks. Indian and Chinese officials met in New Delhi. "
    "India said China agreed to more talks; Beijing and New Delhi will meet again."
)


@pytest.fixture
def bot(settings):
    engine = make_engine(settings.effective_database_url)
    yield NewsbriefBot(BotResources(settings=settings, sessions=make_session_factory(engine)))
    engine.dispose()


def test_terms_split_commas_and_drop_blanks_and_repeats() -> None:
    """Comma-separated options become clean term lists."""
    assert terms(" India, Indian ,, India , New Delhi") == ["India", "Indian", "New Delhi"]
    assert terms(None) == []


async def test_non_admin_is_refused(bot) -> None:
    """/topics add checks Manage Server on our side (the /topics group is open to everyone)."""
    interaction = admin_interaction(fake_interaction(bot, guild_id=GUILD), admin=False)
    with pytest.raises(app_commands.MissingPermissions):
        await invoke(topics_add, interaction, slug="x", name="X", side_a="a", side_b="b")


async def test_add_stores_the_topic_and_tags_stored_articles(bot) -> None:
    """The topic is stored and the reply ends with how many stored articles match."""
    sessions = bot.resources.sessions
    _store_article(bot)
    interaction = admin_interaction(fake_interaction(bot, guild_id=GUILD, user_id=3))
    await invoke(
        topics_add,
        interaction,
        slug="india-china",
        name="India–China relations",
        side_a="India, Indian, New Delhi",
        side_b="China, Chinese, Beijing",
        aliases="sino-indian",
        min_mentions=2,
    )
    with sessions() as session:
        topic = topics.get_topic(session, "sino-indian")
    assert topic is not None and topic.slug == "india-china" and topic.min_mentions == 2
    final = interaction.edit_original_response.await_args.kwargs["embeds"][0].to_dict()
    assert final["title"] == "🗂️ Topic added: India–China relations"
    assert "✅ 1 stored article already match." in final["description"]


async def test_invalid_slug_is_refused_with_the_rule(bot) -> None:
    """A slug with spaces is refused, saying what a slug may contain."""
    interaction = admin_interaction(fake_interaction(bot, guild_id=GUILD))
    with pytest.raises(topics.TopicError) as caught:
        await invoke(
            topics_add, interaction, slug="India China", name="X", side_a="India", side_b="China"
        )
    assert "lower-case ASCII letters (a-z), digits (0-9) and single hyphens" in (
        errors.user_message(caught.value)
    )


async def test_existing_topic_is_refused(bot) -> None:
    """The shipped topic cannot be added again."""
    interaction = admin_interaction(fake_interaction(bot, guild_id=GUILD))
    with pytest.raises(topics.TopicError, match="already exists"):
        await invoke(
            topics_add, interaction, slug="russia-china", name="R", side_a="Russia", side_b="China"
        )


async def test_a_one_sided_topic_is_refused_saying_why(bot) -> None:
    """A second side with no terms leaves one side: refused, and nothing is stored."""
    interaction = admin_interaction(fake_interaction(bot, guild_id=GUILD))
    with pytest.raises(topics.TopicError) as caught:
        await invoke(
            topics_add, interaction, slug="india", name="India", side_a="India", side_b=" , "
        )
    assert "needs at least 2 sides" in errors.user_message(caught.value)
    with bot.resources.sessions() as session:
        assert topics.get_topic(session, "india") is None


def test_side_b_is_required_by_discord(bot) -> None:
    """Discord's client asks for side_b before the command is sent."""
    (side_b,) = [p for p in topics_add.parameters if p.name == "side_b"]
    assert side_b.required


async def test_extension_adds_add_beside_list_under_topics(bot) -> None:
    """Loading the extensions puts add, edit, list and remove in one /topics group."""
    await bot.load_extensions()
    group = bot.tree.get_command("topics")
    assert isinstance(group, app_commands.Group)
    assert sorted(c.name for c in group.commands) == ["add", "edit", "list", "remove"]


def _store_article(bot, text: str = TEXT) -> None:
    with transaction(bot.resources.sessions) as session:
        session.add(
            Article(
                canonical_url="https://a.example/1",
                url="https://a.example/1",
                status=ArticleStatus.READY,
                title="India–China talks",
                text=text,
            )
        )


async def _add_india_china(bot, side_b: str = "Pakistan, Islamabad") -> None:
    interaction = admin_interaction(fake_interaction(bot, guild_id=GUILD))
    await invoke(
        topics_add,
        interaction,
        slug="india-x",
        name="India and X",
        side_a="India, Indian, New Delhi",
        side_b=side_b,
        min_mentions=2,
    )


@pytest.mark.parametrize("command", [topics_edit, topics_remove])
def test_edit_and_remove_are_guild_only_admin_commands(command) -> None:
    """Guild-only, Manage Server by default, and checked on our side."""
    assert command.guild_only is True
    assert command.default_permissions == discord.Permissions(manage_guild=True)
    assert command.checks  # has_permissions(manage_guild=True)


@pytest.mark.parametrize("command", [topics_edit, topics_remove])
async def test_edit_and_remove_refuse_a_non_admin(bot, command) -> None:
    """Without Manage Server the server-side check refuses."""
    interaction = admin_interaction(fake_interaction(bot, guild_id=GUILD), admin=False)
    with pytest.raises(app_commands.MissingPermissions):
        await invoke(command, interaction, topic="india-x")


async def test_edit_changes_a_side_and_retags_stored_articles(bot) -> None:
    """A new second side is stored and the stored article now matching is tagged."""
    _store_article(bot)
    await _add_india_china(bot)
    interaction = admin_interaction(fake_interaction(bot, guild_id=GUILD))
    await invoke(
        topics_edit, interaction, topic="india-x", side_b="China, Chinese, Beijing", name="I–C"
    )
    final = interaction.edit_original_response.await_args.kwargs["embeds"][0].to_dict()
    assert final["title"] == "🗂️ Topic changed: I–C"
    assert "Side 1: India, Indian, New Delhi" in final["description"]  # kept
    assert "Side 2: China, Chinese, Beijing" in final["description"]
    assert "✅ 1 stored article already match." in final["description"]
    with bot.resources.sessions() as session:
        assert [a.topic for a in session.get(Article, 1).topics] == ["india-x"]


async def test_shipped_topic_cannot_be_edited_or_removed(bot) -> None:
    """The shipped topic is refused, saying where it is defined."""
    interaction = admin_interaction(fake_interaction(bot, guild_id=GUILD))
    with pytest.raises(topics.TopicError, match="ships with newsbrief"):
        await invoke(topics_edit, interaction, topic="russia-china", name="R")
    with pytest.raises(topics.TopicError, match="ships with newsbrief"):
        await invoke(topics_remove, interaction, topic="russia-china")


async def test_remove_deletes_the_topic_and_its_tags(bot) -> None:
    """Remove deletes the topic and untags its articles; the articles stay."""
    _store_article(bot)
    await _add_india_china(bot, side_b="China, Chinese, Beijing")
    interaction = admin_interaction(fake_interaction(bot, guild_id=GUILD))
    await invoke(topics_remove, interaction, topic="india-x")
    text = interaction.followup.send.await_args.args[0]
    assert text.startswith("Removed the topic `india-x`")
    with bot.resources.sessions() as session:
        assert topics.get_topic(session, "india-x") is None
        article = session.get(Article, 1)
        assert article is not None and article.topics == []


async def test_remove_refuses_a_topic_a_digest_posts(bot) -> None:
    """A topic still posted by a digest is refused, naming the command that stops it."""
    from corpus.digests import schedules

    await _add_india_china(bot)
    with transaction(bot.resources.sessions) as session:
        schedules.set_schedule(
            session,
            guild_id=GUILD,
            channel_id=9,
            topic="india-x",
            time_of_day="08:00",
            timezone="UTC",
        )
    interaction = admin_interaction(fake_interaction(bot, guild_id=GUILD))
    with pytest.raises(topics.TopicError, match="/digest off topic:india-x"):
        await invoke(topics_remove, interaction, topic="india-x")
