"""A fake Discord channel at the HTTP boundary: posts, nonces, history and injected failures."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import discord

BOT_USER_ID = 4242
_ids = itertools.count(900_000_000_000_000_000)


def http_error(cls: type[discord.HTTPException], status: int, code: int, text: str) -> Exception:
    """Build the exception discord.py raises for an HTTP error response."""
    response = SimpleNamespace(status=status, reason=text)
    return cls(response, {"code": code, "message": text})  # type: ignore[arg-type]


@dataclass
class FakeMessage:
    id: int
    content: str | None
    embeds: list[discord.Embed]
    author: Any
    nonce: str | None


@dataclass
class FakeChannel:
    """Behaves like Discord for one channel: a second send with a seen nonce returns the first
    message when ``honour_nonce`` (Discord's few-minute window), otherwise posts again."""

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
            id=next(_ids),
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

    async def _history(self, limit: int | None) -> AsyncIterator[FakeMessage]:
        if self.history_error is not None:
            raise self.history_error
        newest_first = list(reversed(self.messages))
        for message in newest_first[:limit]:
            yield message

    def history(self, *, limit: int | None = 100) -> AsyncIterator[FakeMessage]:
        return self._history(limit)

    def post_by_someone_else(self, content: str) -> None:
        self.messages.append(FakeMessage(next(_ids), content, [], SimpleNamespace(id=1), None))


class FakeGuildChannels:
    """Channel lookup as the bot does it; unknown ids raise Discord's NotFound."""

    def __init__(self, *channels: FakeChannel) -> None:
        self.channels = {c.id: c for c in channels}

    async def resolve(self, channel_id: int) -> FakeChannel:
        try:
            return self.channels[channel_id]
        except KeyError:
            raise http_error(discord.NotFound, 404, 10003, "Unknown Channel") from None
