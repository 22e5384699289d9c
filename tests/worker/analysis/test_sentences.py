"""Tests for the news-aware sentence splitter."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from worker.analysis.sentences import is_heading_line, split_sentences

SAMPLES = Path(__file__).resolve().parents[3] / "corpus" / "samples"


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_abbreviations_do_not_end_sentences():
    """ "U.S." and "Mr. Xi" stay inside their sentence."""
    text = "The U.S. Treasury warned banks. Mr. Xi met Mr. Putin in Moscow on Monday."
    assert _texts(text) == [
        "The U.S. Treasury warned banks.",
        "Mr. Xi met Mr. Putin in Moscow on Monday.",
    ]


def test_decimal_money_amount_is_not_split():
    """ "$172.41 billion" does not break at the decimal point."""
    text = "Trade reached $172.41 billion in 11 months. That was a record."
    assert _texts(text) == ["Trade reached $172.41 billion in 11 months.", "That was a record."]


def test_sentence_ending_in_per_cent_splits_before_next():
    """ "32 per cent. Moscow…" is two sentences."""
    text = "Exports rose by 32 per cent. Moscow welcomed the figure."
    assert _texts(text) == ["Exports rose by 32 per cent.", "Moscow welcomed the figure."]


def test_headings_sit_on_their_own_and_are_flagged():
    """Lettered, plain and colon headings are single heading sentences."""
    text = (
        "B. Economic Synergy\nTrade grew. Energy too.\n\nConclusion\n"
        "Historical Context: A Long-Standing Relationship\nThe ties are old."
    )
    got = [(s.text, s.is_heading) for s in split_sentences(text)]
    assert got == [
        ("B. Economic Synergy", True),
        ("Trade grew.", False),
        ("Energy too.", False),
        ("Conclusion", True),
        ("Historical Context: A Long-Standing Relationship", True),
        ("The ties are old.", False),
    ]


def test_prose_lines_are_not_headings():
    """A full sentence, even a short one, is not a heading."""
    assert not is_heading_line("Alexander Gabuev of the Carnegie Moscow Center agrees.")
    assert not is_heading_line(
        "But some people say that this assessment is too simple and may lead to serious errors"
        " in how the West understands the relationship between the two countries"
    )


def test_list_items_stay_on_their_own_lines():
    """List items never merge with the line before or after."""
    text = "Three points matter:\n- trade is growing\n- energy ties deepen\nThat is all."
    texts = _texts(text)
    assert "- trade is growing" in texts
    assert "- energy ties deepen" in texts


def test_offsets_point_into_the_original_text():
    """Every sentence of every seed is found at its offsets."""
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sentences = split_sentences(text)
        assert sentences
        for s in sentences:
            assert text[s.start : s.end] == s.text
        starts = [s.start for s in sentences]
        assert starts == sorted(starts)


def test_seed_headings_are_found():
    """The lettered headings of the analysis seed are flagged."""
    text = (SAMPLES / "003_88e8e07206f58222.txt").read_text(encoding="utf-8")
    headings = {s.text for s in split_sentences(text) if s.is_heading}
    assert {"Introduction", "B. Economic Synergy", "Conclusion"} <= headings
    assert "Historical Context: A Long-Standing Relationship" in headings


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_split_never_fails_and_offsets_hold(text):
    """Any text splits without error into non-overlapping sentences found at their offsets."""
    previous_end = 0
    for s in split_sentences(text):
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text
        assert s.start >= previous_end
        previous_end = s.end


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["U.S.", "Mr. Xi", "$172.41 billion", "32 per cent.", "Moscow", "\n", " ", "e.g.", "?!"]
        ),
        max_size=40,
    )
)
def test_split_holds_on_news_like_fragments(parts):
    """News-like fragments glued together still split with exact offsets."""
    text = " ".join(parts)
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text


def test_closing_quote_then_new_sentence_splits():
    """A quotation that ends a sentence is followed by a new sentence."""
    text = "It filled “the technological gap.” “China’s investment is critical,” Luo said."
    assert _texts(text) == [
        "It filled “the technological gap.”",
        "“China’s investment is critical,” Luo said.",
    ]


def test_list_items_are_not_headings_but_lettered_titles_are():
    """Bulleted and numbered prose items are list items; "II. The Arctic Route" is a heading."""
    text = "1. trade is growing fast\n• Third item\nII. The Arctic Route\n- Trade rose to $2 bn"
    assert [s.is_heading for s in split_sentences(text)] == [False, False, True, False]


def test_clock_times_do_not_end_sentences_before_a_day_or_zone():
    """A clock time before a day stays in its sentence; before "The" it ends one."""
    assert _texts("It met at 9 a.m. Monday. Trade rose.") == [
        "It met at 9 a.m. Monday.",
        "Trade rose.",
    ]
    assert _texts("Talks began at 10 a.m. The leaders ate.") == [
        "Talks began at 10 a.m.",
        "The leaders ate.",
    ]
