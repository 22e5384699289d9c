"""Per-site memory in the store step: a source's recurring footer goes, its articles' text stays."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from corpus.articles import discover
from corpus.db import transaction
from corpus.pipeline_values import ExtractedArticle
from corpus.sources import add_source
from corpus.tables import Article
from worker.clean import drop_recurring_lines
from worker.pipeline import store_article
from worker.site_memory import SiteMemory
from worker.wiring import build_stages

FOOTER = "Sign up for the Eastern Ledger morning briefing, delivered before 7am."
SENTENCES = [
    "Russia and China signed a new energy agreement on Tuesday, officials in Moscow said.",
    "The deal covers gas deliveries through a second pipeline across Mongolia from 2030.",
    "Analysts said the terms were more favourable to Beijing than earlier contracts had been.",
    "Trade between the two countries reached a record of about $240 billion last year.",
    "Mongolia expects transit fees to double its budget revenue from energy within a decade.",
    "European buyers once took most of the gas that Russia now hopes to sell in Asia instead.",
    "A second summit is planned for the autumn, when the price formula may be announced.",
]


@pytest.fixture
def stages(settings, sessions):
    built = build_stages(settings, sessions)
    assert isinstance(built.site_memory, SiteMemory)
    # Counted afresh for every article, so each test sees what the one before stored.
    yield replace(built, site_memory=SiteMemory(sessions, ttl=0))
    built.close()


def _article(url: str, *paragraphs: str) -> ExtractedArticle:
    return ExtractedArticle(url=url, title=url, text="\n\n".join(paragraphs), site="Ledger")


def _store(stages, source_id: int | None, n: int, *paragraphs: str) -> int:
    url = f"https://ledger.example/story/{n}"
    with transaction(stages.sessions) as session:
        article_id, _ = discover(session, url, url, source_id)
    store_article(stages, article_id, _article(url, *paragraphs))
    return article_id


def _text(stages, article_id: int) -> str:
    with transaction(stages.sessions) as session:
        return session.scalar(select(Article.text).where(Article.id == article_id))


def test_drop_recurring_lines_keeps_the_rest() -> None:
    """Only paragraphs whose key recurs are dropped; an all-recurring text is left whole."""
    from corpus.boilerplate import line_key

    text = f"{SENTENCES[0]}\n\n{FOOTER}"
    assert drop_recurring_lines(text, {line_key(FOOTER)}) == SENTENCES[0]
    assert drop_recurring_lines(FOOTER, {line_key(FOOTER)}) == FOOTER
    assert drop_recurring_lines(text, set()) == text


def test_source_footer_is_removed_once_learned(stages) -> None:
    """After five articles of a source end with the same footer, the next one is stored without."""
    with transaction(stages.sessions) as session:
        source_id = add_source(session, "https://ledger.example/feed.xml").id
    for n in range(5):
        first = _store(stages, source_id, n, SENTENCES[n], FOOTER)
    assert _text(stages, first).endswith(FOOTER)  # not yet learned: fewer than five before it
    later = _store(stages, source_id, 5, SENTENCES[5], SENTENCES[6], FOOTER)
    assert _text(stages, later) == f"{SENTENCES[5]}\n\n{SENTENCES[6]}"


def test_sentence_seen_once_is_never_removed(stages) -> None:
    """A body sentence that appeared in one earlier article of the source is kept."""
    with transaction(stages.sessions) as session:
        source_id = add_source(session, "https://ledger.example/feed.xml").id
    for n in range(6):
        _store(stages, source_id, n, SENTENCES[n], FOOTER)
    later = _store(stages, source_id, 6, SENTENCES[0], SENTENCES[6], FOOTER)
    assert _text(stages, later) == f"{SENTENCES[0]}\n\n{SENTENCES[6]}"


def test_article_without_source_is_stored_as_extracted(stages) -> None:
    """Files and JSONL records have no source: nothing is learned or removed for them."""
    for n in range(6):
        _store(stages, None, n, SENTENCES[n], FOOTER)
    assert _text(stages, _store(stages, None, 6, SENTENCES[6], FOOTER)).endswith(FOOTER)


def test_memory_is_recounted_after_its_time_to_live(sessions) -> None:
    """Within the time to live the counts are reused; after it they are read again."""
    now = [0.0]
    memory = SiteMemory(sessions, ttl=60, clock=lambda: now[0])
    with transaction(sessions) as session:
        source_id = add_source(session, "https://ledger.example/feed.xml").id
        article_id, _ = discover(
            session, "https://ledger.example/new", "https://ledger.example/new", source_id
        )
    fresh = _article("https://ledger.example/new", SENTENCES[6], FOOTER)
    assert memory(article_id, fresh) == fresh  # nothing stored yet: nothing learned
    with transaction(sessions) as session:
        for n in range(5):
            url = f"https://ledger.example/story/{n}"
            row = Article(
                canonical_url=url,
                url=url,
                source_id=source_id,
                status="stored",
                text=f"{SENTENCES[n]}\n\n{FOOTER}",
            )
            session.add(row)
    assert memory(article_id, fresh) == fresh  # cached empty counts
    now[0] = 61.0
    assert memory(article_id, fresh).text == SENTENCES[6]
