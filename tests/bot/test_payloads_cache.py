"""A brief's payloads are built once per content: a copy for every caller, never stale."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.pager import page_payloads
from bot.payloads import brief_message_payloads
from bot.render.brief import _brief_pages
from corpus.brief import compose_brief
from corpus.db import transaction
from testing.stored_articles import NOW, TOPIC, insert_scenario


def test_cached_payloads_equal_fresh_ones_and_follow_every_change(
    sessions: sessionmaker[Session],
) -> None:
    """Same content, same payloads (an own copy); a changed story, other payloads."""
    insert_scenario(sessions)
    with transaction(sessions) as session:
        brief = compose_brief(session, TOPIC, now=NOW, days=30)
    first = brief_message_payloads(brief)
    later = replace(brief, generated_at=NOW + timedelta(seconds=5), extra={})
    again = brief_message_payloads(later)
    assert again == first == page_payloads(_brief_pages(brief))
    again[0]["embeds"].clear()
    assert brief_message_payloads(brief) == first
    story = replace(brief.stories[0], headline="A different headline")
    changed = replace(brief, stories=(story, *brief.stories[1:]))
    assert brief_message_payloads(changed) == page_payloads(_brief_pages(changed)) != first
