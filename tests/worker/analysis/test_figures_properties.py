"""Property tests: figure extraction never fails and its offsets always slice the input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from worker.analysis.figures import extract_figures

# Fragments that exercise the number grammar, mixed with arbitrary text.
_FRAGMENTS = st.sampled_from(
    [
        "$",
        "US$",
        "€",
        "¥ ",
        "Rs ",
        "USD ",
        "1",
        "10",
        "4,300",
        "172.41",
        "-",
        "−",
        " - ",
        "–",
        " to ",
        "from ",
        "minus ",
        " billion",
        "bn",
        "m",
        "%",
        " per cent",
        " percentage points",
        " bcm",
        " barrels per day",
        "-kilometer",
        " km",
        " tonnes",
        " years",
        "-year-old",
        " times",
        " troops",
        " Russian",
        " (",
        ")",
        ". ",
        "\n",
        "S-",
        "February ",
        ":",
        "/",
        "+7 ",
        "th",
        "thirty-eight ",
        "a ",
        "two hundred and ",
        " dollars",
    ]
)
_TEXT = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=30).map("".join)


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_offsets_always_slice_the_text(text: str) -> None:
    """On any text: no exception, offsets inside the text, and text[start:end] == figure.text."""
    for f in extract_figures(text):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.kind in {"money", "percent", "quantity", "count", "duration"}
        assert f.measure.strip()
        assert f.value == f.value  # never NaN


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_unicode_never_breaks_extraction(text: str) -> None:
    """Arbitrary Unicode text gives a list of well-formed figures and never raises."""
    for f in extract_figures(text):
        assert text[f.start : f.end] == f.text
