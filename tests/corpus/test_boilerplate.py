"""Per-site memory: paragraphs recurring across a source's stored articles, never one-offs."""

from __future__ import annotations

from corpus.articles import discover, store_extracted
from corpus.boilerplate import line_key, recurring_keys, recurring_lines
from corpus.db import transaction
from corpus.pipeline_values import ExtractedArticle
from corpus.sources import add_source

FOOTER = "Sign up for the Eastern Ledger morning briefing, delivered before 7am."


def _body(n: int) -> str:
    return f"Story number {n} says something nobody else says, in sentence {n}."


def test_line_key_ignores_case_spacing_and_edge_punctuation() -> None:
    """Two copies of a footer that differ only in case and spaces have one key."""
    assert line_key("  Sign up  for the BRIEFING. ") == line_key("sign up for the briefing")
    assert line_key("Sign up for the briefing") != line_key("Sign up for the newsletter")
    assert line_key(" — ") == ""


def test_paragraph_in_many_articles_recurs_and_one_off_does_not() -> None:
    """A footer in every article is returned; each article's own sentence is not."""
    texts = [f"{_body(n)}\n\n{FOOTER}" for n in range(10)]
    assert recurring_keys(texts) == frozenset({line_key(FOOTER)})


def test_identical_texts_count_once() -> None:
    """Ten copies of one article do not make its sentences boilerplate."""
    assert recurring_keys([f"{_body(1)}\n\n{FOOTER}"] * 10) == frozenset()


def test_paragraph_in_a_small_share_of_articles_is_kept() -> None:
    """A background paragraph reused by 5 of 40 stories is below the share: it is body."""
    background = "The pipeline was first proposed in 2006 and has been delayed many times."
    texts = [_body(n) + (f"\n\n{background}" if n < 5 else "") for n in range(40)]
    assert recurring_keys(texts) == frozenset()


def _store(sessions, source_id: int | None, n: int, text: str) -> None:
    url = f"https://ledger.example/{source_id}/{n}"
    with transaction(sessions) as session:
        article_id, _ = discover(session, url, url, source_id)
        article = ExtractedArticle(url=url, title=f"Story {n}", text=text, site="Ledger")
        store_extracted(session, article_id, article, f"{source_id}-{n}", [n] * 8, [], 0.99)


def test_recurring_lines_reads_only_the_sources_stored_articles(sessions) -> None:
    """The footer of one source is learned; another source's articles are not counted."""
    with transaction(sessions) as session:
        ledger = add_source(session, "https://ledger.example/feed.xml").id
        other = add_source(session, "https://other.example/feed.xml").id
    for n in range(6):
        _store(sessions, ledger, n, f"{_body(n)}\n\n{FOOTER}")
        _store(sessions, other, n, f"{_body(n + 100)}\n\nOther footer line here.")
    with transaction(sessions) as session:
        assert recurring_lines(session, ledger) == frozenset({line_key(FOOTER)})
        assert recurring_lines(session, ledger, sample=4) == frozenset()
