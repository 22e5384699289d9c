"""``/sources``: admins add, list, edit, poll, pause, resume and remove the sources polled."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import errors, limits
from bot.app import BotResources
from bot.delivery import require_posting
from bot.extensions.sources import _embeds
from bot.limits import MAX_ROW_ID
from bot.pager import send_pages
from bot.task_senders import note_of
from bot.topic_options import known_topic, topic_autocomplete
from bot.transactions import in_transaction
from corpus import alerts, jobs, sources
from corpus.sources import SourceError, SourceRow
from corpus.tables import SourceStatus

log = logging.getLogger(__name__)

FIRST_POLL_WAIT = 45.0  # seconds the add reply waits for the first poll before saying where to look
POLL_CHECK_EVERY = 1.5
MAX_ID_CHOICES = 25
errors.register(SourceError, lambda error: error.reason)


async def source_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[int]]:
    """Suggest sources by id or URL as the admin types."""
    cog = interaction.client.get_cog(SourcesCog.__cog_name__) if interaction.client else None
    if not isinstance(cog, SourcesCog):
        return []
    rows = await in_transaction(cog.resources.sessions, sources.list_sources)
    needle = current.strip().lower().lstrip("#")
    found = [r for r in rows if needle in str(r.id) or needle in r.url.lower()]
    return [
        app_commands.Choice(name=limits.cut(f"#{r.id} {r.url}", 100), value=r.id)
        for r in found[:MAX_ID_CHOICES]
    ]


def _add(
    session: Any,
    url: str,
    topic: str | None,
    guild_id: int | None,
    user_id: int,
    poll_interval_seconds: int,
) -> SourceRow:
    slug = known_topic(session, topic) if topic is not None else None
    return sources.add_source(
        session,
        url,
        topic=slug,
        added_by_guild=guild_id,
        added_by_user=user_id,
        poll_interval_seconds=poll_interval_seconds,
    )


NO_TOPIC = "none"  # typed as the topic of /sources edit, removes it


def _edit(
    session: Any, source_id: int, topic: str | None, interval_minutes: int | None
) -> SourceRow:
    _get(session, source_id)
    clear = topic is not None and topic.strip().lower() == NO_TOPIC
    slug = known_topic(session, topic) if topic is not None and not clear else None
    return sources.edit_source(
        session,
        source_id,
        topic=slug,
        clear_topic=clear,
        poll_interval_seconds=interval_minutes * 60 if interval_minutes is not None else None,
    )


def _get(session: Any, source_id: int) -> SourceRow:
    row = sources.get_source(session, source_id)
    if row is None:
        raise errors.UserError(f"There is no source #{source_id}. /sources list shows them.")
    return row


def _change(
    session: Any, source_id: int, change: Callable[..., SourceRow], **kwargs: Any
) -> SourceRow:
    """Apply ``change`` (remove, pause or resume) to a source that exists, or refuse the id."""
    _get(session, source_id)
    return change(session, source_id, **kwargs)


def _polled_since(row: SourceRow, since: datetime | None) -> bool:
    polled = row.last_polled_at
    return polled is not None and (since is None or polled > since)


def _settled(row: SourceRow, since: datetime | None = None) -> bool:
    """Tell whether a poll after ``since`` finished and none of the items it found is pending."""
    if not _polled_since(row, since):
        return False
    failed = row.last_success_at is None or row.last_success_at != row.last_polled_at
    return failed or row.items.pending == 0


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class SourcesCog(commands.GroupCog, group_name="sources", group_description="Manage sources"):
    """Admin commands over the sources; every one also checks Manage Server on our side."""

    def __init__(
        self, resources: BotResources, *, first_poll_wait: float = FIRST_POLL_WAIT
    ) -> None:
        self.resources = resources
        self.first_poll_wait = first_poll_wait
        super().__init__()

    async def _queue_poll(self, source_id: int) -> str:
        """Send the source's poll by name; return what the admin should expect."""
        try:
            await asyncio.to_thread(self.resources.send_task, jobs.POLL_SOURCE, [source_id])
        except Exception as exc:  # a broker outage must not lose the stored source
            log.warning("could not queue the poll of source %s: %s", source_id, exc)
            return "The worker could not be reached; its scheduler polls the source when it is."
        return note_of(self.resources.send_task)

    async def _follow_poll(
        self,
        interaction: discord.Interaction[Any],
        first: SourceRow,
        *,
        since: datetime | None,
        note: str,
        label: str,
        build: Callable[..., Any],
    ) -> None:
        """Edit the reply as the poll goes: queued, polled while its items are fetched, done.

        The wait is bounded; at the deadline the reply shows what there is and where to look.
        """
        shown = ""

        async def show(row: SourceRow, outcome: str) -> None:
            nonlocal shown
            if outcome != shown:
                shown = outcome
                embed = discord.Embed.from_dict(build(row, outcome=outcome))
                await interaction.edit_original_response(embeds=[embed])

        await show(first, f"⏳ {note}")
        errors.replied(interaction)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.first_poll_wait
        while True:
            row = await in_transaction(self.resources.sessions, sources.get_source, first.id)
            if row is None:
                return
            if _polled_since(row, since):
                await show(row, _embeds.poll_text(row, label=label) or "")
                if _settled(row, since):
                    return
            if loop.time() >= deadline:
                break
            await asyncio.sleep(min(POLL_CHECK_EVERY, max(deadline - loop.time(), 0.0)))
        if not _polled_since(row, since):
            what = label[0].lower() + label[1:]
            await show(
                first, f"⏳ The {what} has not finished yet. {note} /sources list shows its result."
            )

    @app_commands.command(name="add")
    @app_commands.describe(
        url="A feed, sitemap, article page or site (http or https)",
        topic="The topic this source is about (optional)",
    )
    @app_commands.autocomplete(topic=topic_autocomplete)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def add(
        self,
        interaction: discord.Interaction[Any],
        url: app_commands.Range[str, 1, 2048],
        topic: str | None = None,
    ) -> None:
        """Add a source; the reply says what its first poll found."""
        await errors.defer(interaction, ephemeral=True)
        checked = await asyncio.to_thread(self.resources.check_url, url)
        row = await in_transaction(
            self.resources.sessions,
            _add,
            checked,
            topic,
            interaction.guild_id,
            interaction.user.id,
            self.resources.settings.poll_interval_seconds,
        )
        note = await self._queue_poll(row.id)
        await self._follow_poll(
            interaction, row, since=None, note=note, label="First poll", build=_embeds.added_embed
        )

    @app_commands.command(name="list")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def list_(self, interaction: discord.Interaction[Any]) -> None:
        """List sources with their health: last success, last error, article count."""
        await errors.defer(interaction, ephemeral=True)

        def read(session: Any) -> tuple[list[SourceRow], int | None]:
            guild = interaction.guild_id
            return sources.list_sources(session), (
                alerts.alert_channel(session, guild) if guild else None
            )

        rows, alert_channel = await in_transaction(self.resources.sessions, read)
        pages = _embeds.list_pages(rows, datetime.now(UTC), alert_channel)
        await send_pages(interaction, pages, ephemeral=True)

    @app_commands.command(name="remove")
    @app_commands.describe(id="The source's number, as shown by /sources list")
    @app_commands.autocomplete(id=source_autocomplete)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def remove(
        self, interaction: discord.Interaction[Any], id: app_commands.Range[int, 1, MAX_ROW_ID]
    ) -> None:
        """Stop following a source (its articles stay)."""
        await errors.defer(interaction, ephemeral=True)
        row = await in_transaction(self.resources.sessions, _change, id, sources.remove_source)
        await errors.send_ephemeral(interaction, _embeds.changed_text("Removed", row))

    @app_commands.command(name="pause")
    @app_commands.describe(id="The source's number, as shown by /sources list")
    @app_commands.autocomplete(id=source_autocomplete)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def pause(
        self, interaction: discord.Interaction[Any], id: app_commands.Range[int, 1, MAX_ROW_ID]
    ) -> None:
        """Stop polling a source until it is resumed."""
        await errors.defer(interaction, ephemeral=True)
        current = await in_transaction(self.resources.sessions, _get, id)
        unchanged = sources.already(current, "pause")
        if unchanged:
            await errors.send_ephemeral(interaction, _embeds.unchanged_text(current, unchanged))
            return
        reason = f"paused by {interaction.user} from Discord"
        row = await in_transaction(
            self.resources.sessions, _change, id, sources.pause_source, reason=reason
        )
        await errors.send_ephemeral(interaction, _embeds.changed_text("Paused", row))

    @app_commands.command(name="resume")
    @app_commands.describe(id="The source's number, as shown by /sources list")
    @app_commands.autocomplete(id=source_autocomplete)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def resume(
        self, interaction: discord.Interaction[Any], id: app_commands.Range[int, 1, MAX_ROW_ID]
    ) -> None:
        """Poll a paused source again, starting now."""
        await errors.defer(interaction, ephemeral=True)
        current = await in_transaction(self.resources.sessions, _get, id)
        unchanged = sources.already(current, "resume")
        if unchanged:
            await errors.send_ephemeral(interaction, _embeds.unchanged_text(current, unchanged))
            return
        row = await in_transaction(self.resources.sessions, _change, id, sources.resume_source)
        note = await self._queue_poll(row.id)
        await errors.send_ephemeral(interaction, f"{_embeds.changed_text('Resumed', row)} {note}")

    @app_commands.command(name="edit")
    @app_commands.describe(
        id="The source's number, as shown by /sources list",
        topic=f"The topic it is about ({NO_TOPIC!r} removes it)",
        interval="Minutes between polls",
    )
    @app_commands.autocomplete(id=source_autocomplete)
    @app_commands.autocomplete(topic=topic_autocomplete)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def edit(
        self,
        interaction: discord.Interaction[Any],
        id: app_commands.Range[int, 1, MAX_ROW_ID],
        topic: app_commands.Range[str, 1, 64] | None = None,
        interval: app_commands.Range[
            int,
            sources.MIN_POLL_INTERVAL_SECONDS // 60,
            sources.MAX_POLL_INTERVAL_SECONDS // 60,
        ]
        | None = None,
    ) -> None:
        """Change a source's topic or how often it is polled."""
        await errors.defer(interaction, ephemeral=True)
        row = await in_transaction(self.resources.sessions, _edit, id, topic, interval)
        await errors.send_ephemeral(interaction, _embeds.edited_text(row))

    @app_commands.command(name="poll")
    @app_commands.describe(id="The source's number, as shown by /sources list")
    @app_commands.autocomplete(id=source_autocomplete)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def poll(
        self, interaction: discord.Interaction[Any], id: app_commands.Range[int, 1, MAX_ROW_ID]
    ) -> None:
        """Poll a source now instead of at its next turn; the reply says what it found."""
        await errors.defer(interaction, ephemeral=True)
        before = await in_transaction(self.resources.sessions, _get, id)
        if before.status == SourceStatus.PAUSED:
            raise errors.UserError(
                f"Source #{id} is paused ({(before.paused_reason or 'no reason').rstrip('.')}). "
                f"/sources resume id:{id} polls it again."
            )
        note = await self._queue_poll(id)
        await self._follow_poll(
            interaction,
            before,
            since=before.last_polled_at,
            note=note,
            label="Poll",
            build=_embeds.polled_embed,
        )

    @app_commands.command(name="alerts")
    @app_commands.describe(channel="Where to tell admins when a source is paused after failures")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def alerts_(
        self, interaction: discord.Interaction[Any], channel: app_commands.AppCommandChannel
    ) -> None:
        """Choose the channel that hears when a source is paused after repeated failures."""
        require_posting(channel, interaction)
        await errors.defer(interaction, ephemeral=True)
        guild_id = interaction.guild_id
        if guild_id is None:
            raise errors.UserError("This command works only in a server.")
        await in_transaction(
            self.resources.sessions, alerts.set_alert_channel, guild_id, channel.id
        )
        await errors.send_ephemeral(
            interaction,
            f"Source alerts now go to {channel.mention}: one message each time a source is "
            "paused after repeated failures.",
        )
