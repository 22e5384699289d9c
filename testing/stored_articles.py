"""Realistic analysed articles for the brief and event tests, inserted straight through the ORM."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from corpus.db import transaction
from corpus.tables import (
    Article,
    ArticleStatus,
    ArticleTopic,
    Event,
    EventBrief,
    StaleEventBrief,
    Story,
)
from corpus.topics import add_topic as define_topic
from corpus.topics import get_topic

TOPIC = "russia-china"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
T0 = datetime(2026, 11, 1, 9, tzinfo=UTC)  # when the event reports below come out by default


def fig(
    text: str, value: float, measure: str, *, unit: str = "USD", kind: str = "money", sentence: str
) -> dict[str, Any]:
    """A stored figure: ``text`` found in ``sentence``, with its span."""
    start = sentence.find(text)
    return {
        "text": text,
        "value": value,
        "unit": unit,
        "kind": kind,
        "measure": measure,
        "sentence": sentence,
        "start": max(start, 0),
        "end": max(start, 0) + len(text),
    }


def theme(slug: str, score: float = 0.8) -> dict[str, Any]:
    """A stored theme tag with one evidence word."""
    return {"theme": slug, "score": score, "evidence": [slug.split("-")[0]]}


@dataclass
class Inserted:
    """Ids of what a scenario inserted, by a readable name."""

    articles: dict[str, int]
    stories: dict[str, int]


def add_topic(session: Session, slug: str = TOPIC, name: str = "Russia–China") -> None:
    """Define the topic unless it is already shipped or stored."""
    if get_topic(session, slug) is None:
        define_topic(session, slug, name, [["Russia", "Moscow"], ["China", "Beijing"]])


def forget_stored_stories(session: Session) -> None:
    """Delete every stored story and note every event stale: briefs compose from articles."""
    session.execute(delete(EventBrief))
    session.execute(delete(StaleEventBrief))
    session.execute(insert(StaleEventBrief).from_select(["event_id"], select(Event.id)))


def add_article(
    session: Session,
    *,
    key: str,
    site: str,
    title: str,
    published: datetime | None,
    story: Story | None,
    summary: Sequence[str],
    themes: Sequence[dict[str, Any]] = (),
    figures: Sequence[dict[str, Any]] = (),
    topics: Sequence[str] = (TOPIC,),
    status: str = ArticleStatus.READY,
    fetched: datetime | None = None,
    text: str | None = None,
) -> Article:
    """Add an analysed article of ``site`` (in ``story``'s event when given) to the session.

    Its text is ``text``, or the summary's sentences when none is given.
    """
    url = f"https://{site}/news/{key}"
    article = Article(
        canonical_url=url,
        url=url,
        status=status,
        title=title,
        site=site,
        language="en",
        published_at=published,
        fetched_at=fetched or published or NOW,
        text=" ".join(summary) if text is None else text,
        summary=list(summary),
        themes=list(themes),
        figures=list(figures),
        analysed_at=NOW,
    )
    article.topics = [ArticleTopic(topic=t) for t in topics]
    if story is not None:  # left unset otherwise, so that a caller may set ``story_id``
        article.story = story
        article.event = event_of(story)
    session.add(article)
    return article


def add_report(
    sessions: sessionmaker[Session],
    title: str,
    text: str,
    *,
    site: str = "example.com",
    at: datetime = T0,
    topics: Sequence[str] = (),
    story_id: int | None = None,
    figures: Sequence[dict[str, Any]] = (),
) -> int:
    """Store a ready, not yet clustered report in its own transaction; return its id.

    Its summary is its text's sentences; its URL is unique in the database.
    """
    with transaction(sessions) as session:
        n = session.scalar(select(func.count()).select_from(Article)) or 0
        article = add_article(
            session,
            key=str(n),
            site=site,
            title=title,
            published=at,
            story=None,
            summary=[s if s.endswith(".") else s + "." for s in text.split(". ")],
            figures=figures,
            topics=topics,
            text=text,
        )
        article.story_id = story_id
        session.flush()
        return article.id


_EVENTS: dict[int, Event] = {}


def event_of(story: Story) -> Event:
    """The event a fixture story's articles report (one event per story in these scenarios)."""
    event = _EVENTS.get(id(story))
    if event is None or getattr(event, "_story", None) is not story:
        when = NOW
        event = Event(first_at=when, last_at=when, article_count=0, centroid={})
        event._story = story  # type: ignore[attr-defined]
        _EVENTS[id(story)] = event
    return event


TRADE_2021 = (
    "Trade between China and Russia reached a record $147 billion in 2021, "
    "according to Chinese customs data."
)
TRADE_RECORD = (
    "China's trade with Russia has reached 127 billion dollars while trade between Russia "
    "and America has halved."
)
TRADE_11M = "In the first 11 months of 2022 China–Russia trade rose 32 per cent to $172.41 billion."
TRADE_108 = "Bilateral trade hit $108 billion in 2020, down from the year before."
GAS = (
    "The Power of Siberia pipeline will carry 38 billion cubic meters of gas a year "
    "under a deal worth 400 billion dollars."
)
DRILL = "Chinese and Russian warships held a joint naval exercise in the Sea of Japan this week."
# Two reports of unrelated events, as article bodies.
TRADE_REPORT = (
    "Trade between China and Russia reached a record $240 billion in 2023, customs data showed. "
    "Chinese car exports to Russia and Russian crude oil shipments to China drove the growth."
)
DRILL_REPORT = (
    "Chinese and Russian warships began a joint naval exercise in the Sea of Japan near "
    "Vladivostok, practising anti-submarine warfare and air defence with destroyers."
)


def insert_scenario(sessions: sessionmaker[Session]) -> Inserted:
    """Four stories in the window (one syndicated by three outlets) and one old story."""
    arts: dict[str, Article] = {}
    stories: dict[str, Story] = {}
    with sessions() as session, session.begin():
        add_topic(session)
        for name in ("trade", "gas", "drill", "summit", "old"):
            stories[name] = Story()
            session.add(stories[name])
        # Story "trade": one report syndicated by three outlets, plus a piece with another figure.
        trade_summary = [TRADE_11M, "Moscow has turned to Beijing as Western sanctions bite."]
        for i, site in enumerate(("tass.com", "globaltimes.cn", "rt.com")):
            arts[f"trade-{site}"] = add_article(
                session,
                key=f"trade-{i}",
                site=site,
                title="China–Russia trade hits record high",
                published=NOW - timedelta(hours=10 + i),
                story=stories["trade"],
                summary=trade_summary,
                themes=[theme("trade-economy", 0.9), theme("sanctions-finance", 0.5)],
                figures=[
                    fig(
                        "$172.41 billion",
                        172.41e9,
                        "China–Russia trade, 11 months of 2022",
                        sentence=TRADE_11M,
                    ),
                    fig(
                        "32 per cent",
                        32,
                        "China–Russia trade growth",
                        unit="percent",
                        kind="percent",
                        sentence=TRADE_11M,
                    ),
                ],
            )
        arts["trade-scmp"] = add_article(
            session,
            key="trade-3",
            site="scmp.com",
            title="Record trade between Beijing and Moscow",
            published=NOW - timedelta(hours=20),
            story=stories["trade"],
            summary=[TRADE_2021, "Energy made up most of Russia's exports to China."],
            themes=[theme("trade-economy", 0.9), theme("energy", 0.4)],
            figures=[fig("$147 billion", 147e9, "China–Russia trade, 2021", sentence=TRADE_2021)],
        )
        arts["opinion"] = add_article(
            session,
            key="opinion",
            site="strategiccouncil.ir",
            title="Prospects of China–Russia cooperation",
            published=NOW - timedelta(days=2),
            story=stories["gas"],
            summary=[GAS, TRADE_RECORD],
            themes=[theme("energy", 0.9), theme("trade-economy", 0.7)],
            figures=[
                fig(
                    "38 billion cubic meters",
                    38e9,
                    "Power of Siberia gas volume",
                    unit="m3",
                    kind="quantity",
                    sentence=GAS,
                ),
                fig("400 billion dollars", 400e9, "Power of Siberia deal value", sentence=GAS),
                fig("127 billion dollars", 127e9, "Russia–China trade", sentence=TRADE_RECORD),
            ],
        )
        arts["drill"] = add_article(
            session,
            key="drill",
            site="navalnews.com",
            title="Joint naval drill in the Sea of Japan",
            published=NOW - timedelta(days=3),
            story=stories["drill"],
            summary=[DRILL, "The exercise involved ten ships and several aircraft."],
            themes=[theme("military-security", 0.95)],
        )
        arts["summit"] = add_article(
            session,
            key="summit",
            site="reuters.com",
            title="Xi and Putin meet at SCO summit",
            published=NOW - timedelta(days=5),
            story=stories["summit"],
            summary=[
                "Xi Jinping and Vladimir Putin met at the SCO summit in Samarkand on Thursday.",
                TRADE_108,
            ],
            themes=[theme("diplomacy", 0.9), theme("multilateral", 0.7)],
            figures=[fig("$108 billion", 108e9, "bilateral trade, 2020", sentence=TRADE_108)],
        )
        arts["old"] = add_article(
            session,
            key="old",
            site="reuters.com",
            title="Arctic route talks",
            published=NOW - timedelta(days=40),
            story=stories["old"],
            summary=["Russia and China discussed the Northern Sea Route as a Polar Silk Road."],
            themes=[theme("arctic", 0.9)],
        )
        # Noise that must never appear: another topic, and an article not analysed yet.
        add_article(
            session,
            key="other-topic",
            site="arcticnews.com",
            title="Icebreakers on the route",
            published=NOW - timedelta(hours=1),
            story=None,
            summary=["Icebreakers escorted a record number of ships."],
            topics=("arctic-shipping",),
        )
        add_article(
            session,
            key="pending",
            site="tass.com",
            title="Not analysed yet",
            published=NOW - timedelta(hours=2),
            story=None,
            summary=[],
            status=ArticleStatus.STORED,
        )
        session.flush()
        return Inserted(
            articles={k: a.id for k, a in arts.items()},
            stories={k: event_of(s).id for k, s in stories.items()},
        )


UNDATED_TITLE = "Undated note on a Russia–China rail link"


def add_undated(sessions: sessionmaker[Session], fetched: datetime = NOW) -> int:
    """Insert a ready article that gave no publication date, with one figure; return its id."""
    sentence = "Russia and China will open a 2,000 km rail link to Beijing from Moscow."
    with sessions() as session, session.begin():
        add_topic(session)
        story = Story()
        session.add(story)
        article = add_article(
            session,
            key="undated",
            site="undated.example",
            title=UNDATED_TITLE,
            published=None,
            fetched=fetched,
            story=story,
            summary=[sentence],
            figures=[
                fig(
                    "2,000 km",
                    2000,
                    "rail link length",
                    unit="km",
                    kind="quantity",
                    sentence=sentence,
                )
            ],
        )
        session.flush()
        return article.id
