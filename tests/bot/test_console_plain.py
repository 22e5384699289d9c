"""Lines the console answers without discord.py read exactly as the bot's reply."""

from __future__ import annotations

import pytest

from bot.app import BotResources, NewsbriefBot
from bot.console import Console
from bot.console.plain import answerable, plain_reply
from corpus.db import session_reader, transaction
from corpus.settings import Settings
from corpus.topics import add_topic

SIDES = [["India", "New Delhi"], ["China", "Beijing"]]


@pytest.fixture
def resources(sessions, tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    return BotResources(settings=settings, sessions=sessions)


@pytest.fixture
async def console(resources):
    console = Console(NewsbriefBot(resources, extensions=["bot.extensions.brief"]))
    await console.start()
    return console


def _plain(console: Console, line: str) -> str | None:
    with console.bot.resources.sessions() as session:
        return plain_reply(line, session_reader(session), console.channels)


def _add(resources: BotResources, slug: str, name: str, aliases: list[str]) -> None:
    with transaction(resources.sessions) as session:
        add_topic(session, slug, name, SIDES, aliases=aliases)


async def test_shipped_topics_read_as_the_bot_lists_them(console):
    """With only the shipped topics, /topics list reads as the bot renders it."""
    assert _plain(console, "/topics list") == await console.handle("/topics list")


async def test_added_topics_with_markdown_and_channels_read_as_the_bot_lists_them(
    console, resources
):
    """Added topics, escaped markdown, aliases and a known #channel read as the bot's reply."""
    channel = console.channels.channel_id("analysts")
    _add(resources, "india-china", "India_China *rivalry* `now`", ["sino-indian", "a|b"])
    _add(resources, "border-talks", f"Border talks, see <#{channel}>", [])
    reply = await console.handle("/topics list")
    assert "#analysts" in reply
    assert _plain(console, "/topics list") == reply
    assert _plain(console, "  TOPICS   List ") == await console.handle("  TOPICS   List ")


async def test_a_reply_of_several_pages_is_left_to_the_bot(console, resources):
    """A listing too long for one page needs the pager's buttons: the bot answers it."""
    for i in range(60):
        _add(resources, f"topic-{i}", f"Topic {i} " + "x" * 100, [])
    assert "Buttons:" in await console.handle("/topics list")
    assert _plain(console, "/topics list") is None


@pytest.mark.parametrize(
    "line",
    ["/topics list extra", "/topics", "/brief russia-china", "help", "1", '/topics "list', ""],
)
def test_other_lines_are_left_to_the_bot(line):
    """Other commands, options, button numbers, help and unreadable lines get no plain answer."""
    assert answerable(line) is None
