"""Console lines answered from plain values, without discord.py, the ORM or the settings.

``newsbrief console -c LINE`` starts a fresh interpreter each time, and loading discord.py,
SQLAlchemy's ORM and pydantic takes longer than a listing may take. A line whose command
only reads the corpus, and whose reply is one page without buttons, is answered here from a
:data:`corpus.source_rows.Reader` with the renderer the command itself uses; any other line
(another command, options, a reply of several pages) gets None, and goes through the bot
(``bot.console.repl``). ``tests/bot/console/test_plain.py`` checks that both give one text.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable

from bot.console.channels import ChannelDirectory
from bot.render.pages import Pages
from bot.render.text import message_to_text
from bot.render.topics import topics_pages
from corpus.source_rows import Reader
from corpus.topic_rows import all_topics


def _topics_list(read: Reader) -> Pages:
    return topics_pages(all_topics(read))


# The command's words, as ``bot.console.parse`` resolves them (lower-cased), to its reply.
ANSWERS: dict[tuple[str, ...], Callable[[Reader], Pages]] = {("topics", "list"): _topics_list}


def answerable(line: str) -> Callable[[Reader], Pages] | None:
    """Return what answers ``line`` from plain values, or None when the bot must run it."""
    try:
        words = shlex.split(line.strip().removeprefix("/"))
    except ValueError:
        return None
    return ANSWERS.get(tuple(word.lower() for word in words))


def plain_reply(line: str, read: Reader, channels: ChannelDirectory) -> str | None:
    """Return the console's text for ``line``, or None when only the bot can answer it."""
    answer = answerable(line)
    if answer is None:
        return None
    pages = answer(read)
    if len(pages.pages) != 1:
        return None  # several pages come with the pager's buttons, a discord.py view
    return channels.named(message_to_text(None, pages.pages[0])) or "(no reply)"
