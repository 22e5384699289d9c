"""One article in, its analysis out: summary, themes, key figures and matched topics."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

from corpus.records import Enrichment, Figure
from corpus.topics import Topic, matching_topics, shipped_topics
from worker.analysis.sentences import Sentence, split_sentences
from worker.analysis.summary import ExtractiveSummariser
from worker.analysis.themes import tag_themes
from worker.protocols import Summariser

log = logging.getLogger(__name__)

FigureExtractor = Callable[..., Sequence[Figure]]


def _figure_extractor() -> FigureExtractor | None:
    # Imported lazily: the figures module is large and optional at import time of this one.
    try:
        module: Any = importlib.import_module("worker.analysis.figures")
    except ModuleNotFoundError as exc:
        if exc.name != "worker.analysis.figures":
            raise
        return None
    extractor: FigureExtractor = module.extract_figures
    return extractor


def analyse(
    title: str,
    text: str,
    *,
    summariser: Summariser | None = None,
    topics: Sequence[Topic] | None = None,
) -> Enrichment:
    """Analyse one cleaned article: 2–4 summary sentences, themes, key figures and topics.

    ``summariser`` defaults to the extractive one; ``topics`` defaults to the shipped topics.
    """
    sentences = split_sentences(text)
    summary, backend = (summariser or ExtractiveSummariser()).summarise(title, text)
    title_lines: list[Sentence] = [
        Sentence(s.text, s.start, s.end, is_heading=True) for s in split_sentences(title)
    ]
    themes = tag_themes(text, title_lines + sentences)
    notes: list[str] = []
    extract_figures = _figure_extractor()
    figures: Sequence[Figure] = ()
    if extract_figures is None:
        # TODO: drop this branch once worker.analysis.figures is committed.
        notes.append("key figures unavailable: worker.analysis.figures is not installed")
    else:
        figures = extract_figures(text, sentences)
    matched = matching_topics(shipped_topics() if topics is None else topics, title, text)
    return Enrichment(
        summary=tuple(summary),
        themes=tuple(themes),
        figures=tuple(figures),
        topics=matched,
        summary_backend=backend,
        notes=tuple(notes),
    )
