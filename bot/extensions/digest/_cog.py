"""``/digest``: scheduled digests per channel, preview and status; runs the outbox delivery."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands
from sqlalchemy.orm import Session

from bot import errors
from bot.app import BotResources
from bot.delivery import DeliveryLoop, discord_channel_resolver, require_posting
from bot.extensions.digest import _embeds
from bot.pager import to_discord
from bot.topic_options import known_topic, topic_autocomplete
from bot.transactions import in_transaction
from corpus import alerts, outbox, topics
from corpus.brief import compose_brief
from corpus.db import transaction
from corpus.digests import composition, parsing, periods, schedules
from corpus.digests.parsing import DigestInputError
from corpus.digests.periods import Schedule
from corpus.outbox import OutboxItem, OutboxKind

log = logging.getLogger(__name__)

MAX_TZ_CHOICES = 25
RECENT_DELIVERIES = 8
OFF_SHOWN_FOR = timedelta(days=7)  # /digest status forgets a digest turned off longer ago

errors.register(DigestInputError, str)  # worded as sentences for the admin


class TimeOfDay(app_commands.Transformer):
    """A ``HH:MM`` time of day, checked before the command runs."""

    async def transform(self, interaction: discord.Interaction[Any], value: Any) -> str:
        """Return the time as ``HH:MM`` or refuse it with an example."""
        try:
            return parsing.parse_time_of_day(str(value)).strftime("%H:%M")
        except DigestInputError as exc:
            raise errors.UserError(str(exc)) from exc


class TimeZoneName(app_commands.Transformer):
    """An IANA time zone, suggested as the admin types and checked before the command runs."""

    async def transform(self, interaction: discord.Interaction[Any], value: Any) -> str:
        """Return the zone's canonical name or refuse it with examples."""
        try:
            return parsing.parse_timezone(str(value)).key
        except DigestInputError as exc:
            raise errors.UserError(str(exc)) from exc

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], value: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest IANA zone names containing what was typed."""
        names = parsing.suggest_timezones(value or "", MAX_TZ_CHOICES)
        return [app_commands.Choice(name=n, value=n) for n in names]


def _topic_or_default(session: Session, topic: str | None) -> str:
    if topic is not None:
        return known_topic(session, topic)
    every = topics.list_topics(session)
    if not every:
        raise errors.UserError("There are no topics yet. An admin can add one: /topics add.")
    return every[0].slug


def _guild(interaction: discord.Interaction[Any]) -> int:
    if interaction.guild_id is None:
        raise errors.UserError("This command works only in a server.")
    return interaction.guild_id


def _on_channel_gone(session: Session, item: OutboxItem) -> None:
    """Stop digests or alerts to a deleted channel until an admin picks another."""
    if item.guild_id is None:
        return
    if item.kind == OutboxKind.DIGEST:
        schedules.disable_schedules(session, guild_id=item.guild_id, channel_id=item.channel_id)
    elif alerts.alert_channel(session, item.guild_id) == item.channel_id:
        alerts.clear_alert_channel(session, item.guild_id)


def outbox_sweep(resources: BotResources) -> Callable[[], object]:
    """Return what the delivery loop runs before each pass.

    Alerts for paused sources are queued on every pass. Digests are composed by the worker's
    beat when a broker is configured; without one, nothing else would, so the bot composes
    them itself (exactly once either way: the outbox key decides).
    """
    sessions = resources.sessions
    max_failures = resources.settings.max_consecutive_failures
    compose_here = not resources.settings.redis_url

    def sweep() -> None:
        if compose_here:
            composition.compose_due(sessions, max_failures=max_failures, on_error=_log_error)
            return
        with transaction(sessions) as session:
            alerts.enqueue_source_alerts(session, max_failures=max_failures)

    return sweep


def _log_error(schedule: Schedule, error: Exception) -> None:
    log.warning("digest %s for <#%s> not composed: %s", schedule.topic, schedule.channel_id, error)


def delivery_loop(bot: commands.Bot, resources: BotResources) -> DeliveryLoop:
    """Build the outbox delivery loop of ``bot``: digests and source alerts."""
    return DeliveryLoop(
        resources.sessions,
        discord_channel_resolver(bot),
        {OutboxKind.DIGEST: _embeds.digest_message, OutboxKind.ALERT: _embeds.alert_message},
        bot_user_id=lambda: bot.user.id if bot.user is not None else None,
        sweep=outbox_sweep(resources),
        on_channel_gone=_on_channel_gone,
    )


@app_commands.guild_only()
class DigestCog(commands.GroupCog, group_name="digest", group_description="Scheduled digests"):
    """``set``/``off``/``status`` for admins (checked here too), ``preview`` for everyone."""

    def __init__(self, resources: BotResources, delivery: DeliveryLoop | None = None) -> None:
        self.resources = resources
        self.delivery = delivery
        super().__init__()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Start delivering once connected (again after a reconnect, if it had stopped)."""
        if self.delivery is not None:
            self.delivery.start()

    async def cog_unload(self) -> None:
        """Stop delivering; pending messages stay in the outbox for the next start."""
        if self.delivery is not None:
            await self.delivery.stop()

    @app_commands.command(name="set")
    @app_commands.describe(
        channel="Where the digest is posted",
        time="Time of day, 24-hour HH:MM, e.g. 08:00",
        timezone="IANA time zone, e.g. Europe/Berlin",
        topic="The topic (default: the first topic)",
        frequency="Every day, or every Monday",
    )
    @app_commands.autocomplete(topic=topic_autocomplete)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def set_(
        self,
        interaction: discord.Interaction[Any],
        channel: app_commands.AppCommandChannel,
        time: app_commands.Transform[str, TimeOfDay],
        timezone: app_commands.Transform[str, TimeZoneName],
        topic: str | None = None,
        frequency: Literal["daily", "weekly"] = "daily",
    ) -> None:
        """Post a digest of what is new in a channel, every day or every week."""
        guild_id = _guild(interaction)
        require_posting(channel, interaction)
        await errors.defer(interaction, ephemeral=True)
        now = datetime.now(UTC)

        def work(session: Session) -> Schedule:
            return schedules.set_schedule(
                session,
                guild_id=guild_id,
                channel_id=channel.id,
                topic=_topic_or_default(session, topic),
                time_of_day=time,
                timezone=timezone,
                frequency=frequency,
                created_by=interaction.user.id,
                now=now,
            )

        schedule = await in_transaction(self.resources.sessions, work)
        embed = _embeds.schedule_set_embed(schedule, periods.next_firing(schedule, now))
        await interaction.followup.send(embeds=to_discord([embed]), ephemeral=True)
        errors.replied(interaction)

    @app_commands.command(name="off")
    @app_commands.describe(
        channel="Only the digests of this channel (default: every channel)",
        topic="Only the digests of this topic",
    )
    @app_commands.autocomplete(topic=topic_autocomplete)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def off(
        self,
        interaction: discord.Interaction[Any],
        channel: app_commands.AppCommandChannel | None = None,
        topic: str | None = None,
    ) -> None:
        """Stop scheduled digests here (all, one channel's, or one topic's)."""
        guild_id = _guild(interaction)
        await errors.defer(interaction, ephemeral=True)

        def work(session: Session) -> list[Schedule]:
            return schedules.disable_schedules(
                session,
                guild_id=guild_id,
                channel_id=channel.id if channel else None,
                topic=known_topic(session, topic) if topic is not None else None,
            )

        stopped = await in_transaction(self.resources.sessions, work)
        await errors.send_ephemeral(interaction, _embeds.schedules_off_text(stopped))

    @app_commands.command(name="status")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def status(self, interaction: discord.Interaction[Any]) -> None:
        """Show this server's digests, recent deliveries and why any failed."""
        guild_id = _guild(interaction)
        await errors.defer(interaction, ephemeral=True)
        now = datetime.now(UTC)

        def read(session: Session) -> tuple[list[tuple[Schedule, datetime | None]], list[Any]]:
            shown = schedules.list_schedules(session, guild_id, off_since=now - OFF_SHOWN_FOR)
            listed = [(s, periods.next_firing(s, now) if s.enabled else None) for s in shown]
            return listed, outbox.for_guild(session, guild_id, limit=RECENT_DELIVERIES)

        listed, recent = await in_transaction(self.resources.sessions, read)
        embeds = _embeds.status_embeds(listed, recent)
        await interaction.followup.send(embeds=to_discord(embeds), ephemeral=True)
        errors.replied(interaction)

    @app_commands.command(name="preview")
    @app_commands.describe(topic="The topic (default: this channel's digest, else the first topic)")
    @app_commands.autocomplete(topic=topic_autocomplete)
    async def preview(
        self, interaction: discord.Interaction[Any], topic: str | None = None
    ) -> None:
        """See what the next digest here would show if it were posted now (only you see it)."""
        guild_id = _guild(interaction)
        channel_id = interaction.channel_id
        await errors.defer(interaction, ephemeral=True)
        now = datetime.now(UTC)

        def work(session: Session) -> tuple[dict[str, Any], bool]:
            slug = known_topic(session, topic) if topic is not None else None
            # This channel's digest, else the server's one digest of the topic (or its only one).
            schedule = schedules.find_schedule(
                session, guild_id, channel_id, slug
            ) or schedules.find_schedule(session, guild_id, None, slug)
            chosen = schedule.topic if schedule else _topic_or_default(session, slug)
            payload = composition.preview_payload(
                session, compose_brief, topic=chosen, schedule=schedule, now=now
            )
            return payload, schedule is not None

        payload, scheduled = await in_transaction(self.resources.sessions, work)
        heading = _embeds.preview_heading(payload, payload["brief"]["topic_name"], scheduled)
        await interaction.followup.send(
            content=heading,
            embeds=to_discord(_embeds.digest_embeds(payload)),
            ephemeral=True,
        )
        errors.replied(interaction)
