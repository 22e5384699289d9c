"""The ``measure`` of a key figure: a short phrase from its sentence saying what it measures.

No parser or tagger is available offline, so the phrase comes from grammatical cues around
the number, tried in order:

1. a comparison or distance after it ("12 per cent *below the Brent benchmark*", "300 miles
   *from Vladivostok*");
2. a noun phrase the figure modifies ("a $1 billion *fund*", "a 4,200-kilometer *border*",
   "a 37% *increase in trade*");
3. an ``of``/``in``/``worth of`` phrase after it ("38 bcm *of gas*", "$200 billion *in trade*");
4. the noun phrase before a cue before it: the subject of "reached / rose to / totalled /
   was valued at" ("*China's trade with Russia* has reached $127bn"), the object of a
   transitive change ("lifting *deliveries* to …"), the thing "worth" it, "a *border* of
   4,300 km", a share ("*China* accounting for 18 per cent of …");
5. otherwise the nearest content words of its clause.

Counts say who did what ("*Xi and Putin* have *met* 30 times", "Russia delivered 4
battalions") and durations which clause they belong to. Change figures say what changed ("Trade rose
1.9%" → *increase in trade*, "fell 23.8%" → *fall in …*, "…, up 1% from a year earlier" →
*increase in <the figure before> y/y*); a verb of flow names the flow ("China imported 108.5
million tonnes of Russian crude" → *China's imports of Russian crude*). A rate ("per day") and
a range note are appended; "trade between the two countries" reads as "bilateral trade" so
briefs can group it. The period is not part of the phrase (see
:mod:`worker.analysis.figures_period`).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from worker.analysis.figures_measure_words import (
    APPROX,
    AUX,
    BOUNDARIES,
    CHANGE_NOUNS,
    CHANGE_VERBS,
    CLAUSE_VERBS,
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
    LEADING_FILLERS,
    LINK_VERBS,
    LOWER_FIRST,
    NOT_PARTICIPLES,
    NUMBER_WORDS,
    PASSIVE_AUX,
    PAY_VERBS,
    PERIOD_LEAD,
    PERIOD_WORDS,
    PREDICATE_WORDS,
    PREP_CUES,
    PREPOSITIONS,
    PRONOUNS,
    QUOTES,
    RAISING,
    RIGHT_LINKS,
    SALE_VERBS,
    SHARE_CUES,
    SOFT_BOUNDARIES,
    SPANS,
    SUBJECT_CUES,
    TAKE_VERBS,
    TEMPORAL,
    TRANSITIVE_CHANGE,
    TRANSITIVE_DOWN,
    TRANSITIVE_UP,
    UP_VERBS,
    VERB_NOUNS,
    WEAKEN_VERBS,
    Y_ON_Y,
)

_TOKEN = re.compile(
    r"(?:Mr|Mrs|Ms|Dr|St|Jr|Gen|Col|Lt|Sen|Rep|Prof|Inc|Co|Ltd|Corp|No|U\.S|U\.K|U\.N|E\.U)\."
    r"|[$€£¥₹₽]?\d[\d,.]*\d(?:-[A-Za-z]+)?"
    r"|[\w$€£¥₹₽][\w’'\-&$€£¥₹₽]*(?:\.(?=\w)[\w]+)*|[^\w\s]"
)
_MAX_WORDS = 8


def _is_numeric(tok: str) -> bool:
    """Tell a number, amount or number word: never part of what a figure measures."""
    low = tok.lower()
    return (
        not tok[0].isalpha()
        or low in NUMBER_WORDS
        or any(part in NUMBER_WORDS for part in low.split("-"))
    )


class Token(NamedTuple):
    """A word, number or punctuation mark of a sentence, with its offsets in it."""

    text: str
    start: int
    end: int


def _tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _is_word(tok: str) -> bool:
    return tok[0].isalnum() or tok[0] in "$€£¥₹₽"


_PAIR = re.compile(
    r"\b(\w[\w\-]*) between (?:the )?(?:two|both)(?: [\w\-]+)? (?:countries|sides|nations|states"
    r"|players|partners|neighbours|neighbors|powers|economies|parties)\b"
)


def _clean(words: list[str]) -> list[str]:
    out = [w.strip(QUOTES) for w in words]
    out = [w for w in out if w]
    while out and (
        out[0].lower() in DETERMINERS
        or out[0].lower() in PREPOSITIONS
        or out[0].lower() in LEADING_FILLERS
        or (len(out) > 1 and out[0] in TRANSITIVE_CHANGE)
    ):
        out.pop(0)
    while out and (
        out[-1].lower() in DETERMINERS
        or out[-1].lower() in PREPOSITIONS
        or out[-1].lower() in {"of", "and", "or"}
        or not out[-1][0].isalpha()
    ):
        out.pop()
    return out


def _strip_approx(left: list[Token]) -> list[Token]:
    """Drop "more than", "a record high of", "about" … directly before the figure."""
    changed = True
    while changed and left:
        changed = False
        tail = " ".join(t.text.lower() for t in left[-4:])
        for phrase in APPROX:
            n = len(phrase.split())
            if len(left) >= n and (tail == phrase or tail.endswith(" " + phrase)):
                left = left[:-n]
                changed = True
                break
    return left


def _noun_phrase_back(left: list[Token], stop_at_prep: bool) -> list[str]:
    """Words of the noun phrase that ends ``left``, read backwards to a boundary."""
    words: list[str] = []
    skip_to = -1
    for i in range(len(left) - 1, -1, -1):
        tok = left[i].text
        low = tok.lower()
        if skip_to >= 0:
            if i == skip_to:
                skip_to = -1
            continue
        if tok in QUOTES:
            continue
        if tok == ")" and words:
            # "deliveries through the ESPO (Eastern …) line": skip the bracket, keep reading.
            opening = [j for j in range(i) if left[j].text == "("]
            if opening:
                skip_to = opening[-1]
                continue
        if not _is_word(tok):
            break
        if low in BOUNDARIES or low in CLAUSE_VERBS:
            break
        if low in SOFT_BOUNDARIES and (i == 0 or not _is_word(left[i - 1].text)):
            break  # ", with bilateral trade reaching …" opens a clause
        if low == "and" and i > 0:
            prev = left[i - 1].text.lower()
            if prev in TEMPORAL or prev[0].isdigit():
                break  # "… in November and real wage growth was …" joins two clauses
        if low in AUX and words:
            break
        if low in AUX or (not words and low.endswith("ly") and tok.islower()):
            continue  # "can eventually reach": skip the auxiliary and the adverb
        if not words and low in PREDICATE_WORDS:
            continue  # "Trade was virtually flat at $21.3 billion": the predicate, not the subject
        if stop_at_prep and (low in PREPOSITIONS or low in DETERMINERS):
            break
        if (
            low == "of"
            and words
            and words[-1][:1].isupper()
            and i > 0
            and left[i - 1].text[:1].isupper()
        ):
            words.append(tok)  # "Power of Siberia 2 pipeline"
            continue
        if low in SUBJECT_CUES and words:
            break
        words.append(tok)
        if len(words) >= 16:
            break
    words.reverse()
    return _trim_long(_clean(words))


def _trim_long(words: list[str]) -> list[str]:
    """Keep the head of a long noun phrase: cut at a later preposition or participle."""
    if len(words) <= 6:
        return words
    for i, w in enumerate(words[2:], start=2):
        low = w.lower()
        if (low in PREPOSITIONS and low not in {"between", "with"}) or (
            low.endswith("ed") and low not in {"united"} and "-" not in low
        ):
            return _clean(words[:i])
    return words[-_MAX_WORDS:]


def _noun_phrase_forward(right: list[Token], limit: int = 4) -> list[str]:
    words: list[str] = []
    for i, (tok, _, _) in enumerate(right):
        low = tok.lower()
        if tok in QUOTES:
            continue
        if low == "of" and words and words[-1][0].isupper():
            nxt = next((t.text for t in right[i + 1 :] if t.text not in QUOTES), "")
            if nxt[:1].isupper():
                words.append(tok)  # "Power of Siberia"
                continue
        if not _is_word(tok) or low in BOUNDARIES or low in AUX or low in PREPOSITIONS:
            break
        if low[0].isdigit() and (
            (words and words[-1][0].isupper()) or re.fullmatch(r"[\d,.]+-[a-z]+", low)
        ):
            words.append(tok)  # "Arctic LNG 2 plant", "the 5-day drills"
            continue
        if low in DETERMINERS or low in FORWARD_STOPS or _is_numeric(tok):
            break
        if words and low.endswith(("ed", "ing")) and low not in NOT_PARTICIPLES:
            break
        words.append(tok)
        if len(words) >= limit:
            break
    return words


def _words_after(right: list[Token], word: str) -> list[Token]:
    if right and right[0].text.lower() == word:
        return right[1:]
    return []


def _of_phrase(right: list[Token]) -> list[str]:
    """``of Russian trade`` → Russian trade; ``of gas from the X pipeline`` keeps the source."""
    rest = _words_after(right, "of")
    if not rest:
        return []
    rest_clean = list(rest)
    while rest_clean and (
        rest_clean[0].text.lower() in DETERMINERS or rest_clean[0].text in QUOTES
    ):
        rest_clean = rest_clean[1:]
    head = _noun_phrase_forward(rest_clean, limit=5)
    if not head:
        return []
    after = rest_clean[len(head) :]
    while after and after[0].text in QUOTES:
        after = after[1:]
    if after and after[0].text.lower() in {"from", "to", "via", "through", "into"}:
        tail = _noun_phrase_forward([t for t in after[1:] if t.text not in QUOTES], limit=5)
        skip = 1
        if not tail and len(after) > 1:
            tail = _noun_phrase_forward(after[2:], limit=5)
            skip = 2
        if tail:
            head = [*head, after[0].text, *tail]
            after = after[skip + len(tail) :]
    return [*head, *_passive_predicate(after)]


def _passive_predicate(after: list[Token]) -> list[str]:
    """Return the participles after "… of payments were": *delayed or returned*.

    An active verb with its object says which ones too: "80% of exporters reported
    difficulties" → *that reported difficulties*.
    """
    words = [t.text for t in after[:6]]
    if (
        len(words) >= 2
        and words[0].islower()
        and words[0].endswith("ed")
        and words[1].isalpha()
        and words[1].islower()
        and words[1] not in DETERMINERS | PREPOSITIONS | BOUNDARIES
        and not words[1].endswith("ly")
    ):
        return ["that", words[0], words[1]]
    i = 0
    while i < len(words) and words[i].lower() in PASSIVE_AUX | {"had", "have", "has"}:
        i += 1
    if i == 0:
        return []
    out: list[str] = []
    while i < len(words):
        w = words[i]
        if w.islower() and w.endswith("ed"):
            out.append(w)
        elif w in {"or", "and"} and out:
            out.append(w)
        else:
            break
        i += 1
    while out and out[-1] in {"or", "and"}:
        out.pop()
    return out


def _clause_subject(tokens: list[Token]) -> list[str]:
    """Return the opening noun phrase of a sentence or clause, up to its first verb-like word."""
    words: list[str] = []
    for tok, _, _ in tokens:
        low = tok.lower()
        if tok in QUOTES:
            continue
        if not _is_word(tok) or low in AUX or low in BOUNDARIES or _is_numeric(tok):
            break
        words.append(tok)
        if len(words) >= _MAX_WORDS:
            break
    return _clean(words)


def _last_clause(left: list[Token]) -> list[Token]:
    for i in range(len(left) - 1, -1, -1):
        tok = left[i].text
        if tok in ",;:()—–" or tok.lower() in BOUNDARIES:
            return left[i + 1 :]
    return left


def _times_measure(left: list[Token]) -> list[str]:
    """``Xi and Putin … have met 30 times`` → Xi and Putin met."""
    if not left or not _is_word(left[-1].text) or left[-1].text.lower() in AUX:
        return []
    verb = left[-1].text
    before = left[:-1]
    while before and before[-1].text.lower() in AUX:
        before = before[:-1]
    if before and before[-1].text.lower() == "and":
        before = before[:-1]
        clause = _last_clause(before)
        subject = _clause_subject(clause)
    else:
        subject = _noun_phrase_back(before, stop_at_prep=False)
    if not subject and before and before[-1].text == ",":
        # ", selling 1.1 million vehicles": the participle's subject opens the sentence.
        subject = _clause_subject(before)
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
        payer = _noun_phrase_back(left[:verb_at], stop_at_prep=True)
        return [*head, left[verb_at].text, "by", *payer] if payer else []
    what = _noun_phrase_forward(rest[1:], limit=5)
    if not what:
        return []
    return [*head, left[verb_at].text, "for", *what]


def _price_at(left: list[Token]) -> list[str]:
    """Name a price: "Gazprom sold gas to China at $200 per 1,000 cubic meters"."""
    low = [t.text.lower() for t in left]
    if not low or low[-1] != "at":
        return []
    for k in range(2, min(len(low), 9) + 1):
        if not _is_word(left[-k].text):
            return []
        if low[-k] in SALE_VERBS:
            obj = _clean([t.text for t in left[-k + 1 : -1]])
            return ["price of", *obj] if obj else []
    return []


def _possessive(words: list[str]) -> str:
    """Return "China" → "China's" (kept as is when it already is one)."""
    owner = " ".join(words)
    return owner if owner.endswith(("'s", "’s")) else f"{owner}'s"


def _drop_raising(left: list[Token]) -> list[Token]:
    """Drop "expected to", "set to", "designed to" so the subject meets its verb."""
    out: list[Token] = []
    for i, tok in enumerate(left):
        nxt = left[i + 1].text.lower() if i + 1 < len(left) else ""
        if tok.text.lower() in RAISING and nxt == "to" and i + 2 < len(left):
            continue
        if tok.text.lower() == "to" and out and out[-1].text.lower() in AUX and i + 1 < len(left):
            continue
        if tok.text.lower() == "to" and i > 0 and left[i - 1].text.lower() in RAISING:
            continue
        out.append(tok)
    return out


def _skip_brackets(right: list[Token]) -> list[Token]:
    """Skip "(bcm)" or "($22 billion)" right after the figure, and the "'" of "roubles' worth"."""
    if right and right[0].text in "'’":
        right = right[1:]
    if right and right[0].text == "(":
        for i, tok in enumerate(right):
            if tok.text == ")":
                return right[i + 1 :]
    return right


def _is_earlier(low_left: list[str]) -> bool:
    tail = low_left[-3:]
    return (
        (len(tail) >= 2 and tail[-1] == "from" and tail[-2] in {"up", "down", ","})
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
                obj = _clean([t.text for t in left[-k + 1 : -1]])
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
    subject = _noun_phrase_back(left[:-back], stop_at_prep=False)
    if not subject and earlier:
        subject = [_without_change(earlier[-1])]  # ", after growing 26.3% a year earlier"
    if not subject:
        subject = _clause_subject(_tokens(sentence))
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
        antecedent = _noun_phrase_back(before, stop_at_prep=True)
        if antecedent:
            return [noun, "of", *of, "via" if noun == "flows" else "by", *antecedent]
    subject = _noun_phrase_back(before, stop_at_prep=True)
    if not subject:
        subject = _clause_subject(_tokens(sentence))
    if subject and any("'" in w or "’" in w for w in subject):
        return [noun, "of", *of, "by", *subject]  # not "Russia's Gazprom's flows"
    if subject and len(subject) <= 6 and any(w[0].isupper() for w in subject):
        owner = " ".join(subject)
        mark = "’" if "’" in sentence else "'"
        owner = owner if owner.endswith(("’s", "'s")) else f"{owner}{mark}s"
        return [owner, noun, "of", *of]
    return [noun, "of", *of]


def _base(
    sentence: str,
    start: int,
    end: int,
    kind: str,
    noun: str,
    earlier: list[str],
) -> list[str]:
    left = _drop_raising(_strip_approx(_tokens(sentence[:start])))
    right = _skip_brackets(_tokens(sentence[end:]))
    low_left = [t.text.lower() for t in left]

    if left and left[-1].text == "(" and earlier:
        return [earlier[-1]]  # "4,300 kilometers (2,672 miles)": a conversion of the last one
    if _is_earlier(low_left):
        # "reached X, up from Y", "compared with Y", ", from Y": the same measure as before,
        # at an earlier time (its own period is read separately).
        if earlier:
            return [_without_change(earlier[-1]) if kind != "percent" else earlier[-1]]
        subject = _clause_subject(_tokens(sentence))
        if subject:
            return subject

    if kind == "percent" and low_left and low_left[-1] in {"up", "down"}:
        # "shipped 22.7 bcm last year, up 45% from 2022": the change in the figure before.
        change = "increase in" if low_left[-1] == "up" else "decrease in"
        what = [_RATE_TAIL.sub("", _without_change(earlier[-1]))] if earlier else []
        what = what or _clause_subject(_tokens(sentence))
        if what:
            return [change, *what]

    paid = _price_paid(left, right) or _price_at(left) if kind == "money" else []
    if paid:
        return paid
    if kind in {"percent", "money", "quantity"}:
        changed = _change_measure(left, earlier, sentence)
        if changed:
            return changed
    if kind in {"money", "quantity"} and len(low_left) >= 2 and low_left[-2:] == [",", "to"]:
        # "a 7.2% increase in its defence budget for 2024, to 1.67 trillion yuan"
        if earlier and _CHANGE_PREFIX.match(earlier[-1]):
            return [_without_change(earlier[-1])]

    if kind == "duration":
        if "-" in sentence[start:end]:
            head = _noun_phrase_forward(right)
            if head:
                return head  # "the 5-day drills"
        return _duration_measure(left, right)

    if kind == "count":
        if noun.lower().endswith("times"):
            return _times_measure(left) or noun.split()
        return _count_measure(sentence, left, right, noun.split())

    # 0. a comparison or a distance after it: "12 per cent below the Brent benchmark",
    # "300 miles from Vladivostok".
    # ("would stretch 2,000 km from Sakhalin" is a length, not a distance from Sakhalin.)
    extent = bool(low_left) and low_left[-1] in EXTENT_VERBS
    compared = [] if extent else _comparison(right, kind)
    if compared:
        return compared

    # 1. a noun phrase the figure modifies.
    if kind in {"money", "quantity", "percent"} or sentence[end - 1 : end].isalpha():
        head = _noun_phrase_forward(right)
        if head and head[0].lower().endswith("ed"):
            head = []  # "the $240 billion reached in 2023": a verb, not a modified noun
        if head and not head[0][0].isupper() and len(head[0]) > 2:
            rest = right[len(head) :]
            if len(head) == 1 and rest and rest[0].text.lower() in {"to", "for"}:
                purpose = _noun_phrase_forward(rest[1:], limit=3)
                if purpose:
                    head = [*head, rest[0].text, *purpose]
            elif head[-1].lower() in CHANGE_NOUNS and rest and rest[0].text.lower() in {"in", "of"}:
                # "a 37% increase in annual bilateral trade"
                what = _noun_phrase_forward(
                    [t for t in rest[1:] if t.text.lower() not in DETERMINERS]
                )
                if what:
                    head = [*head, rest[0].text, *what]
            elif head[-1].lower() in CHANGE_NOUNS and earlier:
                # "8.3 million tonnes …, a 5% rise on the same period": the change of that.
                return [head[-1].lower(), "in", _RATE_TAIL.sub("", _without_change(earlier[-1]))]
            elif head[-1].lower() in {"share", "stake", "proportion"} and rest:
                of = _of_phrase(rest)
                if of:
                    head = [*head, "of", *of]  # "a 4% share of China's foreign trade"
            owner = _owner(left)
            if owner and head[0].lower() in {"share", "stake", "proportion"}:
                return [f"{' '.join(owner)}'s", *head]
            return [*head, "of", *owner] if owner else head

    # 2. an "of" / "in" phrase after it ("$409 million worth of natural gas").
    if len(right) > 1 and right[0].text.lower() == "worth" and right[1].text.lower() == "of":
        right = right[1:]
    of = _of_phrase(right)
    if of and kind != "percent":
        flow = _verb_of(left, of, sentence)
        if flow:
            return flow
    if not of and kind in {"quantity", "money"} and right and right[0].text.lower() in FLOW_PREPS:
        # "Russia shipped 22.7 bcm to China": Russia's shipments to China.
        where = _noun_phrase_forward([t for t in right[1:] if t.text.lower() not in DETERMINERS])
        flow = _verb_of(left, [], sentence) if where else []
        if flow:
            return [*flow[:-1], right[0].text.lower(), *where] if flow[-1] == "of" else flow
    if of:
        tail = " ".join(low_left[-2:])
        for cue in SHARE_CUES:
            if tail.endswith(cue):
                subject = _noun_phrase_back(left[: -len(cue.split())], stop_at_prep=True)
                return [_possessive(subject), "share of", *of] if subject else ["share of", *of]
        if of in (["them"], ["it"], ["those"]) and earlier:
            of = [_without_change(earlier[-1])]  # "China took 21% of them": of the figure before
        if kind == "percent":
            if low_left and low_left[-1] in TAKE_VERBS:
                owner = _noun_phrase_back(left[:-1], stop_at_prep=True)
                if owner:
                    return [f"{' '.join(owner)}'s", "share of", *of]  # "China took 21% of …"
            if low_left and low_left[-1] in SUBJECT_CUES:
                subject = _noun_phrase_back(left[:-1], stop_at_prep=False)
                if subject:
                    # "Settlements in roubles and yuan reached 90% of bilateral trade"
                    return [*subject, "as share of", *of]
            return ["share of", *of]
        return of
    if kind == "money" and right and right[0].text.lower() == "in":
        head = _noun_phrase_forward([t for t in right[1:] if t.text.lower() not in DETERMINERS])
        said = {part for w in head for part in w.lower().split("-")}
        if head and not said & PERIOD_WORDS and not head[0][0].isdigit():
            return head  # "$200 billion in trade", not "$3.9 trillion in August"

    # 3. the noun phrase before a cue.
    if low_left:
        last = low_left[-1]
        if last == "of":
            head = _noun_phrase_back(left[:-1], stop_at_prep=True)
            if head and head[-1].lower() in CHANGE_NOUNS:
                if earlier:
                    return [head[-1], "in", earlier[-1]]
                subject = _clause_subject(_tokens(sentence))
                return [head[-1], "in", *subject] if subject else head
            if head and head[-1].lower() in GENERIC_HEADS:
                more = _noun_phrase_back(left[: -1 - len(head)], stop_at_prep=False)
                return [*more, *head] if more else head
            if head:
                owner = _owner(left[: -1 - len(head)])
                return [*head, "of", *owner] if owner else head
        if last in COMPARE_CUES:
            head = _noun_phrase_back(left[:-1], stop_at_prep=True)
            if head:
                return head
        if last == "worth":
            before = left[:-1]
            if before and before[-1].text == ",":
                before = before[:-1]  # "The deal, worth $45 billion, …"
            head = _noun_phrase_back(before, stop_at_prep=True)
            cut = next((i for i, w in enumerate(head) if i and w.islower() and w.endswith("ed")), 0)
            if cut and cut < len(head) - 1:
                return ["value of", *head[cut + 1 :]]  # "companies placed bonds worth …"
            if head:
                return [*head, "value"]
        for cue in SHARE_CUES:
            n = len(cue.split())
            if " ".join(low_left[-n:]) == cue:
                subject = _noun_phrase_back(left[:-n], stop_at_prep=True)
                return [_possessive(subject), "share"] if subject else ["share"]
        if last in SUBJECT_CUES or last in PREP_CUES or last in {"valued", "worth"}:
            skip = 1
            if last in PREP_CUES:
                skip = _verb_before(left)
                verb = left[-skip].text.lower() if skip > 1 else ""
                if verb in TRANSITIVE_CHANGE and skip > 2:
                    obj = _object_after_verb(left, skip)
                    if obj:
                        return obj
            subject = _noun_phrase_back(left[:-skip], stop_at_prep=False)
            if subject:
                if last == "by":
                    return [*subject, left[-2].text]
                if last in {"cost", "costs", "costing"}:
                    return ["cost of", *subject]  # "The link would cost $13.6 billion"
                return subject

    # 4. fall back on the nearest content words of the clause.
    clause = _last_clause(left)
    subject = _clause_subject(clause)
    if subject:
        if subject[-1].lower() in EXTENT_VERBS and len(subject) > 1:
            return [*subject[:-1], EXTENT_VERBS[subject[-1].lower()]]  # "the line stretches"
        if extent:
            return [*subject, EXTENT_VERBS[low_left[-1]]]  # "the line would stretch"
        return subject
    cut = len(left) - len(clause) - 1
    if 0 <= cut < len(left) and left[cut].text.lower() in {"that", "which", "who"}:
        # "a 6,000 km route that could move 25 bcm": the relative clause's antecedent.
        before = left[:cut]
        if before and before[-1].text == ",":
            before = before[:-1]  # "The proposed pipeline, which would run 2,600 km"
        antecedent = _noun_phrase_back(before, stop_at_prep=True)
        if not antecedent and before:
            antecedent = _clause_subject(before)
        verbs = [t.text for t in clause if _is_word(t.text) and t.text.lower() not in AUX]
        if antecedent and extent:
            return [*antecedent, EXTENT_VERBS[low_left[-1]]]
        if antecedent:
            return [*antecedent, *verbs[-2:]]
    words = [
        t.text
        for t in clause
        if t.text[0].isalpha()
        and t.text.lower() not in AUX | DETERMINERS | PREPOSITIONS | LEADING_FILLERS
    ]
    words = _clean(words[-4:])
    if words:
        return words
    # Nothing before it in its clause: the words after it ("… ; 21 per cent were in yuan").
    after = []
    for tok, _, _ in right:
        if not _is_word(tok) or tok.lower() in BOUNDARIES:
            break
        if tok[0].isalpha() and tok.lower() not in FALLBACK_SKIP and not _is_numeric(tok):
            after.append(tok)
    if after:
        return after[:4]
    return _clause_subject(_tokens(sentence))


# What may stand between a figure and a restatement of it in other units.
_RESTATEMENT = re.compile(
    r"\s*(?:(?:last|this|next) (?:year|month|week|quarter)|in (?:19|20)\d\d)?"
    r"\s*[,(]\s*(?:about|around|or|some|roughly|nearly|almost|approximately|equivalent to"
    r"|i\.e\.|or about|or around)?\s*"
)


def _duration_measure(left: list[Token], right: list[Token]) -> list[str]:
    """Say what lasted that long: the clause the period belongs to, and what it counts from."""
    for i, (tok, _, _) in enumerate(left):
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
        words = _clause_subject(after[1:])
        if words:
            verb = after[1 + len(words) :][:1]
            if verb and verb[0].text.isalpha() and verb[0].text.lower() not in AUX:
                words = [*words, verb[0].text]
    else:
        clause = [t for t in _last_clause(toks) if t.text not in QUOTES]
        ands = [i for i, t in enumerate(clause) if t.text.lower() == "and"]
        if ands and ands[-1] < len(clause) - 1:
            clause = clause[ands[-1] + 1 :]
        content = [
            t.text
            for t in clause
            if _is_word(t.text) and t.text.lower() not in AUX | PRONOUNS | DETERMINERS
        ]
        words = _clean(content[-6:])
    if right and right[0].text.lower() in RIGHT_LINKS and right[0].text.lower() != "ago":
        tail: list[str] = []
        for tok, _, _ in right[1:]:
            if not _is_word(tok) and tok not in QUOTES:
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
        head = _noun_phrase_back(left[:-1], stop_at_prep=True)
        if head:
            return [*noun, f"({' '.join(head)})"]  # "a city of 10 million people"
    if (
        last.isalpha()
        and last.islower()
        and low not in DETERMINERS | PREPOSITIONS | BOUNDARIES | AUX
        and low not in {"and", "or", "of", "but"}
    ):
        if low in SOFT_BOUNDARIES:
            left = left[:-1]  # "passed with 93 votes": the verb, not "with"
        return [*noun, f"({' '.join(_times_measure(left))})"]
    # The verb right after it: "5 permanent members voted", "3 trains are running".
    after = [t.text for t in right[:4]]
    while after and after[0].lower() in AUX:
        after = after[1:]
    if after and after[0].isalpha() and after[0].islower():
        low = after[0].lower()
        if low not in DETERMINERS | PREPOSITIONS | BOUNDARIES | FORWARD_STOPS:
            return [*noun, after[0]]
    # The first prepositional phrase after it: "took part in the 5-day drills".
    for i, (tok, _, _) in enumerate(right):
        if tok.lower() in CONTEXT_PREPS:
            rest = [t for t in right[i + 1 :] if t.text.lower() not in DETERMINERS]
            head = _noun_phrase_forward(rest)
            if head:
                return [*noun, f"({tok.lower()} {' '.join(head)})"]
    opening = _clause_subject(_tokens(sentence))
    return [*noun, f"({' '.join(opening)})"] if opening else noun


def _comparison(right: list[Token], kind: str) -> list[str]:
    """``12 per cent below the Brent benchmark`` → below Brent benchmark."""
    if not right:
        return []
    first = right[0].text.lower()
    rest = right[1:]
    if first in COMPARATIVES and kind in {"percent", "money"}:
        if rest and rest[0].text.lower() == "than":
            rest = rest[1:]
        head = _noun_phrase_forward([t for t in rest if t.text.lower() not in DETERMINERS])
        if head and head[-1].lower().rstrip("s") in SPANS:
            return []  # "$45 billion over its lifetime": a span of time, not a comparison
        return [first, *head] if head else []
    if first in DISTANCE_UNITS_AFTER and kind == "quantity":
        if first == "away" and rest and rest[0].text.lower() == "from":
            rest = rest[1:]
        elif first == "away":
            return []
        head = _noun_phrase_forward([t for t in rest if t.text.lower() not in DETERMINERS])
        return ["distance from", *head] if head else []
    return []


def _verb_before(left: list[Token]) -> int:
    """How many tokens back the verb of "rose 26% last year to", "stood at", "grew by" starts."""
    for back in range(2, min(len(left), 12) + 1):
        tok = left[-back].text
        if not _is_word(tok) and tok[0] not in "%$€£¥₹₽":
            break
        if tok.lower() in CHANGE_VERBS or tok.lower() in TRANSITIVE_CHANGE:
            return back
    if len(left) < 2 or not _is_word(left[-2].text):
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
    return _trim_long(_clean(obj))


def _owner(left: list[Token]) -> list[str]:
    """Return the owner in ``the two countries share a …`` / ``still have a …``."""
    toks = [t for t in left if t.text not in QUOTES]
    while toks and toks[-1].text.lower() in DETERMINERS:
        toks = toks[:-1]
    if not toks or toks[-1].text.lower() not in {"share", "shares", "shared", "have", "has", "had"}:
        return []
    before = toks[:-1]
    while before and before[-1].text.lower() in AUX:
        before = before[:-1]
    return _noun_phrase_back(before, stop_at_prep=True)[-5:]


def _looks_like_verb(word: str) -> bool:
    low = word.lower()
    return word.islower() and (low in FLOW_VERBS or low.endswith(("ed", "ing")))


_DATELINE = re.compile(
    r"^[A-Z][A-Z.'\- ]+(?:,\s*[A-Z][a-z]+\.?\s+\d{1,2})?(?:\s*\([^)]{1,40}\))?\s*[-–—]+\s+"
)
_OR_RESTATED = re.compile(
    r"(?:,\s*or|\(|,)\s*(?:about|around|roughly|some|nearly|almost|approximately)?\s*$"
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
        words = _base(sentence, start, end, kind, noun, earlier)
        if len(words) == 1 and _looks_like_verb(words[0]) and kind != "count":
            # A lone verb ("will add 10 bcm", ", costing $2bn"): say whose it is.
            subject = _clause_subject(_tokens(sentence))
            if subject and words[0] not in subject:
                words = [*subject, words[0]]
    if all(w.lower() in PRONOUNS | DETERMINERS | PREPOSITIONS | SOFT_BOUNDARIES for w in words):
        # "It cost $5 billion": a pronoun says nothing; keep the clause's own words instead.
        rest = _tokens(sentence[:start]) + _tokens(sentence[end:])
        words = [
            t.text
            for t in rest
            if t.text.isalpha() and t.text.lower() not in FALLBACK_SKIP and not _is_numeric(t.text)
        ][:4]
    if words and all(w.lower() in PERIOD_WORDS | {"alone"} for w in words):
        # "…, with December alone totalling $22.3 billion": the measure of the figure before,
        # else what the sentence is about.
        words = [_without_change(earlier[-1])] if earlier else _subject_only(sentence)
    words = _lower_first([w for w in words if w != "(earlier value)"])
    phrase = " ".join(words)
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,;:-–")
    phrase = re.sub(r"\s+(['’]s)\b", r"\1", phrase)
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


def _subject_only(sentence: str) -> list[str]:
    """Return the sentence's subject up to its verb ("Trade rose in November" → Trade)."""
    verbs = CHANGE_VERBS | SUBJECT_CUES | UP_VERBS | DOWN_VERBS | GROW_VERBS
    words = _clause_subject(_tokens(sentence))
    for i, w in enumerate(words):
        if w.lower() in verbs:
            return words[:i]
    return words


def refers_back(sentence: str, start: int, end: int, *, kind: str) -> bool:
    """Tell a change of the figure before it: "…, up 1% from a year earlier", "a 12% increase".

    Such a figure is for the period of the figure it changes; what follows "from" is its base.
    """
    if kind != "percent":
        return False
    left = _strip_approx(_tokens(sentence[:start]))
    if left and left[-1].text.lower() in {"up", "down"} and (len(left) < 2 or left[-2].text == ","):
        return True
    right = _tokens(sentence[end:])
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
