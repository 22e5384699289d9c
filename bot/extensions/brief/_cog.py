"""The brief commands: parse the interaction, call the corpus, render, send."""

from __future__ import annotations

import io
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import errors, limits
from bot.app import BotResources, resources_of
from bot.briefs import SharedBriefs
from bot.limits import MAX_CHOICES, MAX_ROW_ID
from bot.pager import send_pages
from bot.render.brief import brief_pages, figures_pages
from bot.render.markup import plain
from bot.render.story import story_pages
from bot.render.topics import topics_pages
from bot.topic_options import topic_autocomplete
from bot.transactions import in_transaction
from corpus.brief import (
    DEFAULT_DAYS,
    MAX_DAYS,
    MIN_DAYS,
    BriefError,
    get_story,
)
from corpus.brief_markdown import brief_markdown, markdown_filename
from corpus.brief_until import UntilError, ending_at, parse_until
from corpus.brief_values import Brief
from corpus.themes import theme_names
from corpus.topics import list_topics


def _theme_choices() -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=limits.cut(name, 100), value=slug)
        for slug, name in sorted(theme_names().items(), key=lambda kv: kv[1])
    ]


THEME_CHOICES = _theme_choices()


def _theme_option(func: Any) -> Any:
    """Offer the taxonomy's themes as fixed choices (autocomplete if it outgrows Discord's 25)."""
    if 0 < len(THEME_CHOICES) <= MAX_CHOICES:
        return app_commands.choices(theme=THEME_CHOICES)(func)
    return app_commands.autocomplete(theme=_theme_autocomplete)(func)


async def _theme_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    needle = current.lower()
    return [c for c in THEME_CHOICES if needle in c.name.lower() or needle in c.value][:MAX_CHOICES]


UNTIL_HELP = "The window ending on this past day instead of now (YYYY-MM-DD, UTC)"


class BriefCog(commands.Cog):
    """``/brief``, ``/figures`` and ``/story``: read-only views of the corpus."""

    def __init__(self, resources: BotResources) -> None:
        self.resources = resources
        self.briefs = SharedBriefs(resources.sessions)
        errors.register(BriefError, str)  # the corpus words these as sentences for the user
        errors.register(UntilError, str)

    @app_commands.command(name="brief")
    @app_commands.describe(
        topic="The topic, e.g. russia-china",
        days=f"How many days back to look ({MIN_DAYS}–{MAX_DAYS}, default {DEFAULT_DAYS})",
        theme="Only stories about this theme",
        format="embeds (default), or a Markdown file to paste into a report",
        until=UNTIL_HELP,
    )
    @app_commands.autocomplete(topic=topic_autocomplete)
    @_theme_option
    async def brief(
        self,
        interaction: discord.Interaction[Any],
        topic: str,
        days: app_commands.Range[int, MIN_DAYS, MAX_DAYS] = DEFAULT_DAYS,
        theme: str | None = None,
        format: Literal["embeds", "markdown"] = "embeds",
        until: str | None = None,
    ) -> None:
        """Brief on a topic: stories with sources, key figures, themes."""
        await errors.defer(interaction)
        end = parse_until(until) if until else None
        brief = ending_at(await self.briefs.compose(topic, days=days, theme=theme, now=end), end)
        if format == "markdown":
            await interaction.followup.send(content=markdown_note(brief), file=markdown_file(brief))
            errors.replied(interaction)
            return
        await send_pages(interaction, brief_pages(brief))

    @app_commands.command(name="figures")
    @app_commands.describe(
        topic="The topic, e.g. russia-china",
        days=f"How many days back to look ({MIN_DAYS}–{MAX_DAYS}, default {DEFAULT_DAYS})",
        until=UNTIL_HELP,
    )
    @app_commands.autocomplete(topic=topic_autocomplete)
    async def figures(
        self,
        interaction: discord.Interaction[Any],
        topic: str,
        days: app_commands.Range[int, MIN_DAYS, MAX_DAYS] = DEFAULT_DAYS,
        until: str | None = None,
    ) -> None:
        """Key figures of a topic, with every source's value side by side."""
        await errors.defer(interaction)
        end = parse_until(until) if until else None
        brief = ending_at(
            await self.briefs.compose(topic, days=days, all_figures=True, now=end), end
        )
        await send_pages(interaction, figures_pages(brief))

    @app_commands.command(name="story")
    @app_commands.describe(id="The story number shown in a brief, e.g. 42")
    async def story(
        self, interaction: discord.Interaction[Any], id: app_commands.Range[int, 1, MAX_ROW_ID]
    ) -> None:
        """One story in full: every source, its summary and figures."""
        await errors.defer(interaction)
        detail = await in_transaction(self.resources.sessions, get_story, id)
        await send_pages(interaction, story_pages(detail))


def markdown_note(brief: Brief) -> str:
    """Return the message that carries the Markdown file of a brief."""
    stories = "story" if len(brief.stories) == 1 else "stories"
    return (
        f"📝 **{plain(brief.topic_name)}** — {len(brief.stories)} {stories} as Markdown, "
        "with linked headlines and citations, ready to paste into a report."
    )


def markdown_file(brief: Brief) -> discord.File:
    """Return the brief as a Markdown attachment."""
    data = brief_markdown(brief).encode("utf-8")
    return discord.File(io.BytesIO(data), filename=markdown_filename(brief))


@app_commands.command(name="list")
async def topics_list(interaction: discord.Interaction[Any]) -> None:
    """List the topics you can get a brief on."""
    topics = await in_transaction(resources_of(interaction).sessions, list_topics)
    await send_pages(interaction, topics_pages(topics))
