"""Briefs requested at the same moment share one composition from the database."""

from __future__ import annotations

import asyncio

from bot.briefs import SharedBriefs
from corpus.brief import compose_brief
from corpus.db import transaction
from testing.stored_articles import insert_scenario


async def test_identical_requests_at_once_get_one_composition(sessions) -> None:
    insert_scenario(sessions)
    briefs = SharedBriefs(sessions)
    first, second, themed = await asyncio.gather(
        briefs.compose("russia-china", days=30),
        briefs.compose(" Russia-China ", days=30),
        briefs.compose("russia-china", days=30, theme="energy"),
    )
    assert first is second  # one composition shared
    assert themed is not first
    with transaction(sessions) as session:
        assert first.stories == compose_brief(session, "russia-china", days=30).stories
    later = await briefs.compose("russia-china", days=30)
    assert later is not first and later.stories == first.stories  # composed again, not cached
