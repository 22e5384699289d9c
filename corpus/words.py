r"""Words of a text: one definition of a word, and the few variants some callers need.

A word is a run of letters and digits; ``joiners`` are the marks that may join two runs into
one word ("don't", "Indo-Pacific", "U.S."). :func:`words` is the default: apostrophes and
hyphens join. A caller that needs other joiners or characters builds its pattern with
:func:`word_pattern` and says why beside it. A few patterns are not words at all and stay
where they are used, named for what they match: query syntax (``corpus/search.py``), names
as written (``worker/analysis/llm.py``), count nouns after a number and the figure chunker's
tokens (``worker/analysis/figures.py``, ``figures_phrases.py``) and the benchmark's ``\w+``
(``bench/shingles.py``).
"""

from __future__ import annotations

import re

__all__ = ["LETTERS", "LETTERS_AND_DIGITS", "WORD", "WORD_CHARS", "word_pattern", "words"]

LETTERS = r"[^\W\d_]"
LETTERS_AND_DIGITS = r"[^\W_]"
WORD_CHARS = r"\w"  # letters, digits and the underscore


def word_pattern(joiners: str = "", *, chars: str = LETTERS_AND_DIGITS) -> re.Pattern[str]:
    """Return the pattern of a word: runs of ``chars``, two runs joined by one of ``joiners``."""
    run = f"{chars}+"
    if not joiners:
        return re.compile(run)
    return re.compile(rf"{run}(?:[{re.escape(joiners)}]{run})*")


WORD = word_pattern("’'-")


def words(text: str) -> list[str]:
    """Split text into words: letters and digits, joined by apostrophes and hyphens."""
    return WORD.findall(text)
