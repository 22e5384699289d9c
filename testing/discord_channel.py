"""A fake Discord channel at the HTTP boundary: posts, nonces, history and injected failures."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import discord

BOT_USER_ID = 4242
_sequence = itertools.count()


def _next_id() -> int:
    """A snowflake for now, like Discord's: ids grow with time."""
    return discord.utils.time_snowflake(datetime.now(UTC)) + next(_sequence) % 4096


def http_error(cls: type[discord.HTTPException], status: int, code: int, text: str) -> Exception:
    """Build the exception discord.py raises for an HTTP error response."""
    response = SimpleNamespace(status=status, reason=text)
    return cls(response, {"code": code, "message": text})  # type: ignore[arg-type]


@dataclass
class FakeMessage:
    """A message as the fake channel stores it."""

    id: int
    content: str | None
    embeds: list[discord.Embed]
    author: Any
    nonce: str | None


@dataclass
class FakeChannel:
    """Behaves like Discord for one channel, failures injected on request.

    A second send with a seen nonce returns the first message when ``honour_nonce`` (Discord's
    few-minute window), otherwise posts again.
    """

    id: int
    honour_nonce: bool = True
    messages: list[FakeMessage] = field(default_factory=list)
    fail_before: list[Exception] = field(default_factory=list)  # raised before Discord accepts
    fail_after: list[Exception] = field(default_factory=list)  # accepted, then the reply is lost
    history_error: Exception | None = None
    hang_before_accept: bool = False
    hang_after_accept: bool = False
    entered: asyncio.Event = field(default_factory=asyncio.Event)
    sends: int = 0
    _by_nonce: dict[str, FakeMessage] = field(default_factory=dict)

    async def send(self, content: str | None = None, **kwargs: Any) -> FakeMessage:
        """Post a message, or fail or hang where the test asked."""
        self.sends += 1
        if self.fail_before:
            raise self.fail_before.pop(0)
        if self.hang_before_accept:
            self.entered.set()
            await asyncio.Event().wait()
        nonce = kwargs.get("nonce")
        if self.honour_nonce and nonce is not None and nonce in self._by_nonce:
            return self._by_nonce[nonce]
        message = FakeMessage(
            id=_next_id(),
            content=content,
            embeds=list(kwargs.get("embeds") or []),
            author=SimpleNamespace(id=BOT_USER_ID),
            nonce=nonce,
        )
        self.messages.append(message)
        if nonce is not None:
            self._by_nonce[nonce] = message
        if self.fail_after:
            raise self.fail_after.pop(0)
        if self.hang_after_accept:
            self.entered.set()
            await asyncio.Event().wait()
        return message

    async def _history(self, limit: int | None, after: Any) -> AsyncIterator[FakeMessage]:
        if self.history_error is not None:
            raise self.history_error
        if after is None:
            chosen = list(reversed(self.messages))  # newest first, as Discord does
        else:
            chosen = sorted((m for m in self.messages if m.id > after.id), key=lambda m: m.id)
        for message in chosen[:limit]:
            yield message

    def history(self, *, limit: int | None = 100, after: Any = None) -> AsyncIterator[FakeMessage]:
        """The messages newest first, or oldest first after ``after``, as Discord pages them."""
        return self._history(limit, after)

    def post_by_someone_else(self, content: str) -> None:
        """A message from another user, in the channel's history."""
        self.messages.append(FakeMessage(_next_id(), content, [], SimpleNamespace(id=1), None))


class FakeGuildChannels:
    """Channel lookup as the bot does it; unknown ids raise Discord's NotFound."""

    def __init__(self, *channels: FakeChannel) -> None:
        self.channels = {c.id: c for c in channels}

    async def resolve(self, channel_id: int) -> FakeChannel:
        """The channel of ``channel_id``; Discord's NotFound for an unknown one."""
        try:
            return self.channels[channel_id]
        except KeyError:
            raise http_error(discord.NotFound, 404, 10003, "Unknown Channel") from None
