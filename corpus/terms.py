"""Term patterns shared by theme and topic definitions.

A term written in lower case matches in any case ("pipeline" matches "Pipelines");
a term with a capital letter matches exactly as written ("US", "SCO", "Xi"), so
acronyms and short names do not fire on ordinary words. A term ending in ``*`` matches
as a prefix ("sanction*"). Otherwise a plural "s"/"es" is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import ahocorasick

_SPACE = re.compile(r"\s+")
# The only characters that ``re`` matches case-insensitively against ASCII letters but that
# ``str.lower`` does not lower to them ("İ", "K" and the dotless/long variants of i and s).
_LOWER_MISMATCH = ("\u0130", "\u0131", "\u017f", "\u212a")


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


def matches(
    pattern: re.Pattern[str], text: str, starts: Sequence[int] | None
) -> Iterable[re.Match[str]]:
    """Yield ``pattern.finditer(text)``, trying only at ``starts`` when they are given.

    ``starts`` must hold every offset where a match may begin (see :class:`TermIndex`),
    in order: the leftmost match at or after the end of the last one is then at the first
    of them where the pattern matches, so the result is the same as ``finditer``'s.
    """
    if starts is None:
        yield from pattern.finditer(text)
        return
    cursor = 0
    match = pattern.match
    for start in starts:
        if start < cursor:
            continue
        found = match(text, start)
        if found is not None:
            yield found
            cursor = found.end()


def term_head(term: str) -> str:
    """Return the lower-cased literal text every match of ``term`` starts with.

    That is the term up to its first space or hyphen (which match a run of spaces or any
    dash), without a trailing ``*``.
    """
    raw = term.strip().removesuffix("*")
    return re.split(r"[\s-]", raw, maxsplit=1)[0].lower()


class TermMatcher:
    """Finds which of a set of terms occur in a text, and where."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = ordered_terms(terms)
        # Group ``t{i}`` is ``self.terms[i]``: one ordering serves both.
        self._pattern = compile_terms(self.terms)

    def heads(self) -> set[str]:
        """Return the :func:`term_head` of every term."""
        return {term_head(t) for t in self.terms}

    def _matches(self, text: str, starts: Sequence[int] | None) -> Iterable[re.Match[str]]:
        return matches(self._pattern, text, starts)

    def find(self, text: str, starts: Sequence[int] | None = None) -> list[tuple[str, int, int]]:
        """Return ``(term, start, end)`` for every non-overlapping occurrence in ``text``.

        ``starts``, from :meth:`TermIndex.starts`, are the only offsets where a term may
        begin; without them the whole text is scanned. The result is the same either way.
        """
        out: list[tuple[str, int, int]] = []
        for match in self._matches(text, starts):
            group = match.lastgroup
            if group is None:
                continue
            out.append((self.terms[int(group[1:])], match.start(), match.end()))
        return out

    def count(self, text: str, starts: Sequence[int] | None = None) -> int:
        """Return how many occurrences of any term there are in ``text`` (``starts`` as in find)."""
        return sum(1 for _ in self._matches(text, starts))


class TermIndex:
    """Where the terms of many matchers can start in a text, found in one Aho–Corasick pass.

    A term's matches all begin with its :func:`term_head`, so the offsets where a head
    occurs (in the lower-cased text) are the only ones a matcher needs to try; the same
    holds for any pattern of literal phrases (a theme's ``exclude``), matched in any case. Blanking
    parts of the text with spaces afterwards only removes occurrences, so the offsets stay
    valid for the blanked text too.
    """

    def __init__(self, heads: Sequence[Iterable[str]]) -> None:
        """Index one collection of heads per matcher (e.g. ``matcher.heads()``)."""
        self.size = len(heads)
        owners: dict[str, set[int]] = {}
        for index, collection in enumerate(heads):
            for head in collection:
                owners.setdefault(head, set()).add(index)
        # Lower-casing is exact for ASCII heads and for heads of caseless characters
        # (quotes, apostrophes); a head with any other character disables the index.
        self.usable = all(
            c.isascii() or c.lower() == c.upper() == c for head in owners for c in head
        )
        self._automaton = ahocorasick.Automaton()
        for head, indexes in owners.items():
            self._automaton.add_word(head, (len(head), tuple(sorted(indexes))))
        if owners:
            self._automaton.make_automaton()
        self._empty = not owners

    def starts(self, text: str) -> list[list[int]] | None:
        """Return, for each matcher in order, the sorted offsets where its terms may start.

        ``None`` when lower-casing could hide a case-insensitive match (a handful of rare
        characters); callers then scan the whole text.
        """
        if not self.usable or any(c in text for c in _LOWER_MISMATCH):
            return None
        lowered = text.lower()
        if len(lowered) != len(text):
            return None
        out: list[set[int]] = [set() for _ in range(self.size)]
        if not self._empty:
            for end, (length, indexes) in self._automaton.iter(lowered):
                for index in indexes:
                    out[index].add(end - length + 1)
        return [sorted(found) for found in out]
