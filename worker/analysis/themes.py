"""Multi-label theme tagging with evidence, driven by the taxonomy in ``corpus/data``.

A theme is tagged only when it is discussed: its terms must carry weight in several
distinct sentences (and, in long articles, in a minimum share of them), so one
passing word never tags an article.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from corpus.pipeline_values import ThemeTag
from corpus.terms import TermIndex, TermMatcher, matches, term_head
from corpus.themes import Taxonomy, Theme, load_taxonomy
from worker.analysis.sentences import Sentence, split_sentences

MIN_SENTENCE_WEIGHT = 1.0  # a sentence below this is a passing mention, not evidence
MAX_EVIDENCE_TERMS = 6


@dataclass(frozen=True, slots=True)
class ThemeScore:
    """How much evidence an article holds for one theme, and whether that is enough."""

    theme: str
    raw: float
    sentences: tuple[Sentence, ...]
    terms: tuple[str, ...]
    tagged: bool

    @property
    def score(self) -> float:
        """Strength of the evidence in [0, 1): grows with evidence weight, saturating slowly."""
        return round(1.0 - math.exp(-self.raw / 10.0), 3)


@dataclass(frozen=True, slots=True)
class _CompiledTheme:
    theme: Theme
    matcher: TermMatcher
    weights: dict[str, float]
    exclude: re.Pattern[str] | None
    anchors: TermMatcher | None


def _compile(theme: Theme) -> _CompiledTheme:
    exclude = None
    if theme.exclude:
        alternatives = "|".join(re.escape(p) for p in sorted(theme.exclude, key=len, reverse=True))
        exclude = re.compile(alternatives, re.IGNORECASE)
    return _CompiledTheme(
        theme=theme,
        matcher=TermMatcher(t for t, _ in theme.terms),
        weights=dict(theme.terms),
        exclude=exclude,
        anchors=TermMatcher(theme.requires_any) if theme.requires_any else None,
    )


@dataclass(frozen=True, slots=True)
class _CompiledTaxonomy:
    themes: tuple[_CompiledTheme, ...]
    # One pass finds where any theme's terms, anchors or excluded phrases may start: for
    # theme ``i`` they are entries ``3 * i``, ``3 * i + 1`` and ``3 * i + 2`` of the index.
    index: TermIndex


def _heads(theme: _CompiledTheme) -> tuple[set[str], set[str], set[str]]:
    anchors = theme.anchors.heads() if theme.anchors else set()
    return theme.matcher.heads(), anchors, {term_head(p) for p in theme.theme.exclude}


@lru_cache(maxsize=8)
def _compiled(taxonomy: Taxonomy) -> _CompiledTaxonomy:
    themes = tuple(_compile(t) for t in taxonomy.themes)
    return _CompiledTaxonomy(themes, TermIndex([h for c in themes for h in _heads(c)]))


def _masked(text: str, exclude: re.Pattern[str] | None, starts: list[int] | None) -> str:
    """Blank the excluded phrases of ``text`` with spaces (``starts`` as in ``matches``)."""
    if exclude is None:
        return text
    pieces: list[str] = []
    cursor = 0
    for match in matches(exclude, text, starts):
        pieces.append(text[cursor : match.start()])
        pieces.append(" " * (match.end() - match.start()))
        cursor = match.end()
    if not pieces:
        return text
    pieces.append(text[cursor:])
    return "".join(pieces)


def _layout(sentences: Sequence[Sentence]) -> tuple[str, list[int]]:
    """Join sentences into one document (one per line) and return it with their start offsets."""
    starts: list[int] = []
    pos = 0
    for sentence in sentences:
        starts.append(pos)
        pos += len(sentence.text) + 1
    return "\n".join(s.text for s in sentences), starts


def _score_theme(
    compiled: _CompiledTheme,
    sentences: Sequence[Sentence],
    taxonomy: Taxonomy,
    layout: tuple[str, list[int]],
    term_starts: Sequence[list[int]] | None,
) -> ThemeScore:
    """Weigh the evidence for one theme across the sentences of an article."""
    theme = compiled.theme
    document, starts = layout
    terms_at, anchors_at, excluded_at = term_starts or (None, None, None)
    # Matches in the whole document are assigned to sentences afterwards.
    masked = _masked(document, compiled.exclude, excluded_at)
    per_sentence: dict[int, dict[str, str]] = {}
    for term, start, end in compiled.matcher.find(masked, terms_at):
        index = bisect_right(starts, start) - 1
        per_sentence.setdefault(index, {}).setdefault(term, masked[start:end])
    anchored = compiled.anchors is None or compiled.anchors.count(masked, anchors_at) > 0
    raw = 0.0
    evidence: list[Sentence] = []
    term_weight: dict[str, float] = {}
    surface: dict[str, str] = {}
    for index in sorted(per_sentence):
        distinct = per_sentence[index]
        weight = min(taxonomy.sentence_cap, sum(compiled.weights[t] for t in distinct))
        if weight < MIN_SENTENCE_WEIGHT:
            continue
        raw += weight
        evidence.append(sentences[index])
        for term, seen in distinct.items():
            term_weight[term] = term_weight.get(term, 0.0) + compiled.weights[term]
            surface.setdefault(term, seen)
    needed = max(theme.min_sentences, math.ceil(taxonomy.density * len(sentences)))
    tagged = anchored and len(evidence) >= needed and raw >= theme.min_score
    terms: list[str] = []
    for term in sorted(term_weight, key=lambda t: -term_weight[t]):
        shown = re.sub(r"\s+", " ", surface[term])
        if shown.lower() not in (t.lower() for t in terms):
            terms.append(shown)
    return ThemeScore(theme.slug, round(raw, 3), tuple(evidence), tuple(terms), tagged)


def score_themes(
    text: str, sentences: Sequence[Sentence] | None = None, taxonomy: Taxonomy | None = None
) -> list[ThemeScore]:
    """Score every theme of the taxonomy for ``text`` (tagged or not), in taxonomy order."""
    taxonomy = taxonomy or load_taxonomy()
    sentences = split_sentences(text) if sentences is None else sentences
    layout = _layout(sentences)
    compiled = _compiled(taxonomy)
    found = compiled.index.starts(layout[0])
    return [
        _score_theme(
            c,
            sentences,
            taxonomy,
            layout,
            None if found is None else found[3 * i : 3 * i + 3],
        )
        for i, c in enumerate(compiled.themes)
    ]


def tag_themes(
    text: str, sentences: Sequence[Sentence] | None = None, taxonomy: Taxonomy | None = None
) -> list[ThemeTag]:
    """Return the themes ``text`` substantively discusses, strongest first, with evidence terms."""
    scores = [s for s in score_themes(text, sentences, taxonomy) if s.tagged]
    scores.sort(key=lambda s: (-s.raw, s.theme))
    return [ThemeTag(s.theme, s.score, s.terms[:MAX_EVIDENCE_TERMS]) for s in scores]
