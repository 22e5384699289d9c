"""Extractive summaries: TextRank (sumy) over our own offline sentence splitter.

sumy's default tokenizer needs NLTK's punkt data; we hand it a tokenizer built on
:func:`worker.analysis.sentences.split_sentences` and a regex word splitter, and the
Snowball stemmer, which is pure code. Nothing is downloaded at run time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from worker.analysis.sentences import Sentence, split_sentences

BACKEND = "extractive"
MIN_WORDS = 8
MAX_WORDS = 55
# TextRank compares every pair of sentences in Python; past this many candidates the
# article's opening carries the summary anyway, so later sentences are not ranked.
MAX_CANDIDATES = 120
_WORD = re.compile(r"[^\W_]+(?:[’'\-.][^\W_]+)*")
# Phrases that mark page furniture rather than reporting; such sentences are never chosen.
_BOILERPLATE = re.compile(
    r"(?i)\b(?:comments?|subscribe|newsletter|cookie|all rights reserved|click here|read more"
    r"|also read|image credit|photo credit|your email|required fields|sign up|follow us"
    r"|share this|advertisement|proofread|edited by|copyright|terms of use|privacy policy)\b"
    r"|https?://|www\.|©|@\w"
)
# A sentence opening like this leans on the one before it; prefer others when close.
_DEPENDENT_OPENING = re.compile(
    r"^(?:However|But|And|Also|Additionally|Moreover|Furthermore|Meanwhile|Similarly|"
    r"This|These|That|Those|It|They|He|She|Such|In addition|On the other hand|So|Thus|"
    r"Therefore|Finally|Since then|Then|Still|Yet|Hence|Consequently|As a result)\b"
)
_REDUNDANT_OVERLAP = 0.5
_LEAD_BONUS = 0.35
_DEPENDENT_PENALTY = 0.8


def words(text: str) -> list[str]:
    """Split text into word tokens (letters and digits; keeps "U.S." and "172.41")."""
    return _WORD.findall(text)


class OfflineTokenizer:
    """A sumy tokenizer that needs no NLTK data."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Split a paragraph into sentence strings."""
        return tuple(s.text for s in split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Split a sentence into word strings."""
        return tuple(words(sentence))


@dataclass(frozen=True, slots=True)
class _Candidate:
    sentence: Sentence
    order: int
    tokens: frozenset[str]


@lru_cache(maxsize=1)
def _summarizer() -> TextRankSummarizer:
    summarizer = TextRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return summarizer


def is_summary_worthy(sentence: Sentence) -> bool:
    """Whether a sentence may appear in a summary: prose, not too short or long, no boilerplate."""
    if sentence.is_heading:
        return False
    n = len(words(sentence.text))
    if n < MIN_WORDS or n > MAX_WORDS:
        return False
    if sentence.text.rstrip()[-1:] not in ".!?\"”’')":
        return False
    return not _BOILERPLATE.search(sentence.text)


def target_length(candidates: int) -> int:
    """How many sentences a summary of an article with this many candidates should have."""
    if candidates <= 8:
        return 2
    if candidates <= 24:
        return 3
    return 4


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _ratings(candidates: Sequence[_Candidate]) -> list[float]:
    tokenizer = OfflineTokenizer()
    sumy_sentences = [SumySentence(c.sentence.text, tokenizer) for c in candidates]
    document = ObjectDocumentModel([Paragraph(sumy_sentences)])
    rated = _summarizer().rate_sentences(document)
    raw = [float(rated.get(s, 0.0)) for s in sumy_sentences]
    top = max(raw, default=0.0) or 1.0
    return [r / top for r in raw]


def summarise_sentences(text: str, max_sentences: int | None = None) -> list[Sentence]:
    """Choose 2–4 sentences of ``text`` (verbatim, in article order) that summarise it."""
    all_sentences = split_sentences(text)
    candidates = [
        _Candidate(s, i, frozenset(w.lower() for w in words(s.text)))
        for i, s in enumerate(s for s in all_sentences if is_summary_worthy(s))
    ]
    if len(candidates) < 2:
        # Very short text: fall back to any prose sentence rather than return nothing.
        candidates = [
            _Candidate(s, i, frozenset(w.lower() for w in words(s.text)))
            for i, s in enumerate(s for s in all_sentences if not s.is_heading)
        ]
    if not candidates:
        return []
    candidates = candidates[:MAX_CANDIDATES]
    wanted = max_sentences or target_length(len(candidates))
    ratings = _ratings(candidates)
    total = len(candidates)
    scored = []
    for candidate, rating in zip(candidates, ratings, strict=True):
        # News puts the point first: a gentle bonus for the opening of the article.
        score = rating * (1.0 + _LEAD_BONUS * (1.0 - candidate.order / total))
        if _DEPENDENT_OPENING.match(candidate.sentence.text):
            score *= _DEPENDENT_PENALTY
        scored.append((score, candidate))
    scored.sort(key=lambda pair: (-pair[0], pair[1].order))
    chosen: list[_Candidate] = []
    for _, candidate in scored:
        if any(_jaccard(candidate.tokens, c.tokens) > _REDUNDANT_OVERLAP for c in chosen):
            continue
        chosen.append(candidate)
        if len(chosen) == wanted:
            break
    chosen.sort(key=lambda c: c.order)
    return [c.sentence for c in chosen]


class ExtractiveSummariser:
    """The default summariser: sentences taken verbatim from the article."""

    def summarise(self, title: str, text: str) -> tuple[list[str], str]:
        """Return ``(sentences, "extractive")``."""
        return [s.text for s in summarise_sentences(text)], BACKEND
