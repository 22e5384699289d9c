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
Within a group, values within 0.5 % of each other are the same value (one entry, every
source cited); a group with two or more different values is marked ``disagree``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from corpus.brief_model import FigureLine, FigureValue

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
_WORD = re.compile(r"[a-z]+")
# "trade, by 2024" is a goal, not a reported total: it gets the head word "target".
_TARGET = re.compile(r"\bby (?:the end of )?(?:19|20)\d\d\b|\btarget|\bgoal")
_KIND_RANK = {"money": 0, "quantity": 1, "percent": 2, "count": 3, "duration": 4}
SAME_VALUE_TOLERANCE = 0.005


_PAIR_MARKERS = frozenset({"bilateral", "two", "both", "mutual"})
_PAIRWISE = _PAIR_MARKERS | {"way", "countrie", "country", "nation", "side"}


def content_words(measure: str, pair: frozenset[str] = frozenset()) -> frozenset[str]:
    """Return the measure phrase as a set of normalised content words (see the module doc)."""
    text = measure.lower().replace("u.s.", "us").replace("’s", "").replace("'s", "")
    words = set()
    if _TARGET.search(text):
        words.add("target")
    for word in _WORD.findall(text):
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


@dataclass
class _Group:
    kind: str
    unit: str
    words: frozenset[str]
    sightings: list[_Sighting] = field(default_factory=list)


def _same(a: float, b: float) -> bool:
    scale = max(abs(a), abs(b))
    return scale == 0 or abs(a - b) <= SAME_VALUE_TOLERANCE * scale


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
        yield _Sighting(
            text=str(fig.get("text") or ""),
            value=value,
            unit=str(fig.get("unit") or ""),
            kind=str(fig.get("kind") or ""),
            measure=str(fig.get("measure") or ""),
            sentence=str(fig.get("sentence") or ""),
            citation=citation,
            published=published,
            date_is_fetched=date_is_fetched,
        )


def _line(group: _Group) -> FigureLine:
    values: list[FigureValue] = []
    merged: list[list[_Sighting]] = []
    for s in sorted(group.sightings, key=lambda s: (s.published is None, s.published, s.citation)):
        for bucket in merged:
            if _same(bucket[0].value, s.value):
                bucket.append(s)
                break
        else:
            merged.append([s])
    for bucket in merged:
        first = bucket[0]
        cites = tuple(sorted({s.citation for s in bucket}))
        values.append(
            FigureValue(
                text=first.text,
                value=first.value,
                unit=first.unit,
                citation=first.citation,
                published=first.published,
                sentence=first.sentence,
                citations=cites,
                measure=first.measure,
                date_is_fetched=first.date_is_fetched,
            )
        )
    # Each distinct value votes once, so twenty syndicated copies do not pick the label.
    voters = {(base_label(s.measure), round(s.value, 6)) for s in group.sightings if s.measure}
    labels = Counter(label for label, _value in voters)
    # The label most sources use; ties go to the more specific, then the shorter phrase.
    label = (
        min(labels, key=lambda m: (-labels[m], -len(content_words(m)), len(m), m))
        if labels
        else group.sightings[0].text
    )
    return FigureLine(
        measure=label,
        kind=group.kind,
        unit=group.unit,
        values=tuple(values),
        disagree=len(values) > 1,
    )


@dataclass
class FigureLedger:
    """Collects the figures of cited articles and builds the brief's figure lines."""

    pair: frozenset[str] = frozenset()
    skip_kinds: frozenset[str] = frozenset({"duration"})
    groups: list[_Group] = field(default_factory=list)

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
            group = self._find(kind, unit, words, s.value)
            group.sightings.append(s)

    def _find(self, kind: str, unit: str, words: frozenset[str], value: float) -> _Group:
        for group in self.groups:
            if group.kind != kind or group.unit != unit:
                continue
            if words and (group.words == words or _close(group.words, words, self.pair)):
                return group
            # No measure words: only an identical value is the same figure.
            if not words and not group.words and _same(group.sightings[0].value, value):
                return group
        group = _Group(kind=kind, unit=unit, words=words)
        self.groups.append(group)
        return group

    def lines(self, limit: int) -> tuple[FigureLine, ...]:
        """Return the ``limit`` most telling lines: disagreements first, then the most cited."""
        lines = [_line(g) for g in self.groups]

        def rank(line: FigureLine) -> tuple[int, int, int, int]:
            sources = len({c for v in line.values for c in v.citations})
            first = min(c for v in line.values for c in v.citations)
            return (-int(line.disagree), -sources, _KIND_RANK.get(line.kind, 9), first)

        return tuple(sorted(lines, key=rank)[:limit])
