"""A wire dateline at the start of a sentence ("BEIJING, March 9 (Reuters) - "), and its removal.

A brief's bullet already cites its outlet and date, so the dateline only repeats them.
"""

from __future__ import annotations

import re

__all__ = ["without_dateline"]

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    r"(?P<city>[A-Z][A-Z.'\-]+(?:\s[A-Z][A-Z.'\-]+)*,?\s*)?"  # the city in capitals
    rf"(?P<day>{_MONTH}\s+\d{{1,2}},?\s*)?"  # the day
    r"(?P<agency>\([^()]{1,40}\)\s*)?"  # the agency
    r"[-–—]+\s+(?=\S)"
)


def without_dateline(sentence: str) -> str:
    """Return ``sentence`` without a leading dateline; unchanged when it has none.

    A dateline needs an agency in brackets ("March 11 (Interfax) - "), a day after its city
    ("MOSCOW, March 11 - ") or a city of three letters or more in capitals ("ROME - "), so a
    sentence that merely opens with a dash ("US - China trade …") stays.
    """
    match = _DATELINE.match(sentence)
    if match is None:
        return sentence
    city = (match.group("city") or "").strip(" ,").replace(".", "")
    dated = bool(match.group("day")) and bool(city)
    if not (match.group("agency") or dated or len(city) >= 3):
        return sentence
    rest = sentence[match.end() :]
    return rest[:1].upper() + rest[1:]
