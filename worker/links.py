"""Link density of extracted lines: teaser lists and 'related' headlines are mostly link text.

trafilatura drops the text of its links when it is not asked to keep them, and keeping them
changes what it extracts, so the anchors are read from the page itself: an extracted line whose
characters are mostly the text of the page's links is a link, not a sentence of the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml.html import HtmlElement

__all__ = ["anchor_texts", "drop_link_lines", "link_density"]

_SPACE = re.compile(r"\s+")
# Anchors of a single word ('Home', 'Reuters') say nothing about a line that contains them.
_MIN_ANCHOR_WORDS = 2
# A line this much link text is a link...
_DENSE = 0.7
# ... and is dropped when it is a list item or headline-long: shorter ones are often the
# article's own subheadings or product names linked to a shop, and full sentences stay.
_MIN_DROPPED_WORDS = 7
_SENTENCE_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?…。！？][\"”’)\]]?$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s")


def anchor_texts(tree: HtmlElement) -> frozenset[str]:
    """Return the whitespace-normalised texts of the page's links of two words or more."""
    texts = set()
    for anchor in tree.iter("a"):
        text = _SPACE.sub(" ", anchor.text_content()).strip()
        if len(text.split()) >= _MIN_ANCHOR_WORDS:
            texts.add(text)
    return frozenset(texts)


def link_density(line: str, anchors: Iterable[str]) -> float:
    """Return the share of ``line``'s characters that are the text of a link (0 to 1)."""
    if not line:
        return 0.0
    covered = sum(len(anchor) for anchor in anchors if anchor in line)
    return min(1.0, covered / len(line))


def _is_link_line(line: str, anchors: frozenset[str]) -> bool:
    words = len(line.split())
    if words >= _SENTENCE_WORDS and _SENTENCE_END.search(line):
        return False
    if not (_LIST_ITEM.match(line) or words >= _MIN_DROPPED_WORDS):
        return False
    return link_density(line, anchors) >= _DENSE


def drop_link_lines(text: str, anchors: frozenset[str]) -> str:
    """Drop the lines of ``text`` that are teaser links: list items or headlines, mostly links."""
    if not anchors:
        return text
    lines = text.split("\n")
    return "\n".join(
        line for line in lines if not _is_link_line(_SPACE.sub(" ", line).strip(), anchors)
    )
