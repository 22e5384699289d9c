"""Keep a figure's label a noun phrase: no reporting verb in front, no bare verb at the end.

A clause inside the label is first turned into a noun phrase by
:mod:`worker.analysis.figures_clause`.
"""

from __future__ import annotations

from worker.analysis.figures_clause import as_noun
from worker.analysis.figures_measure_words import (
    DANGLING,
    DETERMINERS,
    INTENT_VERBS,
    PREPOSITIONS,
    VERB_HEADS,
)

# "…, saying transit fees would bring in $1 billion": what is said is the measure, not the saying.
REPORTING_VERBS = frozenset(
    """saying says said adding noting notes noted warning warns warned arguing argues argued
    claiming claims claimed stating states stated telling told insisting explaining
    expect expects expected forecast forecasts predict predicts predicted""".split()
)

# A verb whose object names the measure, wherever it stands: "the measures cover imports".
COVER_VERBS = frozenset("cover covers covered covering include includes included including".split())
FRAME_VERBS = REPORTING_VERBS | COVER_VERBS

# A verb whose object names the measure when it opens the label: "add fees of up to 5%".
OBJECT_VERBS = COVER_VERBS | frozenset("add adds carry carries".split())

# Words before "states" that make it a noun ("member states", "Gulf states").
_STATES_NOUN = frozenset("member gulf baltic island city arab african nation".split())

# Words before a verb that own nothing: "they owe" is not "they debt".
_NOT_OWNERS = frozenset("i you he she it we they can’t can't won’t won't don’t don't".split())

COST_VERBS = frozenset("cost costs costing".split())

# "The company plans to invest 1.6 trillion rubles": its planned investment.
ACTION_NOUNS = {
    "invest": "investment",
    "spend": "spending",
    "borrow": "borrowing",
    "buy": "purchases",
    "sell": "sales",
    "export": "exports",
    "import": "imports",
    "ship": "shipments",
    "supply": "supplies",
    "deliver": "deliveries",
    "produce": "output",
    "build": "construction",
}

_SKIP = DETERMINERS | {"that"}


def _object(words: list[str]) -> list[str]:
    """Return the words after a verb, past determiners; empty if a preposition comes next."""
    rest = list(words)
    while rest and rest[0].lower() in _SKIP:
        rest = rest[1:]
    if not rest or rest[0].lower() in PREPOSITIONS or rest[0].lower() == "to":
        return []
    return rest


def as_noun_phrase(words: list[str]) -> list[str]:
    """Return ``words`` as a noun phrase, or unchanged when no verb frames them.

    A reporting verb and what precedes it go ("Analysts expect bilateral trade" → bilateral
    trade), and so does a function word at the end ("traded near"); a leading verb gives way
    to its object ("covers a line" → line); a trailing bare verb becomes the noun of what it
    measures ("line carry" → line capacity), and an intended one its plan ("company plans to
    invest" → company's planned investment).
    """
    out = as_noun(words)
    for i in range(len(out) - 1, -1, -1):
        if out[i] == "states" and i and out[i - 1].lower() in _STATES_NOUN:
            continue  # "27 member states": a noun, not "X states that …"
        if out[i] in FRAME_VERBS:  # lower case: "Forecast" opening a title is a noun
            rest = _object(out[i + 1 :])
            if rest:
                out = rest
            break
    while len(out) > 1 and out[-1].lower() in DANGLING:
        out = out[:-1]
    if len(out) > 1 and out[0] in OBJECT_VERBS:
        out = _object(out[1:]) or out
    if len(out) > 3 and out[-3] in INTENT_VERBS and out[-2] == "to" and out[-1] in ACTION_NOUNS:
        owner = " ".join(out[:-3])
        owner = owner if owner.endswith(("'s", "’s", "s'")) else f"{owner}'s"
        out = [owner, "planned", ACTION_NOUNS[out[-1]]]
    elif len(out) > 1 and out[-1] in VERB_HEADS and out[-2].lower() not in _NOT_OWNERS:
        out = [*out[:-1], VERB_HEADS[out[-1]]]
    elif len(out) > 1 and out[-1] in COST_VERBS:
        out = ["cost of", *out[:-1]]
    return out
