"""A strict check that a figure's label reads as a short noun phrase an analyst would write.

A label fails when it holds a finite verb in clause position ("trade totalled", "Bank of
China froze 1,000 accounts"), opens with a time word as its subject ("Tuesday quadrupled
tariffs"), repeats its own figure or carries another amount ("fell to USD 797 bn"), runs
past :data:`MAX_WORDS` words, has a pronoun for its subject ("we estimate"), or starts or
ends on a function word ("below Brent benchmark", "traded near"). No tagger is available
offline, so verbs come from a lexicon: the verb lists the measure rules already read with,
plus common news verbs, with the words that are as often nouns ("trade", "exports", "plans",
"rise") left out of the present-tense forms.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from corpus.pipeline_values import Figure
from worker.analysis.figures import extract_figures
from worker.analysis.figures_label import FRAME_VERBS, INTENT_VERBS
from worker.analysis.figures_measure_words import (
    AUX,
    CHANGE_VERBS,
    DETERMINERS,
    DOWN_VERBS,
    FLOW_VERBS,
    LINK_VERBS,
    NOT_PARTICIPLES,
    PAY_VERBS,
    PREPOSITIONS,
    SALE_VERBS,
    SUBJECT_CUES,
    TAKE_VERBS,
    TRANSITIVE_CHANGE,
    UP_VERBS,
)

MAX_WORDS = 8

# Past forms that are never participles: finite wherever a subject precedes them.
PAST_ONLY = frozenset(
    """fell rose grew froze flew took came went gave saw ran began became drove wrote spoke
    shrank sank broke chose knew drew threw rode swore stole wore forgave forbade swam""".split()
)

# Forms that are past tense or past participle: finite after a subject when an object
# follows them or nothing does ("trade totalled", "Tuesday quadrupled tariffs"), a reduced
# relative before a preposition ("accounts frozen by", "gas shipped to China").
_NEWS_PAST = """said told met held made paid sold bought brought built sent spent lent kept
    left lost won led agreed signed announced warned joined trained generated
    totalled totaled quadrupled doubled tripled halved reached exceeded topped surpassed
    reported estimated expected predicted approved launched completed delivered
    supplied shipped exported imported invested pledged promised offered received owned
    employed carried conducted staged deployed flew patrolled visited hosted imposed levied
    raised lifted froze blocked seized sanctioned pumped produced transported handled
    accounted represented amounted averaged stood remained climbed""".split()

# Present forms that are rarely nouns: finite after a subject ("companies hold",
# "Economists warn", "container ship make").
PRESENT = frozenset(
    """say says warn warns hold holds make makes join joins meet meets fly flies freeze
    freezes expect expects predict predicts agree agrees sign signs announce announces want
    wants see sees reach reaches exceed exceeds represent represents generate generates
    deliver delivers carry carries send sends receive receives get gets give gives keep
    keeps become becomes remain remains own owns owe owes employ employs sell sells buy buys
    spend spends invest invests lend lends borrow borrows intend intends urge urges insist
    insists tell tells include includes""".split()
)

# Taken from the project's own verb lists: every form ending in "ed" and every listed past.
_LISTS: Iterable[frozenset[str]] = (
    CHANGE_VERBS,
    UP_VERBS,
    DOWN_VERBS,
    SUBJECT_CUES,
    FRAME_VERBS,
    INTENT_VERBS,
    SALE_VERBS,
    PAY_VERBS,
    TAKE_VERBS,
    FLOW_VERBS,
    LINK_VERBS,
    TRANSITIVE_CHANGE,
)
PAST = (
    PAST_ONLY
    | frozenset(_NEWS_PAST)
    | frozenset(w for words in _LISTS for w in words if w.endswith("ed"))
)
VERBS = PAST | PRESENT

TIME_SUBJECTS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    tonight""".split()
)
# A pronoun as subject names no one ("vessels (It add)", "we estimate"); "I" is left out,
# being as often a numeral ("Phase I").
PRONOUN_SUBJECTS = frozenset("it he she they we you".split())
_TIME_OPENING = re.compile(r"^(?:last|this|next)\s+(?:week|month|year|quarter)\b", re.I)

# Words a noun phrase does not start or end on.
FUNCTION_WORDS = (
    PREPOSITIONS
    | DETERMINERS
    | AUX
    | frozenset("and or of to than that which who with during near below above per not".split())
)
_NOT_SUBJECT = FUNCTION_WORDS | frozenset("(".split())

_TOKEN = re.compile(r"[\w’'\-.&$€£¥₹₽%]+|[(),;:]")


def _words(label: str) -> list[str]:
    return [t.strip(".") for t in _TOKEN.findall(label) if t.strip(".")]


def _after_subject(prev: str) -> bool:
    """Tell whether the word before a verb can be its subject (or an auxiliary after one)."""
    low = prev.lower()
    if low in AUX - {"nearly", "almost", "roughly", "about", "around", "approximately"}:
        return True
    return (
        low not in _NOT_SUBJECT
        and not low.endswith(("'s", "’s", "ly"))
        and prev not in "(),;:"
        and (prev[0].isalnum())
    )


def _is_past(low: str) -> bool:
    """Tell a past form: listed, or a regular one ("restored", "quadrupled")."""
    return low in PAST or (len(low) > 5 and low.endswith("ed") and low not in NOT_PARTICIPLES)


def finite_verbs(label: str) -> list[str]:
    """Return the verbs of ``label`` that stand where a clause's verb would."""
    words = _words(label)
    found = []
    for i, word in enumerate(words):
        low = word.lower()
        if i == 0 or not (low in PRESENT or _is_past(low)) or not _after_subject(words[i - 1]):
            continue
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        last = nxt in {"", ")", ",", ";", ":"}
        takes_object = bool(nxt) and not last and nxt not in FUNCTION_WORDS
        if (
            low in PAST_ONLY
            or (last and low in VERBS)
            or (low in PRESENT and nxt not in {"of"})
            or (_is_past(low) and takes_object)
        ):
            found.append(word)
    return found


# A rate or comparison base the extractor appends is the figure's unit, read as one word.
_RATE = re.compile(
    r"\bper 1,000 cubic met(?:er|re)s\b|\bper (?!cent\b)\w+"
    r"|\b(?:year|quarter|month) on (?:year|quarter|month)\b"
)


def label_problems(figure: Figure) -> list[str]:
    """Return what makes ``figure.measure`` a poor label; empty when it is a clean one."""
    label = _RATE.sub("per-unit", figure.measure)
    words = [w for w in _words(label) if w[0].isalnum()]
    problems = []
    if not words:
        return ["empty"]
    verbs = finite_verbs(label)
    if verbs:
        problems.append(f"verb {verbs[0]!r}")
    pronoun = next((w for w in words if w.lower() in PRONOUN_SUBJECTS), None)
    if pronoun:
        problems.append(f"pronoun {pronoun!r}")
    if words[0].lower() in TIME_SUBJECTS or _TIME_OPENING.match(label):
        problems.append("time word as subject")
    if figure.text in label or extract_figures(label):
        problems.append("carries an amount")
    if len(words) > MAX_WORDS:
        problems.append(f"{len(words)} words")
    if words[0].lower() in FUNCTION_WORDS:
        problems.append(f"starts on {words[0]!r}")
    if words[-1].lower() in FUNCTION_WORDS:
        problems.append(f"ends on {words[-1]!r}")
    return problems


def clean_share(figures: Iterable[Figure]) -> tuple[int, int]:
    """Return (clean labels, figures)."""
    figures = list(figures)
    return sum(not label_problems(f) for f in figures), len(figures)


ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
HELD_OUT = "heldout3_"


def _gold_texts(kind: str) -> dict[str, str]:
    out = {}
    for path in sorted((GOLD / kind).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "text" in data:  # the seeds of tests/gold/figures are the shipped samples
            out[f"{kind}/{path.stem}"] = data["text"]
    return out


def _sample_texts() -> dict[str, str]:
    from corpus.shipped import sample_paths
    from worker.extract import extract_text_document

    return {
        f"samples/{p.stem}": extract_text_document(p.read_text(encoding="utf-8"), None).text
        for p in sample_paths()
    }


def label_sets() -> dict[str, dict[str, str]]:
    """The texts labels are judged on, by set: the gold articles, the samples, the held-out."""
    gold = {**_gold_texts("figures"), **_gold_texts("key_figures")}
    return {
        "gold": {k: v for k, v in gold.items() if HELD_OUT not in k},
        "samples": _sample_texts(),
        # Annotated for themes, not figures: a wider look at labels no figure rule was tuned on.
        "theme_texts": _gold_texts("themes"),
        "held_out": {k: v for k, v in gold.items() if HELD_OUT in k},
    }


def _jsonl_texts(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return {
        f"{path.stem}/{row.get('id', n)}": str(row.get("text") or "") for n, row in enumerate(rows)
    }


def main(argv: list[str] | None = None) -> None:
    """Print the clean-label share of every set and the labels that fail.

    JSON Lines files given as arguments (a ``text`` field a line, e.g. an events evaluation
    set) are judged too, as unseen copy: their share and the kinds of failure are printed.
    """
    extra = [Path(arg) for arg in (sys.argv[1:] if argv is None else argv)]
    for name, texts in label_sets().items():
        figures = [f for text in texts.values() for f in extract_figures(text)]
        clean, total = clean_share(figures)
        print(f"{name}: {clean}/{total} clean = {clean / total if total else 1:.3f}")
        for f in figures:
            problems = label_problems(f)
            if problems:
                print(f"   {f.measure!r} [{f.text}] {'; '.join(problems)}")
    for path in extra:
        figures = [f for text in _jsonl_texts(path).values() for f in extract_figures(text)]
        clean, total = clean_share(figures)
        kinds = Counter(p[0].split()[0] for f in figures if (p := label_problems(f)))
        print(f"{path.stem}: {clean}/{total} clean = {clean / total if total else 1:.3f}")
        print(
            "   failures by first problem: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common())
        )


if __name__ == "__main__":
    main()
