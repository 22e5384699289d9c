"""Cardinal numbers written in words ("thirty-eight", "two hundred and fifty"), 1 to 999.

Only money, percentages and physical quantities may be written this way ("thirty-eight
billion cubic meters", "five per cent"); counts and durations must be digit-written, so
"two countries" and "a thirty-year deal" stay out.
"""

from __future__ import annotations

import re
from decimal import Decimal

_UNITS = {
    "one": 1,
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
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_TEN = "|".join(_TENS)
_BELOW_100 = rf"(?:(?:{_TEN})(?:[-\s](?:{_UNIT}))?|{_UNIT})"
# Every number word starts with one of these letters: the lookahead turns away, in one test,
# the word starts where none can begin, before the alternatives are tried one by one.
_FIRST_LETTERS = "".join(sorted({word[0] for word in (*_UNITS, *_TENS, "a", "an")}))
# "a"/"an" only ever stands before a scale word ("a billion dollars"); the caller checks.
WORD_NUMBER = re.compile(
    rf"\b(?=[{_FIRST_LETTERS}])"
    rf"(?:(?:{_BELOW_100}|a|an)\s+hundred(?:\s+and)?(?:\s+{_BELOW_100})?|{_BELOW_100}|an?)\b"
    rf"(?=[\s\-])",
    re.IGNORECASE,
)


def parse_word_number(words: str) -> Decimal | None:
    """Value of a cardinal written in words (as matched by :data:`WORD_NUMBER`), or None."""
    total = 0
    current = 0
    for word in re.split(r"[\s\-]+", words.lower()):
        if word in {"a", "an"}:
            current += 1
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "and":
            continue
        else:
            return None
    total += current
    return Decimal(total) if total else None
