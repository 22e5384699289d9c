"""Lexicons for key-figure extraction: scale words, currencies, units, time units, count nouns.

Kept as plain tables so a new currency or unit is a one-line change. Every key is lower-case;
lookups go through :func:`lookup` which lower-cases and folds whitespace and hyphens.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import NamedTuple


class FigureKind(StrEnum):
    """What kind of number a key figure is; its unit says which."""

    MONEY = "money"
    PERCENT = "percent"
    QUANTITY = "quantity"
    COUNT = "count"
    DURATION = "duration"


class Unit(NamedTuple):
    """A normalised unit: its code, figure kind and the factor its written amount is scaled by."""

    code: str
    kind: str
    factor: float = 1.0
    rate: str = ""  # "per day" for bpd-style units that carry their own rate


# Multipliers written after a number ("$5 bn", "1.5 trillion", "Rs 500 crore").
SCALES: dict[str, float] = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "trillions": 1e12,
    "tn": 1e12,
    "trn": 1e12,
    "tr": 1e12,
    "lakh": 1e5,
    "lakhs": 1e5,
    "crore": 1e7,
    "crores": 1e7,
    "cr": 1e7,
}

# Scale words that may only be glued to a number or follow a currency ("$5m", "€3bn"):
# spelt out alone after a bare number they are too ambiguous ("5 m" is five metres).
SHORT_SCALES = frozenset({"k", "m", "b", "tr", "cr"})

# Currency written before the amount ("US$55 billion", "€3bn", "Rs 500 crore", "USD 10bn").
CURRENCY_PREFIXES: dict[str, str] = {
    "us$": "USD",
    "u.s.$": "USD",
    "$": "USD",
    "usd": "USD",
    "a$": "AUD",
    "au$": "AUD",
    "aud": "AUD",
    "c$": "CAD",
    "cad": "CAD",
    "hk$": "HKD",
    "hkd": "HKD",
    "s$": "SGD",
    "nz$": "NZD",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "¥": "JPY",  # also the yuan sign: figures.py decides by the country named nearby
    "cn¥": "CNY",
    "cny": "CNY",
    "rmb": "CNY",
    "jp¥": "JPY",
    "rbs": "RUB",
    "jpy": "JPY",
    "₹": "INR",
    "rs": "INR",
    "rs.": "INR",
    "inr": "INR",
    "₽": "RUB",
    "rub": "RUB",
    "₩": "KRW",
    "krw": "KRW",
    "chf": "CHF",
    "₺": "TRY",
}

# Currency written after the amount ("400 billion dollars", "1.5 trillion yuan").
CURRENCY_WORDS: dict[str, str] = {
    "dollar": "USD",
    "dollars": "USD",
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "american dollars": "USD",
    "usd": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "pounds sterling": "GBP",
    "sterling": "GBP",
    "gbp": "GBP",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "yen": "JPY",
    "jpy": "JPY",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
    "rub": "RUB",
    "rupee": "INR",
    "rupees": "INR",
    "inr": "INR",
    "won": "KRW",
    "swiss francs": "CHF",
    "lira": "TRY",
    "liras": "TRY",
    "riyals": "SAR",
    "dirhams": "AED",
    "tenge": "KZT",
    "hryvnias": "UAH",
    "hryvnia": "UAH",
}

PERCENT_WORDS: dict[str, str] = {
    "%": "percent",
    "pp": "pp",
    "pc": "percent",
    "per cent": "percent",
    "percent": "percent",
    "pct": "percent",
    "percentage point": "pp",
    "percentage points": "pp",
    "per cent point": "pp",
    "per cent points": "pp",
    "basis point": "bp",
    "basis points": "bp",
    "bps": "bp",
    "bp": "bp",
}

# Physical units. Factors fold a unit's own scale in ("bcm" is 1e9 m3).
QUANTITY_UNITS: dict[str, Unit] = {
    # volume
    "cubic meter": Unit("m3", "quantity"),
    "cubic meters": Unit("m3", "quantity"),
    "cubic metre": Unit("m3", "quantity"),
    "cubic metres": Unit("m3", "quantity"),
    "m3": Unit("m3", "quantity"),
    "m³": Unit("m3", "quantity"),
    "cu m": Unit("m3", "quantity"),
    "bcm": Unit("m3", "quantity", 1e9),
    "bcm/y": Unit("m3", "quantity", 1e9, "per year"),
    "mcm": Unit("m3", "quantity", 1e6),
    "tcm": Unit("m3", "quantity", 1e12),
    "cubic feet": Unit("ft3", "quantity"),
    "cubic foot": Unit("ft3", "quantity"),
    "bcf": Unit("ft3", "quantity", 1e9),
    "tcf": Unit("ft3", "quantity", 1e12),
    "barrel": Unit("bbl", "quantity"),
    "barrels": Unit("bbl", "quantity"),
    "bbl": Unit("bbl", "quantity"),
    "bpd": Unit("bbl", "quantity", 1.0, "per day"),
    "b/d": Unit("bbl", "quantity", 1.0, "per day"),
    "bbl/d": Unit("bbl", "quantity", 1.0, "per day"),
    "mb/d": Unit("bbl", "quantity", 1e6, "per day"),
    "mbpd": Unit("bbl", "quantity", 1e6, "per day"),
    "kb/d": Unit("bbl", "quantity", 1e3, "per day"),
    "barrels of oil equivalent": Unit("boe", "quantity"),
    "boe": Unit("boe", "quantity"),
    "litre": Unit("l", "quantity"),
    "litres": Unit("l", "quantity"),
    "liter": Unit("l", "quantity"),
    "liters": Unit("l", "quantity"),
    "gallon": Unit("gal", "quantity"),
    "gallons": Unit("gal", "quantity"),
    # distance
    "km": Unit("km", "quantity"),
    "kms": Unit("km", "quantity"),
    "kilometer": Unit("km", "quantity"),
    "kilometers": Unit("km", "quantity"),
    "kilometre": Unit("km", "quantity"),
    "kilometres": Unit("km", "quantity"),
    "mile": Unit("mi", "quantity"),
    "miles": Unit("mi", "quantity"),
    "nautical mile": Unit("nmi", "quantity"),
    "nautical miles": Unit("nmi", "quantity"),
    "meter": Unit("m", "quantity"),
    "meters": Unit("m", "quantity"),
    "metre": Unit("m", "quantity"),
    "metres": Unit("m", "quantity"),
    "feet": Unit("ft", "quantity"),
    "foot": Unit("ft", "quantity"),
    # mass
    "tonne": Unit("t", "quantity"),
    "tonnes": Unit("t", "quantity"),
    "ton": Unit("t", "quantity"),
    "tons": Unit("t", "quantity"),
    "metric ton": Unit("t", "quantity"),
    "metric tons": Unit("t", "quantity"),
    "mt": Unit("t", "quantity", 1e6),
    "mtpa": Unit("t", "quantity", 1e6, "per year"),
    "kg": Unit("kg", "quantity"),
    "kilogram": Unit("kg", "quantity"),
    "kilograms": Unit("kg", "quantity"),
    "kilogramme": Unit("kg", "quantity"),
    "kilogrammes": Unit("kg", "quantity"),
    "lb": Unit("lb", "quantity"),
    "lbs": Unit("lb", "quantity"),
    # energy
    "kwh": Unit("kWh", "quantity"),
    "mwh": Unit("MWh", "quantity"),
    "gwh": Unit("GWh", "quantity"),
    "twh": Unit("TWh", "quantity"),
    "kilowatt hour": Unit("kWh", "quantity"),
    "kilowatt hours": Unit("kWh", "quantity"),
    "megawatt hour": Unit("MWh", "quantity"),
    "megawatt hours": Unit("MWh", "quantity"),
    "gigawatt hour": Unit("GWh", "quantity"),
    "gigawatt hours": Unit("GWh", "quantity"),
    "terawatt hour": Unit("TWh", "quantity"),
    "terawatt hours": Unit("TWh", "quantity"),
    "btu": Unit("Btu", "quantity"),
    "joules": Unit("J", "quantity"),
    # power
    "kw": Unit("kW", "quantity"),
    "mw": Unit("MW", "quantity"),
    "gw": Unit("GW", "quantity"),
    "kilowatt": Unit("kW", "quantity"),
    "kilowatts": Unit("kW", "quantity"),
    "megawatt": Unit("MW", "quantity"),
    "megawatts": Unit("MW", "quantity"),
    "gigawatt": Unit("GW", "quantity"),
    "gigawatts": Unit("GW", "quantity"),
    "watts": Unit("W", "quantity"),
    # area
    "square kilometer": Unit("km2", "quantity"),
    "square kilometers": Unit("km2", "quantity"),
    "square kilometre": Unit("km2", "quantity"),
    "square kilometres": Unit("km2", "quantity"),
    "sq km": Unit("km2", "quantity"),
    "km2": Unit("km2", "quantity"),
    "km²": Unit("km2", "quantity"),
    "square mile": Unit("mi2", "quantity"),
    "square miles": Unit("mi2", "quantity"),
    "sq mi": Unit("mi2", "quantity"),
    "hectare": Unit("ha", "quantity"),
    "hectares": Unit("ha", "quantity"),
    "acre": Unit("acre", "quantity"),
    "acres": Unit("acre", "quantity"),
    # speed
    "km/h": Unit("km/h", "quantity"),
    "kph": Unit("km/h", "quantity"),
    "mph": Unit("mph", "quantity"),
    "knots": Unit("kn", "quantity"),
}

# Abbreviations accepted only glued to the number ("500t"): written apart from it the bare
# letter is too often a word or an initial. A glued "m" is millions ("$5m", "5m people")
# unless a dimension follows ("200m long"); figures.py decides.
GLUED_ONLY_UNITS: dict[str, Unit] = {
    "t": Unit("t", "quantity"),
}

DURATION_UNITS: dict[str, Unit] = {
    "second": Unit("second", "duration"),
    "seconds": Unit("second", "duration"),
    "minute": Unit("minute", "duration"),
    "minutes": Unit("minute", "duration"),
    "hour": Unit("hour", "duration"),
    "hours": Unit("hour", "duration"),
    "day": Unit("day", "duration"),
    "days": Unit("day", "duration"),
    "week": Unit("week", "duration"),
    "weeks": Unit("week", "duration"),
    "month": Unit("month", "duration"),
    "months": Unit("month", "duration"),
    "year": Unit("year", "duration"),
    "years": Unit("year", "duration"),
    "decade": Unit("year", "duration", 10.0),
    "decades": Unit("year", "duration", 10.0),
    "century": Unit("year", "duration", 100.0),
    "centuries": Unit("year", "duration", 100.0),
}

# A rate written after a quantity or price ("barrels per day", "$80 a barrel").
RATES: dict[str, str] = {
    "per day": "per day",
    "a day": "per day",
    "/day": "per day",
    "per year": "per year",
    "a year": "per year",
    "per annum": "per year",
    "annually": "per year",
    "/year": "per year",
    "per month": "per month",
    "a month": "per month",
    "per week": "per week",
    "a week": "per week",
    "per hour": "per hour",
    "an hour": "per hour",
    "per barrel": "per barrel",
    "a barrel": "per barrel",
    "per tonne": "per tonne",
    "a tonne": "per tonne",
    "per ton": "per tonne",
    "a ton": "per tonne",
    "per share": "per share",
    "a share": "per share",
    "per capita": "per capita",
    "y/y": "year on year",
    "yoy": "year on year",
    "year on year": "year on year",
    "year-on-year": "year on year",
    "y-o-y": "year on year",
    "month-on-month": "month on month",
    "quarter-on-quarter": "quarter on quarter",
    "q/q": "quarter on quarter",
    "m/m": "month on month",
    "per person": "per person",
    "per 1,000 cubic meters": "per 1,000 cubic meters",
    "per 1,000 m3": "per 1,000 cubic meters",
    "per 1,000 cubic metres": "per 1,000 cubic metres",
    "per thousand cubic meters": "per 1,000 cubic meters",
    "per mmbtu": "per MMBtu",
    "per million btu": "per MMBtu",
    "per million british thermal units": "per MMBtu",
    "per megawatt hour": "per MWh",
    "per mwh": "per MWh",
}

# Plural-looking words that are not countable nouns after a number.
NOT_COUNT_NOUNS = frozenset(
    """is was has does says its his hers ours yours theirs this thus us as yes plus less
    versus perhaps always whereas besides across unless towards afterwards sometimes
    nevertheless news series species means politics economics physics mathematics basis
    analysis crisis thesis status campus bonus census consensus chaos gas process access
    success progress address class glass press business witness loss boss miss kiss
    less unless regardless nonetheless minus bus virus focus corpus onus bias alias atlas
    pass cross mass grass boss excess express congress hypothesis emphasis diagnosis axis
    kms bps bbls lbs degrees""".split()
)

# Countable nouns that do not end in "s" or whose plural is irregular.
IRREGULAR_COUNT_NOUNS = frozenset(
    """people personnel children men women police staff aircraft cattle sheep fish deer
    crew militia infantry troops clergy livestock offspring spacecraft""".split()
)

# Words that may sit between a count and its noun ("10,000 Russian troops", "30 more times").
COUNT_MODIFIER_STOP = frozenset(
    """the a an and or of to in on at by for from with as is was were are be been than that
    this these those which who whom whose per it its their his her our your my not no""".split()
)

_FOLD = re.compile(r"[\s\u00a0\-‐‑–]+")


def fold(phrase: str) -> str:
    """Lower-case a unit phrase and fold runs of spaces and hyphens to one space."""
    return _FOLD.sub(" ", phrase.strip().lower())
