"""Extractive summaries: TextRank over our own offline sentence splitter.

The ranking is sumy's ``TextRankSummarizer`` (same stop words, Snowball stemmer, edge
weights, damping and power method), computed on arrays: the sentence × stem count matrix
is built once (sparse) and every pair's shared-word count comes from one matrix product, where
sumy compares each pair of word lists in Python. The ratings are the same floats sumy
gives. The stemmer is pure code and the stop words ship with sumy: nothing is downloaded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from corpus.words import word_pattern
from worker.analysis.sentences import Sentence, split_sentences
from worker.analysis.sumy_lib import Stemmer, TextRankSummarizer, get_stop_words

BACKEND = "extractive"
MIN_WORDS = 8
MAX_WORDS = 55
# Past this many candidates the article's opening carries the summary anyway, so later
# sentences are not ranked.
MAX_CANDIDATES = 120
# Dots join too, so "U.S." and "172.41" stay whole.
_WORD = word_pattern("’'-.")
# Phrases that mark page furniture rather than reporting; such sentences are never chosen.
# The lookahead holds every first character of the alternatives, so that the search skips
# other positions at once (the same matches, a third faster).
_BOILERPLATE = re.compile(
    r"(?i)(?=[acefhinprstwy©@])(?:"
    r"\b(?:comments?|subscribe|newsletter|cookie|all rights reserved|click here|read more"
    r"|also read|image credit|photo credit|your email|required fields|sign up|follow us"
    r"|share this|advertisement|proofread|edited by|copyright|terms of use|privacy policy)\b"
    r"|https?://|www\.|©|@\w)"
)
# A sentence opening like this leans on the one before it; prefer others when close.
_DEPENDENT_OPENING = re.compile(
    r"^(?:However|But|And|Also|Additionally|Moreover|Furthermore|Meanwhile|Similarly|"
    r"This|These|That|Those|It|They|He|She|Such|In addition|On the other hand|So|Thus|"
    r"Therefore|Finally|Since then|Then|Still|Yet|Hence|Consequently|As a result)\b"
)
_STEM_CACHE_SIZE = 50_000
_REDUNDANT_OVERLAP = 0.5
_LEAD_BONUS = 0.35
_DEPENDENT_PENALTY = 0.8


def words(text: str) -> list[str]:
    """Split text into word tokens (letters and digits; keeps "U.S." and "172.41")."""
    return _WORD.findall(text)


@dataclass(frozen=True, slots=True)
class _Candidate:
    sentence: Sentence
    order: int
    words: tuple[str, ...]

    @property
    def tokens(self) -> frozenset[str]:
        """Distinct lower-cased words, for the redundancy check (only the best few need it)."""
        return frozenset(w.lower() for w in self.words)


def _candidate(sentence: Sentence, order: int, found: list[str]) -> _Candidate:
    return _Candidate(sentence, order, tuple(found))


class _Stems:
    """sumy's word normalisation for TextRank: lower-cased, stop words out, stemmed."""

    def __init__(self) -> None:
        self._stem = Stemmer("english")
        self._stop_words = frozenset(w.lower() for w in get_stop_words("english"))
        # Stemming is a pure function of the word and the hot spot of the ranking.
        self._cache: dict[str, str] = {}

    def of(self, tokens: Sequence[str]) -> list[str]:
        """Return the stems sumy's TextRank compares for a sentence with these words."""
        out = []
        cache = self._cache
        for token in tokens:
            word = token.lower()
            if word in self._stop_words:
                continue
            stem = cache.get(word)
            if stem is None:
                if len(cache) >= _STEM_CACHE_SIZE:
                    cache.clear()  # a worker meets new words for ever: stay bounded
                stem = cache[word] = self._stem(word.lower())
            out.append(stem)
        return out


@lru_cache(maxsize=1)
def _stems() -> _Stems:
    return _Stems()


def textrank(sentences: Sequence[Sequence[str]]) -> list[float]:
    """TextRank score of each sentence, given its stems, exactly as sumy's summariser rates it.

    sumy's edge weight between sentences *i* and *j* is the number of (stem of *i*,
    occurrence in *j*) pairs, divided by ``log len(i) + log len(j)``; that count is the dot
    product of their stem-count vectors.
    """
    n = len(sentences)
    if n == 0:
        return []
    vocabulary: dict[str, int] = {}
    columns: list[int] = []
    row_starts = [0]
    for stems in sentences:
        columns.extend(vocabulary.setdefault(stem, len(vocabulary)) for stem in stems)
        row_starts.append(len(columns))
    # One row per sentence, one entry per stem occurrence: a repeated stem is a duplicate
    # entry, which the product sums, so entries count occurrences.
    counts = sparse.csr_matrix(
        (np.ones(len(columns)), np.array(columns, dtype=np.int32), np.array(row_starts)),
        shape=(n, max(len(vocabulary), 1)),
    )
    # Whole numbers, so exact whatever the order of summation.
    shared = (counts @ counts.T).toarray()
    # ``math.log`` as sumy uses it, so every weight is the float sumy computes.
    logs = np.array([math.log(len(s)) if s else 0.0 for s in sentences])
    norm = logs[:, np.newaxis] + logs[np.newaxis, :]
    # Two one-word sentences: sumy takes the count itself rather than divide by log 1 + log 1.
    single = np.isclose(norm, 0.0)
    weights = np.where(single, shared, 0.0)
    np.divide(shared, norm, out=weights, where=(shared != 0) & ~single)
    # From here on, sumy's own steps, in its order.
    summarizer = TextRankSummarizer
    weights /= weights.sum(axis=1)[:, np.newaxis] + summarizer._ZERO_DIVISION_PREVENTION
    matrix = np.full((n, n), (1.0 - summarizer.damping) / n) + summarizer.damping * weights
    ranks = summarizer.power_method(matrix, summarizer.epsilon)
    return [float(r) for r in ranks]


def is_summary_worthy(sentence: Sentence) -> bool:
    """Whether a sentence may appear in a summary: prose, not too short or long, no boilerplate."""
    return _is_worthy(sentence, words(sentence.text))


def _is_worthy(sentence: Sentence, found: list[str]) -> bool:
    if sentence.is_heading:
        return False
    if len(found) < MIN_WORDS or len(found) > MAX_WORDS:
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
    stems = _stems()
    raw = textrank([stems.of(c.words) for c in candidates])
    # sumy keys ratings by sentence text: repeated sentences all get the last one's rating.
    last = {c.sentence.text.strip(): i for i, c in enumerate(candidates)}
    raw = [raw[last[c.sentence.text.strip()]] for c in candidates]
    top = max(raw, default=0.0) or 1.0
    return [r / top for r in raw]


def summarise_sentences(
    text: str, max_sentences: int | None = None, sentences: Sequence[Sentence] | None = None
) -> list[Sentence]:
    """Choose 2–4 sentences of ``text`` (verbatim, in article order) that summarise it.

    ``sentences`` are ``split_sentences(text)``, split here when not given.
    """
    all_sentences = split_sentences(text) if sentences is None else sentences
    tokenised = [(s, words(s.text)) for s in all_sentences]
    worthy = [(s, found) for s, found in tokenised if _is_worthy(s, found)]
    candidates = [_candidate(s, i, found) for i, (s, found) in enumerate(worthy)]
    if len(candidates) < 2:
        # Very short text: fall back to any prose sentence rather than return nothing.
        prose = [(s, found) for s, found in tokenised if not s.is_heading]
        candidates = [_candidate(s, i, found) for i, (s, found) in enumerate(prose)]
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
    chosen_tokens: list[frozenset[str]] = []
    for _, candidate in scored:
        tokens = candidate.tokens
        if any(_jaccard(tokens, c) > _REDUNDANT_OVERLAP for c in chosen_tokens):
            continue
        chosen.append(candidate)
        chosen_tokens.append(tokens)
        if len(chosen) == wanted:
            break
    chosen.sort(key=lambda c: c.order)
    return [c.sentence for c in chosen]


class ExtractiveSummariser:
    """The default summariser: sentences taken verbatim from the article."""

    def summarise(self, title: str, text: str) -> tuple[list[str], str]:
        """Return ``(sentences, "extractive")``."""
        return [s.text for s in summarise_sentences(text)], BACKEND
