"""Clauses in a figure's label turned into the noun phrases an analyst would write.

Labels are read off the sentence, so they can hold a clause: its object with the verb as a
participle stands in for it ("Bank of China froze 1,000 accounts" → accounts frozen by Bank
of China), so does the event a count of times counts ("Xi and Putin met" → meetings between
Xi and Putin), or its subject alone when the verb only links it to the figure ("trade
totalled" → trade). Amounts, time words standing as subjects and titles before names go.
"""

from __future__ import annotations

import re

from worker.analysis.figures_measure_words import (
    CHANGE_VERBS,
    DANGLING,
    DETERMINERS,
    INTENT_VERBS,
    NOT_PARTICIPLES,
    NUMBER_WORDS,
    PREPOSITIONS,
    PRONOUNS,
    SCALE_WORDS,
    SUBJECT_CUES,
    SUBJECT_PRONOUNS,
    VERB_HEADS,
    VERB_NOUNS,
)
from worker.analysis.figures_units import QUANTITY_UNITS, fold

# Past participles that differ from the past, and those of base and -ing forms.
PARTICIPLES = {
    "fell": "fallen",
    "rose": "risen",
    "grew": "grown",
    "froze": "frozen",
    "freeze": "frozen",
    "flew": "flown",
    "fly": "flown",
    "took": "taken",
    "take": "taken",
    "began": "begun",
    "gave": "given",
    "drove": "driven",
    "wrote": "written",
    "spoke": "spoken",
    "broke": "broken",
    "chose": "chosen",
    "saw": "seen",
    "hold": "held",
    "holds": "held",
    "holding": "held",
    "make": "made",
    "makes": "made",
    "making": "made",
    "sell": "sold",
    "sells": "sold",
    "selling": "sold",
    "build": "built",
    "send": "sent",
    "buy": "bought",
    "buying": "bought",
    "meet": "met",
    "sign": "signed",
    "deliver": "delivered",
    "stage": "staged",
    "conduct": "conducted",
}
IRREGULAR_PAST = frozenset(
    """met held made sold built sent bought paid brought spent lent kept led won froze flew
    took began gave drove wrote spoke broke chose saw fell rose grew""".split()
)

# Verbs whose deed is only the saying: "We estimate 40 vessels" counts vessels, not estimates.
SAYING = frozenset(
    """say says said tell tells told estimate estimates estimated expect expects expected
    think thinks thought believe believes believed see sees saw count counts counted""".split()
)
INCLUDE_VERBS = frozenset("include includes included comprise comprises".split())
VOTE_VERBS = frozenset("passed won adopted approved carried".split())

# What a count of times counts, by its verb: "have met 30 times" counts meetings.
EVENT_NOUNS = {
    "met": "meetings",
    "meet": "meetings",
    "visited": "visits",
    "visit": "visits",
    "flew": "flights",
    "talked": "talks",
    "spoke": "talks",
    "called": "calls",
    "patrolled": "patrols",
}
_BETWEEN = frozenset({"meetings", "talks", "calls"})

TITLES = frozenset(
    """President Premier Prime Minister Foreign Defence Defense Chairman Chancellor Leader
    Secretary General Vice""".split()
)
TIME_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    tonight""".split()
)
LINKING = SUBJECT_CUES | CHANGE_VERBS
_NUMBER = re.compile(r"[$€£¥₹₽]?\d[\d,.]*")
CURRENCY_CODES = frozenset("USD EUR CNY RUB RMB GBP JPY".split())
_NUMBER_UNIT = re.compile(r"\d[\d,.]*-[a-z]+")
_YEAR = re.compile(r"(?:19|20)\d\d")
PERCENT = frozenset({"per", "cent", "percent", "%"})
APPROX_WORDS = frozenset("about around nearly almost some roughly over".split())


def _participle(verb: str) -> str | None:
    """Return a verb's past participle ("froze" → frozen, "signed" → signed), if known."""
    low = verb.lower()
    if low in PARTICIPLES:
        return PARTICIPLES[low]
    if low in IRREGULAR_PAST or (len(low) > 4 and low.endswith("ed")):
        return low
    return None


def _done(verb: str) -> str:
    """Return a verb's past participle, a regular one when none is known: "add" → added."""
    known = _participle(verb)
    if known:
        return known
    low = verb.lower()
    return low + "d" if low.endswith("e") else low + "ed"


def _is_past(word: str) -> bool:
    """Tell a past form: an irregular one, or a regular "-ed" that is not a noun."""
    low = word.lower()
    return low in IRREGULAR_PAST or (
        len(low) > 4 and low.endswith("ed") and low not in NOT_PARTICIPLES
    )


def untitled(words: list[str]) -> list[str]:
    """Drop titles before names: "Chinese President Xi Jinping" → Xi Jinping."""
    out: list[str] = []
    for word in words:
        if word in TITLES:
            if out and out[-1][0].isupper() and out[-1].endswith(("ese", "ian", "an", "ish")):
                out.pop()  # "Chinese", "Russian"
            continue
        out.append(word)
    return out or words


def _subject(words: list[str]) -> list[str]:
    """Return a subject as an agent: no article in front, no title, no time word."""
    out = [w for w in words if w.lower() not in TIME_WORDS]
    while out and out[0].lower() in DETERMINERS:
        out = out[1:]
    if out and out[0].lower() in NUMBER_WORDS:
        out = [out[0].lower(), *out[1:]]  # "Two H-6K bombers flew" → by two H-6K bombers
    return untitled(out)


def times_phrase(clause: list[str]) -> list[str]:
    """``Xi and Putin met`` (N times) → meetings between Xi and Putin; ``met`` → meetings."""
    if not clause or clause[-1].lower() not in EVENT_NOUNS:
        return clause
    event = EVENT_NOUNS[clause[-1].lower()]
    if len(clause) == 1:
        return [event]  # "have met 40 times", no subject in reach: meetings
    subject = _subject(clause[:-1])
    if not subject or all(w.lower() in PRONOUNS for w in subject):
        return [event]  # "They have met 12 times": a pronoun names no one
    pair = "and" in subject or subject[0].lower() in {"two", "both"}
    link = ("between" if pair else "of") if event in _BETWEEN else "by"
    return [event, link, *subject]


def done_by(noun: list[str], clause: list[str], *, after_with: bool = False) -> list[str]:
    """Name a counted noun by who did what to it: documents (Xi signed) → documents signed by Xi.

    ``clause`` is the subject and the verb before the count; a count after "passed with" is
    what was cast for the subject ("votes for resolution").
    """
    if not clause:
        return noun
    if len(clause) == 1:
        return [*noun, f"({clause[0]})"]
    subject, verb = clause[:-1], clause[-1]
    if all(w.lower() in SUBJECT_PRONOUNS for w in subject) and verb.isalpha():
        # "It would … add 40 vessels": a pronoun names no one, so the deed alone says it.
        return noun if verb.lower() in SAYING else [_done(verb), *noun]
    digit = next((i for i, w in enumerate(subject) if _NUMBER.fullmatch(w)), None)
    if digit is not None:
        # "a unit of 16 crews trained with 1,400 personnel": the unit, not its count
        subject = subject[: digit - 1] if digit and subject[digit - 1] == "of" else subject[:digit]
        if not subject or subject[-1] in DANGLING:
            return noun
        clause = [*subject, verb]
    for i in range(1, len(clause) - 1):
        event = [w for w in clause[i + 1 :] if w.lower() not in DETERMINERS]
        while event and event[-1].endswith("ing"):
            event = event[:-1]
        if _is_past(clause[i]) and event and not any(_is_past(w) for w in event):
            # "Russia and China began joint naval drills involving 40 warships"
            return [*noun, "in", *event]
    if verb.lower() in INCLUDE_VERBS:
        return [*noun, "in", *_subject(subject)]  # "the group includes 6 warships"
    if after_with:
        cut = next((i for i, w in enumerate(subject) if w.endswith("ing")), len(subject))
        if verb.lower() in VOTE_VERBS:
            return [*noun, "for", *_subject(subject[:cut])]  # "passed with 93 votes"
        return [*noun, gerund(verb), "with", *_subject(subject[:cut])]
    participle = _participle(verb)
    if subject[-1] in INTENT_VERBS:
        subject, participle = subject[:-1], "planned"  # "the two sides plan to hold"
    elif _is_past(subject[-1]) and len(subject) > 1:
        subject = subject[:-1]  # "vessels operated (by …) completed", "carmakers took …"
    if not participle or not subject:
        return [*noun, f"({' '.join(clause)})"]
    return [*noun, participle, "by", *_subject(subject)]


def acting(noun: list[str], verb: str, obj: list[str], *, passive: bool) -> list[str]:
    """Name a counted noun by the verb after it: "3,000 companies hold yuan accounts"."""
    low = verb.lower()
    if passive and _participle(low):
        return [low, *noun]  # "20 agreements would be signed" → signed agreements
    if _is_past(low) or low in PARTICIPLES:
        return [*noun, gerund(low), *obj]  # companies holding yuan accounts
    return [*noun, verb]  # "2 reactors due online"


def gerund(verb: str) -> str:
    """Return the -ing form of a verb: "hold" → holding, "joined" → joining."""
    low = verb.lower()
    if low.endswith("ing"):
        return low
    if low.endswith("ied"):
        return low[:-3] + "ying"
    if low.endswith("ed"):
        low = low[:-2]
    elif low.endswith("s") and not low.endswith("ss"):
        low = low[:-1]
    if low.endswith("e") and not low.endswith("ee"):
        low = low[:-1]
    return low + "ing"


def is_amount(word: str) -> bool:
    """Tell a number fused with its unit, a figure in itself: "5-day", "2,600-km"."""
    return bool(_NUMBER_UNIT.fullmatch(word))


def _without_amounts(words: list[str]) -> list[str]:
    """Drop the amounts in a label: "froze about 1,000 accounts" → froze accounts.

    A bare small number is kept, as in a name ("Power of Siberia 2 pipeline").
    """
    out: list[str] = []
    skip = 0
    for i, word in enumerate(words):
        if skip:
            skip -= 1
            continue
        if out and out[-1] == "" and fold(" ".join(words[i : i + 2])) in QUANTITY_UNITS:
            skip = 1  # "square kilometres"
            continue
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        money = word[0] in "$€£¥₹₽" or word in CURRENCY_CODES
        after_prep = i > 0 and words[i - 1].lower() in PREPOSITIONS
        number = (
            bool(_NUMBER.fullmatch(word))
            and not _YEAR.fullmatch(word)
            and ("," in word or "." in word or nxt in SCALE_WORDS | PERCENT or after_prep)
        )
        unit = fold(word) in QUANTITY_UNITS or word.lower() in SCALE_WORDS | PERCENT
        number = number or is_amount(word) or (i == 0 and bool(_NUMBER.fullmatch(word)))
        if money or number or (unit and out and out[-1] == ""):
            if out and out[-1].lower() in APPROX_WORDS:
                out.pop()
            out.append("")  # the amount's place, so its scale and unit follow it out
        else:
            out.append(word)
    kept = [w for w in out if w]
    return kept if kept else list(words)


def as_noun(words: list[str]) -> list[str]:
    """Turn a clause in a label into a noun phrase; a noun phrase is returned unchanged.

    "Bank of China froze 1,000 accounts" → accounts frozen by Bank of China; "Tuesday
    quadrupled tariffs" → tariffs; "Sino-Russian trade totalled" → Sino-Russian trade.
    """
    out = _without_amounts(list(words))
    while len(out) > 1 and out[-1].lower() in DANGLING | {"further"}:
        out = out[:-1]
    if len(out) == 1 < len(words) and _participle(out[0]):
        return list(words)  # "shrunk by 1.2 million km²": a lone verb would say less
    if len(out) > 1 and out[-1].lower() in INCLUDE_VERBS:
        return _subject(out[:-1])  # "this year's group includes" (6 warships): the group
    for i in range(1, len(out)):
        word = out[i]
        if not _is_past(word) or out[i - 1].lower() in DANGLING:
            continue  # "shipments of liquefied gas", "Russia that imported"
        if out[i - 1].endswith(("'s", "’s")) or out[i - 1].endswith("ly"):
            continue
        subject, rest = out[:i], out[i + 1 :]
        while rest and rest[-1].endswith("ing"):
            rest = rest[:-1]  # "flew a joint patrol lasting"
        adverb = bool(rest) and (rest[0].endswith("ly") or rest[0].lower() == "very")
        if rest and rest[0].lower() not in PREPOSITIONS | DANGLING and not adverb:
            agent = _subject(subject)
            participle = _participle(word)
            if subject[0].lower() in TIME_WORDS or not agent or not participle:
                return rest
            phrase = [*rest, participle, "by", *agent]
            return phrase if len(phrase) <= 8 else rest
        if not rest and word.lower() in LINKING:
            return subject  # "trade totalled", "shipments to China surged"
        low = word.lower()
        if not rest and low in VERB_NOUNS and low not in VERB_HEADS and out[0][0].isupper():
            return [VERB_NOUNS[word.lower()], "by", *_subject(subject)]  # "Beijing bought"
        break
    return out
