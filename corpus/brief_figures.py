"""Key figures across articles: syndicated copies merged, disagreeing sources side by side.

Figures are grouped by a *measure key*: the measure's content words + unit + kind.
Content words are the lowercased letter-only words of the measure phrase with stop
words, period words ("year", "months", month names) and numbers removed, demonyms
folded to country names ("Chinese" → "china") and a trailing plural "s" dropped; the
words form a set, so word order does not matter ("China–Russia trade, 2021" and
"trade between Russia and China over 11 months" share the key {china, russia, trade}).
In a brief on a pair (topic ``russia-china``), "bilateral" and "two-way" stand for the
pair's own words, so "bilateral trade, 2020" joins them too.
Two word sets with the same unit and kind name the same measure when they are equal, or
when they share a word that is not a country and do not differ in a *head* word (share,
increase, growth, exports, …: "share of trade" is not "increase in trade"), and either
differ only in country words ("trade" vs "China–Russia trade") or have a Jaccard
similarity of at least 0.6. A measure naming a goal ("…, by 2024", "target") gets the head
word "target", so a goal never reads as a disagreeing total. Durations ("11 months") are
left out of the brief's figures: they qualify other figures rather than stand as key figures.

Flows in opposite directions never group ("deliveries from Russia to China" and "Chinese
deliveries to Russia" share every word), and an article never disagrees with itself: two
values it gives for one period and status are two measures. "Deliveries" and "shipments"
read as exports (the direction says whose).

Before that similarity, measures worded differently name one figure when they give the
same value for the same period and status (or, naming no period, in reports at most a month
apart) and share a word that is neither a country nor a head word such as "share" ("share of
the Chinese yuan, Jan 2026" and
"yuan's share of Russia's export payments, Jan 2026", both 42.3%).

Within a measure, a value naming no period that equals a dated value of a report at most a
month apart is that value ("fell 12.1 per cent" beside "12.1% in January-February").
Figures are compared only like for like: same period and same status
(actual, forecast, target, plan). Stored figures carry both; older rows without them have
the period read from the measure's trailing qualifier ("…, 2021") and are actual unless
they name a goal. Relative periods are made absolute with the article's date ("last year"
in a 2025 article is 2024; "Dec" in a January article is the December before).
Two values *agree* when they are within 0.5 % of each other or within the rounding of the
less precise one ("$244.81bn" and "$245 billion"): one entry citing every source, with the
spread. Different values for one period and status *disagree*. The same measure over
several periods is a *series* ("2022 → 2023 → 2024"), never a disagreement, and a target
or forecast is never compared with an actual.

The brief's figure section is balanced: lines that several sources give come first, then
each article's own figures in turn, at most ``per_article`` lines each.

Each story also carries its event's own few key figures (:func:`story_figures`), built by a
ledger of the story's cited articles alone: the figures most independent reports give
first (syndicated copies and one outlet's several articles count once) unless they are
background (every value for a year two or more before its report), then
disagreements, figures the story's bullets state, measures with a name, and money before
quantities, percentages and counts. A series gives its latest value, and its earlier
ones while room is left; a disagreement shows at least two of its values or none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from corpus.brief_values import FigureLine, FigureValue, StoryFigure
from corpus.words import word_pattern

_STOP = frozenset(
    """
    a an the of and or in on at to for from by with between over per its their his her
    this that these those as into than about around nearly almost some more less least
    most up down new total overall annual
    year years yr month months day days week weeks quarter quarters period first last
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)
_FOLD = {
    "chinese": "china",
    "sino": "china",
    "prc": "china",
    "russian": "russia",
    "moscow": "russia",
    "beijing": "china",
    "american": "us",
    "usa": "us",
    "european": "europe",
    "eu": "europe",
    "rouble": "ruble",
    "roubles": "ruble",
    # Goods sent abroad, however a report words it; the direction tells whose (below).
    "deliveries": "export",
    "delivery": "export",
    "shipments": "export",
    "shipment": "export",
}
# Words that say what kind of quantity a measure is: two measures differing in one are
# different measures ("share of trade" is not "increase in trade").
_HEADS = frozenset(
    """
    share increase growth rise fall decline drop decrease rate proportion target goal cost
    price deficit surplus import export investment loan reserve debt budget spending sale
    output production capacity length border population
    """.split()
)
# Country words: a measure that only adds or omits these still names the same quantity.
_ENTITIES = frozenset(_FOLD.values()) | frozenset(
    "india japan ukraine iran korea germany france uk britain nato asia africa".split()
)
# ASCII letters of the lower-cased measure: its fold table and stop words are ASCII.
_ASCII_WORD = word_pattern(chars="[a-z]")
# "trade, by 2024" is a goal, not a reported total: it gets the head word "target".
_TARGET = re.compile(r"\bby (?:the end of )?(?:19|20)\d\d\b|\btarget|\bgoal")
_KIND_RANK = {"money": 0, "quantity": 1, "percent": 2, "count": 3, "duration": 4}
SAME_VALUE_TOLERANCE = 0.005
STORY_FIGURES = 3  # key figures shown under each story


_PAIR_MARKERS = frozenset({"bilateral", "two", "both", "mutual"})
_PAIRWISE = _PAIR_MARKERS | {"way", "countrie", "country", "nation", "side"}


@lru_cache(maxsize=8192)
def content_words(measure: str, pair: frozenset[str] = frozenset()) -> frozenset[str]:
    """Return the measure phrase as a set of normalised content words (see the module doc)."""
    text = measure.lower().replace("u.s.", "us").replace("’s", "").replace("'s", "")
    words = set()
    if _TARGET.search(text):
        words.add("target")
    for word in _ASCII_WORD.findall(text):
        word = _FOLD.get(word, word)
        if word in _STOP or len(word) < 2:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        words.add(_FOLD.get(word, word))
    if pair and words & _PAIR_MARKERS:
        words = (words - _PAIRWISE) | pair
    return frozenset(words)


def measure_key(
    measure: str, unit: str, kind: str, pair: frozenset[str] = frozenset()
) -> tuple[str, str, frozenset[str]]:
    """Return the grouping key of a figure: (kind, unit, content words of its measure)."""
    return (kind, unit, content_words(measure, pair))


def pair_words(topic: str) -> frozenset[str]:
    """Return the words of a two-sided topic slug ("russia-china" → {russia, china}), else none."""
    words = content_words(topic.replace("-", " "))
    return words if len(words) == 2 else frozenset()


def base_label(measure: str) -> str:
    """Drop a trailing period qualifier: "China–Russia trade, 2021" → "China–Russia trade"."""
    head, sep, tail = measure.rpartition(",")
    if sep and re.search(r"\d", tail) and head.strip():
        return head.strip()
    return measure.strip()


@dataclass
class _Sighting:
    """One figure as one article states it."""

    text: str
    value: float
    unit: str
    kind: str
    measure: str
    sentence: str
    citation: int
    published: datetime | None
    date_is_fetched: bool = False
    period: str = ""
    status: str = "actual"


@dataclass
class _Group:
    kind: str
    unit: str
    words: frozenset[str]
    flow: tuple[str, str] = ("", "")
    sightings: list[_Sighting] = field(default_factory=list)
    cited: set[int] = field(default_factory=set)  # the citations of its sightings


# A flow's direction: "from Russia to China", "Chinese exports to Russia", "imports from
# Russia". For exports, deliveries and the like a leading demonym is where the flow starts;
# for imports and purchases it is where the flow ends.
_OUTWARD = r"exports?|deliver(?:y|ies)|shipments?|supplies|suppl(?:y|ied)|sales|investments?"
_INWARD = r"imports?|purchases?|buying|receipts"
_FROM = re.compile(r"\bfrom\s+(?:the\s+)?([a-z]+)")
_TO = re.compile(r"\b(?:to|into)\s+(?:the\s+)?([a-z]+)")
_FLOW_NOUN = re.compile(rf"\b(?:({_INWARD})|{_OUTWARD})\b")


@lru_cache(maxsize=8192)
def flow_direction(measure: str) -> tuple[str, str]:
    """Return where a measured flow starts and ends, as country words ("" when not said)."""
    text = measure.lower()

    def country(word: str) -> str:
        folded = _FOLD.get(word, word)
        return folded if folded in _ENTITIES else ""

    origin = country(m.group(1)) if (m := _FROM.search(text)) else ""
    dest = country(m.group(1)) if (m := _TO.search(text)) else ""
    flow = _FLOW_NOUN.search(text)
    if flow:  # "Chinese exports", "China's agricultural exports", "Russia's imports"
        before = [w.removesuffix("'s").removesuffix("’s") for w in text[: flow.start()].split()]
        owner = next((country(w) for w in reversed(before[-2:]) if country(w)), "")
        if owner and flow.group(1):
            dest = dest or owner
        elif owner:
            origin = origin or owner
    return origin, dest


def _compatible(group: _Group, seen: _Sighting, flow: tuple[str, str]) -> bool:
    """Tell whether ``seen`` may be the figure ``group`` holds.

    Flows in opposite directions are different measures ("deliveries from Russia to China",
    "Chinese deliveries to Russia"), and one article does not disagree with itself: two
    different values it gives for one period and status are two measures.
    """
    (origin, dest), (other_origin, other_dest) = group.flow, flow
    if (origin and other_origin and origin != other_origin) or (
        dest and other_dest and dest != other_dest
    ):
        return False
    if (origin and origin == other_dest) or (dest and dest == other_origin):
        return False  # "Chinese imports" against "Chinese exports"
    return seen.citation not in group.cited or not any(
        other.citation == seen.citation
        and (other.period, other.status) == (seen.period, seen.status)
        and not _agree(other, seen)
        for other in group.sightings
    )


def _same(a: float, b: float) -> bool:
    scale = max(abs(a), abs(b))
    return scale == 0 or abs(a - b) <= SAME_VALUE_TOLERANCE * scale


_NUMBER = re.compile(r"\d[\d,]*(?:\.(\d+))?")


@lru_cache(maxsize=8192)
def _half_step(text: str, value: float) -> float:
    """Return half the last digit's worth of a stated figure ("$245 billion": 0.5 billion)."""
    m = _NUMBER.search(text)
    if not m:
        return 0.0
    try:
        number = float(m.group().replace(",", ""))
    except ValueError:
        return 0.0
    if number == 0:
        return 0.0
    decimals = len(m.group(1) or "")
    return abs(value / number) * 10.0**-decimals / 2


def _agree(a: _Sighting, b: _Sighting) -> bool:
    """Tell whether two stated values are the same figure, allowing for rounding."""
    if _same(a.value, b.value):
        return True
    step = max(_half_step(a.text, a.value), _half_step(b.text, b.value))
    return abs(a.value - b.value) <= step * (1 + 1e-9)


_LEGACY_PERIOD = re.compile(r"\d|\b(?:year|month|quarter|half|week)s?\b", re.IGNORECASE)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_TOKEN = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b", re.IGNORECASE)
_HAS_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_PART = re.compile(r"\b([HQ])([1-4])\b")


def _legacy_period(measure: str) -> tuple[str, str]:
    """Split "China–Russia trade, 2021" into the measure and its period (rows before periods)."""
    head, sep, tail = measure.rpartition(",")
    if sep and head.strip() and _LEGACY_PERIOD.search(tail):
        return head.strip(), tail.strip()
    return measure.strip(), ""


def _absolute(period: str, published: datetime | None) -> str:
    """Make a relative period absolute with the article's date ("last year" → "2024")."""
    if not period or published is None:
        return period
    year = published.year
    relative = {"last year": year - 1, "this year": year, "next year": year + 1}
    if period.lower() in relative:
        return str(relative[period.lower()])
    if _HAS_YEAR.search(period) or period.startswith(("by ", "since ", "from ")):
        return period
    prefix = "as of " if period.startswith("as of ") else ""
    rest = period.removeprefix(prefix)
    months = [_MONTHS.index(m.lower()) + 1 for m in _MONTH_TOKEN.findall(rest)]
    part = _PART.search(rest)
    if part:
        months = [int(part.group(2)) * (6 if part.group(1) == "H" else 3)]
    opening = rest.split()[-1 if prefix else 0].lower()[:3] if rest.split() else ""
    if months and opening in (*_MONTHS, "h1", "h2", "q1", "q2", "q3", "q4"):
        # A month or part of a year named without a year is the latest one before the article.
        return f"{period} {year if months[-1] <= published.month else year - 1}"
    return period


def _granularity(period: str) -> str:
    """Tell single months from longer periods: a series keeps to one kind.

    Years and spans of months ("2021 → 11 months of 2022", "2023 → H1 2024") read well as
    one series; a month beside a year ("Dec 2024", "2024") does not.
    """
    first = period.split()[0].lower()
    if first in {"as", "by", "since", "from", "until"}:
        return first
    if re.fullmatch(r"[A-Za-z]{3}(?: (?:19|20)\d{2})?", period) and _MONTH_TOKEN.match(period):
        return "month"
    return "span"


def _period_order(period: str, published: datetime | None) -> tuple[int, int]:
    """Sort key of a period: its year, then its last month (unknown ones by the article date)."""
    years = [int(y) for y in _HAS_YEAR.findall(period)]
    months = [_MONTHS.index(m.lower()) + 1 for m in _MONTH_TOKEN.findall(period)]
    part = _PART.search(period)
    if part:
        months = [int(part.group(2)) * (6 if part.group(1) == "H" else 3)]
    if years:
        return (years[-1], months[-1] if months else 13)
    if published is not None:
        return (published.year, published.month)
    return (9999, 13)


@lru_cache(maxsize=8192)
def _close(a: frozenset[str], b: frozenset[str], pair: frozenset[str]) -> bool:
    """Tell whether two measures' word sets name the same measure (rules in the module doc)."""
    common = a & b
    entities = _ENTITIES | pair
    if not a or not b or not common - entities:
        return False
    differ = a ^ b
    if differ & _HEADS:
        return False
    if differ <= entities:
        return True
    return len(common) / len(a | b) >= 0.6


def _sightings(
    figures: Iterable[Mapping[str, Any]],
    citation: int,
    published: datetime | None,
    date_is_fetched: bool,
) -> Iterable[_Sighting]:
    for fig in figures:
        try:
            value = float(fig["value"])
        except (KeyError, TypeError, ValueError):
            continue
        measure = str(fig.get("measure") or "")
        if "period" in fig:
            period = str(fig.get("period") or "")
            status = str(fig.get("status") or "actual")
        else:  # stored before figures had a period: it ends the measure phrase
            status = "target" if _TARGET.search(measure.lower()) else "actual"
            measure, period = _legacy_period(measure)
        yield _Sighting(
            text=value_text(str(fig.get("text") or "")),
            value=value,
            unit=str(fig.get("unit") or ""),
            kind=str(fig.get("kind") or ""),
            measure=measure,
            sentence=str(fig.get("sentence") or ""),
            citation=citation,
            published=published,
            date_is_fetched=date_is_fetched,
            period=_absolute(period, published),
            status=status,
        )


_SPACED_CURRENCY = re.compile(r"([$€£¥₹₽])\s+(?=\d)")


@lru_cache(maxsize=8192)
def value_text(text: str) -> str:
    """Return a figure as written, without a space after its currency sign ("$ 108" → "$108")."""
    return _SPACED_CURRENCY.sub(r"\1", text)


def _buckets(sightings: list[_Sighting]) -> list[list[_Sighting]]:
    """Merge agreeing values, oldest article first: each bucket is one value."""
    merged: list[list[_Sighting]] = []
    for s in sorted(sightings, key=lambda s: (s.published is None, s.published, s.citation)):
        for bucket in merged:
            if _agree(bucket[0], s):
                bucket.append(s)
                break
        else:
            merged.append([s])
    return merged


def _value(bucket: list[_Sighting]) -> FigureValue:
    """One value as its sources give it: the most precise spelling shown, all of them kept."""
    first = bucket[0]
    # The most precise spelling is shown: "$244.81 billion" rather than "$245 billion".
    shown = min(bucket, key=lambda s: _half_step(s.text, s.value) or float("inf"))
    texts = tuple(dict.fromkeys(s.text for s in bucket if s.text))
    values = [s.value for s in bucket]
    return FigureValue(
        text=shown.text,
        value=shown.value,
        unit=first.unit,
        citation=first.citation,
        published=first.published,
        sentence=shown.sentence,
        citations=tuple(sorted({s.citation for s in bucket})),
        measure=first.measure,
        date_is_fetched=first.date_is_fetched,
        period=first.period,
        status=first.status,
        texts=texts,
        low=min(values),
        high=max(values),
    )


def _label(sightings: list[_Sighting]) -> str:
    if len(sightings) == 1:  # most lines of one story: the vote below has one voter
        return base_label(sightings[0].measure) if sightings[0].measure else sightings[0].text
    # Each distinct value votes once, so twenty syndicated copies do not pick the label.
    voters = {(base_label(s.measure), round(s.value, 6)) for s in sightings if s.measure}
    labels = Counter(label for label, _value in voters)
    # The label most sources use; ties go to the more specific, then the shorter phrase.
    return (
        min(labels, key=lambda m: (-labels[m], -len(content_words(m)), len(m), m))
        if labels
        else sightings[0].text
    )


def _periods_by_value(sightings: list[_Sighting]) -> dict[int, str]:
    """Return each sighting's period; one naming none takes the period of the same value.

    "Chinese shipments fell 12.1 per cent" beside another report's "12.1% in January-February"
    is that figure, when the two reports are at most :data:`SAME_NEWS_DAYS` apart and no other
    period gives that value. Keyed by ``id`` of the sighting.
    """
    periods = {id(s): s.period for s in sightings}
    for s in sightings:
        if s.period:
            continue
        dated = {
            other.period
            for other in sightings
            if other.period and other.status == s.status and _agree(other, s) and _near(other, s)
        }
        if len(dated) == 1:
            periods[id(s)] = dated.pop()
    return periods


def _near(a: _Sighting, b: _Sighting) -> bool:
    """Tell two reports published (not merely fetched) at most a month apart."""
    dates = [s.published for s in (a, b) if s.published and not s.date_is_fetched]
    return len(dates) == 2 and abs((dates[0] - dates[1]).days) <= SAME_NEWS_DAYS


def _lines(group: _Group) -> list[FigureLine]:
    """Split one measure's figures like for like: by status and period, then series."""
    if len(group.sightings) == 1:  # one figure: one line, as the general case below gives
        only = group.sightings[0]
        return [_make(group, group.sightings, [_value(group.sightings)], only.period, only.status)]
    cells: dict[tuple[str, str, int], list[_Sighting]] = {}
    period_of = _periods_by_value(group.sightings)
    eras = _eras(s for s in group.sightings if not period_of[id(s)])
    for s in group.sightings:
        cells.setdefault((s.status, period_of[id(s)], eras.get(id(s), 0)), []).append(s)
    out: list[FigureLine] = []
    by_status: dict[tuple[str, str], list[tuple[str, list[list[_Sighting]]]]] = {}
    for (status, period, _era), sightings in cells.items():
        buckets = _buckets(sightings)
        if len(buckets) > 1 or not period:
            out.append(_make(group, sightings, [_value(b) for b in buckets], period, status))
        else:
            by_status.setdefault((status, _granularity(period)), []).append((period, buckets))
    for (status, _), periods in by_status.items():
        sightings = [s for _, buckets in periods for b in buckets for s in b]
        if len(periods) == 1:
            period, buckets = periods[0]
            out.append(_make(group, sightings, [_value(b) for b in buckets], period, status))
            continue
        ordered = sorted(periods, key=lambda p: (_period_order(p[0], p[1][0][0].published), p[0]))
        values = [_value(buckets[0]) for _, buckets in ordered]
        out.append(_make(group, sightings, values, "", status, series=True))
    return out


ERA_DAYS = 365  # undated values this far apart are not compared (periods unknown)


def _eras(sightings: Iterable[_Sighting]) -> dict[int, int]:
    """Return an era per figure naming no period, so only contemporaries are compared.

    A figure without a period is for about when it was published: values from articles more
    than :data:`ERA_DAYS` apart, or from an article whose date is only its fetch time beside
    dated ones, are different figures, not a disagreement. Keyed by ``id`` of the sighting.
    """
    eras: dict[int, int] = {}
    dated = [(s.published, s) for s in sightings if s.published and not s.date_is_fetched]
    era, start = 1, None
    for published, s in sorted(dated, key=lambda pair: pair[0]):
        if start is not None and (published - start).days > ERA_DAYS:
            era, start = era + 1, None
        start = start or published
        eras[id(s)] = era
    return eras


SAME_NEWS_DAYS = 31  # values naming no period, this close in publication, are for one time


def _same_figure(a: _Sighting, b: _Sighting) -> bool:
    """Tell two sightings that state one value for one time and status."""
    if (a.period, a.status) != (b.period, b.status) or not _agree(a, b):
        return False
    return bool(a.period) or _near(a, b)


_RANGE_NOTE = re.compile(r"\s*\(range [^)]*\)")
_RANGE_TEXT = re.compile(r"\d\s*(?:-|–|—|to)\s*\d")


def _without_shown_range(label: str, values: Sequence[FigureValue]) -> str:
    """Drop the "(range 13–15 billion)" note when every value's text already shows its range."""
    if values and all(_RANGE_TEXT.search(v.text) for v in values):
        return _RANGE_NOTE.sub("", label).strip() or label
    return label


def _make(
    group: _Group,
    sightings: list[_Sighting],
    values: list[FigureValue],
    period: str,
    status: str,
    *,
    series: bool = False,
) -> FigureLine:
    return FigureLine(
        measure=_without_shown_range(_label(sightings), values),
        kind=group.kind,
        unit=group.unit,
        values=tuple(values),
        disagree=len(values) > 1 and not series,
        period=period,
        status=status,
        series=series,
        agree=any(len(v.citations) > 1 for v in values),
    )


def _sources(line: FigureLine) -> set[int]:
    return {c for v in line.values for c in (v.citations or (v.citation,))}


@dataclass
class FigureLedger:
    """Collects the figures of cited articles and builds the brief's figure lines."""

    pair: frozenset[str] = frozenset()
    skip_kinds: frozenset[str] = frozenset({"duration"})
    groups: list[_Group] = field(default_factory=list)
    # The groups of each (kind, unit), in the order they were made: only those can match.
    _by_kind: dict[tuple[str, str], list[_Group]] = field(default_factory=dict, repr=False)
    _lines: list[FigureLine] | None = field(default=None, repr=False)

    def add(
        self,
        figures: Iterable[Mapping[str, Any]],
        citation: int,
        published: datetime | None,
        *,
        date_is_fetched: bool = False,
    ) -> None:
        """Add one article's stored figures, cited as ``citation``.

        ``date_is_fetched`` says ``published`` is only when the article was fetched.
        """
        self._lines = None
        shown: dict[tuple[str, str, frozenset[str]], str] = {}
        for s in _sightings(figures, citation, published, date_is_fetched):
            if s.kind in self.skip_kinds:
                continue
            kind, unit, words = measure_key(s.measure, s.unit, s.kind, self.pair)
            # "4,300 km (2,672 miles)": a quantity restated in another unit in the same
            # sentence is one figure; money is kept, as each currency compares across sources.
            same = (s.sentence, kind, words)
            if kind == "quantity" and words and shown.get(same, unit) != unit:
                continue
            shown.setdefault(same, unit)
            group = self._find(kind, unit, words, s)
            group.sightings.append(s)
            group.cited.add(s.citation)

    def _find(self, kind: str, unit: str, words: frozenset[str], seen: _Sighting) -> _Group:
        flow = flow_direction(seen.measure)
        same_kind = [
            group
            for group in self._by_kind.setdefault((kind, unit), [])
            if _compatible(group, seen, flow)
        ]
        for group in same_kind:
            if words and group.words == words:
                return group
            # No measure words: only an identical value is the same figure.
            if not words and not group.words and _same(group.sightings[0].value, seen.value):
                return group
        # Worded differently ("share of the Chinese yuan", "yuan's share of Russia's export
        # payments"), the same value for the same time and status is the same figure when the
        # two name one thing in common: stronger evidence than similar wording.
        named = words - _ENTITIES - self.pair
        named = (named - _HEADS) or named  # "share" alone is common ground only for "share"
        for group in same_kind:
            if named & group.words and any(_same_figure(other, seen) for other in group.sightings):
                return group
        for group in same_kind:
            if words and _close(group.words, words, self.pair):
                return group
        group = _Group(kind=kind, unit=unit, words=words, flow=flow)
        self.groups.append(group)
        self._by_kind[(kind, unit)].append(group)
        return group

    def every_line(self) -> list[FigureLine]:
        """Return every line, measure by measure in the order they were first seen."""
        if self._lines is None:  # built once for every call until a figure is added
            self._lines = [line for g in self.groups for line in _lines(g)]
        return self._lines

    def lines(self, limit: int | None, per_article: int | None = 3) -> tuple[FigureLine, ...]:
        """Return the ``limit`` most telling lines (all when None), balanced over articles.

        Lines from several sources come first (disagreements, then series, then the most
        cited); then single-source lines, one article after another, at most ``per_article``
        from each (None: no cap).
        """
        lines = self.every_line()

        def rank(line: FigureLine) -> tuple[int, int, int, int, int]:
            sources = _sources(line)
            return (
                -int(line.disagree),
                -int(line.series),
                -len(sources),
                _KIND_RANK.get(line.kind, 9),
                min(sources),
            )

        ranked = sorted(lines, key=rank)
        shared = [line for line in ranked if len(_sources(line)) > 1]
        own: dict[int, list[FigureLine]] = {}
        for line in ranked:
            if len(_sources(line)) == 1:
                own.setdefault(min(_sources(line)), []).append(line)
        picked = list(shared)
        depth = max((len(v) for v in own.values()), default=0)
        if per_article is not None:
            depth = min(depth, per_article)
        for turn in range(depth):
            for article in sorted(own):
                if turn < len(own[article]):
                    picked.append(own[article][turn])
        return tuple(picked if limit is None else picked[:limit])


def story_figures(
    ledger: FigureLedger,
    reports: Mapping[int, tuple[str, str]],
    said: Sequence[str],
    limit: int = STORY_FIGURES,
) -> tuple[StoryFigure, ...]:
    """Return a story's ``limit`` key figures from a ledger of its own cited articles.

    ``reports`` gives each citation's outlet and copy group (syndicated copies share one);
    ``said`` are the story's bullets. The order is the module doc's.
    """
    lines = ledger.every_line()

    def independent(cited: Iterable[int]) -> int:
        keys = [reports.get(n, (f"#{n}", f"#{n}")) for n in cited]
        return min(len({outlet for outlet, _ in keys}), len({copy for _, copy in keys}))

    def stated(value: FigureValue) -> bool:
        sentence = value.sentence
        return bool(sentence) and any(sentence in s or s in sentence for s in said)

    def rank(indexed: tuple[int, FigureLine]) -> tuple[int, ...]:
        index, line = indexed
        return (
            int(_background(line)),
            -independent(_sources(line)),
            -int(line.disagree),
            -int(any(stated(v) for v in line.values)),
            -int(any(v.measure for v in line.values)),
            _KIND_RANK.get(line.kind, 9),
            index,
        )

    ranked = [line for _index, line in sorted(enumerate(lines), key=rank)]
    shown: dict[int, list[FigureValue]] = {}  # by rank: the values each line shows
    room = limit
    for place, line in enumerate(ranked):
        if room <= 0:
            break
        if line.disagree and room < 2:
            continue
        values = list(line.values)
        if line.series:
            values = values[-1:]
        elif line.disagree:
            values = sorted(values, key=lambda v: -independent(v.citations or (v.citation,)))
        shown[place] = values[:room]
        room -= len(shown[place])
    # Room left: a series shown by its latest value adds its earlier periods, newest first.
    for place in list(shown):
        line = ranked[place]
        if line.series and room > 0:
            earlier = list(reversed(line.values[:-1]))[:room]
            shown[place] += earlier
            room -= len(earlier)
    return tuple(_story_figure(ranked[p], v) for p in sorted(shown) for v in shown[p])


BACKGROUND_YEARS = 2  # a figure for a year this far before its report is background


def _background(line: FigureLine) -> bool:
    """Tell a figure the story repeats as background: every value is for a year long past.

    "$245 billion in 2024" in a 2026 report on bank sanctions is context the outlets share,
    not what the story adds; last year's figure still counts as news (annual data arrive
    early in the next year). A span that reaches the present ("since 2013") is not past.
    """
    for value in line.values:
        period = value.period if line.series else line.period
        years = [int(y) for y in _HAS_YEAR.findall(period)]
        if not years or value.published is None or period.startswith(("since ", "from ", "by ")):
            return False
        if value.published.year - max(years) < BACKGROUND_YEARS:
            return False
    return True


def _story_figure(line: FigureLine, value: FigureValue) -> StoryFigure:
    return StoryFigure(
        text=value.text,
        value=value.value,
        unit=line.unit,
        measure=line.measure if any(v.measure for v in line.values) else "",
        period=value.period if line.series else line.period,
        status=line.status,
        citations=value.citations or (value.citation,),
        disagree=line.disagree,
    )


def figure_groups(figures: Sequence[StoryFigure]) -> list[tuple[StoryFigure, ...]]:
    """Group a story's figures as they are shown: a disagreement's values on one line."""
    groups: list[list[StoryFigure]] = []
    for f in figures:
        last = groups[-1][0] if groups else None
        if last is not None and _same_disagreement(last, f):
            groups[-1].append(f)
        else:
            groups.append([f])
    return [tuple(g) for g in groups]


def _same_disagreement(a: StoryFigure, b: StoryFigure) -> bool:
    return a.disagree and b.disagree and (a.what, a.unit) == (b.what, b.unit)
