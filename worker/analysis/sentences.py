"""Sentence splitting tuned for news text, with character offsets and heading detection.

pysbd gets abbreviations ("U.S.", "Mr. Xi"), decimals ("$172.41 billion") and sentence
boundaries after figures ("32 per cent. Moscow") right; we run it one line at a time so
headings and list items never merge into the sentence before or after them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from corpus.words import words as split_words
from worker.analysis.pysbd_lines import segment_line

_TERMINAL = ".!?…:;"
_CLOSERS = "\"'”’»)]"
_ENUMERATOR = re.compile(r"^(?:[A-Z]|[IVXLC]{1,5}|\d{1,2})[.)]\s+\S")
_BULLET = re.compile(r"^[-–—•*·▪►]\s+")
# pysbd keeps ``…Russia.” “China’s…`` together; a closing quote after final punctuation,
# then an opening quote or capital, is a boundary in news copy.
_QUOTE_BOUNDARY = re.compile(r"(?<=[.!?][”\"’])\s+(?=[“\"‘]?[A-Z])")
_TIME_ABBREVIATION = re.compile(r"\b[ap]\.m\.\s*$", re.IGNORECASE)
_TIME_FOLLOWER = re.compile(
    r"\s*(?:[a-z]|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|GMT\b|UTC\b|[A-Z]{2,4}T\b)"
)
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into of on or over the to vs via with between".split()
)
_HEADING_MAX_WORDS = 14
_QUESTION_HEADING_MAX_WORDS = 6
_LINE_CACHE_SIZE = 1024


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or heading line) of a text, with its offsets: ``text[start:end] == text``."""

    text: str
    start: int
    end: int
    is_heading: bool = False


def _is_title_case(words: list[str]) -> bool:
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not significant:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper() or w[0].isdigit())
    return capitalised / len(significant) >= 0.75


def is_heading_line(line: str) -> bool:
    """Return whether a whole line reads as a heading rather than prose or a list item.

    Headings are short and carry no sentence-final punctuation ("Conclusion",
    "B. Economic Synergy", "Historical Context: A Long-Standing Relationship"), or are a
    very short title-like question ("A self-fulfilling prophecy?").
    """
    stripped = line.strip()
    if not stripped:
        return False
    words = split_words(stripped)
    if not words or len(words) > _HEADING_MAX_WORDS:
        return False
    if _BULLET.match(stripped):
        return False  # a list item, not a heading
    body = stripped.rstrip(_CLOSERS).rstrip()
    last = body[-1:] if body else ""
    if _ENUMERATOR.match(stripped) and last not in ".!?":
        # "B. Economic Synergy" is a heading; "1. trade is growing fast" a list item.
        return len(words) <= 3 or _is_title_case(words[1:])
    if last == "?":
        return len(words) <= _QUESTION_HEADING_MAX_WORDS
    if last and last in _TERMINAL:
        return False
    # A short unpunctuated line is a heading; a longer one only if it is title-cased.
    return len(words) <= 8 or _is_title_case(words)


def _merge_times(text: str, sentences: list[Sentence]) -> list[Sentence]:
    # "at 9 a.m. Monday" is one sentence; pysbd ends it after "a.m.".
    out: list[Sentence] = []
    for sentence in sentences:
        if out and _TIME_ABBREVIATION.search(out[-1].text) and _TIME_FOLLOWER.match(sentence.text):
            start = out[-1].start
            out[-1] = Sentence(text[start : sentence.end], start, sentence.end)
        else:
            out.append(sentence)
    return out


@lru_cache(maxsize=_LINE_CACHE_SIZE)
def _pieces(line: str) -> tuple[str, ...]:
    # Cached by line: syndicated copies and stock lines (datelines, credits) recur.
    out: list[str] = []
    for piece in segment_line(line):
        out.extend(_QUOTE_BOUNDARY.split(piece))
    return tuple(out)


def _split_line(text: str, start: int, end: int) -> list[Sentence]:
    return _merge_times(text, _locate(text, start, end))


def _locate(text: str, start: int, end: int) -> list[Sentence]:
    line = text[start:end]
    pieces = _pieces(line)
    out: list[Sentence] = []
    cursor = 0
    for piece in pieces:
        stripped = piece.strip()
        if not stripped:
            continue
        found = line.find(stripped, cursor)
        if found < 0:
            # pysbd altered the text; keep the rest of the line as one sentence.
            rest = line[cursor:]
            lead = len(rest) - len(rest.lstrip())
            body = rest.strip()
            if body:
                s = start + cursor + lead
                out.append(Sentence(body, s, s + len(body)))
            return out
        s = start + found
        out.append(Sentence(stripped, s, s + len(stripped)))
        cursor = found + len(stripped)
    tail = line[cursor:].strip()
    if tail:
        s = start + line.index(tail, cursor)
        out.append(Sentence(tail, s, s + len(tail)))
    return out


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences and heading lines, in order, with offsets into ``text``."""
    return list(_split_cached(text))


def forget_splits() -> None:
    """Drop the remembered splits, so the next split of any text is done afresh."""
    _split_cached.cache_clear()
    _pieces.cache_clear()


@lru_cache(maxsize=16)
def _split_cached(text: str) -> tuple[Sentence, ...]:
    # The summary, themes and figures of one article all split the same text.
    out: list[Sentence] = []
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group()
        body = raw.strip()
        if not body:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        end = start + len(body)
        if is_heading_line(body):
            out.append(Sentence(body, start, end, is_heading=True))
        else:
            out.extend(_split_line(text, start, end))
    return tuple(out)
