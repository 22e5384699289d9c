"""The period and status of a key figure: what time it is for, and whether it is a fact.

The period is read from the figure's sentence and written in one short form:

- years: "2024", "since 2022", "by 2030", "from 2027", "2019–2023" ("between 2019 and 2023");
- months and parts of a year: "Dec", "Dec 2024", "Jan–Jul 2025" ("January-July 2025",
  "the first seven months of 2025"), "H1 2024" ("the first half of 2024"), "Q1" ("the first
  quarter"), "as of Oct", "as of 1 Jul", "early Apr";
- relative spans as said: "last year", "a year earlier", "previous five years", "that year".

"The same period" and "over the seven months" refer to the period of the figure before
(:data:`SAME_PERIOD` tells the caller to carry it over). A period in the figure's own clause
wins, then one opening the sentence, then the nearest one elsewhere in the sentence — except
a date of the saying ("said in March that …") before the figure.

The status is ``actual`` unless the sentence says the figure is a ``forecast`` ("expected
to", "forecasts", "will"), a ``target`` ("goal", "aims to", a level to reach "by 2030") or a
``plan`` ("plans to", "designed to", "due to", "draft budget", "agreed to").
"""

from __future__ import annotations

import re
from functools import lru_cache

SAME_PERIOD = "same period"

_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_SHORT = {name: name[:3].capitalize() for name in _MONTH_NAMES}
_SHORT.update({name[:3]: name[:3].capitalize() for name in _MONTH_NAMES})
_SHORT["sept"] = "Sep"
_M = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
_Y = r"(?:19|20)\d{2}"
_COUNT_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_N = r"(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_I = re.IGNORECASE

# Longest forms first: a shorter pattern inside a matched one is not read again.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "as_of",
        re.compile(
            rf"\bas of (?:(\d{{1,2}}) ({_M})|({_M})\.?(?: (\d{{1,2}}))?)\b(?:,? ({_Y}))?", _I
        ),
    ),
    ("month_range", re.compile(rf"\b({_M})\.?\s*[-–—]\s*({_M})\.?(?:,?\s+({_Y}))?\b", _I)),
    # "in January and February" is one span; "March and June" are two months (skipped below).
    ("month_pair", re.compile(rf"\b({_M})\.?\s+and\s+({_M})\.?(?:,?\s+({_Y}))?\b", _I)),
    (
        "first_months",
        re.compile(
            rf"\b(?:the\s+)?first\s+({_N})\s+months(?:\s+of\s+(?:({_Y})|the\s+year|this\s+year))?",
            _I,
        ),
    ),
    (
        "half",
        re.compile(rf"\b(?:the\s+)?(first|second)\s+half(?:\s+of\s+(?:({_Y})|the\s+year))?", _I),
    ),
    (
        "quarter",
        re.compile(
            rf"\b(?:the\s+)?(first|second|third|fourth)\s+quarter(?:\s+of\s+(?:({_Y})|the\s+year))?",
            _I,
        ),
    ),
    (
        "span_change",
        re.compile(rf"\bbetween\s+({_Y})[-–](\d{{2}})\s+and\s+({_Y})[-–](\d{{2}})\b", _I),
    ),
    ("short_span", re.compile(rf"\b({_Y})[-–](\d{{2}})\b(?![-–/]?\d)", _I)),
    (
        "year_range",
        re.compile(rf"\bbetween\s+({_Y})\s+and\s+({_Y})\b|\b({_Y})\s*[-–]\s*({_Y})\b", _I),
    ),
    ("alone", re.compile(rf"\b({_M})\s+alone\b", _I)),
    ("part_month", re.compile(rf"\b(early|mid|late)[\s-]({_M})\b", _I)),
    (
        "edge_of_year",
        re.compile(
            rf"\b(?:(at|by)\s+)?the\s+(start|beginning|end)\s+of\s+(?:the\s+year|this\s+year|({_Y}))\b",
            _I,
        ),
    ),
    (
        "same",
        re.compile(
            rf"\b(?:(?:over|in|during|for)\s+)?the\s+(?:same\s+(?:period|months?|quarter)|period|{_N}\s+months)(?!\s+(?:a\s+year\s+earlier|last\s+year))\b",
            _I,
        ),
    ),
    (
        "month",
        re.compile(
            rf"\b(?:(in|since|by|until|from|during|for|through)\s+)({_M})\b(?:\s+({_Y}))?|\b({_M})\s+({_Y})\b",
            _I,
        ),
    ),
    (
        "year",
        re.compile(
            rf"\b(?:(since|by|until|till|before|after|from|through)\s+)?(?:the\s+end\s+of\s+)?({_Y})\b(?![-–/]\d)",
            _I,
        ),
    ),
    (
        "relative",
        re.compile(
            rf"\b(?:(?:the\s+)?(?:last|past|next|previous|coming)\s+(?:{_N}\s+)?(?:years?|months?|quarters?|weeks?|decades?)"
            r"|(?:last|this|next|that)\s+(?:year|month|week|quarter)"
            r"|(?:the\s+)?(?:later|earlier|latter|former)\s+period"
            r"|a\s+year\s+(?:earlier|ago|before))\b",
            _I,
        ),
    ),
]
# Brackets are not edges: "160 billion yuan ($22 billion) of bonds since 2022" is one clause.
_CLAUSE_EDGE = re.compile(r"[,;:—]|\s(?:while|whereas|but|although|and)\s")
# A clause comparing the figure with something ("…, below the $60 price cap") is not dated by
# the clauses around it.
_COMPARING = re.compile(
    r"^\s*(?:below|above|under|over|beyond|compared|against|versus|unlike|than)\b", re.IGNORECASE
)
_THAT = re.compile(r"\sthat\s")
# A period after these words is what a change is measured against ("fell 8.4% from a year
# earlier", "a steeper fall than in December"), not the period the figure is for; "compared
# with the same period last year" refers to the period of the figure before.
_BASE = re.compile(
    r"(?:\bfrom|\bthan(?:\s+in)?|\bcompared\s+(?:with|to)|\bagainst|\bversus|\bvs\.?)"
    r"(?:\s+the\s+(same)\s+(?:period|months?|quarter))?\s+$",
    re.IGNORECASE,
)
_OPENING = 40


def _short(month: str) -> str:
    return _SHORT.get(month.lower().rstrip("."), month[:3].capitalize())


def _with_year(label: str, year: str | None) -> str:
    return f"{label} {year}" if year else label


def _label(kind: str, m: re.Match[str]) -> str:
    """Write one matched period in the module's short form."""
    g = m.groups()
    if kind == "as_of":
        if g[0]:
            return _with_year(f"as of {int(g[0])} {_short(g[1])}", g[4])
        day = f"{int(g[3])} " if g[3] else ""
        return _with_year(f"as of {day}{_short(g[2])}", g[4])
    if kind in {"month_range", "month_pair"}:
        return _with_year(f"{_short(g[0])}–{_short(g[1])}", g[2])
    if kind == "first_months":
        n = int(g[0]) if g[0].isdigit() else _COUNT_WORDS[g[0].lower()]
        if not 1 <= n <= 12:
            return m.group().lower()
        return _with_year(f"Jan–{_short(_MONTH_NAMES[n - 1])}", g[1])
    if kind == "half":
        return _with_year(f"H{_ORDINAL[g[0].lower()]}", g[1])
    if kind == "quarter":
        return _with_year(f"Q{_ORDINAL[g[0].lower()]}", g[1])
    if kind == "span_change":
        return f"{g[0]}–{g[1]} to {g[2]}–{g[3]}"
    if kind == "short_span":
        return f"{g[0]}–{g[1]}"
    if kind == "year_range":
        first, last = (g[0], g[1]) if g[0] else (g[2], g[3])
        return f"{first}–{last}"
    if kind == "alone":
        return _short(g[0])
    if kind == "part_month":
        return f"{g[0].lower()} {_short(g[1])}"
    if kind == "same":
        return SAME_PERIOD
    if kind == "edge_of_year":
        edge = "start" if g[1].lower() in {"start", "beginning"} else "end"
        label = f"{edge} {g[2]}" if g[2] else f"{edge} of year"
        return f"by {label}" if (g[0] or "").lower() == "by" else label
    if kind == "month":
        if g[1]:
            prep = (g[0] or "").lower()
            head = _with_year(_short(g[1]), g[2])
            return head if prep in {"in", "during", "for", "through", ""} else f"{prep} {head}"
        return _with_year(_short(g[3]), g[4])
    if kind == "year":
        return f"{g[0].lower()} {g[1]}" if g[0] else g[1]
    return " ".join(m.group().lower().split()).removeprefix("the ")


def _consecutive(first: str, second: str) -> bool:
    months = [_SHORT.get(m.lower().rstrip("."), "") for m in (first, second)]
    order = [name[:3].capitalize() for name in _MONTH_NAMES]
    return all(months) and order.index(months[1]) == order.index(months[0]) + 1


@lru_cache(maxsize=1024)
def candidates(sentence: str) -> tuple[tuple[int, int, str], ...]:
    """Every period named in ``sentence``: (start, end, short form), not overlapping.

    Cached: a sentence with several figures is read for each of them.
    """
    found: list[tuple[int, int, str]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            if kind == "month" and m.group(2) and m.group(2).lower() == "may" and not m.group(3):
                continue  # "in May" is a month, but "may" alone is a verb; keep the safe reading
            if kind == "month_pair" and (
                not _consecutive(m.group(1), m.group(2)) or m.group(2) == "may"
            ):
                continue
            if any(a < m.end() and m.start() < b for a, b, _ in found):
                continue
            found.append((m.start(), m.end(), _label(kind, m)))
    return tuple(sorted(found))


def find_period(sentence: str, start: int, end: int, *, after_only: bool = False) -> str:
    """Return the period of the figure at ``sentence[start:end]`` ("" when none is named).

    ``after_only`` looks only after the figure (an earlier value is not dated by the period
    of the figure it is compared with). A period a change is measured against ("fell 8.4%
    from a year earlier") is not the figure's.
    """
    return _nearest_period(sentence, start, end, after_only=after_only, bases=False)


def find_base(sentence: str, start: int, end: int) -> str:
    """Return the period named after a change, its base included ("up 1% from a year earlier")."""
    return _nearest_period(sentence, start, end, after_only=True, bases=True)


def _nearest_period(sentence: str, start: int, end: int, *, after_only: bool, bases: bool) -> str:
    edges = list(_CLAUSE_EDGE.finditer(sentence))
    thats = [m.end() for m in _THAT.finditer(sentence) if m.end() <= start]
    lo = max((m.end() for m in edges if m.end() <= start), default=0)
    hi = min((m.start() for m in edges if m.start() >= end), default=len(sentence))
    said_before = max(thats, default=-1)
    comparing = bool(_COMPARING.match(sentence[lo:start]))
    best: tuple[int, str] | None = None
    for c_start, c_end, label in candidates(sentence):
        if c_start < end and start < c_end:
            continue  # the figure itself ("the last 11 months")
        if after_only and c_start < end:
            continue
        if c_end <= said_before:
            continue  # "said in March that …": the date of the saying
        base = None if bases else _BASE.search(sentence, max(0, c_start - 40), c_start)
        if base and not base.group(1):
            continue
        in_clause = max(lo, said_before) <= c_start and c_start < hi
        opening = c_start < _OPENING and c_end <= start
        if not in_clause and (comparing or c_start >= end):
            continue  # another clause's period counts only when it leads up to the figure
        distance = c_start - end if c_start >= end else start - c_end
        rank = distance if in_clause else (10_000 if opening else 20_000) + distance
        if base:  # "compared with the same period last year": only when nothing else is named
            rank, label = rank + 30_000, SAME_PERIOD
        if best is None or rank < best[0]:
            best = (rank, label)
    return best[1] if best else ""


_EARLIER = re.compile(
    r"(?:\b(?:up|down)\s+from|\bcompared\s+(?:with|to)|\bagainst|\bversus|,\s*from)"
    r"(?:\s+(?:about|around|roughly|some|nearly|almost|just|only))?\s*$",
    _I,
)
_TARGET = re.compile(
    r"\b(?:target(?:s|ed|ing)?|goal|aims?\s+to|aiming\s+to|seeks?\s+to|seeking\s+to|ambition)\b",
    _I,
)
_PLANS = re.compile(r"\b(?:plans?|planned|planning)\s+to\b", _I)
_FORECAST = re.compile(
    r"\b(?:forecasts?|forecasted|projected|predicts?|predicted|likely\s+to"
    r"|(?:is|are|was|were|be)\s+expected\s+to|expects?|expecting|anticipates?|outlook"
    r"|could\s+(?:reach|rise|grow|fall|hit|climb|exceed|top))\b",
    _I,
)
_PLAN = re.compile(
    r"\b(?:designed\s+to|would\s+(?:run|carry|supply|deliver|cost|stretch|transport)"
    r"|proposed|due\s+to|draft\s+budget|budget\s+for|agreed\s+to|will\s+build"
    r"|(?:is|are)\s+building|under\s+construction|set\s+to|scheduled\s+to"
    r"|due\s+(?:in|by|online|on\s+stream))\b",
    _I,
)
_BY_YEAR = re.compile(rf"^by {_Y}$")
_WILL = re.compile(r"\b(?:will|shall)\b", _I)


def is_earlier_value(before: str) -> bool:
    """Tell whether the words before a figure make it an earlier value ("up from", ", from")."""
    return bool(_EARLIER.search(before))


# A comparison after a comma ("$245 billion, exceeding the $200 billion goal") is its own
# clause: the goal it names is not the figure's status.
_STATUS_EDGE = re.compile(
    r";|,\s*(?:and|but|while|whereas)\s|\s(?:while|whereas)\s"
    r"|,\s*(?=(?:exceeding|surpassing|beating|topping|outstripping|missing|above|below"
    r"|short\s+of|compared)\b)"
    r"|\sand\s(?=(?:expects?|forecasts?|sees|plans?|aims?|said|says|predicts?)\b)",
    _I,
)


def find_status(sentence: str, start: int, *, kind: str, period: str) -> str:
    """Return actual | forecast | target | plan for the figure at ``sentence[start:]``.

    Cues count in the figure's own clause: "Novatek shipped 1.2 Mt in December, and the
    company expects output to reach 19.8 Mt" has an actual and a forecast.
    """
    if is_earlier_value(sentence[:start]):
        return "actual"
    edges = list(_STATUS_EDGE.finditer(sentence))
    lo = max((m.end() for m in edges if m.end() <= start), default=0)
    hi = min((m.start() for m in edges if m.start() >= start), default=len(sentence))
    sentence = sentence[lo:hi]
    if _TARGET.search(sentence):
        return "target"
    if _PLANS.search(sentence):
        # A level to reach by a date is a target; a planned change ("by 15%") is a plan.
        return "target" if _BY_YEAR.match(period) and kind != "percent" else "plan"
    if _FORECAST.search(sentence):
        return "forecast"
    if _PLAN.search(sentence):
        return "plan"
    if _BY_YEAR.match(period):
        return "target"
    if _WILL.search(sentence):
        return "forecast"
    return "actual"
