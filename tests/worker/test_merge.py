"""Merging a second extractor's paragraphs: only missing prose is added, in reading order."""

from __future__ import annotations

from worker.merge import MIN_ADDED_WORDS, add_missing_paragraphs

FIRST = "Russia and China signed a new energy agreement on Tuesday, officials in Moscow said."
LAST = "Trade between the two countries reached a record of about $240 billion last year."
MISSED = (
    "The deal covers gas deliveries through a second pipeline across Mongolia from 2030, and "
    "its price formula, which negotiators had argued about for more than a decade, will stay "
    "secret, according to two people who took part in the talks and asked not to be named."
)


def test_missing_prose_paragraph_goes_after_its_predecessor() -> None:
    """A long sentence-ended paragraph the text lacks is put where the second extractor had it."""
    assert len(MISSED.split()) >= MIN_ADDED_WORDS
    merged = add_missing_paragraphs(f"{FIRST}\n{LAST}", [FIRST, MISSED, LAST])
    assert merged.split("\n") == [FIRST, MISSED, LAST]


def test_missing_paragraph_before_any_known_one_goes_first() -> None:
    """A missed lede comes before the text's first line."""
    assert add_missing_paragraphs(LAST, [MISSED, LAST]).split("\n") == [MISSED, LAST]


def test_short_or_unfinished_paragraphs_are_not_added() -> None:
    """Teasers, captions and cut-off excerpts from the second extractor stay out."""
    teaser = "Japan approves its largest military budget since the war"
    excerpt = MISSED.rstrip(".") + " and then"
    assert add_missing_paragraphs(FIRST, [teaser, excerpt]) == FIRST


def test_near_copy_of_a_present_paragraph_is_not_added_again() -> None:
    """A paragraph differing only by quote marks or a glued credit counts as present."""
    variant = MISSED.replace(",", " ,").replace("secret", "‘secret’") + " (Reuters)."
    text = f"{FIRST}\n{MISSED}"
    assert add_missing_paragraphs(text, [variant]) == text
