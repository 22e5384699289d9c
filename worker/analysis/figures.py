"""Key figures: money, percentages, physical quantities, counts and durations in article text.

A figure needs a number AND something that says what kind of number it is: a currency, a
percent sign or word, a unit, a time unit, or a countable noun ("30 times", "10,000 troops").
Counts and durations must be digit-written ("two countries", "a thirty-year deal" are not
figures); money, percentages and quantities may be spelt out ("thirty-eight billion cubic
meters", "five per cent"). Fractions ("a third", "half") are never figures; neither are bare
years and dates, model names (S-400, Su-35, 5G), ordinals, list numbering, section and page
numbers, times of day and phone-like digit runs.

Each number is found by one pattern (currency, sign, number, range, scale); what follows it
is then read against the unit tables in :mod:`worker.analysis.figures_units`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from corpus.pipeline_values import Figure
from worker.analysis.figures_measure import change_base, describe, refers_back
from worker.analysis.figures_measure_words import SUBJECT_PRONOUNS
from worker.analysis.figures_period import (
    SAME_PERIOD,
    find_base,
    find_period,
    find_status,
    is_earlier_value,
)
from worker.analysis.figures_units import (
    COUNT_MODIFIER_STOP,
    CURRENCY_PREFIXES,
    CURRENCY_WORDS,
    DURATION_UNITS,
    GLUED_ONLY_UNITS,
    IRREGULAR_COUNT_NOUNS,
    NOT_COUNT_NOUNS,
    PERCENT_WORDS,
    QUANTITY_UNITS,
    RATES,
    SCALES,
    SHORT_SCALES,
    Unit,
    fold,
)
from worker.analysis.figures_words import WORD_NUMBER, parse_word_number
from worker.analysis.sentences import Sentence, split_sentences

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_CUR = (
    r"US\s?\$|U\.S\.\s?\$|AU\$|A\$|C\$|HK\$|S\$|NZ\$|CN¥|JP¥|[$€£¥₹₽₩₺]"
    r"|(?:USD|EUR|GBP|CNY|RMB|Rmb|JPY|INR|RUB|Rbs|KRW|CHF|AUD|CAD|HKD|Rs\.?)(?=\s?[-−]?\d)"
)
# Not after a letter, digit or joiner: "S-400", "Su-35", "COVID-19", "10:30", "#5", "2023/01".
_BODY = rf"""(?P<lsign>[-−](?=[$€£¥₹₽]))?
    (?:(?P<cur>{_CUR})\s?)?
    (?P<sign>[-−+](?=\d))?
    (?P<num>{_NUM})
    (?:(?P<rsep>\s?[-–]\s?|\s+to\s+)(?:{_CUR})?(?P<num2>{_NUM}))?
    (?![\d,]\d)"""
_CORE = re.compile(rf"(?<![\w.,:/#@&'’\-−–$€£¥₹₽]){_BODY}", re.VERBOSE)
# "$1.5bn-$2bn": the second amount follows a dash the main pattern will not start after.
_DASH_THEN_CURRENCY = re.compile(rf"[-–](?=(?:{_CUR})\s?\d)")
_AFTER_DASH = re.compile(_BODY, re.VERBOSE)
_GLUED = re.compile(r"[A-Za-z%²³][A-Za-z%²³/0-9]*")
_SCALE_WORD = re.compile(
    r"\s(?P<w>thousand|millions?|billions?|trillions?|mn|mln|bn|bln|tn|trn|lakhs?|crores?)(?![\w])",
    re.IGNORECASE,
)
# A candidate count noun at a position: ASCII, its trailing marks stripped by the caller.
_COUNT_WORD = re.compile(r"[A-Za-z][A-Za-z0-9’'\-]*")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s*$", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{_MONTHS})\b", re.IGNORECASE)
_LABEL_BEFORE = re.compile(
    r"(?:\b(?:page|pages|p\.|pp\.|no\.|nos\.|section|chapter|article|paragraph|para"
    r"|clause|resolution|flight|item|fig\.|table|vol\.|volume|issue|route|highway"
    r"|room|phase|stage|version|grade|batch|gate|terminal|episode|part|step)\s*)$",
    re.IGNORECASE,
)
_APPROX_BEFORE = re.compile(
    r"(?:about|some|over|nearly|almost|around|roughly|approximately|more than|fewer than"
    r"|less than|up to|at least|at most|an estimated|estimated|another|only|just)\s+$",
    re.IGNORECASE,
)
# A capitalised word (not a possessive) directly before the number: "Boeing 737 jets".
_NAME_BEFORE = re.compile(r"(?<![\w\-])(?P<w>[A-Z][\w\-]*)(?<!’s)(?<!'s) $")
# Capitalised only because they open a sentence: "About 300 troops", "Only 2 ships".
_SENTENCE_OPENERS = frozenset(
    """in on at by for about some over nearly almost more only just with after since around
    roughly the all another of those these and but so yet while when during within under
    up until from to as than fewer less least approximately estimated its their his her our
    this that""".split()
)
_LIST_NUMBER = re.compile(r"(?:^|\n)[ \t]*$")
# Phone numbers and numeric dates are masked before anything is read.
_MASKS = re.compile(
    # Each starts with "+", "(" or a digit: the lookahead skips every other position at once.
    r"(?=[+(\d])(?:"
    r"\+?\(?\d{1,4}\)?(?:[ .\-]\d{2,4}){3,}"
    r"|\b\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}\b"
    r"|\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b"
    r"|\b\d{1,2}:\d{2}(?::\d{2})?\b"
    r")"
)
_RATIO_AFTER = re.compile(
    r"\s+(?:more|less|higher|lower|larger|bigger|greater|smaller|faster|slower|as|the|over)\b",
    re.IGNORECASE,
)
# Counts and durations must be digit-written; these kinds may also be spelt out.
_WORD_KINDS = frozenset({"money", "percent", "quantity"})
_NEXT_COUNT = re.compile(r"[ \t]+\d{1,3}(?:,\d{3})*(?![\d.,])")
_DIMENSION_AFTER = re.compile(r"[\s\-](?:long|high|tall|deep|wide|thick|away)\b")
_AGE_AFTER = re.compile(r"(?:-|\s)old\b", re.IGNORECASE)


def _phrase_pattern(keys: list[str]) -> re.Pattern[str]:
    parts = []
    for key in sorted(keys, key=len, reverse=True):
        words = [re.escape(w) for w in key.split(" ")]
        parts.append(r"[\s\-]+".join(words))
    return re.compile(r"(?:" + "|".join(parts) + r")(?![\w²³])", re.IGNORECASE)


_CURRENCY_WORDS_RE = _phrase_pattern(list(CURRENCY_WORDS))
_PERCENT_RE = _phrase_pattern([k for k in PERCENT_WORDS if k != "%"])
_QUANTITY_RE = _phrase_pattern(list(QUANTITY_UNITS))
_DURATION_RE = _phrase_pattern(list(DURATION_UNITS))
_RATE_RE = re.compile(
    r"(?:\s|(?=/))(?:"
    + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(RATES, key=len, reverse=True))
    + r")(?![\w])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Reading:
    """What the words after a number say it is."""

    end: int
    value: float
    unit: str
    kind: str
    rate: str = ""
    noun: str = ""


def _number(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None


def _is_year_like(raw: str) -> bool:
    return raw.isdigit() and len(raw) == 4 and 1000 <= int(raw) <= 2100


def _phrase_at(
    pattern: re.Pattern[str], text: str, pos: int, sep: str = r"\s?"
) -> re.Match[str] | None:
    """Match a unit phrase at ``pos`` after an optional separator."""
    m = re.compile(sep).match(text, pos)
    start = m.end() if m else pos
    return pattern.match(text, start)


def _count_noun(text: str, pos: int) -> tuple[int, str] | None:
    """``30 times``, ``10,000 Russian troops``: up to two modifiers then a plural noun."""
    cursor = pos
    words: list[str] = []
    for _ in range(3):
        gap = re.compile(r"[ \t\u00a0]+").match(text, cursor)
        if not gap:
            return None
        m = _COUNT_WORD.match(text, gap.end())
        if not m:
            return None
        word = m.group().rstrip("’'-")
        lower = word.lower()
        if lower in {"and", "or"} and words:
            # "2 Russian and 3 Chinese ships": the first count borrows the second's noun.
            nxt = _NEXT_COUNT.match(text, m.end())
            shared = _count_noun(text, nxt.end()) if nxt else None
            if shared is None:
                return None
            return cursor, " ".join([*words, shared[1].split()[-1]])
        if lower in COUNT_MODIFIER_STOP:
            return None
        end = m.start() + len(word)
        words.append(word)
        if _is_count_noun(word):
            compound = re.compile(r"[ \t]+([a-z]+s)\b").match(text, end)
            if lower in IRREGULAR_COUNT_NOUNS and compound and _is_count_noun(compound.group(1)):
                return compound.end(), " ".join([*words, compound.group(1)])  # aircraft carriers
            return end, " ".join(words)
        cursor = end
    return None


def _is_count_noun(word: str) -> bool:
    lower = word.lower()
    if lower in IRREGULAR_COUNT_NOUNS:
        return True
    if not word[0].islower() or len(word) < 3 or "-" in word or "’" in word or "'" in word:
        return False
    if lower in NOT_COUNT_NOUNS or lower.endswith(("ss", "us", "is", "ous")):
        return False
    return lower.endswith("s")


# "26.3% a year earlier" dates the figure; it is not a yearly rate.
_NOT_A_RATE = re.compile(r"\s+(?:earlier|ago|before|later|after)\b", re.IGNORECASE)
_OF_WHAT = (
    re.compile(r"\s+of\s+[a-z]+(?=[\s/])"),
    re.compile(r"\s+of\s+[a-z]+\s+[a-z]+(?=[\s/])"),
)


def _rate_at(text: str, pos: int) -> tuple[int, str]:
    """Read a rate: right after the unit it joins the figure; after "of oil" it is only noted."""
    m = _RATE_RE.match(text, pos)
    if m and not _NOT_A_RATE.match(text, m.end()):
        return m.end(), RATES[fold(m.group())]
    for pattern in _OF_WHAT:
        of = pattern.match(text, pos)
        later = _RATE_RE.match(text, of.end()) if of else None
        if later:
            return pos, RATES[fold(later.group())]
    return pos, ""


def _read_after(
    text: str, start: int, pos: int, cur: str | None, amount: Decimal
) -> _Reading | None:
    """Read the unit after a number ending at ``pos``; None when nothing makes it a figure."""
    currency = CURRENCY_PREFIXES.get(cur.replace(" ", "").lower()) if cur else None
    if cur == "¥":
        currency = _yen_or_yuan(text, start)
    scale = Decimal(1)
    scaled = False
    glued = _GLUED.match(text, pos)
    glued_unit: Unit | None = None
    glued_percent = ""
    if glued:
        g = glued.group()
        key = g.lower()
        if key in SCALES:
            scale, scaled = Decimal(str(SCALES[key])), True
            pos = glued.end()
        elif key in GLUED_ONLY_UNITS and currency is None:
            glued_unit, pos = GLUED_ONLY_UNITS[key], glued.end()
        elif key in QUANTITY_UNITS and currency is None:
            glued_unit, pos = QUANTITY_UNITS[key], glued.end()
        elif g.startswith("%"):
            glued_percent, pos = "percent", pos + 1
        elif key in PERCENT_WORDS and currency is None:
            glued_percent, pos = PERCENT_WORDS[key], glued.end()
        else:
            return None  # ordinal (70th), model (5G), decade (1990s), code (F16A)
    if not scaled and glued_unit is None and not glued_percent:
        sw = _SCALE_WORD.match(text, pos)
        if sw and (sw.group("w").lower() not in SHORT_SCALES):
            scale, scaled = Decimal(str(SCALES[sw.group("w").lower()])), True
            pos = sw.end()
    value = amount * scale

    if currency:
        end, rate = _rate_at(text, pos)
        return _Reading(end, float(value), currency, "money", rate)
    if glued_percent:
        end, rate = _rate_at(text, pos)
        return _Reading(end, float(value), glued_percent, "percent", rate)
    if glued_unit is not None:
        end, rate = _rate_at(text, pos)
        v = value * Decimal(str(glued_unit.factor))
        return _Reading(end, float(v), glued_unit.code, glued_unit.kind, rate or glued_unit.rate)
    if text.startswith(" %", pos):
        end, rate = _rate_at(text, pos + 2)
        return _Reading(end, float(value), "percent", "percent", rate)

    word = _phrase_at(_CURRENCY_WORDS_RE, text, pos, r"\s(?:US\s|U\.S\.\s)?")
    if word and (scaled or fold(word.group()) not in {"won", "lira"}):
        end, rate = _rate_at(text, word.end())
        return _Reading(end, float(value), CURRENCY_WORDS[fold(word.group())], "money", rate)
    word = _phrase_at(_PERCENT_RE, text, pos, r"[\s\-]")
    if word and not scaled:
        end, rate = _rate_at(text, word.end())
        return _Reading(end, float(value), PERCENT_WORDS[fold(word.group())], "percent", rate)
    word = _phrase_at(_QUANTITY_RE, text, pos, r"[\s\-]")
    if word:
        unit = QUANTITY_UNITS[fold(word.group())]
        end, rate = _rate_at(text, word.end())
        v = value * Decimal(str(unit.factor))
        return _Reading(end, float(v), unit.code, unit.kind, rate or unit.rate)
    word = _phrase_at(_DURATION_RE, text, pos, r"[\s\-]")
    if word and not scaled:
        if _AGE_AFTER.match(text, word.end()):
            return None  # "a 70-year-old man" is an age, not a key figure
        unit = DURATION_UNITS[fold(word.group())]
        v = value * Decimal(str(unit.factor))
        return _Reading(word.end(), float(v), unit.code, unit.kind)
    if glued and glued.group() == "m" and _DIMENSION_AFTER.match(text, pos):
        # "200m long": with no currency and no noun, a glued "m" is metres, not millions.
        return _Reading(pos, float(amount), "m", "quantity")
    if value != value.to_integral_value():
        return None  # "3.2 Economic ties" is a section number, not 3.2 ties
    noun = _count_noun(text, pos)
    if noun is None or value == 0:
        return None
    end, noun_words = noun
    if noun_words.lower().endswith("times") and _RATIO_AFTER.match(text, end):
        return None  # "2 times higher" is a ratio
    end, rate = _rate_at(text, end)
    return _Reading(end, float(value), "count", "count", rate, noun_words)


_JAPAN = re.compile(r"\b(?:Japan|Japanese|Tokyo|yen|Nikkei)\b")
_CHINA = re.compile(r"\b(?:China|Chinese|Beijing|yuan|renminbi|RMB|Shanghai)\b")


def _yen_or_yuan(text: str, pos: int) -> str:
    """``¥`` is both the yen and the yuan sign: decide by the nearest country named around it."""
    window = text[max(0, pos - 300) : pos + 100]
    here = pos - max(0, pos - 300)
    japan = [abs(m.start() - here) for m in _JAPAN.finditer(window)]
    china = [abs(m.start() - here) for m in _CHINA.finditer(window)]
    if china and (not japan or min(china) < min(japan)):
        return "CNY"
    return "JPY"


def _excluded(text: str, m: re.Match[str], reading: _Reading) -> bool:
    """Apply the non-figure rules that need the words before the number."""
    start = m.start()
    before = text[max(0, start - 40) : start]
    raw = m.group("num")
    if reading.kind in {"count", "duration"} and not m.group("cur"):
        if _is_year_like(raw) and not _APPROX_BEFORE.search(before):
            return True
        if _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(text[m.end() : m.end() + 20]):
            return True
    if _LABEL_BEFORE.search(before) and not m.group("cur"):
        return True
    name = _NAME_BEFORE.search(before) if reading.kind == "count" else None
    if name and name.group("w").lower() not in _SENTENCE_OPENERS:
        return True  # "Arctic LNG 2 holdings", "Boeing 737 jets": the number is part of a name
    # "1. " at the start of a line is list numbering, never a figure.
    return bool(_LIST_NUMBER.search(before) and text.startswith(".", m.end()))


def _split_range(
    text: str, m: re.Match[str], reading: _Reading
) -> list[tuple[int, int, float, str]]:
    """Spans and values for a match: one figure, a range as one figure, or two for "from X to Y"."""
    num2 = m.group("num2")
    if not num2:
        return [(m.start(), reading.end, reading.value, "")]
    sep = m.group("rsep").strip().lower()
    before = text[max(0, m.start() - 12) : m.start()].lower()
    first = _number(m.group("num")) or Decimal(0)
    second = _number(num2) or Decimal(0)
    if second == 0:
        return []
    ratio = float(first / second)
    low = reading.value * ratio
    paired = sep == "to" and before.rstrip().endswith("from")
    if paired:
        first_end = m.start("num") + len(m.group("num"))
        second_start = m.start("num2")
        cur_start = m.start("cur") if m.group("cur") else m.start()
        if m.group("cur"):
            # "$5bn to $7bn": the second currency sign belongs to the second figure.
            cur2 = re.search(rf"(?:{_CUR})\s?$", text[first_end:second_start])
            if cur2:
                second_start = first_end + cur2.start()
        return [(cur_start, first_end, low, ""), (second_start, reading.end, reading.value, "")]
    note = f"range {_fmt_range(low, reading.value)}"
    return [(m.start(), reading.end, low, note)]


_SCALES = ((1e12, " trillion"), (1e9, " billion"), (1e6, " million"))


def _fmt_range(low: float, high: float) -> str:
    """Return a range as people write it: "5–7", "13–15 billion" (not 13,000,000,000–…)."""
    for scale, word in _SCALES:
        if abs(high) >= scale:
            return f"{low / scale:,.12g}–{high / scale:,.12g}{word}"
    return f"{low:,.12g}–{high:,.12g}"


def _year_then_to(m: re.Match[str]) -> bool:
    """Tell "2025 to 43.2 million" (a year, then a figure) from a range "5 to 7 million"."""
    sep = m.group("rsep")
    return bool(
        m.group("num2")
        and sep
        and sep.strip() == "to"
        and not m.group("cur")
        and _is_year_like(m.group("num"))
        and not _is_year_like(m.group("num2"))
    )


def _read_match(
    text: str, m: re.Match[str]
) -> tuple[_Reading, list[tuple[int, int, float, str]]] | None:
    """Read one number match into a unit reading and its figure spans, or None."""
    amount = _number(m.group("num2") or m.group("num"))
    if amount is None:
        return None
    if m.group("sign") in {"-", "−"} or m.group("lsign"):
        amount = -amount
    reading = _read_after(text, m.start(), m.end(), m.group("cur"), amount)
    if reading is None or _excluded(text, m, reading):
        return None
    return reading, _split_range(text, m, reading)


def _sentence_for(sentences: list[Sentence], starts: list[int], pos: int, text: str) -> Sentence:
    i = bisect_right(starts, pos) - 1
    if 0 <= i < len(sentences) and sentences[i].start <= pos < sentences[i].end:
        found = sentences[i]
        if text[found.start : found.end] == found.text:
            return found
    # Not covered by a sentence (or sentences of another text were passed): use the line.
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    return Sentence(text[line_start:line_end], line_start, line_end)


def _start(sentence: Sentence) -> int:
    return sentence.start


def _masked(text: str) -> list[tuple[int, int]]:
    return [(mm.start(), mm.end()) for mm in _MASKS.finditer(text)]


def extract_figures(text: str, sentences: list[Sentence] | None = None) -> list[Figure]:
    """Return every key figure in ``text`` in order; ``text[f.start:f.end] == f.text`` for each.

    ``sentences`` (from :func:`worker.analysis.sentences.split_sentences`) are computed when
    not given; each figure carries the sentence it was found in and a short ``measure``
    phrase saying what it measures.
    """
    sentences = split_sentences(text) if sentences is None else sorted(sentences, key=_start)
    starts = [s.start for s in sentences]
    masks = _masked(text)
    found: list[tuple[int, int, float, _Reading, str]] = []
    covered = 0  # end of the last figure: "$300 per 1,000 cubic meters" is one figure
    for first in _CORE.finditer(text):
        m: re.Match[str] | None = first
        while m is not None:
            if m.start() < covered or any(a < m.end() and m.start() < b for a, b in masks):
                break
            if _year_then_to(m):
                # "in the first half of 2025 to 43.2 million tonnes": a year, then the figure.
                m = _AFTER_DASH.match(text, m.end("rsep"))
                continue
            read = _read_match(text, m)
            if read is None:
                break
            reading, spans = read
            for start, end, value, note in spans:
                found.append((start, end, value, reading, note))
                covered = max(covered, end)
            dash = _DASH_THEN_CURRENCY.match(text, covered)
            m = _AFTER_DASH.match(text, dash.end()) if dash else None
    found.extend(_word_figures(text, found, masks))
    found.sort(key=lambda item: item[0])
    found = _minus_words(text, found)

    figures: list[Figure] = []
    previous: list[tuple[Sentence, int, str, _Reading]] = []
    periods: list[tuple[Sentence, str]] = []  # each figure's sentence and period, in order
    for start, end, value, reading, note in found:
        sentence = _sentence_for(sentences, starts, start, text)
        s_start, s_end = start - sentence.start, end - sentence.start
        same = [(fe, m, r) for sent, fe, m, r in previous if sent == sentence and fe <= start]
        earlier = [meas for _, meas, _ in same]
        # Only the same kind in another unit can restate the figure before it: "60 aircraft"
        # after "10,000 troops, " is a new count, "2,672 miles" after "4,300 km (" is not.
        restates = bool(same) and same[-1][2].kind == reading.kind
        restates = restates and same[-1][2].unit != reading.unit
        measure = describe(
            sentence.text,
            max(0, s_start),
            min(len(sentence.text), s_end),
            kind=reading.kind,
            noun=reading.noun,
            rate=reading.rate,
            note=note,
            earlier=earlier,
            earlier_end=same[-1][0] - sentence.start if restates else None,
        )
        measure = _antecedent_measure(measure, reading, previous)
        measure = _common_opening(measure, sentence.text, text)
        lo, hi = max(0, s_start), min(len(sentence.text), s_end)
        in_sentence = [p for sent, p in periods if sent == sentence]
        period = _period_of(sentence.text, lo, hi, reading.kind, in_sentence, periods)
        if refers_back(sentence.text, lo, hi, kind=reading.kind) and in_sentence:
            measure = change_base(measure, find_base(sentence.text, lo, hi))
        previous.append((sentence, end, measure, reading))
        earlier_value = is_earlier_value(sentence.text[:lo]) or _from_after_figure(
            sentence.text, lo, in_sentence
        )
        # An earlier value's period is not "the same period" a later sentence refers to.
        periods.append((sentence, "" if earlier_value else period))
        figures.append(
            Figure(
                text=text[start:end],
                value=value,
                unit=reading.unit,
                kind=reading.kind,
                measure=measure,
                sentence=sentence.text,
                start=start,
                end=end,
                period=period,
                status=_status_of(sentence.text, lo, reading.kind, period, in_sentence),
            )
        )
    return figures


_OPENING = re.compile(r"[A-Z][a-z]+(?:-[a-z]+)*(?= [a-z])")


def _common_opening(measure: str, sentence: str, text: str) -> str:
    """Lower-case the sentence's first word in a label when the text writes it so elsewhere.

    "Cargo volume crossing the bridge rose 30%" → increase in *cargo* volume …: a capital
    the word has only for opening the sentence. A name ("Gazprom exports") is never written
    in lower case, and a word followed by another capitalised one ("Power of Siberia") is
    left alone, as the opening match needs a lower-case word after it.
    """
    opening = _OPENING.match(sentence)
    if not opening or opening.group() not in measure:
        return measure
    word = opening.group()
    low = word.lower()
    if not re.search(rf"(?<![\w-]){re.escape(low)}(?![\w-])", text):
        return measure
    return re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", low, measure)


def _antecedent_measure(
    measure: str, reading: _Reading, previous: list[tuple[Sentence, int, str, _Reading]]
) -> str:
    """Resolve a pronoun label: "In 2024 it reached $244.8 billion" after "trade … $228.1 billion".

    A pronoun names no one; the last figure in the same unit says what it stands for.
    """
    if measure.lower() not in SUBJECT_PRONOUNS:
        return measure
    for _, _, before, seen in reversed(previous):
        if seen.unit == reading.unit and before.lower() not in SUBJECT_PRONOUNS:
            return before
    return measure


_FROM_BEFORE = re.compile(r"\bfrom\s+(?:about|around|roughly|some|nearly|almost|just)?\s*$")


def _from_after_figure(sentence: str, start: int, in_sentence: list[str]) -> bool:
    """Tell an earlier value after "from" ("rise to 38 bcm next year from about 31 bcm")."""
    return bool(in_sentence) and bool(_FROM_BEFORE.search(sentence[max(0, start - 40) : start]))


def _status_of(sentence: str, start: int, kind: str, period: str, in_sentence: list[str]) -> str:
    """Return the figure's status; the earlier value of a comparison is an actual."""
    if _from_after_figure(sentence, start, in_sentence):
        return "actual"
    return find_status(sentence, start, kind=kind, period=period)


def _period_of(
    sentence: str,
    start: int,
    end: int,
    kind: str,
    in_sentence: list[str],
    periods: list[tuple[Sentence, str]],
) -> str:
    """Return one figure's period, carrying "the same period" over from the figure before.

    A duration is a span itself, and a figure inside a compound ("a 1,080-metre bridge")
    describes a thing, not a time: neither gets a period. A change of the figure before it
    ("…, up 1% from a year earlier") is for that figure's period.
    """
    if kind == "duration" or re.fullmatch(r"[\d,.]+-[a-z]+", sentence[start:end]):
        return ""
    if is_earlier_value(sentence[:start]) or _from_after_figure(sentence, start, in_sentence):
        return find_period(sentence, start, end, after_only=True)
    if refers_back(sentence, start, end, kind=kind) and in_sentence:
        return in_sentence[-1]
    period = find_period(sentence, start, end)
    if period == SAME_PERIOD:
        known = [p for _, p in periods if p and p != SAME_PERIOD]
        return known[-1] if known else period
    return period


def _word_figures(
    text: str,
    found: list[tuple[int, int, float, _Reading, str]],
    masks: list[tuple[int, int]],
) -> list[tuple[int, int, float, _Reading, str]]:
    """Money, percentages and quantities whose number is written in words."""
    taken = [(f[0], f[1]) for f in found] + masks
    out: list[tuple[int, int, float, _Reading, str]] = []
    for m in WORD_NUMBER.finditer(text):
        if m.group().lower() in {"a", "an"} and not _SCALE_WORD.match(text, m.end()):
            continue  # "a mile" is not a figure; "a billion dollars" is
        amount = parse_word_number(m.group())
        if amount is None:
            continue
        reading = _read_after(text, m.start(), m.end(), None, amount)
        if reading is None or reading.kind not in _WORD_KINDS:
            continue
        if any(a < reading.end and m.start() < b for a, b in taken):
            continue
        out.append((m.start(), reading.end, reading.value, reading, ""))
        taken.append((m.start(), reading.end))
    return out


def _minus_words(
    text: str, found: list[tuple[int, int, float, _Reading, str]]
) -> list[tuple[int, int, float, _Reading, str]]:
    """Fold a written "minus" into the figure after it ("minus 2 percent" is -2 percent)."""
    out = []
    for start, end, value, reading, note in found:
        m = re.search(r"\bminus\s+$", text[max(0, start - 10) : start], re.IGNORECASE)
        if m and value > 0 and reading.kind in {"percent", "money", "quantity"}:
            start = start - (len(text[max(0, start - 10) : start]) - m.start())
            value = -value
        out.append((start, end, value, reading, note))
    return out
