"""The outbox delivery loop with a fake Discord channel: exactly once across faults and restarts."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

import aiohttp
import discord
import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import DeliveryLoop, ref_line
from corpus import outbox
from corpus.db import make_engine, make_session_factory, transaction
from corpus.outbox import OutboxItem
from corpus.tables import OutboxStatus
from testing.discord_channel import BOT_USER_ID, FakeChannel, FakeGuildChannels, http_error

GUILD = 1


def render(item: OutboxItem) -> dict:
    return {
        "content": f"**Digest {item.payload['n']}**",
        "embeds": [{"title": f"Digest {item.payload['n']}", "description": "• news"}],
    }


def add(sessions: sessionmaker[Session], n: int, channel_id: int) -> str:
    key = f"digest:{GUILD}:{channel_id}:t:{n:04d}"
    with transaction(sessions) as session:
        outbox.enqueue(
            session,
            key=key,
            kind="digest",
            guild_id=GUILD,
            channel_id=channel_id,
            payload={"type": "digest", "n": n},
        )
    return key


def make_loop(sessions: sessionmaker[Session], channels: FakeGuildChannels, **kw) -> DeliveryLoop:
    kw.setdefault("backoff", lambda attempts: 0.0)
    return DeliveryLoop(
        sessions,
        channels.resolve,
        {"digest": render},
        bot_user_id=lambda: BOT_USER_ID,
        interval=0.01,
        **kw,
    )


def rows(sessions: sessionmaker[Session]) -> dict[str, OutboxItem]:
    with sessions() as session:
        return {i.key: i for i in outbox.for_guild(session, GUILD, limit=1000)}


def posted_refs(*channels: FakeChannel) -> Counter[str]:
    return Counter(m.content.rsplit("ref ", 1)[1] for c in channels for m in c.messages)


async def test_pending_messages_are_sent_and_marked_with_their_ids(sessions) -> None:
    """Each pending row is posted once and stores the Discord message id."""
    chan = FakeChannel(10)
    keys = [add(sessions, n, 10) for n in range(3)]
    report = await make_loop(sessions, FakeGuildChannels(chan)).run_once()
    assert report.sent == keys
    stored = rows(sessions)
    assert [m.id for m in chan.messages] == [stored[k].message_id for k in keys]
    assert all(stored[k].status == OutboxStatus.SENT for k in keys)
    again = await make_loop(sessions, FakeGuildChannels(chan)).run_once()
    assert again.sent == [] and len(chan.messages) == 3


async def test_message_carries_nonce_and_reference_line(sessions) -> None:
    """The post has the key's nonce and ends with its reference line."""
    chan = FakeChannel(10)
    key = add(sessions, 1, 10)
    await make_loop(sessions, FakeGuildChannels(chan)).run_once()
    (message,) = chan.messages
    item = rows(sessions)[key]
    assert message.nonce == item.nonce
    assert message.content.endswith(ref_line(item))
    assert message.embeds[0].title == "Digest 1"


@pytest.mark.parametrize(
    "lost_reply",
    [
        lambda: aiohttp.ClientConnectionError("connection reset"),
        lambda: http_error(discord.DiscordServerError, 503, 0, "Service Unavailable"),
    ],
)
async def test_send_accepted_but_reply_lost_is_not_posted_again(sessions, lost_reply) -> None:
    """Discord took the message but the reply was lost: the retry finds it instead of reposting."""
    chan = FakeChannel(10, honour_nonce=False, fail_after=[lost_reply()])
    key = add(sessions, 1, 10)
    loop = make_loop(sessions, FakeGuildChannels(chan))
    first = await loop.run_once()
    assert key in first.retry and rows(sessions)[key].status == OutboxStatus.PENDING
    second = await loop.run_once()
    assert second.recovered == [key]
    assert len(chan.messages) == 1
    assert rows(sessions)[key].message_id == chan.messages[0].id


async def test_lost_reply_is_found_in_a_busy_channel(sessions) -> None:
    """Hundreds of messages after the lost reply do not hide it from the check."""
    chan = FakeChannel(10, honour_nonce=False, fail_after=[aiohttp.ClientConnectionError("x")])
    key = add(sessions, 1, 10)
    loop = make_loop(sessions, FakeGuildChannels(chan))
    await loop.run_once()
    for n in range(400):
        chan.post_by_someone_else(f"chatter {n}")
    report = await loop.run_once()
    assert report.recovered == [key]
    assert sum(1 for m in chan.messages if m.author.id == BOT_USER_ID) == 1


async def test_without_history_access_the_nonce_prevents_a_repost(sessions) -> None:
    """With no Read Message History, Discord's nonce check still keeps one message."""
    forbidden = http_error(discord.Forbidden, 403, 50001, "Missing Access")
    chan = FakeChannel(10, honour_nonce=True, history_error=forbidden)
    chan.fail_after.append(aiohttp.ClientConnectionError("reset"))
    key = add(sessions, 1, 10)
    loop = make_loop(sessions, FakeGuildChannels(chan))
    await loop.run_once()
    report = await loop.run_once()
    assert report.sent == [key]
    assert len(chan.messages) == 1 and chan.sends == 2


async def test_someone_elses_message_with_the_reference_does_not_count(sessions) -> None:
    """Only the bot's own messages prove a digest was posted."""
    chan = FakeChannel(10, honour_nonce=False, fail_before=[aiohttp.ClientConnectionError("x")])
    key = add(sessions, 1, 10)
    loop = make_loop(sessions, FakeGuildChannels(chan))
    await loop.run_once()
    chan.post_by_someone_else(f"copied {ref_line(rows(sessions)[key])}")
    report = await loop.run_once()
    assert report.sent == [key]
    assert rows(sessions)[key].message_id == chan.messages[-1].id


async def test_missing_permission_fails_for_good_with_a_reason(sessions) -> None:
    """Forbidden marks the row failed, says which permissions, and is not retried."""
    chan = FakeChannel(
        10, fail_before=[http_error(discord.Forbidden, 403, 50013, "Missing Permissions")]
    )
    key = add(sessions, 1, 10)
    loop = make_loop(sessions, FakeGuildChannels(chan))
    report = await loop.run_once()
    assert "Send Messages" in report.failed[key]
    stored = rows(sessions)[key]
    assert stored.status == OutboxStatus.FAILED and "Embed Links" in (stored.last_error or "")
    await loop.run_once()
    assert chan.sends == 1 and rows(sessions)[key].attempts == 1


async def test_deleted_channel_fails_for_good(sessions) -> None:
    """A channel Discord no longer knows fails the row, naming the channel."""
    key = add(sessions, 1, 77)
    report = await make_loop(sessions, FakeGuildChannels()).run_once()
    assert "<#77> no longer exists" in report.failed[key]


async def test_channel_gone_hook_runs_only_for_a_deleted_channel(sessions) -> None:
    """The hook hears of a deleted channel (to turn its digests off), not of other failures."""
    seen: list[str] = []
    forbidden = FakeChannel(10, fail_before=[http_error(discord.Forbidden, 403, 50013, "No")])
    gone_key = add(sessions, 1, 77)
    add(sessions, 2, 10)
    loop = make_loop(
        sessions,
        FakeGuildChannels(forbidden),
        on_channel_gone=lambda s, item: seen.append(item.key),
    )
    report = await loop.run_once()
    assert len(report.failed) == 2
    assert seen == [gone_key]


async def test_transient_errors_retry_then_give_up(sessions) -> None:
    """5xx errors keep the row pending until max_attempts, then fail it with the last error."""
    errors = [http_error(discord.DiscordServerError, 502, 0, "Bad Gateway") for _ in range(3)]
    chan = FakeChannel(10, fail_before=errors)
    key = add(sessions, 1, 10)
    loop = make_loop(sessions, FakeGuildChannels(chan), max_attempts=3)
    for _ in range(2):
        report = await loop.run_once()
        assert "502" in report.retry[key]
    report = await loop.run_once()
    assert report.failed[key].startswith("Gave up after 3 attempts")
    assert chan.messages == []


async def test_transient_error_then_success_posts_once(sessions) -> None:
    """A rate-limit answer followed by success posts exactly one message."""
    chan = FakeChannel(10, fail_before=[http_error(discord.HTTPException, 429, 0, "Too Many")])
    key = add(sessions, 1, 10)
    loop = make_loop(sessions, FakeGuildChannels(chan))
    await loop.run_once()
    assert (await loop.run_once()).sent == [key]
    assert len(chan.messages) == 1


async def test_backoff_holds_a_failed_row_back(sessions) -> None:
    """After a transient error the row waits for its backoff before the next try."""
    chan = FakeChannel(10, fail_before=[aiohttp.ClientConnectionError("x")])
    add(sessions, 1, 10)
    loop = make_loop(sessions, FakeGuildChannels(chan), backoff=lambda attempts: 3600.0)
    await loop.run_once()
    assert (await loop.run_once()).sent == []
    assert chan.sends == 1


async def _restart_drill(url: str, restarts: int, seed: int) -> tuple[FakeChannel, FakeChannel]:
    rng = random.Random(seed)
    a, b = FakeChannel(10, honour_nonce=False), FakeChannel(11, honour_nonce=False)
    channels = FakeGuildChannels(a, b)
    engine = make_engine(url)
    for n in range(30):
        add(make_session_factory(engine), n, 10 if n % 2 else 11)
    engine.dispose()
    for _ in range(restarts):
        mode = rng.choice(["after_accept", "before_accept", "timer"])
        target = rng.choice([a, b])
        for chan in (a, b):
            chan.hang_after_accept = chan.hang_before_accept = False
            chan.entered = asyncio.Event()
        target.hang_after_accept = mode == "after_accept"
        target.hang_before_accept = mode == "before_accept"
        engine = make_engine(url)  # a fresh process: new engine, new loop object
        loop = make_loop(make_session_factory(engine), channels)
        task = loop.start()
        if mode == "timer":
            await asyncio.sleep(rng.uniform(0.0, 0.05))
        else:
            waiter = asyncio.ensure_future(target.entered.wait())
            await asyncio.wait([waiter, task], timeout=5, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
        await loop.stop()
        engine.dispose()
    for chan in (a, b):
        chan.hang_after_accept = chan.hang_before_accept = False
    engine = make_engine(url)
    await make_loop(make_session_factory(engine), channels).run_once()
    engine.dispose()
    return a, b


async def test_twenty_restarts_mid_delivery_lose_nothing_and_post_nothing_twice(
    database_url,
) -> None:
    """Cancelling the loop mid-send 20 times, then restarting: every row posted exactly once."""
    a, b = await _restart_drill(database_url, restarts=20, seed=7)
    counts = posted_refs(a, b)
    engine = make_engine(database_url)
    stored = rows(make_session_factory(engine))
    engine.dispose()
    assert len(stored) == 30
    assert {item.ref for item in stored.values()} == set(counts)
    assert max(counts.values()) == 1
    assert all(item.status == OutboxStatus.SENT for item in stored.values())
    by_id = {m.id for m in a.messages + b.messages}
    assert {item.message_id for item in stored.values()} == by_id
