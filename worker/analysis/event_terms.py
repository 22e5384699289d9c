"""Event similarity as pure functions: an article's term vector, IDF weights, the choice of event.

An article is described by the sublinear term frequencies (``1 + ln tf``) of its stemmed
content words and numbers; title words count twice, and so do capitalised words inside a
sentence (names of people, places and organisations carry most of what makes an event).
Numbers of two or more digits are kept as terms (``#2024``, ``#240``), so the same trade
report for two different years does not look like one event.

Terms are weighted by IDF, with document frequencies from the whole stored corpus, kept
current as articles arrive, starting from a prior of general English word frequencies
(``corpus/data/english_stem_frequencies.tsv``). Words naming a followed topic's parties weigh
less: they say which topic an article is about, not which event.

An event's centroid is the sum of its articles' unit-length TF-IDF vectors, each weighted by
the IDF of the moment it joined (what an online clusterer can keep). An article with a body
is scored by its mean cosine with the event's articles: the dot product of its unit vector
with the centroid, divided by the number of articles. A large event then has to be like its
articles, not merely share the vocabulary they add up to. A headline alone is scored by its
cosine with the centroid: a few words match a mean of long texts poorly.

Either score is multiplied by the event's recency, ``exp(-gap / window)``, where the gap is
the time from the article to the nearest date of the event (none inside the event's span):
the same people meeting again three days later, or last week's sanctions and this week's,
share their words but are different events. A stream without dates (one second between
articles) is unaffected.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources

import snowballstemmer

from corpus.words import word_pattern

__all__ = [
    "MAX_CENTROID_TERMS",
    "MAX_TERM_LENGTH",
    "Choice",
    "EventCandidate",
    "added",
    "capped",
    "choose_event",
    "idfs",
    "recency",
    "similarity",
    "top_terms",
    "topic_stems",
    "unit",
    "vectorise",
]

TITLE_WEIGHT = 2.0
NAME_WEIGHT = 2.0
# Words that name a followed topic's parties ("Russia", "Beijing", "Xi") are in every
# article of that topic, so they say which topic an article is about, not which event.
TOPIC_WEIGHT = 0.2
MAX_TERM_LENGTH = 64
MAX_CENTROID_TERMS = 400  # an event keeps its strongest terms only, so its row stays small

_TOKEN = re.compile(word_pattern("'’").pattern + "|[.!?:;]")  # words and sentence ends
_SENTENCE_END = frozenset(".!?:;")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    text = resources.files("corpus").joinpath("data/stopwords_en.txt").read_text("utf-8")
    words = (line.strip() for line in text.splitlines())
    return frozenset(w for w in words if w and not w.startswith("#")) | {"said", "says", "told"}


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


# News reuses a small vocabulary, and the pure-Python stemmer costs more than the rest of
# clustering put together; the cache is bounded, so a long-running worker stays small.
@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


def topic_stems(terms: Iterable[str]) -> frozenset[str]:
    """Return the stems of the words of topic terms (the terms they weigh less)."""
    return frozenset(t for term in terms for t, _w in _terms(term, names=False))


@lru_cache(maxsize=50_000)
def _token_term(token: str) -> tuple[str, bool] | None:
    """Return a token's term and whether it is a capitalised word (None: it is no term)."""
    lower = token.lower()
    if lower.isdigit():
        return ("#" + lower[:MAX_TERM_LENGTH], False) if len(lower) >= 2 else None
    if any(c.isdigit() for c in lower):  # "s-400", "5g", "2024-25"
        return lower[:MAX_TERM_LENGTH], False
    word = lower.replace("’", "'").split("'")[0]
    if len(word) < 3 or word in _stop_words():
        return None
    return _stem(word)[:MAX_TERM_LENGTH], token[0].isupper()


def _terms(text: str, *, names: bool = True) -> Iterable[tuple[str, float]]:
    """Yield ``(term, weight)`` for each content word or number of ``text``."""
    term_of = _token_term
    sentence_start = True
    for token in _TOKEN.findall(text):
        if token in _SENTENCE_END:
            sentence_start = True
            continue
        first_in_sentence, sentence_start = sentence_start, False
        found = term_of(token)
        if found is None:
            continue
        term, capitalised = found
        name = names and capitalised and not first_in_sentence
        yield term, NAME_WEIGHT if name else 1.0


def vectorise(title: str, text: str, damped: frozenset[str] = frozenset()) -> dict[str, float]:
    """Return the article's term vector: ``1 + ln(weighted count)`` per term.

    Terms in ``damped`` (see :func:`topic_stems`) are then scaled by ``TOPIC_WEIGHT``.
    """
    counts: dict[str, float] = {}
    for term, weight in _terms(title):
        counts[term] = counts.get(term, 0.0) + TITLE_WEIGHT * weight
    if text.strip() != title.strip():
        for term, weight in _terms(text):
            counts[term] = counts.get(term, 0.0) + weight
    return {
        t: (1.0 + math.log(c)) * (TOPIC_WEIGHT if t in damped else 1.0)
        for t, c in counts.items()
        if c >= 1.0
    }


# Document frequencies start from a prior: general English as if seen in PRIOR_DOCUMENTS
# articles of PRIOR_LENGTH words, so the first articles of a new corpus are weighed sensibly
# (a word common in English is no evidence of one event) and the corpus's own counts take
# over as it grows.
PRIOR_DOCUMENTS = 200.0
PRIOR_LENGTH = 400.0


@lru_cache(maxsize=1)
def _prior() -> dict[str, float]:
    text = (
        resources.files("corpus").joinpath("data/english_stem_frequencies.tsv").read_text("utf-8")
    )
    out: dict[str, float] = {}
    for line in text.splitlines():
        stem, _, zipf = line.partition("\t")
        if zipf:
            frequency = 10 ** float(zipf) / 1e9
            out[stem] = 1.0 - math.exp(-frequency * PRIOR_LENGTH)
    return out


def idfs(documents: int, frequencies: Mapping[str, int], terms: Iterable[str]) -> dict[str, float]:
    """Return the probabilistic IDF of each of ``terms`` in ``documents``, with the English prior.

    ``ln(1 + (N - df + 0.5) / (df + 0.5))`` (BM25's form, never negative) over the stored
    articles plus the prior's pseudo-articles; ``frequencies`` holds the stored articles'
    document frequencies (a term absent from it: 0).
    """
    prior, log = _prior(), math.log
    n = documents + PRIOR_DOCUMENTS
    out = {}
    for term in terms:
        df = frequencies.get(term, 0) + PRIOR_DOCUMENTS * prior.get(term, 0.0)
        out[term] = log(1.0 + (n - df + 0.5) / (df + 0.5))
    return out


def _weighted(vector: Mapping[str, float], weights: Mapping[str, float]) -> dict[str, float]:
    return {t: w * weights.get(t, 1.0) for t, w in vector.items()}


def unit(vector: Mapping[str, float], weights: Mapping[str, float]) -> dict[str, float]:
    """Return the vector weighted by ``weights`` (the IDF) and scaled to length 1 (empty: empty)."""
    weighted = _weighted(vector, weights)
    norm = math.sqrt(sum(x * x for x in weighted.values()))
    return {t: x / norm for t, x in weighted.items()} if norm else {}


def _dot(first: Mapping[str, float], second: Mapping[str, float]) -> float:
    if len(first) > len(second):
        first, second = second, first
    return sum(x * second[t] for t, x in first.items() if t in second)


def top_terms(vector: Mapping[str, float], weights: Mapping[str, float], k: int) -> list[str]:
    """Return the ``k`` terms with the highest weighted value (ties broken by the term itself)."""
    weighted = _weighted(vector, weights)
    return sorted(weighted, key=lambda t: (-weighted[t], t))[:k]


def capped(centroid: Mapping[str, float], limit: int = MAX_CENTROID_TERMS) -> dict[str, float]:
    """Keep the ``limit`` strongest terms of a centroid, rounded so stored rows compare equal."""
    kept: Iterable[tuple[str, float]] = centroid.items()
    if len(centroid) > limit:
        kept = sorted(kept, key=lambda kv: (-kv[1], kv[0]))[:limit]
    return {t: round(w, 4) for t, w in sorted(kept)}


def added(centroid: Mapping[str, float], vector: Mapping[str, float]) -> dict[str, float]:
    """Return the centroid with ``vector`` added (capped)."""
    total = dict(centroid)
    for t, w in vector.items():
        total[t] = total.get(t, 0.0) + w
    return capped(total)


def recency(at: datetime, first_at: datetime, last_at: datetime, window: timedelta) -> float:
    """Return ``exp(-gap / window)``: the gap from ``at`` to the span ``first_at``–``last_at``."""
    gap = max(at - last_at, first_at - at, timedelta(0))
    return math.exp(-gap / window) if window > timedelta(0) else 1.0


@dataclass(frozen=True, slots=True)
class EventCandidate:
    """An open event a new article may join: its centroid, how many articles made it, recency.

    ``recency`` (:func:`recency`) scales the article's score with the event.
    """

    id: int
    centroid: Mapping[str, float]
    members: int
    recency: float = 1.0


def similarity(article: Mapping[str, float], event: EventCandidate, *, headline: bool) -> float:
    """Score an article's unit vector against an event (see the module docstring).

    With a body: the mean cosine with the event's articles; ``headline``: the cosine with
    the event's centroid. Either is scaled by the event's recency.
    """
    dot = _dot(article, event.centroid) * event.recency
    if headline:
        norm = math.sqrt(sum(x * x for x in event.centroid.values()))
        return dot / norm if norm else 0.0
    return dot / event.members if event.members > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Choice:
    """Where an article goes: ``join`` (None: a new event) and the events it bridges into it."""

    join: int | None
    merge: tuple[int, ...]
    similarity: float


def choose_event(
    article: Mapping[str, float],
    candidates: Sequence[EventCandidate],
    *,
    headline: bool,
    threshold: float,
    merge_threshold: float,
) -> Choice:
    """Join the most similar candidate at ``threshold`` or above; merge others it bridges.

    ``article`` is the article's unit vector (:func:`unit`). An article at
    ``merge_threshold`` or above to several events reports on what they both report on, so
    they become one. Ties go to the older (lower id) event, so the choice is the same in
    every run.
    """
    scored = sorted(
        ((similarity(article, c, headline=headline), c.id) for c in candidates),
        key=lambda sc: (-sc[0], sc[1]),
    )
    if not scored or scored[0][0] < threshold:
        return Choice(None, (), scored[0][0] if scored else 0.0)
    best_score, best = scored[0]
    bridged = tuple(sorted(i for s, i in scored[1:] if s >= merge_threshold))
    return Choice(best, bridged, best_score)
