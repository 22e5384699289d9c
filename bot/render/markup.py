"""Markdown pieces the renderers share: safe links, escaped text, citations, counts, dates."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from urllib.parse import quote, urlsplit

from bot import limits
from corpus.brief_values import SourceRef

# A source URL longer than this is shown as its outlet without a link: a link that long
# would eat most of a field and cannot be cut.
MAX_LINK_URL = 512
# Headlines, titles and measures longer than this are cut, so one of them never fills an embed
# (and a link's label never pushes the whole link out of a field).
MAX_LABEL = 300
_URL_UNSAFE = re.compile(r"[\s()<>\[\]]")


@lru_cache(maxsize=4096)
def safe_url(url: str) -> str | None:
    """Return ``url`` percent-encoded so it cannot end a markdown link early, or None."""
    if limits.size(url.strip()) > MAX_LINK_URL:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    cleaned = _URL_UNSAFE.sub(lambda m: quote(m.group(0)), url.strip())
    return cleaned if limits.size(cleaned) <= MAX_LINK_URL else None


# discord.utils.escape_markdown(text, as_needed=False), whose patterns these are: the console
# renders replies without loading discord.py (tests/bot/render/test_markup.py compares them).
_MARKDOWN_COMMON = r"^>(?:>>)?\s|\[.+\]\(.+\)|^#{1,3}|^\s*-"
_URL = r"(?P<url><[^: >]+:\/[^ >]+>|(?:https?|steam):\/\/[^\s<]+[^<.,:;\"\'\]\s])"
_MARKDOWN = re.compile(rf"(?:{_URL}|(?P<markdown>[_\\~|\*`]|{_MARKDOWN_COMMON}))", re.MULTILINE)


def _escaped(match: re.Match[str]) -> str:
    return match.group("url") or "\\" + match.group("markdown")


def escape_markdown(text: str) -> str:
    """Put a backslash before every markdown character of ``text``; URLs stay as they are."""
    return _MARKDOWN.sub(_escaped, text)


@lru_cache(maxsize=8192)
def plain(text: str) -> str:
    """Escape markdown (brackets too) in untrusted text and flatten it to one line."""
    flat = " ".join(text.replace("\\", "/").split())
    return escape_markdown(flat).replace("[", "\\[").replace("]", "\\]")


def short(text: str, limit: int = MAX_LABEL) -> str:
    """Return ``text`` escaped and cut to ``limit`` (headlines, titles, measures)."""
    return limits.cut(plain(text), limit)


def link(text: str, url: str) -> str:
    """Return a markdown link ``[text](url)``, or just the text when the URL is unusable."""
    target = safe_url(url)
    label = short(text) or "link"
    return f"[{label}]({target})" if target else label


def citation(number: int, sources: Mapping[int, SourceRef]) -> str:
    """Return ``[n]`` linked to source ``n`` (plain ``[n]`` when the URL is unusable)."""
    ref = sources.get(number)
    target = safe_url(ref.url) if ref else None
    return f"[\\[{number}\\]]({target})" if target else f"\\[{number}\\]"


def citations(numbers: Sequence[int], sources: Mapping[int, SourceRef]) -> str:
    """Return the citations of ``numbers`` side by side."""
    return "".join(citation(n, sources) for n in numbers)


def by_number(sources: Sequence[SourceRef]) -> dict[int, SourceRef]:
    """Index sources by their citation number."""
    return {s.number: s for s in sources}


def count(n: int, singular: str, plural: str | None = None) -> str:
    """Return ``n`` with the noun in the right number ("1 story", "3 stories")."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def day(value: datetime | None, *, fetched: bool = False) -> str:
    """Return a date as ``20 Nov 2026`` (or ``undated``); a fetch date as ``added 20 Nov 2026``."""
    if value is None:
        return "undated"
    shown = f"{value.day} {value:%b %Y}"
    return f"added {shown}" if fetched else shown


@lru_cache(maxsize=8192)
def source_line(ref: SourceRef) -> str:
    """Return one source: number, linked title, outlet and date."""
    title = link(ref.title or ref.url, ref.url)
    outlet = plain(ref.outlet) if ref.outlet else (urlsplit(ref.url).hostname or "unknown outlet")
    return f"`[{ref.number}]` {title} — {outlet}, {day(ref.published, fetched=ref.date_is_fetched)}"
