"""Term patterns shared by theme and topic definitions.

A term written in lower case matches in any case ("pipeline" matches "Pipelines");
a term with a capital letter matches exactly as written ("US", "SCO", "Xi"), so
acronyms and short names do not fire on ordinary words. A term ending in ``*`` matches
as a prefix ("sanction*"). Otherwise a plural "s"/"es" is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_SPACE = re.compile(r"\s+")


def term_pattern(term: str) -> str:
    """Return the regular-expression source of one term, without word boundaries."""
    raw = term.strip()
    prefix = raw.endswith("*")
    if prefix:
        raw = raw[:-1]
    body = _SPACE.sub(r"\\s+", re.escape(raw).replace(r"\ ", " "))
    # Hyphens and dashes are interchangeable in news copy ("Sino-Russian", "Sino–Russian").
    body = body.replace(r"\-", r"[-‐–—]")
    tail = r"[\w’'-]*" if prefix else r"(?:e?s)?"
    flags = "" if any(c.isupper() for c in raw) else "(?i:"
    core = f"{body}{tail}"
    if flags:
        core = f"{flags}{core})"
    return core


def ordered_terms(terms: Iterable[str]) -> tuple[str, ...]:
    """Return distinct terms, longest first (so a phrase wins over its first word), then A–Z."""
    return tuple(sorted({t.strip() for t in terms if t.strip()}, key=lambda t: (-len(t), t)))


def compile_terms(ordered: Sequence[str]) -> re.Pattern[str]:
    """Compile terms, in the given order of preference, into one pattern with a group each."""
    if not ordered:
        return re.compile(r"(?!x)x")
    alternatives = "|".join(f"(?P<t{i}>{term_pattern(t)})" for i, t in enumerate(ordered))
    # Boundaries once around the alternation: the engine tries the terms only at word starts.
    return re.compile(rf"(?<![\w.])(?=[\w$“\"‘])(?:{alternatives})(?!\w)")


class TermMatcher:
    """Finds which of a set of terms occur in a text, and where."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = ordered_terms(terms)
        # Group ``t{i}`` is ``self.terms[i]``: one ordering serves both.
        self._pattern = compile_terms(self.terms)

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """Return ``(term, start, end)`` for every non-overlapping occurrence in ``text``."""
        out: list[tuple[str, int, int]] = []
        for match in self._pattern.finditer(text):
            group = match.lastgroup
            if group is None:
                continue
            out.append((self.terms[int(group[1:])], match.start(), match.end()))
        return out

    def count(self, text: str) -> int:
        """Return how many occurrences of any term there are in ``text``."""
        return sum(1 for _ in self._pattern.finditer(text))
