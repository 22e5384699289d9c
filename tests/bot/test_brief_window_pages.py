"""``/brief`` pages over a window ranked in SQL reach every story the brief holds."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.briefs import PAGED_STORIES, SharedBriefs
from bot.payloads import brief_message_payloads
from corpus.brief import refresh_all_event_briefs
from corpus.db import transaction
from corpus.tables import Story
from testing.stored_articles import NOW, TOPIC, add_article, add_topic


async def test_pages_reach_every_story_and_count_the_rest(sessions) -> None:
    """Every one of the brief's stories is on a page; the last line counts the others."""
    with transaction(sessions) as session:
        add_topic(session)
        for n in range(PAGED_STORIES + 7):
            story = Story()
            session.add(story)
            for i, site in enumerate(("tass.com", "scmp.com")[: 1 + n % 2]):
                add_article(
                    session,
                    key=f"p{n}-{i}",
                    site=site,
                    title=f"Story number {n} in the news",
                    published=NOW - timedelta(hours=3 * n + i),
                    story=story,
                    summary=[f"Officials of both sides met for talks number {n} this week."],
                )
    with transaction(sessions) as session:
        refresh_all_event_briefs(session)
    brief = await SharedBriefs(sessions).compose(TOPIC, days=7, now=NOW)
    assert len(brief.stories) == PAGED_STORIES and brief.more_stories == 7
    shown = json.dumps(brief_message_payloads(brief), ensure_ascii=False)
    assert all(f"`#{story.story_id}`" in shown for story in brief.stories)
    assert "…and 7 more stories" in shown
