"""The console drives the real command tree and renders replies as text."""

from __future__ import annotations

import pytest

from bot.app import BotResources, NewsbriefBot
from bot.console import Console, ConsoleUser, run_console
from bot.pager import NOT_YOURS
from bot.payloads import brief_message_payloads
from corpus.brief import compose_brief
from corpus.settings import Settings
from testing.stored_articles import add_undated, insert_scenario

TRADE_HEADLINE = "China–Russia trade hits record high"


@pytest.fixture
def resources(sessions, tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    return BotResources(settings=settings, sessions=sessions)


@pytest.fixture
async def console(resources):
    insert_scenario(resources.sessions)
    console = Console(NewsbriefBot(resources, extensions=["bot.extensions.brief"]))
    await console.start()
    return console


async def test_brief_renders_stories_citations_and_buttons(console):
    """/brief shows the stories, [n] citations and the page buttons as numbered choices."""
    text = await console.handle("/brief russia-china days:30")
    assert TRADE_HEADLINE in text
    assert "[1][2][3]" in text
    assert text.rstrip().endswith("Buttons: (◀ Previous)   2) Next ▶   3) Sources")


async def test_pressing_sources_shows_titles_with_their_links(console):
    """Typing the Sources button's number shows the source list with URLs."""
    await console.handle("/brief russia-china days:30")
    text = await console.handle("3")
    assert "🔗 Sources" in text
    assert "<https://scmp.com/news/trade-3> — scmp.com" in text
    assert "3) Summary" in text


async def test_console_sends_what_discord_would_get(console, resources):
    """The console's first page is exactly the first /brief payload for Discord."""
    interaction = await console.invoke("/brief russia-china days:30")
    with resources.sessions() as session:
        expected = brief_message_payloads(compose_brief(session, "russia-china", days=30))[0]
    assert interaction.sent[0].embeds == expected["embeds"]
    assert interaction.sent[0].components == expected["components"]


async def test_positional_values_fill_options_in_order(console):
    """/figures russia-china 30 is read as topic and days."""
    text = await console.handle("/figures russia-china 30")
    assert "China–Russia trade — by period" in text  # 30 days: the 2020 total is in the window


async def test_out_of_range_option_is_refused_like_discord(console):
    """days:100 is refused before the command runs, as Discord's client would."""
    assert await console.handle("/brief russia-china days:100") == "days must be between 1 and 90."


async def test_unknown_topic_gets_the_commands_error_message(console):
    """A corpus error reaches the console through the tree's error handler, privately."""
    text = await console.handle("/brief atlantis")
    assert text.startswith("Unknown topic 'atlantis'.")
    assert text.endswith("(only you can see this)")


async def test_unknown_command_lists_the_commands(console):
    """A mistyped command names the ones that exist."""
    text = await console.handle("/breif russia-china")
    assert text.startswith("There is no /breif. Commands:")
    assert "/brief" in text


async def test_group_subcommand_runs(console):
    """/topics list reaches the subcommand of the shared group."""
    assert "Russia–China relations — russia-china" in await console.handle("/topics list")


async def test_another_user_cannot_turn_the_pages(console):
    """The pager's interaction_check refuses a different user with an explanation."""
    await console.handle("/brief russia-china days:30")
    interaction = await console.press(2, user=ConsoleUser(id=99, name="other"))
    assert console.render(interaction) == f"{NOT_YOURS}\n(only you can see this)"


async def test_disabled_button_cannot_be_pressed(console):
    """Previous on the first page is disabled and says so."""
    await console.handle("/brief russia-china days:30")
    assert await console.handle("1") == "“◀ Previous” is disabled here."


async def test_run_console_reads_lines_until_quit(resources):
    """A scripted session prints a reply per line and stops at quit."""
    insert_scenario(resources.sessions)
    out: list[str] = []
    bot = NewsbriefBot(resources, extensions=["bot.extensions.brief"])
    await run_console(bot, ["help", "/story 1", "quit", "/topics list"], out.append)
    assert len(out) == 2
    assert "/brief topic [days] [theme]" in out[0]
    assert TRADE_HEADLINE in out[1]


def test_render_reply_runs_one_line_outside_an_event_loop(resources):
    """render_reply (used by newsbrief demo) returns the /brief reply as text."""
    from bot.console import render_reply

    insert_scenario(resources.sessions)
    assert TRADE_HEADLINE in render_reply(resources, "/brief russia-china days:30")


async def test_question_mark_runs_the_commands_autocomplete(console):
    """topic:rus? shows what Discord's autocomplete would suggest, from stored topics."""
    text = await console.handle("/brief topic:rus?")
    assert text == "Russia–China relations (russia-china)  →  russia-china"
    assert await console.handle("/figures zzz?") == "(no suggestions)"


async def test_a_deferred_reply_filled_by_editing_the_original_is_shown(resources):
    """A command that defers and then edits its original response shows the edit."""
    from discord import app_commands

    bot = NewsbriefBot(resources, extensions=[])

    @app_commands.command(name="slow", description="Answer after a defer.")
    async def slow(interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.edit_original_response(content="done")

    bot.tree.add_command(slow)
    console = Console(bot)
    assert await console.handle("/slow") == "done\n(only you can see this)"


async def test_fetch_dates_read_as_added(console, resources):
    """An article with no publication date shows "added <date>" in the console's sources."""
    add_undated(resources.sessions)
    await console.handle("/brief russia-china days:30")
    text = await console.handle("3")
    assert "undated.example, added 20 Nov 2026" in text
    assert "scmp.com, 19 Nov 2026" in text


async def test_story_id_beyond_the_id_column_is_refused_before_the_query(console):
    """A story number too large for the database gets the option's range, not an error."""
    text = await console.handle("/story 99999999999999999999")
    assert text == "id must be between 1 and 2147483647."


async def test_a_word_for_a_number_option_says_a_whole_number_is_wanted(console):
    """/brief russia-china days:abc says days must be a whole number."""
    text = await console.handle("/brief russia-china days:abc")
    assert text == "days must be a whole number, not 'abc'."


async def test_a_long_command_shows_its_reply_so_far_while_it_works(resources):
    """As on Discord, an edited reply is shown before the command finishes, once per change."""
    import asyncio

    from discord import app_commands

    bot = NewsbriefBot(resources, extensions=[])
    release = asyncio.Event()

    @app_commands.command(name="long", description="Answer in two steps.")
    async def long(interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.edit_original_response(content="queued")
        await release.wait()
        await interaction.edit_original_response(content="done")

    @app_commands.command(name="quick", description="Answer at once.")
    async def quick(interaction) -> None:
        await interaction.response.send_message("at once")

    bot.tree.add_command(long)
    bot.tree.add_command(quick)
    shown: list[str] = []
    console = Console(bot, progress=shown.append, progress_after=0.01)
    running = asyncio.ensure_future(console.handle("/long"))
    while not shown:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # several more progress checks: the same text is not repeated
    release.set()
    assert await running == "done\n(only you can see this)"
    assert shown == ["queued\n(only you can see this)\n(still working…)"]
    assert await console.handle("/quick") == "at once"
    assert len(shown) == 1


async def test_an_unknown_option_is_refused_naming_the_options(console):
    """bogus:1 is not taken as a value: the reply names the command's options."""
    text = await console.handle("/brief russia-china bogus:1")
    assert text.startswith("/brief has no option 'bogus'; its options are: topic, days")
    assert console.failures == 1


async def test_an_option_given_twice_is_refused(console):
    """days:3 days:4 does not silently keep the last one."""
    text = await console.handle("/brief russia-china days:3 days:4")
    assert "days is given twice" in text and "its options are: topic, days" in text


async def test_urls_and_times_are_values_not_option_names(console):
    """https://… and 08:00 still fill options in order."""
    from bot.console import parse_line

    parsed = parse_line(console.bot.tree, "/brief https://x.example/a 3", console.bot)
    assert parsed.values["topic"] == "https://x.example/a"


async def test_a_command_that_answers_an_error_counts_as_failed(console):
    """An error reply from the command (unknown topic) is counted as a failure."""
    await console.handle("/brief russia-china days:30")
    assert console.failures == 0
    await console.handle("/brief atlantis")
    assert console.failures == 1


def test_channel_ids_are_the_same_in_every_run(tmp_path):
    """#analysts gets one id, whichever process asks, and its name is remembered."""
    from bot.console import ChannelDirectory

    first = ChannelDirectory(tmp_path / "channels.json")
    channel_id = first.channel_id("analysts")
    again = ChannelDirectory(tmp_path / "channels.json")
    assert ChannelDirectory.id_for("analysts") == channel_id
    assert again.named(f"digests go to <#{channel_id}>") == "digests go to #analysts"
    assert again.named("<#123>") == "<#123>"


async def test_a_channel_typed_by_name_is_one_digest_and_shows_by_name(resources):
    """#analysts twice is one schedule, off finds it, and status names the channel."""
    insert_scenario(resources.sessions)
    console = Console(NewsbriefBot(resources, extensions=["bot.extensions.digest"]))
    await console.start()
    line = "/digest set channel:#analysts time:08:00 timezone:UTC topic:russia-china"
    await console.handle(line)
    again = Console(NewsbriefBot(resources, extensions=["bot.extensions.digest"]))
    await again.start()
    await again.handle(line)
    status = await again.handle("/digest status")
    assert status.count("#analysts") == 1 and "<#" not in status
    off = await again.handle("/digest off channel:#analysts")
    assert off.startswith("Turned off:") and "#analysts" in off


async def test_an_attached_file_is_shown_in_the_terminal(console):
    """/brief format:markdown shows the attachment's name and text."""
    text = await console.handle("/brief russia-china days:30 format:markdown")
    assert "📎 russia-china-brief-" in text and "# Russia–China relations" in text
