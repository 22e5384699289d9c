"""Tests for pysbd's line segmentation with its shortcuts: the same segments as plain pysbd."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pysbd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.drills.content import lead_sentence
from bench.extraction_data import fundus_pages
from testing.golden_analysis import articles
from worker.analysis.pysbd_lines import is_plain_line, segment_line
from worker.extract import extract_html

ROOT = Path(__file__).resolve().parents[3]


def _plain(line: str) -> list[str]:
    """What pysbd itself returns for ``line``."""
    return pysbd.Segmenter(language="en", clean=False).processor(line).process()


def _lines(text: str) -> list[str]:
    return [body for raw in re.findall(r"[^\n]+", text) if (body := raw.strip())]


@cache
def _shipped_lines() -> tuple[str, ...]:
    """Every distinct line of the shipped, gold and benchmark texts."""
    texts = [path.read_text(encoding="utf-8") for path in (ROOT / "corpus" / "samples").glob("*")]
    texts += [
        p.read_text(encoding="utf-8") for p in (ROOT / "tests" / "worker" / "golden").glob("*.txt")
    ]
    for title, text in articles().values():
        texts += [title, text]
    for path in sorted((ROOT / "tests" / "gold").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        texts += [data[key] for key in ("text", "title") if isinstance(data.get(key), str)]
    for page in fundus_pages():
        texts += [page.expected, extract_html(page.html, page.url).text]
    texts += [lead_sentence(number) for number in range(200)]
    return tuple(dict.fromkeys(line for text in texts for line in _lines(text)))


def test_every_shipped_line_segments_as_plain_pysbd() -> None:
    """On every line of the shipped, gold and benchmark texts the segments are pysbd's own."""
    lines = _shipped_lines()
    assert len(lines) > 2000
    mismatched = [line for line in lines if segment_line(line) != _plain(line)]
    assert mismatched == []


def test_plain_lines_come_back_whole_from_pysbd() -> None:
    """Shipped lines called plain are pysbd's single segment; not every line is plain."""
    plain = [line for line in _shipped_lines() if is_plain_line(line)]
    assert 0 < len(plain) < len(_shipped_lines())
    assert all(_plain(line) == [line] for line in plain)


@pytest.mark.parametrize(
    "line",
    [
        "Options (a) lower tariffs and (b) more quotas were discussed",  # a list in parentheses
        "Steps 1) sign 2) ratify 3) deliver",  # a numbered list with parentheses
        '"Yes" (he said) "we will" go',  # parentheses between quotes
        '"We will win" The president spoke.',  # a quotation at the start
        'It was anti-" Western and said so',  # hyphen, quote, space, capital
        "Line one\rline two",  # a carriage return
        "Costs rose ∯ sharply",  # a pysbd placeholder
        "Exports rose. Imports fell.",  # a sentence mark inside the line
    ],
)
def test_lines_pysbd_changes_are_not_plain(line: str) -> None:
    """Each kind of line a pysbd rule splits or rewrites is left to pysbd, which does so."""
    assert _plain(line) != [line]
    assert not is_plain_line(line)
    assert segment_line(line) == _plain(line)


def test_abbreviation_shortcut_keeps_case_folding_letters() -> None:
    """A line with a letter that only ``re.IGNORECASE`` folds to ASCII takes pysbd's own pass."""
    line = "The staff of the ſt. petersburg office and the ıd. unit met."
    assert segment_line(line) == _plain(line)


_ALPHABET = st.sampled_from(
    [
        *"abcxyzABCXYZ0129 .,;:!?'\"“”‘’()-–\\&%$…«»",
        *["Mr", "U.S", "a.m", "No", "St", "Co", " i ", "(a)", " b)", "1.", "Yahoo!", "ſ", "İ"],
        *["∯", "ȸ", "\r", "。", "..."],
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, min_size=1, max_size=30).map("".join))
def test_generated_lines_segment_as_plain_pysbd(raw: str) -> None:
    """On generated lines (abbreviations, lists, quotes, placeholders) the segments are pysbd's."""
    line = raw.strip()
    if line:
        assert segment_line(line) == _plain(line)


_WORDS = st.sampled_from("the Moscow said trade rose by per cent (SCO) “talks” it’s — 2024".split())


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=20), st.sampled_from(["", ".", "!", "?", "”", "."]))
def test_generated_prose_lines_segment_as_plain_pysbd(words: list[str], end: str) -> None:
    """On generated one-sentence prose lines, mostly plain, the segments are pysbd's."""
    line = (" ".join(words) + end).strip()
    assert segment_line(line) == _plain(line)
