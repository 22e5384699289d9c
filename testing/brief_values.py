"""Briefs and story details built by hand for the renderer tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def source(
    n: int, *, title: str | None = None, url: str | None = None, fetched: bool = False
) -> SourceRef:
    """Source ``n``: outlet{n}.com, published n days before ``NOW``."""
    return SourceRef(
        number=n,
        article_id=100 + n,
        title=title or f"Headline number {n}",
        outlet=f"outlet{n}.com",
        published=NOW - timedelta(days=n),
        url=url or f"https://outlet{n}.com/news/{n}",
        date_is_fetched=fetched,
    )


def story(
    story_id: int,
    cites: tuple[int, ...],
    *,
    headline: str = "Trade hits a record",
    figures: tuple[StoryFigure, ...] = (),
) -> StoryItem:
    """A story with one bullet citing ``cites``, and ``figures``."""
    return StoryItem(
        story_id=story_id,
        headline=headline,
        bullets=(Bullet(text=f"Sentence about story {story_id}.", citations=cites),),
        citations=cites,
        outlets=len(cites),
        latest=NOW,
        themes=("trade-economy",),
        figures=figures,
    )


def story_figure(
    text: str, value: float, cites: tuple[int, ...], *, period: str = "2024", **more: object
) -> StoryFigure:
    """One USD figure of China–Russia trade in ``period``, citing ``cites``."""
    return StoryFigure(
        text=text,
        value=value,
        unit="USD",
        measure=str(more.get("measure", "China–Russia trade")),
        period=period,
        status=str(more.get("status", "actual")),
        citations=cites,
        disagree=bool(more.get("disagree", False)),
    )


def figure_value(text: str, value: float, citation: int, measure: str = "") -> FigureValue:
    """One USD value of a figure line, citing source ``citation``."""
    return FigureValue(
        text=text,
        value=value,
        unit="USD",
        citation=citation,
        published=NOW,
        sentence=f"It reached {text}.",
        citations=(citation,),
        measure=measure,
    )


TRADE = FigureLine(
    measure="China–Russia trade",
    kind="money",
    unit="USD",
    values=(
        figure_value("$108 billion", 108e9, 1, "bilateral trade, 2020"),
        figure_value("$147 billion", 147e9, 2, "China–Russia trade, 2021"),
    ),
    disagree=True,
)
GAS = FigureLine(
    measure="Power of Siberia gas volume",
    kind="quantity",
    unit="m3",
    values=(figure_value("38 billion cubic meters", 38e9, 3),),
    disagree=False,
)


def brief(
    *,
    stories: tuple[StoryItem, ...] | None = None,
    figures: tuple[FigureLine, ...] = (TRADE, GAS),
    sources: tuple[SourceRef, ...] | None = None,
    themes: tuple[ThemeCount, ...] = (ThemeCount("trade-economy", "Trade and economy", 2),),
    note: str | None = None,
) -> Brief:
    """A russia-china brief: two stories, the trade and gas figures, three sources."""
    return Brief(
        topic="russia-china",
        topic_name="Russia–China",
        window_days=7,
        theme=None,
        generated_at=NOW,
        since=NOW - timedelta(days=7),
        stories=stories if stories is not None else (story(1, (1, 2)), story(2, (3,))),
        figures=figures,
        themes=themes,
        sources=sources if sources is not None else tuple(source(n) for n in (1, 2, 3)),
        note=note,
    )


def story_detail() -> StoryDetail:
    """Story 7 as /story shows it: two outlets' articles, the trade figures, one theme."""
    sources = (source(1), source(2))
    return StoryDetail(
        story_id=7,
        headline="Trade hits a record",
        outlets=2,
        first_seen=NOW - timedelta(days=2),
        latest=NOW,
        articles=(
            StoryArticle(source=sources[0], summary=("First outlet's sentence.",)),
            StoryArticle(source=sources[1], summary=("Second outlet's sentence.", "More.")),
        ),
        sources=sources,
        figures=(TRADE,),
        themes=(ThemeCount("trade-economy", "Trade and economy", 1),),
    )
