"""Property test: every message of any brief respects every Discord limit and keeps links whole."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings

from bot import limits
from bot.pager import page_payloads
from bot.payloads import brief_message_payloads
from bot.render.brief import figures_pages
from bot.render.markup import link, safe_url
from bot.render.story import story_pages
from corpus.brief_values import (
    Brief,
    StoryDetail,
)
from testing.brief_strategies import briefs, story_details

LINK_END = re.compile(r"(?<!\\)\]\(")  # "](" not escaped: where a markdown link's URL starts


def _texts(embed: dict) -> list[str]:
    parts = [embed.get("title") or "", embed.get("description") or ""]
    parts.append((embed.get("footer") or {}).get("text") or "")
    for field in embed.get("fields") or []:
        parts += [field["name"], field["value"]]
    return parts


def _allowed_links(brief: Brief) -> set[str]:
    allowed = set()
    for ref in brief.sources:
        url = safe_url(ref.url)
        if url:
            allowed.add(f"[\\[{ref.number}\\]]({url})")
            allowed.add(link(ref.title or ref.url, ref.url))  # as built, before any fitting
    numbered = {ref.number: ref for ref in brief.sources}
    for story in brief.stories:  # a headline links to the story's first cited source
        first = next((numbered[n] for n in story.citations if n in numbered), None)
        if first is not None:
            allowed.add(link(story.headline or first.url, first.url))
    return allowed


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(briefs())
def test_every_message_respects_every_limit_and_keeps_links_whole(brief: Brief) -> None:
    """Any brief (and its /figures) renders within Discord's limits, with only whole links."""
    payloads = brief_message_payloads(brief) + page_payloads(figures_pages(brief))
    _check_payloads(payloads, brief)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(story_details())
def test_every_story_message_respects_every_limit(generated: tuple[StoryDetail, Brief]) -> None:
    """Any /story reply renders within Discord's limits, with only whole links."""
    detail, brief = generated
    _check_payloads(page_payloads(story_pages(detail)), brief)


def _check_payloads(payloads: list[dict], brief: Brief) -> None:
    assert payloads
    allowed = _allowed_links(brief)
    for payload in payloads:
        embeds = payload["embeds"]
        assert 1 <= len(embeds) <= limits.EMBEDS_PER_MESSAGE
        assert limits.check_message(embeds) == []
        assert len(payload["components"]) <= 5
        for text in (t for e in embeds for t in _texts(e)):
            links = list(limits.LINK_RE.finditer(text))
            assert len(LINK_END.findall(text)) == len(links), text
            for match in links:
                assert match.group(0) in allowed, match.group(0)
