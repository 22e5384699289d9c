"""Merge a second extractor's paragraphs into trafilatura's text: only sentences it missed.

trafilatura sometimes stops halfway through an article split across several containers, or
skips its first paragraph; a second, generic algorithm (readability) often finds them. Its
paragraphs are only added when they are full prose — long, ending a sentence, mostly not links —
and not already in the text, each after the paragraph that precedes it in the second
extractor's order, so the article reads in order. Nothing of trafilatura's text is removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.words import WORD_CHARS, word_pattern

__all__ = ["MIN_ADDED_WORDS", "add_missing_paragraphs", "trim_to_core"]

# Only long paragraphs are trusted from the second extractor: it also keeps teasers and
# captions, which are short (bench.extraction, tuning half: 20 or 25 words scored best, 30 and
# 40 lost recall).
MIN_ADDED_WORDS = 25
_SENTENCE_END = re.compile(r"[.!?。！？][\"”’)\]]?$")
# Bare runs, no joiners: "don't" and "don’t" give the same shingles.
_TOKEN = word_pattern(chars=WORD_CHARS)
_SHINGLE = 4
_PRESENT = 0.5
# A line shorter than this, or not ending a sentence, is a headline rather than prose.
_HEADLINE_WORDS = 8


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _TOKEN.findall(text.casefold())
    return {tuple(words[i : i + _SHINGLE]) for i in range(max(1, len(words) - _SHINGLE + 1))}


def _is_prose(paragraph: str) -> bool:
    return len(paragraph.split()) >= MIN_ADDED_WORDS and bool(_SENTENCE_END.search(paragraph))


def _is_headline(line: str) -> bool:
    return len(line.split()) < _HEADLINE_WORDS or not _SENTENCE_END.search(line.rstrip())


def trim_to_core(text: str, core: str) -> str:
    """Trim ``text`` to the span that a stricter extraction ``core`` of the same page keeps.

    Lines after the last line ``core`` has (teasers, sign-up forms, author boxes) are dropped,
    and so are headline-like lines before its first one (a repeated title or a kicker); a
    prose line before it stays (a standfirst), and so does every line inside the span, since
    a stricter extractor's holes in the middle are more often lost body than boilerplate.
    """
    lines = text.split("\n")
    kept = set().union(*map(_shingles, core.split("\n")))
    inside = [
        index
        for index, line in enumerate(lines)
        if line.strip() and len((shingles := _shingles(line)) & kept) >= _PRESENT * len(shingles)
    ]
    if not inside:
        return text
    first, last = inside[0], inside[-1]
    head = [line for line in lines[:first] if line.strip() and not _is_headline(line)]
    return "\n".join([*head, *lines[first : last + 1]])


def _last_holder(anchor: int, present: list[str], line_shingles: list[set[tuple[str, ...]]]) -> int:
    """``anchor`` moved to the last line that holds the most of any ``present`` paragraph."""
    for paragraph in present:
        shingles = _shingles(paragraph)
        best = max(range(len(line_shingles)), key=lambda i: len(shingles & line_shingles[i]))
        anchor = max(anchor, best)
    return anchor


def add_missing_paragraphs(text: str, paragraphs: Sequence[str], *, anchored: bool = False) -> str:
    """Return ``text`` (one paragraph a line) with the prose ``paragraphs`` it lacks put in place.

    A paragraph counts as present when most of its word 4-grams are in ``text`` (so a copy
    that differs by a quote mark or a glued caption is not added again). A missing one goes
    after the line that holds the last present paragraph before it, or first when none is.
    When ``anchored``, nothing is added unless at least one of ``paragraphs`` is present.
    """
    lines = text.split("\n")
    # Most paragraphs are a line of the text but for spacing: present without a shingle.
    as_lines = {" ".join(line.split()) for line in lines}
    line_shingles: list[set[tuple[str, ...]]] = []
    seen: set[tuple[str, ...]] = set()
    inserts: dict[int, list[str]] = {}
    anchor = -1  # index of the line after which a missing paragraph goes
    # Present paragraphs not yet placed: which line holds one only matters once a paragraph is
    # added after it, and most merges add none.
    unplaced: list[str] = []
    for paragraph in paragraphs:
        if " ".join(paragraph.split()) in as_lines:
            if _TOKEN.search(paragraph):
                unplaced.append(paragraph)
            continue
        if not line_shingles:
            line_shingles = [_shingles(line) for line in lines]
            seen = set().union(*line_shingles)
        shingles = _shingles(paragraph)
        if not shingles or not _TOKEN.search(paragraph):
            continue
        if len(shingles & seen) >= _PRESENT * len(shingles):
            unplaced.append(paragraph)
            continue
        if _is_prose(paragraph):
            anchor = _last_holder(anchor, unplaced, line_shingles)
            unplaced = []
            inserts.setdefault(anchor, []).append(paragraph)
            seen |= shingles
    # A present paragraph always has a line that holds it best: the anchor is past -1.
    if not inserts or (anchored and anchor < 0 and not unplaced):
        return text
    merged = list(inserts.get(-1, []))
    for index, line in enumerate(lines):
        merged.append(line)
        merged.extend(inserts.get(index, []))
    return "\n".join(merged)
