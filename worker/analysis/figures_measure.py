"""The ``measure`` of a key figure: a short phrase from its sentence saying what it measures.

No parser or tagger is available offline, so the phrase comes from grammatical cues around
the number, read by :mod:`worker.analysis.figures_phrases`. These rules (:data:`RULES`) are
tried in order; the first that names the measure wins, else the sentence's subject does:

1. ``restatement``: a restatement in brackets repeats the figure before ("4,300 km *(2,672
    miles)*");
2. ``earlier_value``: an earlier value is the figure before at another time ("reached X, *up
    from* Y");
3. ``change_of_earlier``: "up"/"down" before a percentage is the change in the figure before
    ("*shipped 22.7 bcm*, up 45%");
4. ``price``: a price paid or sold at ("*China paid* an average of $248 *for Russian pipeline
    gas*");
5. ``change_verb``: a change verb says what changed ("Trade rose 1.9%" → *increase in trade*);
6. ``level_after_change``: the level a change reached ("a 7.2% increase in *its budget*, to
    1.67 trillion yuan");
7. ``duration``: a duration names what it modifies ("the 5-day *drills*") or the clause it
    belongs to;
8. ``count``: a count says who did what ("*Xi and Putin* have *met* 30 times");
9. ``comparison``: a comparison or distance after it ("12 per cent *below the Brent
    benchmark*", "300 miles *from Vladivostok*");
10. ``modified_noun``: the noun phrase it modifies ("a $1 billion *fund*", "a 37% *increase in
    trade*");
11. ``flow_of``: a verb of flow and an ``of`` phrase ("China imported 108.5 Mt of Russian
    crude" → *China's imports of Russian crude*);
12. ``flow_to``: a verb of flow and a place ("Russia shipped 22.7 bcm to China" → *Russia's
    shipments to China*);
13. ``share_of``: a share of something ("*China* accounting for 18 per cent *of its imports*");
14. ``of_after``: an ``of``/``worth of`` phrase after it ("38 bcm *of gas*", "21% *of them*" →
    the figure before);
15. ``money_in``: what money is in ("$200 billion *in trade*", not "in August");
16. ``of_before``: the noun phrase before "of" ("a *border* of 4,300 km");
17. ``compared_before``: what is compared ("lift *trade* above $240 billion");
18. ``worth_before``: the thing worth it ("The *deal*, worth $45 billion");
19. ``share_before``: whose share it is ("*China* accounting for 18 per cent");
20. ``object_of_change``: the object of a transitive change ("lifting *deliveries* to …");
21. ``subject_of_cue``: the subject of "reached / rose to / totalled / was valued at"
    ("*China's trade with Russia* has reached $127bn");
22. ``subject_of_clause``: the opening noun phrase of its clause ("*the line* stretches 2,000
    km" → *line length*);
23. ``antecedent``: the antecedent of its relative clause ("a 6,000 km *route* that could move
    25 bcm");
24. ``clause_words``: the last content words of its clause before it;
25. ``words_after``: the words after it when none come before ("…; 21 per cent *were in
    yuan*").

A rate ("per day") and a range note are appended; "trade between the two countries" reads as
"bilateral trade" so briefs can group it. The period is not part of the phrase (see
:mod:`worker.analysis.figures_period`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from worker.analysis.figures_clause import acting, done_by, is_amount, times_phrase
from worker.analysis.figures_label import as_noun_phrase
from worker.analysis.figures_measure_words import (
    AUX,
    BOUNDARIES,
    CHANGE_NOUNS,
    CHANGE_VERBS,
    COMPARATIVES,
    COMPARE_CUES,
    CONTEXT_PREPS,
    DETERMINERS,
    DISTANCE_UNITS_AFTER,
    DOWN_VERBS,
    EXTEND_VERBS,
    EXTENT_VERBS,
    FALLBACK_SKIP,
    FLOW_PREPS,
    FLOW_VERBS,
    FORWARD_STOPS,
    GENERIC_HEADS,
    GROW_VERBS,
    IRREGULAR_PARTICIPLES,
    LEADING_FILLERS,
    LINEAR_THINGS,
    LINK_VERBS,
    LOWER_FIRST,
    NOT_PARTICIPLES,
    PASSIVE_AUX,
    PAY_VERBS,
    PERIOD_LEAD,
    PERIOD_WORDS,
    PREP_CUES,
    PREPOSITIONS,
    PRONOUNS,
    QUOTES,
    RIGHT_LINKS,
    SALE_VERBS,
    SHARE_CUES,
    SOFT_BOUNDARIES,
    SPANS,
    SUBJECT_CUES,
    SUBJECT_PRONOUNS,
    TAKE_PART,
    TAKE_VERBS,
    TRANSITIVE_CHANGE,
    TRANSITIVE_DOWN,
    TRANSITIVE_UP,
    UP_VERBS,
    VERB_NOUNS,
    WEAKEN_VERBS,
    Y_ON_Y,
)
from worker.analysis.figures_phrases import (
    Token,
    clause_subject,
    clean,
    drop_raising,
    is_numeric,
    is_word,
    last_clause,
    noun_phrase_back,
    noun_phrase_forward,
    of_phrase,
    owner_before,
    skip_brackets,
    strip_approx,
    tokens,
    trim_long,
)
from worker.analysis.figures_units import FigureKind

_AMOUNTS = frozenset({FigureKind.MONEY, FigureKind.PERCENT, FigureKind.QUANTITY})
_PAIR = re.compile(
    r"\b((?:(?:trade|energy|gas|oil|goods) )?\w[\w\-]*) between (?:the )?(?:two|both)"
    r"(?: [\w\-]+)? (?:countries|sides|nations|states|players|partners|neighbours|neighbors"
    r"|powers|economies|parties)\b"
)


_RELATIVES = frozenset({"who", "which", "that"})


def _times_measure(left: list[Token], *, through_relative: bool = False) -> list[str]:
    """``Xi and Putin … have met 30 times`` → Xi and Putin met."""
    if not left or not is_word(left[-1].text) or left[-1].text.lower() in AUX:
        return []
    verb = left[-1].text
    before = left[:-1]
    while before and before[-1].text.lower() in AUX:
        before = before[:-1]
    if through_relative and before and before[-1].text.lower() in _RELATIVES:
        # "The two leaders, who have met 40 times": the relative stands for the noun before it
        # (only for times: before "which passed with 141 votes" stands a whole clause).
        before = before[:-1]
        if before and before[-1].text == ",":
            before = before[:-1]
    if before and before[-1].text.lower() == "and":
        before = before[:-1]
        clause = last_clause(before)
        subject = clause_subject(clause)
    else:
        subject = noun_phrase_back(before, stop_at_prep=False)
    if not subject and before and before[-1].text == ",":
        # ", selling 1.1 million vehicles": the participle's subject opens the sentence.
        subject = clause_subject(before)
    return [*subject, verb] if subject else [verb]


def _price_paid(left: list[Token], right: list[Token]) -> list[str]:
    """Name a price: "China paid an average of $248 … for Russian pipeline gas"."""
    low = [t.text.lower() for t in left]
    average = len(low) >= 2 and low[-2:] == ["average", "of"]
    verb_at = len(low) - (3 if average and len(low) >= 3 and low[-3] in {"an", "a"} else 1)
    if average:
        verb_at -= 2 if low[-3] not in {"an", "a"} else 1
    if not 0 <= verb_at < len(low) or low[verb_at] not in PAY_VERBS:
        return []
    rest = [t for t in right if t.text.lower() not in DETERMINERS]
    head = ["average", "price"] if average else ["price"]
    if not rest or rest[0].text.lower() != "for":
        # "Chinese refiners paid an average of $76.60 a barrel": the price they paid.
        payer = noun_phrase_back(left[:verb_at], stop_at_prep=True)
        return [*head, left[verb_at].text, "by", *payer] if payer else []
    what = noun_phrase_forward(rest[1:], limit=5)
    if not what:
        return []
    return [*head, left[verb_at].text, "for", *what]


def _price_at(left: list[Token]) -> list[str]:
    """Name a price: "Gazprom sold gas to China at $200 per 1,000 cubic meters"."""
    low = [t.text.lower() for t in left]
    if not low or low[-1] != "at":
        return []
    for k in range(2, min(len(low), 9) + 1):
        if not is_word(left[-k].text):
            return []
        if low[-k] in SALE_VERBS:
            obj = clean([t.text for t in left[-k + 1 : -1]])
            return ["price of", *obj] if obj else []
    return []


def _possessive(words: list[str]) -> str:
    """Return "China" → "China's", "Chinese brands" → "Chinese brands'" (kept if one already)."""
    owner = " ".join(words)
    if owner.endswith(("'s", "’s", "s'")):
        return owner
    last = words[-1] if words else ""
    plural = last.islower() and last.endswith("s") and not last.endswith("ss")
    return f"{owner}'" if plural else f"{owner}'s"


ASIDE_OPENERS = frozenset("mostly mainly largely chiefly primarily including notably".split())


def _past_aside(left: list[Token]) -> list[Token]:
    """Drop an aside before a verb: "imports from Russia, mostly crude oil, coal and gas,"."""
    if not left or left[-1].text != ",":
        return left
    for i in range(len(left) - 2, max(0, len(left) - 16), -1):
        if left[i].text == "," and left[i + 1].text.lower() in ASIDE_OPENERS:
            return left[:i]
    return left


def _changed_to(low_left: list[str]) -> bool:
    """Tell "rose to 42.3% in January from": the base of a change to the figure before."""
    window = low_left[-8:-1]
    changes = UP_VERBS | DOWN_VERBS | CHANGE_VERBS
    return any(w == "to" and i and window[i - 1] in changes for i, w in enumerate(window))


def _is_earlier(low_left: list[str]) -> bool:
    tail = low_left[-3:]
    return (
        (len(tail) >= 2 and tail[-1] == "from" and _changed_to(low_left))
        or (len(tail) >= 2 and tail[-1] == "from" and tail[-2] in {"up", "down", ","})
        or (len(tail) >= 2 and tail[-2] == "compared" and tail[-1] in {"with", "to"})
        or (len(tail) >= 2 and tail[-1] in {"against", "versus"} and tail[-2] == ",")
    )


_RATE_TAIL = re.compile(
    r" (?:per (?:1,000 cubic met(?:er|re)s|\S+)|year on year|quarter on quarter|month on month)$"
)


def _without_change(measure: str) -> str:
    """Strip a change and its base: "increase in defence budget from Jun" → "defence budget"."""
    measure = re.sub(r" (?:from \S+|y/y)$", "", measure)
    return _RATE_TAIL.sub("", _CHANGE_PREFIX.sub("", measure))


def _lower_first(words: list[str]) -> list[str]:
    """Lowercase a common noun capitalised only because it opened the sentence ("Trade")."""
    return [w.lower() if w.lower() in LOWER_FIRST and w[1:].islower() else w for w in words]


def _change_measure(left: list[Token], earlier: list[str], sentence: str) -> list[str]:
    """Say what changed: "Trade rose 1.9%", "fell 23.8%", "raise its supplies by 15%"."""
    low = [t.text.lower() for t in left]
    if not low:
        return []
    back = 2 if low[-1] == "by" and len(low) > 1 else 1
    verb = low[-back]
    if verb in TRANSITIVE_UP | TRANSITIVE_DOWN and back == 1:
        return []  # "raise supplies to X": the level, read elsewhere
    if verb not in UP_VERBS | DOWN_VERBS | GROW_VERBS | WEAKEN_VERBS:
        if low[-1] != "by":
            return []
        for k in range(3, min(len(low), 10) + 1):  # "raise its oil supplies to China by"
            if low[-k] in TRANSITIVE_UP | TRANSITIVE_DOWN:
                obj = clean([t.text for t in left[-k + 1 : -1]])
                head = "increase in" if low[-k] in TRANSITIVE_UP else "cut in"
                return [head, *_lower_first(obj)] if obj else []
        return []
    if verb in GROW_VERBS:
        head = "growth of"
    elif verb in WEAKEN_VERBS:
        head = "weakening of"
    elif verb in UP_VERBS:
        head = "increase in"
    else:
        head = "fall in"
    subject = noun_phrase_back(_past_aside(left[:-back]), stop_at_prep=False)
    if not subject and earlier:
        subject = [_without_change(earlier[-1])]  # ", after growing 26.3% a year earlier"
    if not subject:
        subject = clause_subject(tokens(sentence))
    return [head, *_lower_first(subject)] if subject else []


def _verb_of(left: list[Token], of: list[str], sentence: str) -> list[str]:
    """Name a flow: "China imported 108.5 Mt of Russian crude" → China’s imports of it."""
    if not left or left[-1].text.lower() not in VERB_NOUNS:
        return []
    noun = VERB_NOUNS[left[-1].text.lower()]
    before = left[:-1]
    while before and before[-1].text.lower() in AUX:
        before = before[:-1]
    if before and before[-1].text.lower() in {"which", "that"}:
        # "… the Power of Siberia 2 pipeline, which would carry 50 bcm of gas": the antecedent.
        before = before[:-1]
        if before and before[-1].text == ",":
            before = before[:-1]
        antecedent = noun_phrase_back(before, stop_at_prep=True)
        if antecedent:
            return [noun, "of", *of, "via" if noun == "flows" else "by", *antecedent]
    subject = noun_phrase_back(before, stop_at_prep=True)
    if not subject:
        subject = clause_subject(tokens(sentence))
    if subject and any("'" in w or "’" in w for w in subject):
        return [noun, "of", *of, "by", *subject]  # not "Russia's Gazprom's flows"
    if subject and len(subject) <= 6 and any(w[0].isupper() for w in subject):
        owner = " ".join(subject)
        mark = "’" if "’" in sentence else "'"
        owner = owner if owner.endswith(("’s", "'s")) else f"{owner}{mark}s"
        cut = next((i for i, w in enumerate(of) if w.lower() in PREPOSITIONS), len(of))
        if 0 < cut <= 3 and all(w.isalpha() and not w.istitle() for w in of[:cut]):
            # "Russia's coal shipments to China", not "Russia's shipments of coal to China";
            # "imports of Russian crude" stays, as "Russian crude imports" reads worse
            return [owner, *of[:cut], noun, *of[cut:]]
        return [owner, noun, "of", *of]
    return [noun, "of", *of]


@dataclass(frozen=True)
class _Figure:
    """A figure in its sentence, with the tokens either side of it that the rules read."""

    sentence: str
    start: int
    end: int
    kind: FigureKind
    noun: str
    earlier: list[str]  # measures of the figures before it in the sentence
    left: list[Token]  # before it, without "more than …" or "expected to"
    right: list[Token]  # after it, past a bracketed unit
    low_left: list[str]  # the words of ``left``, lower-cased

    @property
    def extent(self) -> bool:
        """Tell "would stretch 2,000 km": a length, not a distance."""
        return bool(self.low_left) and self.low_left[-1] in EXTENT_VERBS

    @property
    def past_worth(self) -> list[Token]:
        """The tokens after it, "worth" skipped in "$409 million worth of natural gas"."""
        right = self.right
        if len(right) > 1 and right[0].text.lower() == "worth" and right[1].text.lower() == "of":
            return right[1:]
        return right

    @cached_property
    def of(self) -> list[str]:
        """The ``of`` phrase after it ("38 bcm *of gas*")."""
        return of_phrase(self.past_worth)

    @cached_property
    def clause(self) -> list[Token]:
        """The tokens of its clause before it."""
        return last_clause(self.left)

    @cached_property
    def sentence_subject(self) -> list[str]:
        """The opening noun phrase of the sentence."""
        return clause_subject(tokens(self.sentence))


# A rule names the measure (a list of words, possibly empty: the answer) or passes (None).
Rule = Callable[[_Figure], list[str] | None]


def restatement(f: _Figure) -> list[str] | None:
    """Repeat the figure before when this one restates it: "4,300 km (2,672 miles)"."""
    if f.left and f.left[-1].text == "(" and f.earlier:
        return [f.earlier[-1]]
    return None


def earlier_value(f: _Figure) -> list[str] | None:
    """Reuse the figure before for an earlier value: "reached X, up from Y", "compared with Y"."""
    if not _is_earlier(f.low_left):
        return None
    # Its own period is read separately.
    if f.earlier:
        last = f.earlier[-1]
        return [_without_change(last) if f.kind != FigureKind.PERCENT else last]
    return f.sentence_subject or None


def _than_before(right: list[Token]) -> str:
    """Return "up"/"down" for "… more/less than a year earlier" after a percentage, else ""."""
    low = [t.text.lower() for t in right[:2]]
    if len(low) < 2 or low[1] != "than" or low[0] not in MORE_WORDS | LESS_WORDS:
        return ""
    if not _EARLIER_BASE.match(" ".join(t.text.lower() for t in right[2:6])):
        return ""  # "12% lower than Brent": a comparison, not a change
    return "up" if low[0] in MORE_WORDS else "down"


def change_of_earlier(f: _Figure) -> list[str] | None:
    """Name the change in the figure before: "shipped 22.7 bcm last year, up 45% from 2022"."""
    if f.kind != FigureKind.PERCENT:
        return None
    way = f.low_left[-1] if f.low_left and f.low_left[-1] in {"up", "down"} else ""
    way = way or (_than_before(f.right) if f.earlier else "")
    if not way:
        return None
    change = "increase in" if way == "up" else "decrease in"
    what = [_RATE_TAIL.sub("", _without_change(f.earlier[-1]))] if f.earlier else []
    what = what or f.sentence_subject
    return [change, *what] if what else None


def price(f: _Figure) -> list[str] | None:
    """Name a price paid or sold at: "China paid an average of $248 … for Russian pipeline gas"."""
    if f.kind != FigureKind.MONEY:
        return None
    return _price_paid(f.left, f.right) or _price_at(f.left) or None


def change_verb(f: _Figure) -> list[str] | None:
    """Say what a change verb changed: "Trade rose 1.9%", "raise its supplies by 15%"."""
    if f.kind not in _AMOUNTS:
        return None
    return _change_measure(f.left, f.earlier, f.sentence) or None


def level_after_change(f: _Figure) -> list[str] | None:
    """Name the level a change reached: "a 7.2% increase in its budget, to 1.67 trillion yuan"."""
    if f.kind not in {FigureKind.MONEY, FigureKind.QUANTITY} or not f.low_left:
        return None
    changes = UP_VERBS | DOWN_VERBS | GROW_VERBS
    # "before falling about 7% in 2025 to roughly $228 billion": with no subject of its own,
    # the change is of the figure before, and this is the level it reached.
    changed = f.low_left[-1] == "to" and any(
        w in changes and w.endswith("ing") for w in f.low_left[-8:-1]
    )
    if f.low_left[-2:] != [",", "to"] and not changed:
        return None
    if f.earlier and _CHANGE_PREFIX.match(f.earlier[-1]):
        return [_without_change(f.earlier[-1])]
    return None


def duration(f: _Figure) -> list[str] | None:
    """Say what lasted that long: "the 5-day drills", else the clause the span belongs to."""
    if f.kind != FigureKind.DURATION:
        return None
    if "-" in f.sentence[f.start : f.end]:
        head = noun_phrase_forward(f.right)
        if head:
            return head
    return _duration_measure(f.left, f.right)


def count(f: _Figure) -> list[str] | None:
    """Say who did what: "*Xi and Putin* have *met* 30 times", "Russia delivered 4 battalions"."""
    if f.kind != FigureKind.COUNT:
        return None
    if f.noun.lower().endswith("times"):
        return times_phrase(_times_measure(f.left, through_relative=True)) or f.noun.split()
    return _count_measure(f.sentence, f.left, f.right, f.noun.split())


def comparison(f: _Figure) -> list[str] | None:
    """Name a comparison or distance after it: "12 per cent *below the Brent benchmark*"."""
    # "would stretch 2,000 km from Sakhalin" is a length, not a distance from Sakhalin.
    if f.extent:
        return None
    return _comparison(f.right, f.kind) or None


def modified_noun(f: _Figure) -> list[str] | None:
    """Take the noun phrase it modifies: "a $1 billion *fund*", "a 37% *increase in trade*"."""
    if f.kind not in _AMOUNTS and not f.sentence[f.end - 1 : f.end].isalpha():
        return None
    right, earlier = f.right, f.earlier
    head = noun_phrase_forward(right)
    if head and (head[0].lower().endswith("ed") or head[0].lower() in IRREGULAR_PARTICIPLES):
        return None  # "the $240 billion reached in 2023": a verb, not a modified noun
    if not head or head[0][0].isupper() or len(head[0]) <= 2:
        return None
    if head[0].lower() in PREPOSITIONS | SOFT_BOUNDARIES:
        return None  # "sailed 7,000 nautical miles during the patrol": no noun follows
    rest = right[len(head) :]
    if len(head) == 1 and rest and rest[0].text.lower() in {"to", "for"}:
        purpose = noun_phrase_forward(rest[1:], limit=3)
        if purpose:
            head = [*head, rest[0].text, *purpose]
    elif head[-1].lower() in CHANGE_NOUNS and rest and rest[0].text.lower() in {"in", "of"}:
        # "a 37% increase in annual bilateral trade"
        what = noun_phrase_forward([t for t in rest[1:] if t.text.lower() not in DETERMINERS])
        if what:
            head = [*head, rest[0].text, *what]
    elif head[-1].lower() in CHANGE_NOUNS and earlier:
        # "8.3 million tonnes …, a 5% rise on the same period": the change of that.
        return [head[-1].lower(), "in", _RATE_TAIL.sub("", _without_change(earlier[-1]))]
    elif head[-1].lower() in {"share", "stake", "proportion"} and rest:
        of = of_phrase(rest)
        if of:
            head = [*head, "of", *of]  # "a 4% share of China's foreign trade"
    if head[-1].lower() in LINEAR_THINGS and _LENGTH_COMPOUND.fullmatch(
        f.sentence[f.start : f.end]
    ):
        head = [*head, "length"]  # "the 2,600-kilometre pipeline"
    owner = owner_before(f.left)
    if owner and head[0].lower() in {"share", "stake", "proportion"}:
        return [_possessive(owner), *head]
    return [*head, "of", *owner] if owner else head


_LENGTH_COMPOUND = re.compile(
    r"[\d,.]+[-\s]?(?:kilomet(?:er|re)s?|km|miles?|met(?:er|re)s?|m)", re.IGNORECASE
)


def flow_of(f: _Figure) -> list[str] | None:
    """Name a flow by its verb: "China imported 108.5 Mt of Russian crude" → its imports of it."""
    if not f.of or f.kind == FigureKind.PERCENT:
        return None
    return _verb_of(f.left, f.of, f.sentence) or None


def flow_to(f: _Figure) -> list[str] | None:
    """Name a flow to a place: "Russia shipped 22.7 bcm to China" → Russia's shipments to China."""
    right = f.past_worth
    if f.of or f.kind not in {FigureKind.QUANTITY, FigureKind.MONEY}:
        return None
    if not right or right[0].text.lower() not in FLOW_PREPS:
        return None
    where = noun_phrase_forward([t for t in right[1:] if t.text.lower() not in DETERMINERS])
    flow = _verb_of(f.left, [], f.sentence) if where else []
    if not flow:
        return None
    return [*flow[:-1], right[0].text.lower(), *where] if flow[-1] == "of" else flow


def share_of(f: _Figure) -> list[str] | None:
    """Name whose share of what: "China accounting for 18 per cent of its imports"."""
    if not f.of:
        return None
    tail = " ".join(f.low_left[-2:])
    for cue in SHARE_CUES:
        if tail.endswith(cue):
            subject = noun_phrase_back(f.left[: -len(cue.split())], stop_at_prep=True)
            return [_possessive(subject), "share of", *f.of] if subject else ["share of", *f.of]
    return None


def of_after(f: _Figure) -> list[str] | None:
    """Take the ``of`` phrase after it: "38 bcm *of gas*", "$409 million worth *of natural gas*"."""
    of = f.of
    if not of:
        return None
    low_left = f.low_left
    if of in (["them"], ["it"], ["those"]) and f.earlier:
        of = [_without_change(f.earlier[-1])]  # "China took 21% of them": of the figure before
    if f.kind != FigureKind.PERCENT:
        return of
    if low_left and low_left[-1] in TAKE_VERBS:
        owner = noun_phrase_back(f.left[:-1], stop_at_prep=True)
        if owner:
            return [_possessive(owner), "share of", *of]  # "China took 21% of …"
    if low_left and low_left[-1] in SUBJECT_CUES:
        subject = noun_phrase_back(f.left[:-1], stop_at_prep=False)
        if subject:
            # "Settlements in roubles and yuan reached 90% of bilateral trade"
            return [*subject, "as share of", *of]
    return ["share of", *of]


def money_in(f: _Figure) -> list[str] | None:
    """Take what money is in: "$200 billion *in trade*" (not "$3.9 trillion in August")."""
    right = f.past_worth
    if f.kind != FigureKind.MONEY or not right or right[0].text.lower() != "in":
        return None
    head = noun_phrase_forward([t for t in right[1:] if t.text.lower() not in DETERMINERS])
    said = {part for w in head for part in w.lower().split("-")}
    if head and not said & PERIOD_WORDS and not head[0][0].isdigit():
        return head
    return None


def of_before(f: _Figure) -> list[str] | None:
    """Take the noun phrase before "of": "a *border* of 4,300 km", "an *increase* of 32%"."""
    if not f.low_left or f.low_left[-1] != "of":
        return None
    left = f.left
    head = noun_phrase_back(left[:-1], stop_at_prep=True)
    if not head:
        return None
    if head[-1].lower() in CHANGE_NOUNS:
        if f.earlier:
            return [head[-1], "in", f.earlier[-1]]
        subject = f.sentence_subject
        return [head[-1], "in", *subject] if subject else head
    if head[-1].lower() in GENERIC_HEADS:
        more = noun_phrase_back(left[: -1 - len(head)], stop_at_prep=False)
        return [*more, *head] if more else head
    owner = owner_before(left[: -1 - len(head)])
    return [*head, "of", *owner] if owner else head


def compared_before(f: _Figure) -> list[str] | None:
    """Take what is compared: "lift *trade* above $240 billion"."""
    if not f.low_left or f.low_left[-1] not in COMPARE_CUES:
        return None
    return noun_phrase_back(f.left[:-1], stop_at_prep=True) or None


def worth_before(f: _Figure) -> list[str] | None:
    """Take the thing worth it: "The *deal*, worth $45 billion" → deal value."""
    if not f.low_left or f.low_left[-1] != "worth":
        return None
    before = f.left[:-1]
    if before and before[-1].text == ",":
        before = before[:-1]
    head = noun_phrase_back(before, stop_at_prep=True)
    cut = next((i for i, w in enumerate(head) if i and w.islower() and w.endswith("ed")), 0)
    if cut and cut < len(head) - 1:
        return ["value of", *head[cut + 1 :]]  # "companies placed bonds worth …"
    return [*head, "value"] if head else None


def share_before(f: _Figure) -> list[str] | None:
    """Name whose share it is: "*China* accounting for 18 per cent"."""
    for cue in SHARE_CUES:
        n = len(cue.split())
        if " ".join(f.low_left[-n:]) == cue:
            subject = noun_phrase_back(f.left[:-n], stop_at_prep=True)
            return [_possessive(subject), "share"] if subject else ["share"]
    return None


def object_of_change(f: _Figure) -> list[str] | None:
    """Take the object of a transitive change: "lifting *deliveries* through the pipeline to"."""
    if not f.low_left or f.low_left[-1] not in PREP_CUES:
        return None
    back = _verb_before(f.left)
    verb = f.left[-back].text.lower() if back > 1 else ""
    if verb not in TRANSITIVE_CHANGE or back <= 2:
        return None
    return _object_after_verb(f.left, back) or None


def subject_of_cue(f: _Figure) -> list[str] | None:
    """Take the subject of "reached / rose to / totalled / was valued at / would cost"."""
    if not f.low_left:
        return None
    last = f.low_left[-1]
    if last not in SUBJECT_CUES and last not in PREP_CUES and last not in {"valued", "worth"}:
        return None
    back = _verb_before(f.left) if last in PREP_CUES else 1
    subject = noun_phrase_back(_past_aside(f.left[:-back]), stop_at_prep=False)
    if not subject:
        return None
    if subject[0].lower() in SUBJECT_PRONOUNS:
        # "a capital cost we estimate at $13 billion": the noun the clause is about.
        at = max(i for i, t in enumerate(f.left[:-back]) if t.text == subject[0])
        before = f.left[:at]
        found = noun_phrase_back(before, stop_at_prep=True) if before else []
        if found and before[-1].text.isalpha() and before[-1].text.lower() not in _RELATIVES:
            return [" ".join(found)]  # one noun phrase: its "cost" is a noun, not a verb
    if last == "by":
        return [*subject, f.left[-2].text]
    if last in {"cost", "costs", "costing"}:
        return ["cost of", *subject]  # "The link would cost $13.6 billion"
    return subject


def subject_of_clause(f: _Figure) -> list[str] | None:
    """Take the opening noun phrase of its clause ("*the line* stretches" → line length)."""
    subject = clause_subject(f.clause)
    if not subject:
        return None
    if subject[-1].lower() in EXTENT_VERBS and len(subject) > 1:
        return [*subject[:-1], EXTENT_VERBS[subject[-1].lower()]]  # "the line stretches"
    if f.extent:
        return [*subject, EXTENT_VERBS[f.low_left[-1]]]  # "the line would stretch"
    return subject


def antecedent(f: _Figure) -> list[str] | None:
    """Take the antecedent of a relative clause: "a 6,000 km *route* that could move 25 bcm"."""
    left, clause = f.left, f.clause
    cut = len(left) - len(clause) - 1
    if not (0 <= cut < len(left) and left[cut].text.lower() in {"that", "which", "who"}):
        return None
    before = left[:cut]
    if before and before[-1].text == ",":
        before = before[:-1]  # "The proposed pipeline, which would run 2,600 km"
    found = noun_phrase_back(before, stop_at_prep=True)
    prep = len(before) - len(found) - 1
    if found and all(w[0].isupper() for w in found) and prep > 0:
        if before[prep].text.lower() in {"in", "of"}:
            # "spot prices in Asia, which have averaged": the prices, not the place
            head = noun_phrase_back(before[:prep], stop_at_prep=True)
            found = [*head, before[prep].text.lower(), *found] if head else found
    if not found and before:
        found = clause_subject(before)
    if not found:
        return None
    if f.extent:
        return [*found, EXTENT_VERBS[f.low_left[-1]]]
    verbs = [t.text for t in clause if is_word(t.text) and t.text.lower() not in AUX]
    return [*found, *verbs[-2:]]


def clause_words(f: _Figure) -> list[str] | None:
    """Take the last content words of its clause before it."""
    words = [
        t.text
        for t in f.clause
        if t.text[0].isalpha()
        and t.text.lower() not in AUX | DETERMINERS | PREPOSITIONS | LEADING_FILLERS
    ]
    return clean(words[-4:]) or None


def words_after(f: _Figure) -> list[str] | None:
    """Take the words after it when none come before: "… ; 21 per cent *were in yuan*"."""
    after = []
    for tok in (t.text for t in f.past_worth):
        if not is_word(tok) or tok.lower() in BOUNDARIES:
            break
        if tok[0].isalpha() and tok.lower() not in FALLBACK_SKIP and not is_numeric(tok):
            after.append(tok)
    return after[:4] or None


RULES: tuple[Rule, ...] = (
    restatement,
    earlier_value,
    change_of_earlier,
    price,
    change_verb,
    level_after_change,
    duration,
    count,
    comparison,
    modified_noun,
    flow_of,
    flow_to,
    share_of,
    of_after,
    money_in,
    of_before,
    compared_before,
    worth_before,
    share_before,
    object_of_change,
    subject_of_cue,
    subject_of_clause,
    antecedent,
    clause_words,
    words_after,
)


def _base(figure: _Figure) -> list[str]:
    """Return the words of the first rule that names the measure, else the sentence's subject."""
    for rule in RULES:
        words = rule(figure)
        if words is not None:
            return words
    return figure.sentence_subject


# What may stand between a figure and a restatement of it in other units.
_RESTATEMENT = re.compile(
    r"\s*(?:(?:last|this|next) (?:year|month|week|quarter)|in (?:19|20)\d\d)?"
    r"\s*[,(]\s*(?:about|around|or|some|roughly|nearly|almost|approximately|equivalent to"
    r"|i\.e\.|or about|or around)?\s*"
)


def _duration_measure(left: list[Token], right: list[Token]) -> list[str]:
    """Say what lasted that long: the clause the period belongs to, and what it counts from."""
    for i, tok in enumerate(t.text for t in left):
        if tok.lower() in EXTEND_VERBS:
            # "agreed to extend a contract … for another 10 years": the contract's extension.
            obj = [t.text for t in left[i + 1 : i + 4] if t.text.lower() not in DETERMINERS]
            if obj and obj[0].isalpha():
                return [obj[0], "extension"]
    toks = list(left)
    while toks and (toks[-1].text.lower() in PERIOD_LEAD or toks[-1].text in QUOTES):
        toks.pop()
    words: list[str] = []
    if toks and toks[-1].text in ",;:":
        toks.pop()
    if not toks:
        # "During the last 11 months, Sino-Russian trade totalled …": the main clause follows.
        after = right
        while after and after[0].text not in ",;:":
            after = after[1:]
        words = clause_subject(after[1:])
        if words:
            verb = after[1 + len(words) :][:1]
            if verb and verb[0].text.isalpha() and verb[0].text.lower() not in AUX:
                words = [*words, verb[0].text]
    else:
        clause = [t for t in last_clause(toks) if t.text not in QUOTES]
        ands = [i for i, t in enumerate(clause) if t.text.lower() == "and"]
        if ands and ands[-1] < len(clause) - 1:
            clause = clause[ands[-1] + 1 :]
        content = [
            t.text
            for t in clause
            if is_word(t.text) and t.text.lower() not in AUX | PRONOUNS | DETERMINERS
        ]
        words = clean(content[-6:])
    if right and right[0].text.lower() in RIGHT_LINKS and right[0].text.lower() != "ago":
        tail: list[str] = []
        for tok in (t.text for t in right[1:]):
            if not is_word(tok) and tok not in QUOTES:
                break
            if tok in QUOTES or tok.lower() in DETERMINERS:
                continue
            if tail and tok.lower().endswith(("ed", "ing")) and tok.lower() not in NOT_PARTICIPLES:
                break
            tail.append(tok)
            if len(tail) >= 6:
                break
        if tail:
            words = [*words, right[0].text, *tail]
    return words


def _count_measure(
    sentence: str,
    left: list[Token],
    right: list[Token],
    noun: list[str],
) -> list[str]:
    """``Russia has delivered 4 S-400 battalions`` → S-400 battalions (Russia delivered)."""
    last = left[-1].text if left else ""
    low = last.lower()
    if low == "of":
        head = noun_phrase_back(left[:-1], stop_at_prep=True)
        if head:
            return [*noun, f"({' '.join(head)})"]  # "a city of 10 million people"
    if (
        last.isalpha()
        and last.islower()
        and low not in DETERMINERS | PREPOSITIONS | BOUNDARIES | AUX
        and low not in {"and", "or", "of", "but"}
    ):
        after_with = low in SOFT_BOUNDARIES
        if after_with:
            left = left[:-1]  # "passed with 93 votes": the verb, not "with"
        return done_by(noun, _times_measure(left), after_with=after_with)
    # The verb right after it: "5 permanent members voted", "3 trains are running".
    after = [t.text for t in right[:4]]
    passive = False
    while after and after[0].lower() in AUX:
        passive = passive or after[0].lower() in PASSIVE_AUX
        after = after[1:]
    if after and after[0].isalpha() and after[0].islower():
        low = after[0].lower()
        if low in TAKE_PART and after[1:2] == ["part"]:
            return [*noun, "taking part"]  # "3,000 troops took part": not "troops took"
        if low not in DETERMINERS | PREPOSITIONS | BOUNDARIES | FORWARD_STOPS:
            # "3,000 companies now hold yuan accounts" → companies holding yuan accounts
            at = next(i for i, t in enumerate(right) if t.text == after[0])
            rest = [t for t in right[at + 1 :] if t.text.lower() not in DETERMINERS]
            obj = noun_phrase_forward(rest, limit=3)
            return acting(noun, after[0], obj, passive=passive)
    # The first prepositional phrase after it: "took part in the 5-day drills".
    context = _context_after(right)
    if context:
        return [*noun, context]
    opening = clause_subject(tokens(sentence))
    return done_by(noun, opening) if opening else noun


def _context_after(right: list[Token]) -> str:
    """Return the first prepositional phrase after a count: "in the 5-day drills" → in drills.

    The "5-day" is a figure of its own, so it is left out of this one's label.
    """
    for i, tok in enumerate(t.text for t in right):
        if tok.lower() in CONTEXT_PREPS:
            rest = [t for t in right[i + 1 :] if t.text.lower() not in DETERMINERS]
            head = [w for w in noun_phrase_forward(rest) if not is_amount(w)]
            if head:
                return f"{tok.lower()} {' '.join(head)}"
    return ""


def _comparison(right: list[Token], kind: str) -> list[str]:
    """``12 per cent below the Brent benchmark`` → below Brent benchmark."""
    if not right:
        return []
    first = right[0].text.lower()
    rest = right[1:]
    if first in COMPARATIVES and kind in {"percent", "money"}:
        if rest and rest[0].text.lower() == "than":
            rest = rest[1:]
        head = noun_phrase_forward([t for t in rest if t.text.lower() not in DETERMINERS])
        if head and head[-1].lower().rstrip("s") in SPANS:
            return []  # "$45 billion over its lifetime": a span of time, not a comparison
        return [first, *head] if head else []
    if first in DISTANCE_UNITS_AFTER and kind == "quantity":
        if first == "away" and rest and rest[0].text.lower() == "from":
            rest = rest[1:]
        elif first == "away":
            return []
        head = noun_phrase_forward([t for t in rest if t.text.lower() not in DETERMINERS])
        return ["distance from", *head] if head else []
    return []


def _verb_before(left: list[Token]) -> int:
    """How many tokens back the verb of "rose 26% last year to", "stood at", "grew by" starts."""
    for back in range(2, min(len(left), 12) + 1):
        tok = left[-back].text
        if not is_word(tok) and tok[0] not in "%$€£¥₹₽":
            break
        if tok.lower() in CHANGE_VERBS or tok.lower() in TRANSITIVE_CHANGE:
            return back
    if len(left) < 2 or not is_word(left[-2].text):
        return 1
    word = left[-2].text.lower()
    if word in SUBJECT_CUES or word in LINK_VERBS or word.endswith("ed"):
        return 2  # "stood at", "valued at", "estimated at"
    if len(left) >= 3 and left[-3].text.lower() in AUX:
        return 2  # "would add to", "now sail at": a verb after an auxiliary
    return 1  # "the pipeline to": a noun


def _object_after_verb(left: list[Token], back: int) -> list[str]:
    """``lifting total deliveries through the X pipeline to`` → the object of the verb."""
    obj = [t.text for t in left[-back + 1 : -1] if t.text not in QUOTES]
    return trim_long(clean(obj))


def _looks_like_verb(word: str) -> bool:
    low = word.lower()
    return word.islower() and (low in FLOW_VERBS or low.endswith(("ed", "ing")))


_DATELINE = re.compile(
    r"^[A-Z][A-Z.'\- ]+(?:,\s*[A-Z][a-z]+\.?\s+\d{1,2})?(?:\s*\([^)]{1,40}\))?\s*[-–—]+\s+"
)
_OR_RESTATED = re.compile(
    r"(?:,\s*or|\(|,)\s*(?:about|around|roughly|some|nearly|almost|approximately)?\s*$"
)
MORE_WORDS = frozenset("more higher up".split())
LESS_WORDS = frozenset("less lower fewer down".split())
_EARLIER_BASE = re.compile(
    r"(?:a|the|one) (?:year|month|quarter|week) (?:earlier|before|ago)|last (?:year|month)"
    r"|the (?:same|previous|prior) (?:period|year|month|quarter)|in (?:19|20)\d\d"
)
_CHANGE_PREFIX = re.compile(r"^(?:increase|decrease|growth|fall|rise|decline|drop|cut) (?:in|of) ")


def describe(
    sentence: str,
    start: int,
    end: int,
    *,
    kind: str,
    noun: str = "",
    rate: str = "",
    note: str = "",
    earlier: list[str] | None = None,
    earlier_end: int | None = None,
) -> str:
    """Return a short phrase saying what the figure at ``sentence[start:end]`` measures.

    ``earlier`` holds the measures of figures before it in the same sentence (a conversion
    in brackets or "an increase of 32 per cent" refers back to them). The period is not
    part of the phrase: :mod:`worker.analysis.figures_period` reads it.
    """
    figure_kind = FigureKind(kind)
    dateline = _DATELINE.match(sentence)
    if dateline and dateline.end() <= start:
        # "BEIJING, Jan 13 (Reuters) - Trade …": the dateline is not the sentence's subject.
        cut = dateline.end()
        sentence, start, end = sentence[cut:], start - cut, end - cut
        earlier_end = None if earlier_end is None else max(0, earlier_end - cut)
    earlier = earlier or []
    restated = earlier_end is not None and (
        _RESTATEMENT.fullmatch(sentence[earlier_end:start])
        or _OR_RESTATED.search(sentence[earlier_end:start])
    )
    if earlier and restated:
        # "4,300 kilometers (2,672 miles)", "108.5 million tonnes …, or about 2.17 million bpd"
        words = [earlier[-1]]
    else:
        left = drop_raising(strip_approx(tokens(sentence[:start])))
        right = skip_brackets(tokens(sentence[end:]))
        low_left = [t.text.lower() for t in left]
        figure = _Figure(sentence, start, end, figure_kind, noun, earlier, left, right, low_left)
        words = _base(figure)
        if len(words) == 1 and _looks_like_verb(words[0]) and figure_kind != FigureKind.COUNT:
            # A lone verb ("will add 10 bcm", ", costing $2bn"): say whose it is.
            subject = clause_subject(tokens(sentence))
            if subject and words[0] not in subject:
                words = [*subject, words[0]]
    if all(w.lower() in PRONOUNS | DETERMINERS | PREPOSITIONS | SOFT_BOUNDARIES for w in words):
        # "It cost $5 billion": a pronoun says nothing; keep the clause's own words instead.
        rest = tokens(sentence[:start]) + tokens(sentence[end:])
        words = [
            t.text
            for t in rest
            if t.text.isalpha() and t.text.lower() not in FALLBACK_SKIP and not is_numeric(t.text)
        ][:4]
    if words and all(w.lower() in PERIOD_WORDS | {"alone"} for w in words):
        # "…, with December alone totalling $22.3 billion": the measure of the figure before,
        # else what the sentence is about.
        words = [_without_change(earlier[-1])] if earlier else _subject_only(sentence)
    words = _lower_first(as_noun_phrase(words))
    phrase = " ".join(words)
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,;:-–")
    phrase = re.sub(r"\s+(['’]s)\b", r"\1", phrase)
    phrase = _PRONOUN_AGENT.sub("", phrase).strip() or phrase  # "votes (she)", "billed by it"
    phrase = re.sub(r"\bliquefied natural gas\b", "LNG", phrase, flags=re.IGNORECASE)
    phrase = _PAIR.sub(lambda m: f"bilateral {m.group(1).lower()}", phrase)  # "trade between …"
    phrase = re.sub(r"\b(bilateral )+", "bilateral ", phrase)
    if not phrase:
        phrase = kind
    if rate and rate not in phrase:
        phrase = f"{phrase} {rate}"
    if note:
        phrase = f"{phrase} ({note})"
    return phrase


# A pronoun says nothing of whom a figure belongs to: "(she)" after a count, "by it" after a
# participle are dropped from the label.
_PRONOUN_AGENT = re.compile(
    r"\s*\((?:it|he|she|they|we|i|you)\)|\s+by\s+(?:it|he|she|they|we|i|you)\b", re.IGNORECASE
)


def _subject_only(sentence: str) -> list[str]:
    """Return the sentence's subject up to its verb ("Trade rose in November" → Trade)."""
    verbs = CHANGE_VERBS | SUBJECT_CUES | UP_VERBS | DOWN_VERBS | GROW_VERBS
    words = clause_subject(tokens(sentence))
    for i, w in enumerate(words):
        if w.lower() in verbs:
            return words[:i]
    return words


def refers_back(sentence: str, start: int, end: int, *, kind: str) -> bool:
    """Tell a change of the figure before it: "…, up 1% from a year earlier", "a 12% increase".

    Such a figure is for the period of the figure it changes; what follows "from" is its base.
    """
    if kind != FigureKind.PERCENT:
        return False
    left = strip_approx(tokens(sentence[:start]))
    if left and left[-1].text.lower() in {"up", "down"} and (len(left) < 2 or left[-2].text == ","):
        return True
    right = tokens(sentence[end:])
    if _than_before(right):
        return True  # "…, 9% less than a year earlier"
    if not right or right[0].text.lower() not in CHANGE_NOUNS:
        return False
    rest = [t.text.lower() for t in right[1:2]]
    return not rest or rest[0] in {"from", "on", "over", "compared", "against", ",", "."}


def change_base(measure: str, base: str) -> str:
    """Add the base period of a change: "increase in trade" + "Jun" → "… from Jun", or "y/y"."""
    if not base or base in measure:
        return measure
    if base in Y_ON_Y:
        return measure if "year on year" in measure else f"{measure} y/y"
    base = base.removeprefix("from ")
    return f"{measure} from {base}"
