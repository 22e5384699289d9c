"""The outbox delivery loop: post pending outbox messages, mark them sent once Discord accepted.

Exactly-once across restarts rests on three steps per message:

1. Before sending, the attempt is counted and committed (``outbox.begin_attempt``).
2. The message is sent with a nonce derived from its outbox key; Discord (``enforce_nonce``)
   returns the first message instead of posting a second one for a few minutes.
3. The message carries a short reference line (``-# ref …``). When a message had an earlier
   attempt, that attempt may have reached Discord before the bot died, so the loop first looks
   for the reference among the channel's recent messages by the bot, and if it finds it, marks
   the row sent with that message instead of posting again.

Only then is the row marked sent, with the Discord message id. A permanent failure (channel
deleted, missing permissions, a message Discord rejects) marks the row failed with the reason
and never retries it; transient failures (5xx, rate limits, network) are retried with backoff.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import aiohttp
import discord
from sqlalchemy.orm import Session, sessionmaker

from bot import errors, limits
from corpus import outbox
from corpus.db import transaction
from corpus.outbox import OutboxItem

log = logging.getLogger(__name__)

UNKNOWN_CHANNEL = 10003
UNKNOWN_GUILD = 10004
MISSING_ACCESS = 50001
MISSING_PERMISSIONS = 50013

# What the bot needs in a channel it posts digests or alerts to.
POSTING_PERMISSIONS = ("view_channel", "send_messages", "embed_links", "read_message_history")

Message = dict[str, Any]  # {"content": str | None, "embeds": [embed dicts]}
Renderer = Callable[[OutboxItem], Message]


class Channel(Protocol):
    """What the loop needs of a Discord channel (``discord.abc.Messageable``)."""

    async def send(self, content: str | None = None, **kwargs: Any) -> Any:
        """Post a message; returns the message (with ``.id``)."""
        ...

    def history(self, *, limit: int | None = ..., after: Any = ...) -> Any:
        """Iterate messages posted after ``after``, oldest first."""
        ...


ChannelResolver = Callable[[int], Awaitable[Channel]]


class PermanentDeliveryError(Exception):
    """Delivery cannot succeed without an admin's action; ``str()`` says what to do."""


def missing_posting_permissions(channel: Any, me: Any) -> list[str]:
    """Return the permissions the bot lacks to post in ``channel`` (empty when it can)."""
    if me is None or not hasattr(channel, "permissions_for"):
        return []
    granted = channel.permissions_for(me)
    return [
        name.replace("_", " ").title() for name in POSTING_PERMISSIONS if not getattr(granted, name)
    ]


POSTABLE_TYPES = (discord.ChannelType.text, discord.ChannelType.news)


def require_posting(channel: Any, interaction: discord.Interaction[Any]) -> None:
    """Refuse a channel the bot cannot post in: not a text channel, or permissions missing.

    ``channel`` is the option as Discord resolved it; the server's own channel object (when
    the bot has it cached) tells what the bot itself may do there.
    """
    guild = interaction.guild
    getter = getattr(guild, "get_channel", None)
    target = (getter(channel.id) if getter is not None else None) or channel
    kind = getattr(target, "type", None)
    if isinstance(kind, discord.ChannelType) and kind not in POSTABLE_TYPES:
        raise errors.UserError(f"{channel.mention} is not a text channel; choose one.")
    missing = missing_posting_permissions(target, getattr(guild, "me", None))
    if missing:
        raise errors.UserError(
            f"I cannot post in {channel.mention}: give me {', '.join(missing)} there first."
        )


def ref_line(item: OutboxItem) -> str:
    """Return the small reference line every delivered message ends with."""
    return f"-# ref {item.ref}"


def with_ref(item: OutboxItem, message: Message) -> Message:
    """Return ``message`` fitted to Discord's limits, its content ending with the reference line."""
    line = ref_line(item)
    content = (message.get("content") or "").strip()
    room = limits.CONTENT - limits.size(line) - 1
    content = limits.fit_text(content, room) if content else ""
    return {
        "content": f"{content}\n{line}" if content else line,
        "embeds": limits.fit_message(list(message.get("embeds") or [])),
    }


def channel_gone(error: discord.HTTPException) -> bool:
    """Return whether ``error`` says the channel (or its server) no longer exists for the bot."""
    code = getattr(error, "code", 0)
    return code in (UNKNOWN_CHANNEL, UNKNOWN_GUILD) or (
        isinstance(error, discord.NotFound) and code == 0
    )


def permanent_reason(error: discord.HTTPException, channel_id: int) -> str | None:
    """Return why ``error`` can never be fixed by retrying, or None when it is worth retrying."""
    code = getattr(error, "code", 0)
    if channel_gone(error):
        return (
            f"The channel <#{channel_id}> no longer exists (deleted, or the bot left the server)."
            " Choose another channel with /digest set."
        )
    if isinstance(error, discord.Forbidden) or code in (MISSING_ACCESS, MISSING_PERMISSIONS):
        return (
            f"The bot may not post in <#{channel_id}>: give it View Channel, Send Messages, "
            "Embed Links and Read Message History there."
        )
    status = getattr(error, "status", 0)
    if 400 <= status < 500 and status != 429:
        return f"Discord refused the message ({status}: {error.text or 'no reason given'})."
    return None


def default_backoff(attempts: int) -> float:
    """Seconds to wait after ``attempts`` failed tries: 5, 10, 20, … up to 10 minutes."""
    return float(min(600.0, 5.0 * 2 ** (attempts - 1)))


@dataclass
class DeliveryReport:
    """What one pass of the loop did, by outbox key."""

    sent: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)  # found already posted; marked sent
    failed: dict[str, str] = field(default_factory=dict)
    retry: dict[str, str] = field(default_factory=dict)


class DeliveryLoop:
    """Deliver pending outbox messages every ``interval`` seconds until stopped."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        resolve_channel: ChannelResolver,
        renderers: Mapping[str, Renderer],
        *,
        bot_user_id: Callable[[], int | None],
        interval: float = 10.0,
        batch: int = 50,
        history_limit: int = 200,
        max_attempts: int = 12,
        backoff: Callable[[int], float] | None = None,
        sweep: Callable[[], object] | None = None,
        on_channel_gone: Callable[[Session, OutboxItem], object] | None = None,
    ) -> None:
        self.sessions = sessions
        self.resolve_channel = resolve_channel
        self.renderers = dict(renderers)
        self.bot_user_id = bot_user_id
        self.interval = interval
        self.batch = batch
        self.history_limit = history_limit
        self.max_attempts = max_attempts
        self.backoff = backoff or default_backoff
        self.sweep = sweep
        self.on_channel_gone = on_channel_gone
        self._not_before: dict[int, float] = {}
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    # --- database, off the event loop ---------------------------------------------------

    async def _db(self, fn: Callable[[Session], Any]) -> Any:
        def run() -> Any:
            with transaction(self.sessions) as session:
                return fn(session)

        return await asyncio.to_thread(run)

    # --- one message --------------------------------------------------------------------

    async def _find_posted(self, channel: Channel, item: OutboxItem) -> Any | None:
        me = self.bot_user_id()
        needle = ref_line(item)
        try:
            # Only messages posted after the row was composed can be it: start there, oldest
            # first, so a busy channel does not push the post out of reach.
            after = discord.Object(id=discord.utils.time_snowflake(item.created_at))
            async for message in channel.history(limit=self.history_limit, after=after):
                author = getattr(message, "author", None)
                if me is not None and getattr(author, "id", None) != me:
                    continue
                if needle in (getattr(message, "content", None) or ""):
                    return message
        except discord.Forbidden:
            log.warning("cannot read history of channel %s; relying on the nonce", item.channel_id)
        return None

    async def _fail(
        self, item: OutboxItem, reason: str, report: DeliveryReport, *, channel_gone: bool = False
    ) -> None:
        def record(session: Session) -> None:
            outbox.mark_failed(session, item.id, reason)
            if channel_gone and self.on_channel_gone is not None:
                self.on_channel_gone(session, item)

        await self._db(record)
        report.failed[item.key] = reason
        self._not_before.pop(item.id, None)
        log.warning("outbox %s failed for good: %s", item.key, reason)

    async def _retry_later(
        self, item: OutboxItem, attempts: int, reason: str, report: DeliveryReport
    ) -> None:
        if attempts >= self.max_attempts:
            await self._fail(
                item, f"Gave up after {attempts} attempts; the last error was: {reason}", report
            )
            return
        await self._db(lambda s: outbox.note_error(s, item.id, reason))
        self._not_before[item.id] = time.monotonic() + self.backoff(attempts)
        report.retry[item.key] = reason

    async def deliver(self, item: OutboxItem, report: DeliveryReport) -> None:
        """Deliver one message (see the module docstring for why it cannot post twice)."""
        before = await self._db(lambda s: outbox.begin_attempt(s, item.id))
        if before is None:
            return  # sent or failed meanwhile
        attempts = before + 1
        try:
            channel = await self.resolve_channel(item.channel_id)
            if before > 0:
                posted = await self._find_posted(channel, item)
                if posted is not None:
                    await self._db(lambda s: outbox.mark_sent(s, item.id, int(posted.id)))
                    report.recovered.append(item.key)
                    return
            render = self.renderers.get(item.kind)
            if render is None:
                raise PermanentDeliveryError(
                    f"No renderer for outbox messages of kind {item.kind}."
                )
            try:
                message = with_ref(item, render(item))
            except Exception as exc:
                raise PermanentDeliveryError(
                    f"The message could not be rendered ({exc.__class__.__name__}: {exc})."
                ) from exc
            sent = await channel.send(
                content=message["content"],
                embeds=[discord.Embed.from_dict(e) for e in message["embeds"]],
                nonce=item.nonce,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except PermanentDeliveryError as exc:
            await self._fail(item, str(exc), report)
            return
        except discord.HTTPException as exc:
            reason = permanent_reason(exc, item.channel_id)
            if reason is not None:
                await self._fail(item, reason, report, channel_gone=channel_gone(exc))
            else:
                await self._retry_later(item, attempts, f"Discord answered {exc.status}.", report)
            return
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            await self._retry_later(
                item, attempts, f"Could not reach Discord ({exc.__class__.__name__}).", report
            )
            return
        await self._db(lambda s: outbox.mark_sent(s, item.id, int(sent.id)))
        self._not_before.pop(item.id, None)
        report.sent.append(item.key)

    # --- the loop -----------------------------------------------------------------------

    async def run_once(self) -> DeliveryReport:
        """Run the sweep (e.g. queue new alerts), then deliver every pending message once."""
        report = DeliveryReport()
        if self.sweep is not None:
            await asyncio.to_thread(self.sweep)
        items = await self._db(lambda s: outbox.pending(s, self.batch))
        now = time.monotonic()
        for item in items:
            if self._not_before.get(item.id, 0.0) > now:
                continue
            await self.deliver(item, report)
        return report

    def wake(self) -> None:
        """Deliver now instead of at the next tick (e.g. after composing a preview)."""
        self._wake.set()

    async def run(self) -> None:
        """Deliver forever; an error in one pass is logged and the next pass tries again."""
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox delivery pass failed; trying again in %.0f s", self.interval)
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.interval)
            except TimeoutError:
                pass

    def start(self) -> asyncio.Task[None]:
        """Start the loop as a task on the running event loop."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self.run(), name="outbox-delivery")
        return self._task

    async def stop(self) -> None:
        """Cancel the loop and wait for it to end."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass


def discord_channel_resolver(client: discord.Client) -> ChannelResolver:
    """Return a resolver that finds a channel in the cache, else asks Discord for it."""

    async def resolve(channel_id: int) -> Channel:
        channel: Any = client.get_channel(channel_id)
        if channel is None:
            channel = await client.fetch_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise PermanentDeliveryError(f"<#{channel_id}> is not a channel the bot can post in.")
        return channel  # type: ignore[return-value]

    return resolve
