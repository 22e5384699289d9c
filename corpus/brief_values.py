"""The composed brief as plain data: no Discord types, ready for any renderer or JSON."""

from __future__ import annotations

import dataclasses
import types
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Union, get_args, get_origin, get_type_hints


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A cited article; ``number`` is what ``[n]`` refers to in bullets and figures."""

    number: int
    article_id: int
    title: str
    outlet: str | None
    published: datetime | None
    url: str
    # True when the article gave no publication date and ``published`` is when it was fetched.
    date_is_fetched: bool = False


@dataclass(frozen=True, slots=True)
class Bullet:
    """One summary sentence and the sources it comes from."""

    text: str
    citations: tuple[int, ...]
    # The outlet that reported this after the event's first report (what it added), if later.
    added_by: str | None = None


@dataclass(frozen=True, slots=True)
class StoryFigure:
    """One of a story's key figures: its value, what it measures and the sources giving it.

    ``citations`` are numbers into ``Brief.sources``, as a bullet's are; every source that
    gives the value alike is cited. ``disagree`` marks a value the story's sources give
    differently for the same measure, period and status (the others are beside it).
    """

    text: str
    value: float
    unit: str
    measure: str
    period: str
    status: str
    citations: tuple[int, ...]
    disagree: bool = False

    @property
    def what(self) -> str:
        """What the value measures: "China–Russia trade, 2024", "… (forecast)" if not actual."""
        what = ", ".join(part for part in (self.measure, self.period) if part)
        return f"{what} ({self.status})" if self.status != "actual" else what


@dataclass(frozen=True, slots=True)
class StoryItem:
    """A story: an event reported by one or more outlets, summarised in 1–4 bullets."""

    story_id: int
    headline: str
    bullets: tuple[Bullet, ...]
    citations: tuple[int, ...]
    outlets: int
    latest: datetime | None
    themes: tuple[str, ...] = ()
    # True when ``latest`` is a fetch date (the newest article gave no publication date).
    latest_is_fetched: bool = False
    # The event's own key figures, best first (``corpus.brief_figures.story_figures``).
    figures: tuple[StoryFigure, ...] = ()


@dataclass(frozen=True, slots=True)
class FigureValue:
    """One source's value for a measure."""

    text: str
    value: float
    unit: str
    citation: int
    published: datetime | None
    sentence: str
    # Every source giving this value (syndicated copies collapse into one value).
    citations: tuple[int, ...] = ()
    # The source's own phrase for what it measures, with its qualifier ("…, 2021").
    measure: str = ""
    # True when ``published`` is when the source was fetched (it gave no publication date).
    date_is_fetched: bool = False
    # What time the value is for ("2024", "Jan–Jul 2025", "by 2030"; "" when not said) and
    # whether it is an actual, a forecast, a target or a plan.
    period: str = ""
    status: str = "actual"
    # Every spelling of this value among the sources that agree on it ("$244.81 billion",
    # "$245 billion"), and the lowest and highest of their values (the spread).
    texts: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True, slots=True)
class FigureLine:
    """A measure with every value the sources give; ``disagree`` when they differ.

    Values on one line measure the same thing for the same period and status. A ``series``
    line instead lists one value per period, oldest first ("2022 → 2023 → 2024"), and is
    never a disagreement. ``agree`` marks a value that two or more sources give alike.
    """

    measure: str
    kind: str
    unit: str
    values: tuple[FigureValue, ...]
    disagree: bool
    period: str = ""
    status: str = "actual"
    series: bool = False
    agree: bool = False


@dataclass(frozen=True, slots=True)
class ThemeCount:
    """How many stories in the brief (articles, in a story's detail) carry a theme."""

    theme: str
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class Brief:
    """Everything a renderer needs to show a topic brief."""

    topic: str
    topic_name: str
    window_days: int
    theme: str | None
    generated_at: datetime
    since: datetime
    stories: tuple[StoryItem, ...]
    figures: tuple[FigureLine, ...]
    themes: tuple[ThemeCount, ...]
    sources: tuple[SourceRef, ...]
    widened: bool = False
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # Ranked stories and figure groups of the window that did not fit (never dropped silently).
    more_stories: int = 0
    more_figures: int = 0
    # The past moment the window ends at, when a person asked for one (``until``); None for
    # a window ending when the brief was composed.
    window_end: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the brief as JSON-ready data (datetimes as ISO 8601 strings)."""
        return _jsonable(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Brief:
        """Rebuild a brief from its :meth:`to_dict` form (unknown keys are ignored)."""
        brief = _from_jsonable(cls, data)
        assert isinstance(brief, Brief)
        return brief


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """One article of a story: where it comes from, its summary and themes."""

    source: SourceRef
    summary: tuple[str, ...]
    themes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryDetail:
    """One story with all its stored articles, for ``/story id``."""

    story_id: int
    headline: str
    outlets: int
    first_seen: datetime | None
    latest: datetime | None
    articles: tuple[StoryArticle, ...]
    sources: tuple[SourceRef, ...]
    figures: tuple[FigureLine, ...] = ()
    themes: tuple[ThemeCount, ...] = ()
    # True when ``first_seen`` / ``latest`` is a fetch date rather than a publication date.
    first_seen_is_fetched: bool = False
    latest_is_fetched: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the story as JSON-ready data (datetimes as ISO 8601 strings)."""
        return _jsonable(asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _from_jsonable(tp: Any, value: Any) -> Any:
    """Rebuild a value of type ``tp`` from its :meth:`Brief.to_dict` form."""
    if value is None:
        return None
    origin = get_origin(tp)
    if origin in (types.UnionType, Union):
        for option in get_args(tp):
            if option is type(None):
                continue
            return _from_jsonable(option, value)
    if origin is tuple:
        inner = get_args(tp)[0]
        return tuple(_from_jsonable(inner, v) for v in value)
    if origin in (dict, list) or tp is Any:
        return value
    if tp is datetime:
        return datetime.fromisoformat(value)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = get_type_hints(tp)
        known = {f.name for f in dataclasses.fields(tp)}
        kwargs = {k: _from_jsonable(hints[k], v) for k, v in value.items() if k in known}
        return tp(**kwargs)
    return value
