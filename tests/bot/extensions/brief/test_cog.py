"""The brief commands against a real migrated database; only Discord's side is faked."""

from __future__ import annotations

import pytest
from discord import app_commands

from bot import errors, limits
from bot.app import BotResources, NewsbriefBot
from bot.extensions.brief._cog import THEME_CHOICES, topics_list
from bot.topic_options import topic_autocomplete
from corpus.db import transaction
from corpus.settings import Settings
from corpus.themes import theme_names
from corpus.topics import add_topic, list_topics
from testing.discord_interaction import fake_interaction, sent_embeds
from testing.stored_articles import insert_scenario

TRADE_HEADLINE = "China–Russia trade hits record high"


@pytest.fixture
async def bot(sessions, tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    bot = NewsbriefBot(BotResources(settings=settings, sessions=sessions), extensions=[])
    await bot.load_extension("bot.extensions.brief")
    return bot


@pytest.fixture
def scenario(sessions):
    return insert_scenario(sessions)


def _cog(bot):
    return bot.get_cog("BriefCog")


def _text(embeds) -> str:
    parts = []
    for e in embeds:
        parts += [e.get("title", ""), e.get("description", "")]
        parts += [f["name"] + "\n" + f["value"] for f in e.get("fields", [])]
    return "\n".join(parts)


async def _run_failing(command, interaction, **options):
    """Run a callback as the tree does: an exception goes to the tree's error handler."""
    try:
        await command.callback(command.binding, interaction, **options)
    except Exception as exc:
        error = app_commands.CommandInvokeError(command, exc)
        await errors.on_app_command_error(interaction, error)
    else:
        raise AssertionError("the command was expected to fail")


async def test_brief_defers_then_sends_the_first_page_with_a_pager(bot, scenario):
    """/brief defers first, then sends stories with linked citations and a pager for the user."""
    interaction = fake_interaction(bot, user_id=99)
    cog = _cog(bot)
    await cog.brief.callback(cog, interaction, topic="russia-china", days=30)
    interaction.response.defer.assert_awaited_once_with(thinking=True, ephemeral=False)
    call = interaction.followup.send.await_args
    embeds = sent_embeds(call)
    assert TRADE_HEADLINE in _text(embeds)
    assert "](https://tass.com/news/trade-0)" in _text(embeds)
    assert limits.check_message(embeds) == []
    assert call.kwargs["view"].owner_id == 99


async def test_brief_as_markdown_attaches_a_file_to_paste(bot, scenario):
    """format:markdown sends the brief as a .md attachment with linked headlines and sources."""
    interaction = fake_interaction(bot, user_id=99)
    cog = _cog(bot)
    await cog.brief.callback(cog, interaction, topic="russia-china", days=30, format="markdown")
    call = interaction.followup.send.await_args
    file = call.kwargs["file"]
    assert file.filename.startswith("russia-china-brief-") and file.filename.endswith(".md")
    text = file.fp.read().decode("utf-8")
    assert text.startswith("# Russia–China relations — the last 30 days")
    assert "## Sources" in text and "(https://tass.com/news/trade-0)" in text
    assert "as Markdown" in call.kwargs["content"]


async def test_brief_for_an_unknown_topic_answers_privately(bot, scenario):
    """An unknown topic gets an ephemeral sentence naming the valid topics; no traceback."""
    interaction = fake_interaction(bot)
    await _run_failing(_cog(bot).brief, interaction, topic="nope")
    interaction.delete_original_response.assert_awaited_once()
    call = interaction.followup.send.await_args
    assert call.kwargs["ephemeral"] is True
    assert call.args[0].startswith("Unknown topic 'nope'. Valid topics: ")
    assert "russia-china" in call.args[0]


async def test_brief_with_a_theme_keeps_only_that_theme(bot, scenario):
    """A theme narrows the brief to the stories carrying it."""
    interaction = fake_interaction(bot)
    cog = _cog(bot)
    await cog.brief.callback(
        cog, interaction, topic="russia-china", days=30, theme="military-security"
    )
    text = _text(sent_embeds(interaction.followup.send.await_args))
    assert "Joint naval drill" in text
    assert TRADE_HEADLINE not in text


async def test_figures_shows_trade_by_period(bot, scenario):
    """/figures sends the ledger alone, with the trade totals of each year as a series."""
    interaction = fake_interaction(bot)
    cog = _cog(bot)
    await cog.figures.callback(cog, interaction, topic="russia-china", days=30)
    embeds = sent_embeds(interaction.followup.send.await_args)
    text = _text(embeds)
    assert "China–Russia trade — by period" in text
    assert "2021 $147 billion → 11 months of 2022 $172.41 billion" in text
    assert "•" not in embeds[0].get("description", "")


async def test_story_shows_every_article(bot, scenario):
    """/story id shows the story's header and each outlet's summary."""
    interaction = fake_interaction(bot)
    cog = _cog(bot)
    await cog.story.callback(cog, interaction, id=scenario.stories["trade"])
    text = _text(sent_embeds(interaction.followup.send.await_args))
    assert TRADE_HEADLINE in text
    for outlet in ("tass.com", "globaltimes.cn", "rt.com", "scmp.com"):
        assert f"**{outlet}**" in text


async def test_story_unknown_id_says_what_to_use(bot, scenario):
    """A story id that does not exist gets a sentence saying where ids come from."""
    interaction = fake_interaction(bot)
    await _run_failing(_cog(bot).story, interaction, id=999_999)
    message = interaction.followup.send.await_args.args[0]
    assert message == "No story 999999: use a story id shown in a brief."


async def test_topic_autocomplete_suggests_stored_topics(bot, scenario):
    """Typing part of a topic suggests the matching stored topics."""
    choices = await topic_autocomplete(fake_interaction(bot), "rus")
    assert [c.value for c in choices] == ["russia-china"]


async def test_topics_list_names_every_topic(bot, sessions):
    """/topics list shows each topic, shipped and admin-added, with name and slug."""
    with transaction(sessions) as session:
        add_topic(session, "arctic-shipping", "Arctic shipping", [["Arctic"], ["shipping"]])
    with sessions() as session:
        topics = list_topics(session)
    interaction = fake_interaction(bot)
    await topics_list.callback(interaction)
    text = _text(sent_embeds(interaction.response.send_message.await_args))
    for topic in topics:
        assert f"**{topic.name}** — `{topic.slug}`" in text
    assert "**Arctic shipping** — `arctic-shipping`" in text


def test_theme_choices_are_the_taxonomy(bot):
    """/brief offers exactly the taxonomy's themes as choices."""
    param = _cog(bot).brief.get_parameter("theme")
    assert {c.value for c in param.choices} == set(theme_names())
    assert len(THEME_CHOICES) <= 25


def test_days_is_limited_to_1_to_90(bot):
    """Discord itself refuses days outside 1–90."""
    param = _cog(bot).brief.get_parameter("days")
    assert (param.min_value, param.max_value) == (1, 90)


def test_story_id_is_limited_to_what_the_database_can_hold(bot):
    """Discord refuses story ids below 1 or beyond a 32-bit id column."""
    param = _cog(bot).story.get_parameter("id")
    assert (param.min_value, param.max_value) == (1, 2**31 - 1)
