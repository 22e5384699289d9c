"""Restart the bot's delivery loop during digest delivery: no post missed, none posted twice.

    python -m bench.drills.delivery_restarts --restarts 20

On a database filled by ``bench.corpus_gen`` (SQLite, and PostgreSQL when it answers), two
channels have a daily digest. Each round composes the next day's digests (real briefs,
rendered by the bot's digest renderer) and starts a fresh delivery loop (new engine, new
loop object, as after a restart), then stops it at a random point: while a post is on its
way to Discord (before Discord accepted it, or after it accepted it but before the reply
arrived) or after a random short time. The fake Discord channel posts every message it is
sent, even one with a repeated nonce, so only the loop's own bookkeeping can prevent a
duplicate. Ends with one line: restarts, digests expected, missed, duplicated.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bench.corpus_gen import REFERENCE_NOW, TOPIC, generate
from bench.drills import harness
from bot.delivery import DeliveryLoop
from corpus import outbox
from corpus.brief import compose_brief
from corpus.db import make_engine, make_session_factory, transaction
from corpus.digests.composition import compose_due_digests
from corpus.digests.schedules import set_schedule
from corpus.outbox import OutboxItem, OutboxKind
from corpus.tables import OutboxStatus
from testing.discord_channel import BOT_USER_ID, FakeChannel, FakeGuildChannels

GUILD = 1
CHANNELS = (10, 11)


def digest_renderer() -> Callable[[OutboxItem], dict[str, Any]]:
    from bot.extensions.digest import _embeds

    return _embeds.digest_message


def _loop(url: str, channels: FakeGuildChannels) -> tuple[DeliveryLoop, Any]:
    engine = make_engine(url)  # a fresh process: new engine, new loop object
    loop = DeliveryLoop(
        make_session_factory(engine),
        channels.resolve,
        {OutboxKind.DIGEST: digest_renderer()},
        bot_user_id=lambda: BOT_USER_ID,
        interval=0.01,
        backoff=lambda attempts: 0.0,
    )
    return loop, engine


async def drill(url: str, restarts: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    engine = make_engine(url)
    generate(engine, 2000, span_days=60)
    sessions = make_session_factory(engine)
    start = REFERENCE_NOW - timedelta(days=restarts + 1)
    with transaction(sessions) as session:
        for channel_id in CHANNELS:
            set_schedule(
                session,
                guild_id=GUILD,
                channel_id=channel_id,
                topic=TOPIC,
                time_of_day="09:00",
                timezone="UTC",
                now=start,
            )
    chans = [FakeChannel(c, honour_nonce=False) for c in CHANNELS]
    channels = FakeGuildChannels(*chans)
    modes: Counter[str] = Counter()
    for day in range(restarts):
        compose_due_digests(
            sessions, compose_brief, now=start.replace(hour=9, minute=30) + timedelta(days=day + 1)
        )
        mode = rng.choice(["after_accept", "before_accept", "timer"])
        modes[mode] += 1
        target = rng.choice(chans)
        for chan in chans:
            chan.hang_after_accept = chan.hang_before_accept = False
            chan.entered = asyncio.Event()
        target.hang_after_accept = mode == "after_accept"
        target.hang_before_accept = mode == "before_accept"
        loop, loop_engine = _loop(url, channels)
        task = loop.start()
        if mode == "timer":
            await asyncio.sleep(rng.uniform(0.0, 0.2))
        else:
            waiter = asyncio.ensure_future(target.entered.wait())
            await asyncio.wait([waiter, task], timeout=5, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
        await loop.stop()
        loop_engine.dispose()
    for chan in chans:
        chan.hang_after_accept = chan.hang_before_accept = False
    loop, loop_engine = _loop(url, channels)
    await loop.run_once()
    loop_engine.dispose()
    with transaction(sessions) as session:
        rows = outbox.for_guild(session, GUILD, limit=10_000)
    engine.dispose()
    posted = Counter((m.content or "").rsplit("ref ", 1)[-1] for c in chans for m in c.messages)
    expected = {item.ref for item in rows}
    return {
        "restarts": restarts,
        "digests_expected": len(rows),
        "missed": len(expected - set(posted)),
        "duplicated": sum(n - 1 for n in posted.values()),
        "unsent_rows": sum(1 for item in rows if item.status != OutboxStatus.SENT),
        "stopped_mid_send": modes["after_accept"] + modes["before_accept"],
    }


def run(backend: str, restarts: int, seed: int = 7) -> dict[str, Any]:
    with harness.workdir("delivery") as tmp, harness.database(backend, tmp, "delivery") as url:
        figures = asyncio.run(drill(url, restarts, seed))
    return {"database": backend, **figures}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--restarts", type=int, default=20)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args(argv)
    status = 0
    for backend in harness.backends(args.backend):
        figures = run(backend, args.restarts)
        print(harness.figures_line("delivery_restarts", figures))
        status |= bool(figures["missed"] or figures["duplicated"] or figures["unsent_rows"])
    return status


if __name__ == "__main__":
    sys.exit(main())
