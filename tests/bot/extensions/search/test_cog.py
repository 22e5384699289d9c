"""/search with spec'd fake interactions over the real search (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from bot import errors, limits
from bot.app import BotResources, NewsbriefBot
from corpus.settings import Settings
from testing.discord_interaction import fake_interaction, sent_embeds
from testing.stored_articles import insert_scenario


@pytest.fixture
async def bot(sessions, tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    bot = NewsbriefBot(BotResources(settings=settings, sessions=sessions), extensions=[])
    await bot.load_extension("bot.extensions.search")
    return bot


def _text(embeds) -> str:
    return "\n".join(e.get("title", "") + "\n" + e.get("description", "") for e in embeds)


async def test_search_answers_with_stories_citing_their_sources(bot, sessions) -> None:
    """Matching stories come with linked headlines and [n] citations, and a pager."""
    insert_scenario(sessions)
    cog = bot.get_cog("SearchCog")
    interaction = fake_interaction(bot, user_id=5)
    await cog.search.callback(cog, interaction, query="sanctions", topic="russia-china")
    call = interaction.followup.send.await_args
    embeds = sent_embeds(call)
    text = _text(embeds)
    assert text.startswith("🔎 “sanctions” in Russia–China")
    assert "**[China–Russia trade hits record high](https://" in text
    assert "[\\[1\\]](https://" in text
    assert limits.check_message(embeds) == []
    assert call.kwargs["view"].owner_id == 5


async def test_search_with_no_match_says_what_to_try(bot, sessions) -> None:
    """No match is a reply in words, not an empty message."""
    insert_scenario(sessions)
    cog = bot.get_cog("SearchCog")
    interaction = fake_interaction(bot)
    await cog.search.callback(cog, interaction, query="zebra crossing", days=7)
    text = _text(sent_embeds(interaction.followup.send.await_args))
    assert "Nothing matches “zebra crossing” in the last 7 days." in text


async def test_a_refused_search_is_worded_for_the_user(bot, sessions) -> None:
    """A one-letter search is refused with what to do."""
    cog = bot.get_cog("SearchCog")
    with pytest.raises(Exception) as caught:
        await cog.search.callback(cog, fake_interaction(bot), query="a")
    assert errors.user_message(caught.value) == "Type at least 2 characters to search for."
