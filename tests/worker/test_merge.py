"""Merging a second extractor's paragraphs (only missing prose, in order); trimming to a core."""

from __future__ import annotations

from worker.merge import MIN_ADDED_WORDS, add_missing_paragraphs, trim_to_core

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


def test_trim_drops_the_tail_and_leading_headlines_outside_the_core() -> None:
    """Teasers after the core's last line and a kicker before its first go; a standfirst stays."""
    kicker = "Energy deal: what it means for Europe"
    teaser = "Japan approves its largest military budget since the war"
    text = "\n".join([kicker, MISSED, FIRST, LAST, teaser, "Thanks for signing up!"])
    assert trim_to_core(text, f"{FIRST}\n{LAST}").split("\n") == [MISSED, FIRST, LAST]


def test_trim_keeps_holes_inside_the_core() -> None:
    """A paragraph the stricter extraction left out between two it kept is body: it stays."""
    text = f"{FIRST}\n{MISSED}\n{LAST}"
    assert trim_to_core(text, f"{FIRST}\n{LAST}") == text
    assert trim_to_core(text, "nothing in common with the text at all") == text


def test_anchored_merge_adds_nothing_when_no_paragraph_is_present() -> None:
    """With ``anchored``, paragraphs that share none with the text (another article) stay out."""
    assert add_missing_paragraphs(FIRST, [MISSED], anchored=True) == FIRST
    merged = add_missing_paragraphs(FIRST, [FIRST, MISSED], anchored=True)
    assert merged.split("\n") == [FIRST, MISSED]


def test_a_line_respaced_or_of_a_near_copy_places_what_follows_it() -> None:
    """A missing paragraph goes after the line of the last present one, however it matched."""
    respaced = "  ".join(FIRST.split())
    near_last = LAST.replace("record", "‘record’") + " (Reuters)."
    text = f"{FIRST}\n{LAST}\nRelated stories"
    assert add_missing_paragraphs(text, [respaced, MISSED]).split("\n")[:2] == [FIRST, MISSED]
    merged = add_missing_paragraphs(text, [respaced, near_last, MISSED]).split("\n")
    assert merged == [FIRST, LAST, MISSED, "Related stories"]


def test_wordless_paragraphs_neither_count_nor_anchor() -> None:
    """A paragraph of punctuation, even one equal to a line, is no anchor for an anchored merge."""
    text = f"{FIRST}\n…"
    assert add_missing_paragraphs(text, ["…", MISSED], anchored=True) == text
