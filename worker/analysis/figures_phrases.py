"""Phrases around a figure, read from its sentence's tokens: the chunker of the measure rules.

No parser or tagger is available offline; these readers walk the tokens before or after a
figure and stop at the word lists of :mod:`worker.analysis.figures_measure_words`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from worker.analysis.figures_measure_words import (
    APPROX,
    AUX,
    BOUNDARIES,
    CLAUSE_VERBS,
    DETERMINERS,
    FORWARD_STOPS,
    IRREGULAR_PARTICIPLES,
    LEADING_FILLERS,
    NOT_PARTICIPLES,
    NUMBER_WORDS,
    PASSIVE_AUX,
    PREDICATE_WORDS,
    PREPOSITIONS,
    QUOTES,
    RAISING,
    SOFT_BOUNDARIES,
    SUBJECT_CUES,
    SUBJECT_PRONOUNS,
    TEMPORAL,
    TRANSITIVE_CHANGE,
)

_TOKEN = re.compile(
    r"(?:Mr|Mrs|Ms|Dr|St|Jr|Gen|Col|Lt|Sen|Rep|Prof|Inc|Co|Ltd|Corp|No|U\.S|U\.K|U\.N|E\.U)\."
    r"|[$€£¥₹₽]?\d[\d,.]*\d(?:-[A-Za-z]+)?"
    r"|[\w$€£¥₹₽][\w’'\-&$€£¥₹₽]*(?:\.(?=\w)[\w]+)*|[^\w\s]"
)

MAX_WORDS = 8


class Token(NamedTuple):
    """A word, number or punctuation mark of a sentence, with its offsets in it."""

    text: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Split text into words (with "Mr." and "U.S." whole), numbers and punctuation marks."""
    # ``_make`` over plain tuples costs about half of calling ``Token(...)`` per token.
    return list(map(Token._make, [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]))


def is_numeric(tok: str) -> bool:
    """Tell a number, amount or number word: never part of what a figure measures."""
    low = tok.lower()
    return (
        not tok[0].isalpha()
        or low in NUMBER_WORDS
        or any(part in NUMBER_WORDS for part in low.split("-"))
    )


def is_word(tok: str) -> bool:
    """Tell a word, number or amount from a punctuation mark."""
    return tok[0].isalnum() or tok[0] in "$€£¥₹₽"


def clean(words: list[str]) -> list[str]:
    """Strip quotes, and the determiners, prepositions and fillers a phrase starts or ends with."""
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


def strip_approx(left: list[Token]) -> list[Token]:
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


def noun_phrase_back(left: list[Token], stop_at_prep: bool) -> list[str]:
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
        if not is_word(tok):
            break
        if low in BOUNDARIES or low in CLAUSE_VERBS:
            break
        if low in SOFT_BOUNDARIES and (i == 0 or not is_word(left[i - 1].text)):
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
    return trim_long(clean(words))


def trim_long(words: list[str]) -> list[str]:
    """Keep the head of a long noun phrase: cut at a later preposition or participle."""
    if len(words) <= 6:
        return words
    for i, w in enumerate(words[2:], start=2):
        low = w.lower()
        if (low in PREPOSITIONS and low not in {"between", "with"}) or (
            low.endswith("ed") and low not in {"united"} and "-" not in low
        ):
            return clean(words[:i])
    return words[-MAX_WORDS:]


def noun_phrase_forward(right: list[Token], limit: int = 4) -> list[str]:
    """Words of the noun phrase that starts ``right``, up to ``limit`` words."""
    words: list[str] = []
    for i, tok in enumerate(t.text for t in right):
        low = tok.lower()
        if tok in QUOTES:
            continue
        if low == "of" and words and words[-1][0].isupper():
            nxt = next((t.text for t in right[i + 1 :] if t.text not in QUOTES), "")
            if nxt[:1].isupper():
                words.append(tok)  # "Power of Siberia"
                continue
        if not is_word(tok) or low in BOUNDARIES or low in AUX or low in PREPOSITIONS:
            break
        if low[0].isdigit() and (
            (words and words[-1][0].isupper()) or re.fullmatch(r"[\d,.]+-[a-z]+", low)
        ):
            words.append(tok)  # "Arctic LNG 2 plant", "the 5-day drills"
            continue
        if low in DETERMINERS or low in FORWARD_STOPS or is_numeric(tok):
            break
        if words and low.endswith(("ed", "ing")) and low not in NOT_PARTICIPLES:
            break
        if words and low in IRREGULAR_PARTICIPLES:
            break
        words.append(tok)
        if len(words) >= limit:
            break
    return words


def _words_after(right: list[Token], word: str) -> list[Token]:
    if right and right[0].text.lower() == word:
        return right[1:]
    return []


def of_phrase(right: list[Token]) -> list[str]:
    """``of Russian trade`` → Russian trade; ``of gas from the X pipeline`` keeps the source."""
    rest = _words_after(right, "of")
    if not rest:
        return []
    rest_clean = list(rest)
    while rest_clean and (
        rest_clean[0].text.lower() in DETERMINERS or rest_clean[0].text in QUOTES
    ):
        rest_clean = rest_clean[1:]
    head = noun_phrase_forward(rest_clean, limit=5)
    if not head:
        return []
    after = rest_clean[len(head) :]
    while after and after[0].text in QUOTES:
        after = after[1:]
    if after and after[0].text.lower() in {"from", "to", "via", "through", "into"}:
        tail = noun_phrase_forward([t for t in after[1:] if t.text not in QUOTES], limit=5)
        skip = 1
        if not tail and len(after) > 1:
            tail = noun_phrase_forward(after[2:], limit=5)
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


def clause_subject(tokens: list[Token]) -> list[str]:
    """Return the opening noun phrase of a sentence or clause, up to its first verb-like word."""
    words: list[str] = []
    for tok in (t.text for t in tokens):
        low = tok.lower()
        if tok in QUOTES:
            continue
        if not is_word(tok) or low in AUX or low in BOUNDARIES or is_numeric(tok):
            break
        words.append(tok)
        if len(words) >= MAX_WORDS:
            break
    return clean(words)


def last_clause(left: list[Token]) -> list[Token]:
    """Return the tokens after the last clause boundary (a comma, bracket, dash or "that")."""
    for i in range(len(left) - 1, -1, -1):
        tok = left[i].text
        if tok in ",;:()—–" or tok.lower() in BOUNDARIES:
            return left[i + 1 :]
    return left


def drop_raising(left: list[Token]) -> list[Token]:
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


def skip_brackets(right: list[Token]) -> list[Token]:
    """Skip "(bcm)" or "($22 billion)" right after the figure, and the "'" of "roubles' worth"."""
    if right and right[0].text in "'’":
        right = right[1:]
    if right and right[0].text == "(":
        for i, tok in enumerate(right):
            if tok.text == ")":
                return right[i + 1 :]
    return right


def owner_before(left: list[Token]) -> list[str]:
    """Return the owner in ``the two countries share a …`` / ``still have a …``."""
    toks = [t for t in left if t.text not in QUOTES]
    while toks and toks[-1].text.lower() in DETERMINERS:
        toks = toks[:-1]
    if not toks or toks[-1].text.lower() not in {"share", "shares", "shared", "have", "has", "had"}:
        return []
    before = toks[:-1]
    while before and before[-1].text.lower() in AUX:
        before = before[:-1]
    owner = noun_phrase_back(before, stop_at_prep=True)[-5:]
    # "They share a 4,200 km border": a pronoun names no owner.
    return [] if len(owner) == 1 and owner[0].lower() in SUBJECT_PRONOUNS else owner
