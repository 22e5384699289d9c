"""Hypothesis strategies for any brief and any story detail the renderers may be given."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from hypothesis import strategies as st

from corpus.brief_values import (
    Brief,
    Bullet,
    FigureLine,
    FigureValue,
    SourceRef,
    StoryArticle,
    StoryDetail,
    StoryFigure,
    StoryItem,
    ThemeCount,
)
from corpus.themes import SLUG

SURROGATES: tuple[Literal["Cs"]] = ("Cs",)  # not encodable in UTF-8
# Theme slugs are validated against corpus.themes.SLUG when the taxonomy loads.
THEME_SLUG = st.from_regex(SLUG, fullmatch=True)
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=SURROGATES),
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
    """Any brief: up to 40 sources, 25 stories and figure lines, long and odd texts and URLs."""
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
            figures=tuple(
                StoryFigure(
                    text=draw(LONG_TEXT),
                    value=1.0,
                    unit="USD",
                    measure=draw(LONG_TEXT),
                    period=draw(TEXT),
                    status=draw(st.sampled_from(("actual", "forecast", "target"))),
                    citations=draw(cites),
                    disagree=draw(st.booleans()),
                )
                for _ in range(draw(st.integers(0, 3)))
            ),
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
