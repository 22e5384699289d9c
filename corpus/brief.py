"""Compose a topic brief from stored, analysed articles.

A story is an event: the articles different outlets wrote about the same thing, grouped by
``event_id`` (syndicated copies are versions of one article inside it). Stories are ranked by

    score = 3 · u · 0.5^(age / 2 days) + log2(1 + outlets) + salience

where *age* is the time since the event's latest article, *u* is 1 when some article of
the event gave its publication date and 0.25 when all were undated (their fetch time is
only an upper bound, so an old undated article cannot outrank real news), *outlets* the
number of distinct sites reporting it, and *salience* (0–2) how many figures (up to 8)
and themes (up to 4) its representative article holds, also weighted by *u*.

Each story gets a real headline (the title that best stands for the event, never a first
sentence passed off as one), 2–4 bullets from different outlets in the order they
reported (bullets from later outlets say what they added), and up to 3 of the event's own
key figures (``corpus.brief_figures.story_figures``), every bullet and figure cited by
numbers into ``Brief.sources``.

Each story is also kept composed in ``event_briefs`` (one row per topic and event, rewritten
whenever clustering, a merge, a redelivered analysis, ``recluster`` or a retag changes the
event). A brief over the window ending now reads those rows for the events whose every article
lies in its window, and composes the rest (events cut by the window's edge, articles in no
event, events a write has noted stale since their rows were composed) from the articles, so
both give the same brief. Digests (``since``), theme briefs and historical windows (``until``)
compose every story from the articles.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from corpus import brief_rows, brief_window, queries
from corpus.brief_figures import FigureLedger, pair_words, story_figures
from corpus.brief_values import (
    Brief,
    Bullet,
    SourceRef,
    StoryArticle,
    StoryDetail,
    StoryFigure,
    StoryItem,
    ThemeCount,
)
from corpus.clock import as_utc
from corpus.datelines import without_dateline
from corpus.defaults import DEFAULT_DAYS, MAX_DAYS, MIN_DAYS
from corpus.events import live_event_id
from corpus.memo import Memo
from corpus.queries import ArticleRow, Candidate
from corpus.tables import Article, ArticleTopic, Event, EventBrief, StaleEventBrief
from corpus.themes import theme_names
from corpus.topics import Topic, get_topic, list_topics
from corpus.words import LETTERS, word_pattern

DEFAULT_MAX_STORIES = 8
MIN_STORIES = 3  # fewer than this in the window: widen to the most recent stories
MAX_FIGURE_LINES = 10
MAX_BULLETS = 4  # bullets per story, each from a different outlet
SOURCES_PER_STORY = 4  # cited articles per story, one per outlet first
_UNDATED_RECENCY = brief_window.UNDATED_RECENCY  # recency's weight when no article is dated
_PRESELECT_FACTOR = 3  # stories ranked cheaply before their analyses are loaded
_LOAD_PER_STORY = 6  # articles per story whose analyses are loaded
_WIDEN_ARTICLES = 400  # recent articles scanned when the window is too thin
_HALF_LIFE_HOURS = brief_window.HALF_LIFE_HOURS


__all__ = [
    "BriefError",
    "InvalidWindowError",
    "StoryKey",
    "StoryNotFoundError",
    "UnknownThemeError",
    "UnknownTopicError",
    "best_sentence",
    "compose_brief",
    "get_story",
    "refresh_all_event_briefs",
    "refresh_changed_event_briefs",
    "refresh_event_briefs",
    "refresh_stale_event_briefs",
    "refresh_topic_briefs",
]


class BriefError(ValueError):
    """A brief cannot be composed as asked; the message says what to change."""


class UnknownTopicError(BriefError):
    """The topic slug is not defined."""

    def __init__(self, topic: str, valid: Sequence[str]) -> None:
        self.topic = topic
        self.valid = tuple(valid)
        listed = ", ".join(self.valid) if self.valid else "none defined yet"
        super().__init__(f"Unknown topic {topic!r}. Valid topics: {listed}.")


class UnknownThemeError(BriefError):
    """The theme slug is not in the taxonomy."""

    def __init__(self, theme: str, valid: Sequence[str]) -> None:
        self.theme = theme
        self.valid = tuple(valid)
        super().__init__(f"Unknown theme {theme!r}. Valid themes: {', '.join(self.valid)}.")


class InvalidWindowError(BriefError):
    """The number of days is out of range."""

    def __init__(self, days: int) -> None:
        self.days = days
        super().__init__(f"days must be between {MIN_DAYS} and {MAX_DAYS}, not {days}.")


class StoryNotFoundError(BriefError):
    """No story with that id holds a ready article."""

    def __init__(self, story_id: int) -> None:
        self.story_id = story_id
        super().__init__(f"No story {story_id}: use a story id shown in a brief.")


# --- names ------------------------------------------------------------------------------


def _theme_name(slug: str, names: dict[str, str]) -> str:
    return names.get(slug) or slug.replace("-", " ").capitalize()


# --- sentences ---------------------------------------------------------------------------

# Letters only, three or more: overlap is judged on content-like words, not numbers or "of".
_LETTERS = word_pattern(chars=LETTERS)


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _LETTERS.findall(text) if len(w) >= 3)


def _similar(a: str, b: str, threshold: float) -> bool:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return a.strip() == b.strip()
    return len(wa & wb) / len(wa | wb) >= threshold


def _sentence_score(
    sentence: str, position: int, title_words: frozenset[str], figures: set[str]
) -> float:
    words = _words(sentence)
    overlap = len(words & title_words) / max(1, len(title_words))
    has_figure = any(f and (f in sentence or sentence in f) for f in figures)
    length = len(sentence)
    fit = 0.0 if 50 <= length <= 350 else -0.5
    return overlap + 0.5 * has_figure + (0.3 if position == 0 else 0.0) + fit


def best_sentence(article: ArticleRow, exclude: Iterable[str] = ()) -> str | None:
    """Pick the summary sentence that best stands for the article, unlike any in ``exclude``."""
    excluded = list(exclude)
    title_words = _words(article.title or "")
    figures = {str(f.get("sentence") or "").strip() for f in article.figures}
    best: tuple[float, int, str] | None = None
    for position, sentence in enumerate(article.summary):
        sentence = sentence.strip()
        if not sentence or any(_similar(sentence, e, 0.5) for e in excluded):
            continue
        score = _sentence_score(sentence, position, title_words, figures)
        if best is None or score > best[0]:
            best = (score, -position, sentence)
    return best[2] if best else None


# --- stories -----------------------------------------------------------------------------


def _outlet(site: str | None, url: str | None = None) -> str:
    if site:
        return site
    if url:
        return url.split("/")[2] if "://" in url else url
    return "unknown outlet"


def _outlet_key(article: ArticleRow) -> str:
    """Return the outlet an article counts for; one with no site or host counts alone."""
    return _outlet(article.site, article.url) or f"#{article.id}"


def _epoch(value: datetime | None) -> float:
    return value.timestamp() if value else 0.0


def _recency(latest: datetime | None, now: datetime) -> float:
    if latest is None:
        return 0.0
    hours = max(0.0, (now - latest).total_seconds() / 3600)
    return float(0.5 ** (hours / _HALF_LIFE_HOURS))


def _salience(article: ArticleRow) -> float:
    return min(1.0, len(article.figures) / 8) + min(1.0, len(article.themes) / 4)


class StoryKey(NamedTuple):
    """Which story: an event, or one ready article that is in no event yet."""

    event_id: int | None
    article_id: int | None = None

    @classmethod
    def event(cls, event_id: int) -> StoryKey:
        """Return the key of an event's story."""
        return cls(event_id, None)

    @classmethod
    def alone(cls, article_id: int) -> StoryKey:
        """Return the key of the story of an article in no event."""
        return cls(None, article_id)

    @property
    def shown(self) -> int:
        """The id briefs show and ``/story`` takes: an event's id, an article's id negated."""
        return self.event_id if self.event_id is not None else -(self.article_id or 0)

    @classmethod
    def of_shown(cls, story_id: int) -> StoryKey:
        """Read back an id shown by :attr:`shown`."""
        return cls.alone(-story_id) if story_id < 0 else cls.event(story_id)


@dataclass(slots=True)
class _Story:
    """A story's window articles, with its latest date, outlet count and base score."""

    key: StoryKey
    members: list[Candidate]
    latest: datetime | None
    outlets: int
    score: float  # recency and outlets; salience is added once analyses are loaded
    head: brief_rows.RowHead | None = None  # a stored composition stands for the members
    memo: tuple[Any, ...] | None = None  # the key of its composition in ``_STORIES``
    dated: bool = True  # some article gave its publication date

    def with_salience(self, salience: float) -> float:
        """Return the score with salience, weighted down like recency when all are undated."""
        return self.score + salience * (1.0 if self.dated else _UNDATED_RECENCY)

    def load_ids(self) -> list[int]:
        """Articles worth loading: the newest of each outlet first, then the rest."""
        ordered = sorted(self.members, key=lambda m: (-_epoch(m.date), m.id))
        firsts: dict[str, int] = {}
        for m in ordered:
            firsts.setdefault(m.site or f"#{m.id}", m.id)
        rest = [m.id for m in ordered if m.id not in firsts.values()]
        return (list(firsts.values()) + rest)[:_LOAD_PER_STORY]


def _base_score(latest: datetime | None, dated: bool, outlets: int, now: datetime) -> float:
    weight = 1.0 if dated else _UNDATED_RECENCY
    return 3 * weight * _recency(latest, now) + math.log2(1 + outlets)


def _story(key: StoryKey, members: list[Candidate], now: datetime) -> _Story:
    if len(members) == 1:  # most stories: skip the set and the max
        latest, outlets = as_utc(members[0].date), 1
        dated = members[0].dated
    else:
        dates = [m.date for m in members if m.date]
        latest = as_utc(max(dates)) if dates else None
        outlets = len({m.site or f"#{m.id}" for m in members})
        dated = any(m.dated for m in members)
    score = _base_score(latest, dated, outlets, now)
    return _Story(key, members, latest, outlets, score, dated=dated)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _microseconds(value: datetime) -> int:
    return (value - _EPOCH) // _MICROSECOND


def _stored_score(head: brief_rows.RowHead, now_us: int) -> float:
    """Return :func:`_base_score` of a stored story, from whole microseconds as it computes."""
    latest_us = round(head.last_ts * 1_000_000)  # what datetime.fromtimestamp keeps
    hours = max(0.0, ((now_us - latest_us) / 10**6) / 3600)
    weight = 1.0 if head.dated else _UNDATED_RECENCY
    return 3 * weight * float(0.5 ** (hours / _HALF_LIFE_HOURS)) + math.log2(1 + head.outlets)


def _stored_story(topic: str, head: brief_rows.RowHead, now: datetime) -> _Story:
    latest = datetime.fromtimestamp(head.last_ts, UTC)
    score = _base_score(latest, head.dated, head.outlets, now)
    memo = (topic, head.event_id, head.stamp)
    key = StoryKey.event(head.event_id)
    return _Story(key, [], latest, head.outlets, score, head, memo, dated=head.dated)


def _group(candidates: Iterable[Candidate], now: datetime) -> list[_Story]:
    by_key: dict[StoryKey, list[Candidate]] = {}
    for c in candidates:
        key = StoryKey.event(c.event_id) if c.event_id is not None else StoryKey.alone(c.id)
        members = by_key.get(key)
        if members is None:
            by_key[key] = [c]
        else:
            members.append(c)
    return [_story(key, members, now) for key, members in by_key.items()]


def _representative(articles: Sequence[ArticleRow]) -> ArticleRow:
    """Pick the article with the richest analysis; the earliest (the original) wins ties."""
    return max(
        articles,
        key=lambda a: (
            bool(a.summary),
            len(a.figures) + len(a.themes),
            -_epoch(a.date),
            -a.id,
        ),
    )


def _cited(articles: Sequence[ArticleRow], rep: ArticleRow) -> list[ArticleRow]:
    """Up to ``SOURCES_PER_STORY`` articles, representative first, one per outlet first."""
    chosen = [rep]
    outlets = {_outlet_key(rep)}
    others = sorted((a for a in articles if a.id != rep.id), key=lambda a: (-_epoch(a.date), a.id))
    for a in others:
        if _outlet_key(a) not in outlets:
            chosen.append(a)
            outlets.add(_outlet_key(a))
    for a in others:
        if a not in chosen:
            chosen.append(a)
    return chosen[:SOURCES_PER_STORY]


class _Numbering:
    """Hands out source numbers in order of first citation."""

    def __init__(self) -> None:
        self.refs: list[SourceRef] = []
        self._by_article: dict[int, int] = {}

    def add(self, ref: SourceRef) -> None:
        """Take a source already numbered (the next number) as cited."""
        self._by_article[ref.article_id] = ref.number
        self.refs.append(ref)

    def cite(self, article: ArticleRow) -> int:
        number = self._by_article.get(article.id)
        if number is None:
            number = len(self.refs) + 1
            self._by_article[article.id] = number
            self.refs.append(
                SourceRef(
                    number=number,
                    article_id=article.id,
                    title=article.title or article.url,
                    outlet=article.site or _outlet(None, article.url),
                    published=article.date,
                    url=article.url,
                    date_is_fetched=article.date_is_fetched,
                )
            )
        return number


def _bullet(
    sentence: str, cited: Sequence[ArticleRow], origin: ArticleRow, numbers: _Numbering
) -> Bullet:
    """Cite the origin and every cited copy whose summary carries the same sentence."""
    sources = [origin] + [
        a for a in cited if a.id != origin.id and any(_similar(sentence, s, 0.8) for s in a.summary)
    ]
    # The citation already names the outlet and its date: a wire dateline only repeats them.
    text = without_dateline(sentence)
    return Bullet(text=text, citations=tuple(numbers.cite(a) for a in sources))


def _copy_of(article: ArticleRow, original: ArticleRow) -> bool:
    """Tell whether the article's summary only repeats the original's (a syndicated copy)."""
    if not article.summary:
        return True
    repeated = sum(any(_similar(s, o, 0.8) for o in original.summary) for s in article.summary)
    return repeated >= 0.8 * len(article.summary)


def _story_themes(articles: Sequence[ArticleRow]) -> tuple[str, ...]:
    best: dict[str, float] = {}
    for a in articles:
        for t in a.themes:
            slug = str(t.get("theme") or "")
            if slug:
                try:
                    score = float(t.get("score") or 0.0)
                except (TypeError, ValueError):
                    score = 0.0
                best[slug] = max(best.get(slug, 0.0), score)
    return tuple(sorted(best, key=lambda s: (-best[s], s)))


def _newest(articles: Iterable[ArticleRow]) -> ArticleRow | None:
    """Return the article with the latest date (publication, else fetch), if any has one."""
    return max((a for a in articles if a.date), key=lambda a: _epoch(a.date), default=None)


def _oldest(articles: Iterable[ArticleRow]) -> ArticleRow | None:
    """Return the article with the earliest date (publication, else fetch), if any has one."""
    return min((a for a in articles if a.date), key=lambda a: _epoch(a.date), default=None)


_DANGLING = frozenset(
    "a an and as at by for from in into of on or that the to with which who whose".split()
)


def _normalised(text: str) -> str:
    return " ".join(text.casefold().split())


def _is_headline(article: ArticleRow) -> bool:
    """Tell whether the article's title reads as a headline, not a sentence cut short."""
    title = (article.title or "").strip()
    words = title.rstrip(" .,;:–—-").split()
    if len(words) < 2 or len(title) > 200:
        return False
    # A title cut with an ellipsis is a sentence cut short (the stand-in of a file with none).
    if words[-1].casefold() in _DANGLING or title.endswith((",", ";", "-", "–", "…", "...")):
        return False
    start = _normalised(title)
    # A title that is the opening of a summary sentence, cut mid-phrase, was taken from the body.
    return not any(_continues(_normalised(s), start) for s in article.summary)


def _continues(sentence: str, start: str) -> bool:
    """Tell whether ``sentence`` goes on from ``start`` without a break (no colon, no dash)."""
    if not sentence.startswith(start) or len(sentence) <= len(start) + 3:
        return False
    rest = sentence[len(start) :]
    return rest[0].isalnum() or (rest[0] == " " and rest[1:2].isalnum())


def _headline(articles: Sequence[ArticleRow], rep: ArticleRow, first: str | None) -> str:
    """Return the real headline standing best for the event (its words recur in other titles).

    With no real headline among the articles, the representative's best summary sentence.
    """
    titled = [a for a in articles if _is_headline(a)]
    if not titled:
        return first or rep.title or rep.url

    def centrality(article: ArticleRow) -> tuple[float, int, float, int]:
        words = _words(article.title or "")
        others = [_words(o.title or "") for o in articles if o.id != article.id and o.title]
        shared = sum(len(words & o) / max(1, len(words | o)) for o in others)
        return (-shared, article.id != rep.id, _epoch(article.date), article.id)

    return (min(titled, key=centrality).title or "").strip()


def _by_outlet(articles: Sequence[ArticleRow], rep: ArticleRow) -> list[ArticleRow]:
    """One article per outlet other than the representative's, in the order they reported."""
    seen = {_outlet_key(rep)}
    out: list[ArticleRow] = []
    for a in sorted(articles, key=lambda a: (_epoch(a.date), a.id)):
        outlet = _outlet_key(a)
        if outlet not in seen and not _copy_of(a, rep):
            seen.add(outlet)
            out.append(a)
    return out


def _figures(
    cited: Sequence[ArticleRow],
    bullets: Sequence[Bullet],
    numbers: _Numbering,
    pair: frozenset[str],
) -> tuple[StoryFigure, ...]:
    """Pick the story's own key figures from its cited articles, cited as its bullets are."""
    ledger = FigureLedger(pair=pair)
    reports: dict[int, tuple[str, str]] = {}
    for a in cited:
        number = numbers.cite(a)
        ledger.add(a.figures, number, a.date, date_is_fetched=a.date_is_fetched)
        copies = f"s{a.story_id}" if a.story_id is not None else f"a{a.id}"
        reports[number] = (_outlet_key(a), copies)
    return story_figures(ledger, reports, [b.text for b in bullets])


def _story_item(
    story_id: int,
    articles: Sequence[ArticleRow],
    outlets: int,
    numbers: _Numbering,
    pair: frozenset[str],
) -> tuple[StoryItem, list[ArticleRow]]:
    """Build the story's bullets, figures and citations.

    ``outlets`` counts every outlet, loaded or not; ``pair`` is the topic's :func:`pair_words`.
    """
    rep = _representative(articles)
    others = _by_outlet(articles, rep)
    cited = _cited(articles, rep)
    for a in others[: MAX_BULLETS - 1]:
        if a not in cited:
            cited.append(a)
    for a in cited:
        numbers.cite(a)
    bullets: list[Bullet] = []
    first = best_sentence(rep)
    if first:
        bullets.append(_bullet(first, cited, rep, numbers))
        said = [first]
        for other in others:
            if len(bullets) >= MAX_BULLETS:
                break
            sentence = best_sentence(other, exclude=said)
            if sentence:
                # A fetch time says nothing about who reported first.
                later = not other.date_is_fetched and _epoch(other.date) > _epoch(rep.date)
                bullet = _bullet(sentence, cited, other, numbers)
                # A file or an address with no host names no outlet, but what it added shows.
                outlet = other.site or _outlet(None, other.url) or "Another outlet"
                bullets.append(replace(bullet, added_by=outlet if later else None))
                said.append(sentence)
    elif rep.title:
        bullets.append(Bullet(text=rep.title, citations=(numbers.cite(rep),)))
    newest = _newest(articles)
    item = StoryItem(
        story_id=story_id,
        headline=_headline(articles, rep, first),
        bullets=tuple(bullets),
        citations=tuple(numbers.cite(a) for a in cited),
        outlets=max(outlets, len({_outlet_key(a) for a in articles})),
        latest=newest.date if newest else None,
        themes=_story_themes(articles),
        latest_is_fetched=newest.date_is_fetched if newest else False,
        figures=_figures(cited, bullets, numbers, pair),
    )
    return item, cited


# --- stored stories ----------------------------------------------------------------------
#
# Each (topic, event) keeps its story composed as above in an ``event_briefs`` row, with its
# citations numbered from 1, recomposed whenever the event changes (database triggers note
# every event a write may have outdated until then, see ``StaleEventBrief``). A brief uses a
# row only when the row's dates lie in its window and its event is not noted stale, then the
# window holds exactly the row's articles, renumbering its citations; every other story (an
# event straddling the window's edge, an article in no event, a stale event) is composed from
# its articles.

_BUILD_NOW = datetime(2000, 1, 1, tzinfo=UTC)  # rows are ranked at read time, not here


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _figure_row(f: StoryFigure) -> list[Any]:
    return [f.text, f.value, f.unit, f.measure, f.period, f.status, list(f.citations), f.disagree]


def _body(story: _Story, articles: list[ArticleRow], topic: str) -> dict[str, Any]:
    """Compose a story with its citations numbered from 1, as JSON-ready data."""
    numbers = _Numbering()
    item, cited = _story_item(story.key.shown, articles, story.outlets, numbers, pair_words(topic))
    return {
        "item": [
            item.headline,
            [[b.text, list(b.citations), b.added_by] for b in item.bullets],
            list(item.citations),
            item.outlets,
            _iso(item.latest),
            list(item.themes),
            item.latest_is_fetched,
        ],
        # The story's own key figures (beside "item", which older code unpacks whole).
        "key_figures": [_figure_row(f) for f in item.figures],
        "refs": [
            [r.article_id, r.title, r.outlet, _iso(r.published), r.url, r.date_is_fetched]
            for r in numbers.refs
        ],
        "figures": [
            [numbers.cite(a), list(a.figures), _iso(a.date), a.date_is_fetched] for a in cited
        ],
    }


def _event_brief_row(topic: str, story: _Story, articles: list[ArticleRow]) -> dict[str, Any]:
    dates = [as_utc(m.date).timestamp() for m in story.members if m.date]
    return {
        "topic": topic,
        "event_id": story.key.event_id,
        "articles": len(story.members),
        "id_sum": sum(m.id for m in story.members),
        "first_ts": min(dates),
        "last_ts": max(dates),
        "outlets": story.outlets,
        "dated": any(m.dated for m in story.members),
        "salience": _salience(_representative(articles)),
        # A new stamp at every recomposition: the key of every cached part of this story.
        "stamp": uuid.uuid4().hex,
        "body": _body(story, articles, topic),
    }


def refresh_event_briefs(
    session: Session, event_ids: Iterable[int], *, cleared: bool = False
) -> None:
    """Recompose the stored stories of these events, in every topic of their articles.

    ``cleared``: the caller has already cleared every stale mark (see ``brief_rows``).
    """
    ids = sorted(set(event_ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        if not cleared:
            brief_rows.clear_stale(session, chunk)
        members = queries.event_members(session, chunk)
        stories = {k: _story(StoryKey.event(k[1]), m, _BUILD_NOW) for k, m in members.items()}
        loaded = queries.load_articles(
            session, [a for story in stories.values() for a in story.load_ids()]
        )
        rows = []
        for (topic, _event), story in stories.items():
            articles = [loaded[a] for a in story.load_ids() if a in loaded]
            if articles:
                rows.append(_event_brief_row(topic, story, articles))
        brief_rows.replace_rows(session, chunk, rows)


def refresh_changed_event_briefs(session: Session) -> None:
    """Recompose the stored stories of every event changed in this transaction."""
    refresh_event_briefs(session, brief_rows.changed_events(session))


def refresh_all_event_briefs(session: Session) -> None:
    """Recompose the stored story of every live event (after a migration or a bulk load)."""
    brief_rows.clear_stale(session, None)  # events merged away hold no articles
    live = session.execute(select(Event.id).where(Event.merged_into.is_(None))).scalars()
    refresh_event_briefs(session, list(live), cleared=True)


def recompose_stored_stories(bind: Connection) -> None:
    """Compose every stored story again on ``bind``: what a migration that changes them runs."""
    with Session(bind=bind) as session:
        refresh_all_event_briefs(session)
        session.flush()


def refresh_stale_event_briefs(session: Session) -> None:
    """Recompose the stored stories of every event noted stale (see ``StaleEventBrief``)."""
    session.flush()  # pending writes' triggers note their events
    stale = session.execute(select(StaleEventBrief.event_id)).scalars()
    refresh_event_briefs(session, list(stale))


def refresh_topic_briefs(session: Session, topic: str) -> None:
    """Recompose the stored stories of every event with an article tagged (or once) ``topic``.

    Every event noted stale (among them those whose articles lost the tag) is recomposed too.
    """
    tagged = select(Article.event_id).join(ArticleTopic, ArticleTopic.article_id == Article.id)
    tagged = tagged.where(ArticleTopic.topic == topic, Article.event_id.is_not(None))
    stored = select(EventBrief.event_id).where(EventBrief.topic == topic)
    session.flush()  # the tags' triggers have noted the events they changed
    stale = select(StaleEventBrief.event_id)
    found = session.execute(tagged.union(stored, stale)).scalars()
    refresh_event_briefs(session, {int(e) for e in found if e is not None})


def _stored_item(
    memo: Any,
    event_id: int,
    body: dict[str, Any],
    numbers: _Numbering,
    ledger: FigureLedger | None,
) -> StoryItem:
    """Rebuild a stored story with its citations numbered after those already given.

    ``memo`` is the key ``body`` is cached under: the story and its sources, numbered from
    where this brief has got to, are cached under it too.
    """
    offset = len(numbers.refs)
    if ledger is not None:
        for number, figures, date, fetched in body["figures"]:
            ledger.add(figures, number + offset, _when(date), date_is_fetched=fetched)
    key = (memo, event_id, offset)
    known = _ITEMS.get(key)
    if known is None:
        known = _numbered_item(event_id, body, offset)
        _ITEMS.put(key, known)
    item, refs = known
    for ref in refs:
        numbers.add(ref)
    return item


def _numbered_item(
    event_id: int, body: dict[str, Any], offset: int
) -> tuple[StoryItem, tuple[SourceRef, ...]]:
    refs = tuple(
        SourceRef(
            number=offset + n,
            article_id=article_id,
            title=title,
            outlet=outlet,
            published=_when(published),
            url=url,
            date_is_fetched=fetched,
        )
        for n, (article_id, title, outlet, published, url, fetched) in enumerate(body["refs"], 1)
    )
    headline, bullets, citations, outlets, latest, themes, latest_fetched = body["item"]
    figures = body.get("key_figures", ())  # none in rows composed before stories had figures
    item = StoryItem(
        story_id=event_id,
        headline=headline,
        bullets=tuple(
            Bullet(text=text, citations=tuple(c + offset for c in cited), added_by=added_by)
            for text, cited, added_by in bullets
        ),
        citations=tuple(c + offset for c in citations),
        outlets=outlets,
        latest=_when(latest),
        themes=tuple(themes),
        latest_is_fetched=latest_fetched,
        figures=tuple(
            StoryFigure(
                text=text,
                value=value,
                unit=unit,
                measure=measure,
                period=period,
                status=status,
                citations=tuple(c + offset for c in cited),
                disagree=disagree,
            )
            for text, value, unit, measure, period, status, cited, disagree in figures
        ),
    )
    return item, refs


# Keyed by the row's stamp (and, for a story cut by the window's edge, its articles there):
# a recomposed row has a new stamp, so nothing cached here outlives a change of its event.
_STORIES = Memo(2048)  # (topic, event, stamp[, article ids]) -> (salience, body)
_LEDGERS = Memo(256)  # (pair, story keys in order) -> (every figure line, the brief's)
_ITEMS = Memo(4096)  # (story key, shown id, sources before it) -> (item, its sources)


def _window_stories(
    session: Session, topic: str, start: datetime, now: datetime, need: int
) -> tuple[list[_Story], int, int]:
    """Rank the window's stories, stored ones where they hold exactly the window's articles.

    The database ranks the stored stories and returns only the best ``need`` of them (see
    ``corpus.brief_window``). A story whose stored row crosses the window's edge is
    composed from its window articles, unless even its row's latest date and outlets could
    not rank it among the best ``need``. Returns the ranked stories that may be shown, the
    number of stories in the window and the number of its articles.
    """
    now_us = _microseconds(now)
    window = brief_window.rank_window(
        session, topic, start, now, need, lambda head: _stored_score(head, now_us)
    )
    exact = [_stored_story(topic, head, now) for head in window.best]
    bar = exact[need - 1].score if len(exact) >= need else -math.inf
    heads = {head.event_id: head for head in window.cut}
    inside = {m.event_id for m in window.members if m.event_id in heads}
    left_out: set[int] = set()
    for event_id in inside:
        head = heads[event_id]
        latest = min(datetime.fromtimestamp(head.last_ts, UTC), now)
        if _base_score(latest, True, head.outlets, now) < bar:
            left_out.add(event_id)
    stories = list(exact)
    members = (m for m in window.members if m.event_id is None or m.event_id not in left_out)
    for story in _group(members, now):
        cut = heads.get(story.key.event_id) if story.key.event_id is not None else None
        if cut is not None:
            ids = tuple(sorted(m.id for m in story.members))
            story.memo = (topic, cut.event_id, cut.stamp, ids)
        stories.append(story)
    stories.sort(key=lambda s: (-s.score, -s.key.shown))
    total = len(stories) + len(left_out) + window.exact - len(exact)
    return stories[:need], total, window.articles


# --- composition -------------------------------------------------------------------------


def _check(
    session: Session, topic: str, theme: str | None, days: int
) -> tuple[Topic, dict[str, str]]:
    found = get_topic(session, topic)
    if found is None:
        raise UnknownTopicError(topic, [t.slug for t in list_topics(session)])
    themes = theme_names()
    if theme is not None and theme not in themes:
        raise UnknownThemeError(theme, list(themes))
    if not MIN_DAYS <= days <= MAX_DAYS:
        raise InvalidWindowError(days)
    return found, themes


def _ranked(candidates: Iterable[Candidate], now: datetime) -> list[_Story]:
    """Group candidates into stories, best first by recency and outlets."""
    stories = _group(candidates, now)
    stories.sort(key=lambda s: (-s.score, -s.key.shown))
    return stories


def _with_theme(
    session: Session, stories: list[_Story], theme: str, need: int, now: datetime
) -> list[_Story]:
    """Keep the best ``need`` stories with articles carrying ``theme`` (only those articles).

    Themes are read in batches of ranked stories, so a common theme costs a few small
    queries instead of decoding the themes of every article in the window.
    """
    kept: list[_Story] = []
    batch = max(need, 25)
    for i in range(0, len(stories), batch):
        chunk = stories[i : i + batch]
        themes = queries.article_themes(session, [m.id for s in chunk for m in s.members])
        for story in chunk:
            members = [m for m in story.members if theme in themes.get(m.id, ())]
            if members:
                kept.append(_story(story.key, members, now))
        if len(kept) >= need:
            break
    kept.sort(key=lambda s: (-s.score, -s.key.shown))
    return kept


def _the_last(days: int) -> str:
    """Return "the last day" or "the last 7 days"."""
    return "the last day" if days == 1 else f"the last {days} days"


def compose_brief(
    session: Session,
    topic: str,
    *,
    days: int = DEFAULT_DAYS,
    theme: str | None = None,
    now: datetime | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    max_stories: int = DEFAULT_MAX_STORIES,
    all_figures: bool = False,
) -> Brief:
    """Compose the brief of ``topic`` over the last ``days`` (see the module docstring).

    ``since`` keeps only articles fetched after it (for digests) and never widens.
    ``until`` keeps only articles fetched at or before it (a digest's period end); an
    article with no fetch time counts as fetched at ``now``. ``all_figures`` lists every
    figure line of the chosen stories (``/figures``), not only the balanced few.
    Raises a ``BriefError`` subclass for an unknown topic or theme or a bad window.
    """
    found, names = _check(session, topic, theme, days)
    topic, topic_name = found.slug, found.name
    now = as_utc(now) or datetime.now(UTC)
    since = as_utc(since)
    until = as_utc(until)
    start = now - timedelta(days=days)
    # Stories ranked cheaply, then loaded to add salience: a margin of two default briefs.
    need = max_stories + (_PRESELECT_FACTOR - 1) * min(max_stories, DEFAULT_MAX_STORIES)
    if theme is None and since is None and until is None:
        stories, story_count, candidates = _window_stories(session, topic, start, now, need)
    else:
        window = queries.window_candidates(session, topic, start, now, since=since, until=until)
        stories, candidates = _ranked(window, now), len(window)
        if theme is not None:
            stories = _with_theme(session, stories, theme, need, now)
        story_count = len(stories)
    widened = False
    note: str | None = None
    if story_count < MIN_STORIES and since is None:
        recent = queries.recent_candidates(session, topic, now, limit=_WIDEN_ARTICLES, until=until)
        wider = _ranked(recent, now)
        if theme is not None:
            wider = _with_theme(session, wider, theme, need, now)
        if len(wider) > story_count:
            in_window = story_count
            stories, story_count = wider, len(wider)
            widened = True
            plural = "story" if in_window == 1 else "stories"
            about = f" on {theme}" if theme else ""
            count = f"Only {in_window} {plural}" if in_window else "No stories"
            note = f"{count}{about} in {_the_last(days)}; showing"
    preselected = stories[:need]
    parts = {s.key: _STORIES.get(s.memo) for s in preselected if s.memo is not None}
    loaded = queries.load_articles(
        session,
        [i for s in preselected if s.head is None and not parts.get(s.key) for i in s.load_ids()],
    )

    scored: list[tuple[float, _Story, list[ArticleRow]]] = []
    for story in preselected:
        if story.head is not None:
            scored.append((story.with_salience(story.head.salience), story, []))
            continue
        part = parts.get(story.key)
        if part is not None:
            scored.append((story.with_salience(part[0]), story, []))
            continue
        rows = [loaded[i] for i in story.load_ids() if i in loaded]
        if rows:
            salience = _salience(_representative(rows))
            if story.memo is not None:
                parts[story.key] = (salience, _body(story, rows, topic))
                _STORIES.put(story.memo, parts[story.key])
            scored.append((story.with_salience(salience), story, rows))
    scored.sort(key=lambda t: (-t[0], -t[1].key.shown))
    chosen = scored[:max_stories]
    unread = {
        s.head.event_id: s for _, s, _ in chosen if s.head is not None and not parts.get(s.key)
    }
    for event_id, body in brief_rows.bodies(session, topic, list(unread)).items():
        story = unread[event_id]
        parts[story.key] = (story.head.salience if story.head else 0.0, body)
        _STORIES.put(story.memo, parts[story.key])

    keys = tuple(s.memo for _, s, _ in chosen)
    pair = pair_words(topic)
    cacheable = all(k is not None for k in keys)
    known = _LEDGERS.get((pair, keys)) if cacheable else None
    numbers = _Numbering()
    ledger = FigureLedger(pair=pair)
    items: list[StoryItem] = []
    for _score, story, rows in chosen:
        part = parts.get(story.key) if story.memo is not None else None
        if part is not None:
            shown = story.key.shown
            items.append(
                _stored_item(story.memo, shown, part[1], numbers, None if known else ledger)
            )
            continue
        item, cited = _story_item(story.key.shown, rows, story.outlets, numbers, pair)
        items.append(item)
        for a in cited:
            ledger.add(a.figures, numbers.cite(a), a.date, date_is_fetched=a.date_is_fetched)

    counts: dict[str, int] = defaultdict(int)
    for item in items:
        for slug in item.themes:
            counts[slug] += 1
    theme_counts = tuple(
        ThemeCount(theme=slug, name=_theme_name(slug, names), count=n)
        for slug, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    covered_from = start
    if widened:
        dates = [m.date for _s, story, _r in chosen for m in story.members if m.date]
        covered_from = as_utc(min(dates)) or start if dates else start
        note = f"{note} the most recent stories, back to {covered_from:%Y-%m-%d}."
    elif since is not None and since > start:
        covered_from = since
    if not items and note is None:
        note = f"No stories on {topic_name} in {_the_last(days)}."
    if known is None:
        known = (ledger.lines(None, per_article=None), ledger.lines(MAX_FIGURE_LINES))
        if cacheable:
            _LEDGERS.put((pair, keys), known)
    every_line = known[0]
    figures = every_line if all_figures else known[1]
    figure_groups = len(every_line)
    return Brief(
        topic=topic,
        topic_name=topic_name,
        window_days=days,
        theme=theme,
        generated_at=now,
        since=covered_from,
        stories=tuple(items),
        figures=figures,
        themes=theme_counts,
        sources=tuple(numbers.refs),
        widened=widened,
        note=note,
        extra={"candidates": candidates},
        more_stories=max(0, story_count - len(items)),
        more_figures=max(0, figure_groups - len(figures)),
    )


def get_story(
    session: Session, story_id: int, *, theme_labels: dict[str, str] | None = None
) -> StoryDetail:
    """Return one story (an event) with every ready article, sources, summaries, figures, themes.

    An id of an event merged into another leads to the event that absorbed it.
    """
    key = StoryKey.of_shown(story_id)
    live: int | None = None
    if key.article_id is not None:
        single = queries.ready_article(session, key.article_id)
        rows = [single] if single is not None and single.event_id is None else []
    else:
        live = live_event_id(session, story_id)
        rows = queries.event_articles(session, live) if live is not None else []
    if not rows:
        raise StoryNotFoundError(story_id)
    names = theme_labels if theme_labels is not None else theme_names()
    rep = _representative(rows)
    others = sorted((a for a in rows if a.id != rep.id), key=lambda a: (_epoch(a.date), a.id))
    ordered = [rep, *others]
    numbers = _Numbering()
    ledger = FigureLedger()
    articles = []
    for a in ordered:
        number = numbers.cite(a)
        ledger.add(a.figures, number, a.date, date_is_fetched=a.date_is_fetched)
        articles.append(
            StoryArticle(
                source=numbers.refs[number - 1],
                summary=tuple(without_dateline(sentence) for sentence in a.summary),
                themes=tuple(str(t.get("theme")) for t in a.themes if t.get("theme")),
            )
        )
    carried: dict[str, int] = defaultdict(int)
    for article in articles:
        for slug in article.themes:
            carried[slug] += 1
    first, newest = _oldest(rows), _newest(rows)
    return StoryDetail(
        story_id=story_id if key.article_id is not None else live or story_id,
        headline=_headline(rows, rep, best_sentence(rep)),
        outlets=len({_outlet_key(a) for a in rows}),
        first_seen=first.date if first else None,
        latest=newest.date if newest else None,
        articles=tuple(articles),
        sources=tuple(numbers.refs),
        figures=ledger.lines(None, per_article=None),
        themes=tuple(
            ThemeCount(theme=t, name=_theme_name(t, names), count=carried[t])
            for t in _story_themes(rows)
        ),
        first_seen_is_fetched=first.date_is_fetched if first else False,
        latest_is_fetched=newest.date_is_fetched if newest else False,
    )
