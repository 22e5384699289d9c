"""The console's read-eval-print loop: run typed lines through the bot, render the replies.

Errors go through the tree's error handler. Buttons become numbered choices: typing the
number presses the button through the view's own ``interaction_check`` and callback.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

import discord
from discord import app_commands

from bot.app import BotResources, NewsbriefBot
from bot.console.channels import CHANNELS_FILE, ChannelDirectory
from bot.console.interaction import ConsoleInteraction, ConsoleMessage, ConsoleUser
from bot.console.parse import ConsoleInputError, Parsed, parse_line
from bot.render.text import buttons_of

HELP = (
    "Type a command as in Discord, e.g. /brief russia-china days:30 "
    "(options as name:value; quote values with spaces; topic:rus? suggests). "
    "A number presses that button. 'help' lists the commands, 'quit' leaves."
)


class Console:
    """Runs typed lines through the bot's command tree and renders every reply as text."""

    def __init__(
        self,
        bot: NewsbriefBot,
        *,
        user: ConsoleUser | None = None,
        progress: Callable[[str], None] | None = None,
        progress_after: float = 2.0,
        channels: ChannelDirectory | None = None,
    ) -> None:
        self.bot = bot
        self.user = user or ConsoleUser()
        self.channels = channels if channels is not None else ChannelDirectory(_channels_file(bot))
        self.failures = 0  # lines that failed: refused input, or a command that answered an error
        self.last: ConsoleMessage | None = None  # the latest message with buttons
        # A command still running after ``progress_after`` seconds has what it has sent so far
        # shown through ``progress`` (as Discord shows an edited reply while the work goes on).
        self.progress = progress
        self.progress_after = progress_after

    async def start(self) -> None:
        """Load the extensions (no login, no network)."""
        await self.bot.load_extensions()

    async def invoke(self, line: str, *, user: ConsoleUser | None = None) -> ConsoleInteraction:
        """Run one command line as a slash command; return the interaction with its replies."""
        interaction = ConsoleInteraction(self.bot, user=user or self.user)
        tree = self.bot.tree
        parsed = parse_line(tree, line, self.bot, self.channels)
        interaction.command = parsed.command
        interaction.namespace = app_commands.Namespace.__new__(app_commands.Namespace)
        interaction.namespace.__dict__.update(parsed.values)
        if parsed.focused is not None:
            focused = parsed.focused
            # The tree's own autocomplete entry point, as for a real autocomplete interaction.
            run = lambda: parsed.command._invoke_autocomplete(  # noqa: E731
                interaction,  # type: ignore[arg-type]
                focused,
                interaction.namespace,
            )
        else:
            run = lambda: self._call(interaction, parsed)  # noqa: E731
        await self._reporting_progress(interaction, self._guarded(interaction, run))
        return interaction

    async def _reporting_progress(
        self, interaction: ConsoleInteraction, work: Awaitable[None]
    ) -> None:
        task = asyncio.ensure_future(work)
        shown: set[str] = set()
        while not task.done():
            await asyncio.wait({task}, timeout=self.progress_after)
            sent = [m for m in dict.fromkeys(interaction.sent) if not m.deleted]
            if task.done() or self.progress is None or not sent:
                continue
            text = "\n\n".join(m.to_text() for m in sent) + "\n(still working…)"
            text = self.channels.named(text)
            if text not in shown:
                shown.add(text)
                self.progress(text)
        await task

    async def _call(self, interaction: ConsoleInteraction, parsed: Parsed) -> None:
        tree = self.bot.tree
        if not await tree.interaction_check(interaction):  # type: ignore[arg-type]
            return
        # The same entry point the tree uses for a real interaction: checks, transforms, call.
        await parsed.command._invoke_with_namespace(interaction, interaction.namespace)  # type: ignore[arg-type]

    async def _guarded(
        self, interaction: ConsoleInteraction, run: Callable[[], Awaitable[None]]
    ) -> None:
        try:
            await run()
        except app_commands.AppCommandError as error:
            interaction.failed = True
            await self.bot.tree.on_error(interaction, error)  # type: ignore[arg-type]
        except Exception as exc:
            interaction.failed = True
            wrapped = app_commands.CommandInvokeError(interaction.command, exc)  # type: ignore[arg-type]
            await self.bot.tree.on_error(interaction, wrapped)  # type: ignore[arg-type]

    async def press(self, number: int, *, user: ConsoleUser | None = None) -> ConsoleInteraction:
        """Press button ``number`` (1-based) of the latest message that has buttons."""
        message = self.last
        view = message.view if message else None
        if message is None or view is None:
            raise ConsoleInputError("There are no buttons to press.")
        items = [i for i in view.children if isinstance(i, discord.ui.Button)]
        shown = buttons_of(view.to_components())
        if not 1 <= number <= len(items):
            raise ConsoleInputError(f"Choose a button from 1 to {len(items)}.")
        item = items[number - 1]
        if shown[number - 1].get("disabled"):
            raise ConsoleInputError(f"“{item.label}” is disabled here.")
        interaction = ConsoleInteraction(self.bot, user=user or self.user, message=message)
        if await view.interaction_check(interaction):  # type: ignore[arg-type]
            await item.callback(interaction)  # type: ignore[arg-type]
        return interaction

    def render(self, interaction: ConsoleInteraction) -> str:
        """Render what the interaction sent, remembering the latest message with buttons."""
        shown = [m for m in dict.fromkeys(interaction.sent) if not m.deleted]
        for message in shown:
            if message.view is not None:
                self.last = message
        if interaction.suggestions is not None:
            found = [f"{c.name}  →  {c.value}" for c in interaction.suggestions]
            return "\n".join(found) or "(no suggestions)"
        return self.channels.named("\n\n".join(m.to_text() for m in shown)) or "(no reply)"

    async def handle(self, line: str) -> str:
        """Run one typed line (a command, a button number, help) and return the text to show."""
        text = line.strip()
        if not text:
            return ""
        try:
            if text.isdigit():
                interaction = await self.press(int(text))
            elif text in ("help", "/help", "?"):
                return self.help()
            else:
                interaction = await self.invoke(text)
        except ConsoleInputError as exc:
            self.failures += 1
            return str(exc)
        if interaction.failed:
            self.failures += 1
        return self.render(interaction)

    def help(self) -> str:
        """List every command with its options."""
        lines = [HELP, ""]
        for command in sorted(self.bot.tree.walk_commands(), key=lambda c: c.qualified_name):
            if isinstance(command, app_commands.Group):
                continue
            options = " ".join(
                p.display_name if p.required else f"[{p.display_name}]" for p in command.parameters
            )
            lines.append(f"/{command.qualified_name} {options}".rstrip())
            lines.append(f"    {command.description}")
        return "\n".join(lines)


def _channels_file(bot: NewsbriefBot) -> Path | None:
    resources = getattr(bot, "resources", None)
    settings = getattr(resources, "settings", None)
    data_dir = getattr(settings, "data_dir", None)
    return Path(data_dir) / CHANNELS_FILE if data_dir is not None else None


async def run_console(
    bot: NewsbriefBot, lines: Iterable[str], write: Callable[[str], None]
) -> None:
    """Feed ``lines`` to a console over ``bot`` and ``write`` each reply (stops at 'quit')."""
    console = Console(bot, progress=write)
    await console.start()
    for line in lines:
        if line.strip() in ("quit", "exit", "/quit"):
            break
        reply = await console.handle(line)
        if reply:
            write(reply)


async def reply_text(bot: NewsbriefBot, line: str) -> str:
    """Return the console rendering of one command line."""
    console = Console(bot)
    await console.start()
    try:
        return await console.handle(line)
    finally:
        await bot.close()


def render_reply(resources: BotResources, line: str) -> str:
    """Run one command line on a fresh bot and return the reply as text (for ``newsbrief demo``).

    Call it outside a running event loop: ``print(render_reply(res, "/brief russia-china"))``.
    """
    return asyncio.run(reply_text(NewsbriefBot(resources), line))
