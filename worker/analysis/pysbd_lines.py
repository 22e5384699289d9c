"""pysbd's English segmentation of one line, with two shortcuts that return exactly what it does.

pysbd (0.3.x) runs about a hundred regular expressions over every line it is given. Two
kinds of work are provably idle and skipped here:

* **A plain line**, one whose only sentence-ending mark (``. ! ? 。 ． ！ ？``), if any, is
  its last character, is its own single segment. Every pysbd rule that changes or splits
  text needs one of: a second sentence mark or a character after a period (abbreviations,
  numbers, lists with periods, ellipses, double punctuation, e-mails, file names); a closing
  parenthesis (lists like "a) … b)", quoted parentheses, roman numerals in parentheses); an
  opening bracket or quote at the very start (the boundary pattern's quoted alternatives); a
  hyphen before a quote, space and capital (``QUOTATION_AT_END_OF_SENTENCE_REGEX``); a
  backslash (the escape round trip of punctuation between quotes); a carriage return (pysbd
  splits on it); or one of pysbd's placeholder characters (turned back into other text at
  the end). A line with none of these comes back whole, so pysbd is not called.
* **The abbreviation pass** looks up each of some 200 abbreviations in the line and, for
  every occurrence, rewrites a period right after it. An abbreviation (letters only) that is
  never followed by a period in the lower-cased line cannot rewrite anything, so it is not
  looked up. ``re.IGNORECASE`` also matches "İ", "ı" and "ſ" to ASCII letters while
  ``str.lower`` does not map them there, so a line holding one takes pysbd's own pass.

``tests/worker/analysis/test_pysbd_lines.py`` compares this with plain pysbd on every line
of the shipped, gold and benchmark texts and on generated lines.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd
from pysbd.lang.common import Common, Standard
from pysbd.lang.english import English

_MARKS = "".join(Standard.Punctuations)
_PLACEHOLDERS = "∯∮♬♭ᓰᓱᓳᓴᓷᓸ☉☇☈☄✂⌬ȸȹƪ♟♝☏♨☝⎋"
# A sentence mark with anything after it, or a character some rule acts on by itself.
_NOT_PLAIN = re.compile(f"(?s)[{re.escape(_MARKS)}](?=.)|[{re.escape(_PLACEHOLDERS)}\r\\\\)]")
_OPENERS = "（「('\"“"
_QUOTE_AT_END = re.compile(Common.QUOTATION_AT_END_OF_SENTENCE_REGEX)
# Characters that ``re.IGNORECASE`` matches to an ASCII letter but ``str.lower`` does not
# lower to one (all of them, over every code point).
_FOLDS_TO_ASCII = re.compile("[İıſ]")


def is_plain_line(line: str) -> bool:
    """Whether pysbd would return the stripped, non-empty ``line`` as its only segment."""
    return (
        line[:1] not in _OPENERS
        and _NOT_PLAIN.search(line) is None
        and _QUOTE_AT_END.search(line) is None
    )


class _AbbreviationReplacer(English.AbbreviationReplacer):
    def search_for_abbreviations_in_string(self, text: str) -> str:
        if _FOLDS_TO_ASCII.search(text):
            return super().search_for_abbreviations_in_string(text)
        # pysbd's loop, minus the abbreviations no period follows.
        lowered = text.lower()
        for abbr in self.lang.Abbreviation.ABBREVIATIONS:
            stripped = abbr.strip()
            if stripped not in lowered:
                continue
            if "." not in stripped and stripped + "." not in lowered:
                continue
            abbrev_match = re.findall(rf"(?:^|\s|\r|\n){stripped}", text, flags=re.IGNORECASE)
            if not abbrev_match:
                continue
            next_word_start = r"(?<={" + str(re.escape(stripped)) + "} ).{1}"
            char_array = re.findall(next_word_start, text)
            for ind, match in enumerate(abbrev_match):
                text = self.scan_for_replacements(text, match, ind, char_array)
        return text


class _English(English):
    AbbreviationReplacer = _AbbreviationReplacer


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    segmenter = pysbd.Segmenter(language="en", clean=False)
    segmenter.language_module = _English
    return segmenter


def segment_line(line: str) -> list[str]:
    """Segment the stripped, non-empty ``line`` exactly as pysbd's ``Processor`` does."""
    if is_plain_line(line):
        return [line]
    # ``processor().process()`` is what ``segment()`` runs, minus its span search, which
    # compiles a regex per sentence and churns the ``re`` cache; offsets are found by the caller.
    return list(_segmenter().processor(line).process())
