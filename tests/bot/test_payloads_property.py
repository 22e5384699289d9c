"""Property test: every message of any brief respects every Discord limit and keeps links whole."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import limits
from bot.pager import page_payloads
from bot.payloads import brief_message_payloads
from bot.render.brief import figures_pages
from bot.render.markup import link, safe_url
from bot.render.story import story_pages
from corpus.brief_values import (
    Brief,
    Bullet,
    FigureLine,
    FigureValue,
    SourceRef,
    StoryArticle,
    StoryDetail,
    StoryItem,
    ThemeCount,
)
from corpus.themes import SLUG

LINK_END = re.compile(r"(?<!\\)\]\(")  # "](" not escaped: where a markdown link's URL starts
# Theme slugs are validated against corpus.themes.SLUG when the taxonomy loads.
THEME_SLUG = st.from_regex(SLUG, fullmatch=True)
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
    max_size=120,
)


def _repeated(alphabet: str, low: int, high: int) -> st.SearchStrategy[str]:
    """Long strings built cheaply by repeating a short random piece."""
    piece = st.text(alphabet=alphabet, min_size=1, max_size=12)
    return st.builds(lambda p, n: p * n, piece, st.integers(low, high))


LONG_TEXT = st.one_of(TEXT, _repeated("ab .!?[]()*_\n😀—", 40, 400))
DATES = st.one_of(st.none(), st.datetimes(timezones=st.just(UTC)))
URLS = st.builds(
    lambda host, path: f"https://{host}.example/{path}",
    st.from_regex(r"[a-z]{1,20}", fullmatch=True),
    st.one_of(st.text(alphabet="abc/()_ -[]%?=&", max_size=100), _repeated("xyz/()", 80, 700)),
)


@st.composite
def briefs(draw: st.DrawFn) -> Brief:
    n_sources = draw(st.integers(0, 40))
    sources = tuple(
        SourceRef(
            number=n,
            article_id=n,
            title=draw(LONG_TEXT),
            outlet=draw(st.one_of(st.none(), TEXT)),
            published=draw(DATES),
            url=draw(URLS),
        )
        for n in range(1, n_sources + 1)
    )
    numbers = st.integers(1, max(n_sources, 1))
    cites = st.lists(numbers, max_size=6).map(tuple) if n_sources else st.just(())
    stories = tuple(
        StoryItem(
            story_id=draw(st.integers(-(10**6), 10**9)),
            headline=draw(LONG_TEXT),
            bullets=tuple(
                Bullet(text=draw(LONG_TEXT), citations=draw(cites))
                for _ in range(draw(st.integers(0, 3)))
            ),
            citations=draw(cites),
            outlets=draw(st.integers(0, 50)),
            latest=draw(DATES),
        )
        for _ in range(draw(st.integers(0, 25)))
    )
    figures = tuple(
        FigureLine(
            measure=draw(LONG_TEXT),
            kind="money",
            unit="USD",
            values=tuple(
                FigureValue(
                    text=draw(TEXT),
                    value=1.0,
                    unit="USD",
                    citation=draw(numbers),
                    published=draw(DATES),
                    sentence="",
                    citations=draw(cites),
                    measure=draw(TEXT),
                )
                for _ in range(draw(st.integers(1, 8)))
            ),
            disagree=draw(st.booleans()),
        )
        for _ in range(draw(st.integers(0, 25)))
    )
    themes = tuple(
        ThemeCount(theme=draw(THEME_SLUG), name=draw(TEXT), count=draw(st.integers(0, 100)))
        for _ in range(draw(st.integers(0, 30)))
    )
    return Brief(
        topic="t",
        topic_name=draw(LONG_TEXT),
        window_days=draw(st.integers(1, 90)),
        theme=draw(st.one_of(st.none(), THEME_SLUG)),
        generated_at=datetime(2026, 1, 1, tzinfo=UTC),
        since=datetime(2025, 12, 1, tzinfo=UTC),
        stories=stories,
        figures=figures,
        themes=themes,
        sources=sources,
        note=draw(st.one_of(st.none(), LONG_TEXT)),
    )


@st.composite
def story_details(draw: st.DrawFn) -> tuple[StoryDetail, Brief]:
    """A story built from a generated brief's sources, figures and themes."""
    brief = draw(briefs())
    articles = tuple(
        StoryArticle(source=ref, summary=tuple(draw(st.lists(LONG_TEXT, max_size=4))))
        for ref in brief.sources
    )
    detail = StoryDetail(
        story_id=draw(st.integers(-(10**6), 10**9)),
        headline=brief.topic_name,
        outlets=draw(st.integers(0, 50)),
        first_seen=draw(DATES),
        latest=draw(DATES),
        articles=articles,
        sources=brief.sources,
        figures=brief.figures,
        themes=brief.themes,
    )
    return detail, brief


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


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(briefs())
def test_every_message_respects_every_limit_and_keeps_links_whole(brief: Brief) -> None:
    """Any brief (and its /figures) renders within Discord's limits, with only whole links."""
    payloads = brief_message_payloads(brief) + page_payloads(figures_pages(brief))
    _check_payloads(payloads, brief)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
