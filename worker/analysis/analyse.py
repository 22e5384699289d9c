"""One article in, its analysis out: summary, themes, key figures and matched topics."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from corpus.pipeline_values import Enrichment
from corpus.topics import Topic, list_topics, matching_topics, shipped_topics
from worker.analysis.sentences import Sentence, split_sentences
from worker.analysis.summary import ExtractiveSummariser
from worker.analysis.themes import tag_themes
from worker.protocols import Summariser


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
    # Imported here: the figures module and its unit tables load only when analysing.
    from worker.analysis.figures import extract_figures

    figures = extract_figures(text, sentences)
    matched = matching_topics(shipped_topics() if topics is None else topics, title, text)
    return Enrichment(
        summary=tuple(summary),
        themes=tuple(themes),
        figures=tuple(figures),
        topics=matched,
        summary_backend=backend,
    )


def make_analyser(
    sessions: sessionmaker[Session],
    summariser: Summariser | None = None,
) -> Callable[[str, str], Enrichment]:
    """Return ``analyse`` bound to a summariser and to every topic, admin-added ones included.

    Topics are read on each call, so a topic added while the worker runs applies to the
    next article analysed (``corpus.topics.retag_topics`` handles those already stored).
    Build ``summariser`` with :func:`worker.analysis.llm.summariser_from_settings`.
    """

    def analyse_with_topics(title: str, text: str) -> Enrichment:
        with sessions() as session:
            topics = list_topics(session)
        return analyse(title, text, summariser=summariser, topics=topics)

    return analyse_with_topics
