"""Discord's message, embed and option limits, enforced by us (discord.py does not check them).

Embeds are plain dicts in Discord's JSON shape. Every embed the bot sends goes through
``fit_message`` (or ``fit_embed``); text is cut at a line (bullet) or sentence boundary with a
visible "…and N more", and never inside a markdown link ``[text](url)``.

Lengths are measured in UTF-16 code units, which is never less than the code-point count
Discord may use, so a fitted embed is within the limit under either count.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
EMBED_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
CONTENT = 2000
URL = 2048
MAX_CHOICES = 25  # choices Discord shows for an option or an autocomplete
# Story and source ids are 32-bit INTEGER columns: a larger number could not be looked up.
MAX_ROW_ID = 2**31 - 1

ELLIPSIS = "…"
# Below this much room an embed that would need shortening is left out instead.
MIN_EMBED_ROOM = 200
# A markdown link as our renderers write it: brackets in the text escaped with a backslash,
# no ")" or space in the URL.
LINK_RE = re.compile(r"(?<!\\)\[(?:\\.|[^\]\\\n])*\]\([^)\s]*\)")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])\s+")
_SPACE_RE = re.compile(r"\s+")

Embed = dict[str, Any]


def size(text: str) -> int:
    """Return the length of ``text`` as Discord limits count it (UTF-16 code units)."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def more_marker(count: int) -> str:
    """Return the visible note for ``count`` items left out."""
    return f"{ELLIPSIS}and {count} more"


def _link_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in LINK_RE.finditer(text)]


def _inside_link(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < pos < end for start, end in spans)


def _prefix_fitting(text: str, budget: int) -> int:
    """Return the largest index ``i`` with ``size(text[:i]) <= budget``."""
    if size(text) <= budget:
        return len(text)
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > budget:
            return i
    return len(text)


@lru_cache(maxsize=8192)
def cut(text: str, limit: int) -> str:
    """Shorten one line to at most ``limit`` at a sentence, else a word boundary, outside links.

    The kept part ends with "…"; returns "" when not even that fits.
    """
    if size(text) <= limit:
        return text
    budget = limit - size(" " + ELLIPSIS)
    if budget <= 0:
        return ""
    hard = _prefix_fitting(text, budget)
    spans = _link_spans(text)
    for pattern in (_SENTENCE_END_RE, _SPACE_RE):
        points = [m.start() for m in pattern.finditer(text, 0, hard + 1) if m.start() <= hard]
        points = [p for p in points if p > 0 and not _inside_link(p, spans)]
        if points:
            return text[: points[-1]].rstrip() + " " + ELLIPSIS
    # No boundary at all: cut mid-word, but still before any link that would be split.
    point = hard
    for start, end in spans:
        if start < point < end:
            point = start
    kept = text[:point].rstrip()
    return kept + " " + ELLIPSIS if kept else ""


def fit_lines(
    lines: Sequence[str],
    limit: int,
    *,
    separator: str = "\n",
    marker: Callable[[int], str] = more_marker,
) -> str:
    """Join as many whole ``lines`` as fit in ``limit``; note how many were left out.

    When not even the first line fits whole, it is shortened at a sentence boundary.
    """
    text = separator.join(lines)
    if size(text) <= limit:
        return text
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        dropped = len(lines) - index - 1
        tail = size(separator + marker(dropped)) if dropped else 0
        extra = size(line) + (size(separator) if kept else 0)
        if used + extra + tail <= limit:
            kept.append(line)
            used += extra
            continue
        if not kept:
            # First line too long: keep a shortened version of it.
            room = limit - tail
            short = cut(line, room) if room > 0 else ""
            if short:
                kept.append(short)
                used += size(short)
                continue
        return _with_marker(kept, len(lines) - len(kept), limit, separator, marker)
    return separator.join(kept)


def _with_marker(
    kept: list[str], dropped: int, limit: int, separator: str, marker: Callable[[int], str]
) -> str:
    note = marker(dropped)
    while kept and size(separator.join([*kept, note])) > limit:
        kept.pop()
        dropped += 1
        note = marker(dropped)
    if not kept:
        return note if size(note) <= limit else (ELLIPSIS if limit >= 1 else "")
    return separator.join([*kept, note])


def fit_text(text: str, limit: int) -> str:
    """Fit free text (lines of bullets or paragraphs) into ``limit``."""
    if size(text) <= limit:
        return text
    return fit_lines(text.split("\n"), limit)


def chunk_lines(lines: Sequence[str], limit: int, *, separator: str = "\n") -> list[str]:
    """Pack ``lines`` into as few chunks of at most ``limit`` as order allows (for paging).

    A line longer than ``limit`` on its own is shortened with ``cut``.
    """
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for raw in lines:
        line = raw if size(raw) <= limit else cut(raw, limit)
        if not line:
            continue
        extra = size(line) + (size(separator) if current else 0)
        if current and used + extra > limit:
            chunks.append(separator.join(current))
            current, used = [], 0
            extra = size(line)
        current.append(line)
        used += extra
    if current:
        chunks.append(separator.join(current))
    return chunks


def embed_size(embed: Embed) -> int:
    """Return the characters of ``embed`` that count toward the 6000 limit."""
    total = size(embed.get("title") or "") + size(embed.get("description") or "")
    total += size((embed.get("footer") or {}).get("text") or "")
    total += size((embed.get("author") or {}).get("name") or "")
    for field in embed.get("fields") or []:
        total += size(field.get("name") or "") + size(field.get("value") or "")
    return total


def message_size(embeds: Sequence[Embed]) -> int:
    """Return the characters of all ``embeds`` of one message."""
    return sum(embed_size(e) for e in embeds)


def _fit_url(url: Any) -> Any:
    return url if not isinstance(url, str) or size(url) <= URL else None


def fit_embed(embed: Embed, budget: int = EMBED_TOTAL) -> Embed:
    """Return a copy of ``embed`` within every per-embed limit and within ``budget`` characters."""
    out: Embed = dict(embed)
    if "title" in out:
        out["title"] = cut(out["title"], TITLE) or ELLIPSIS
    if "url" in out and _fit_url(out["url"]) is None:
        del out["url"]
    if "description" in out:
        out["description"] = fit_text(out["description"], DESCRIPTION)
    if out.get("footer"):
        out["footer"] = {**out["footer"], "text": cut(out["footer"].get("text", ""), FOOTER)}
    if out.get("author"):
        out["author"] = {**out["author"], "name": cut(out["author"].get("name", ""), AUTHOR)}
    if out.get("fields"):
        out["fields"] = _fit_fields(out["fields"])
    return _fit_total(out, budget)


def _fit_field(field: dict[str, Any]) -> dict[str, Any]:
    name = cut(field.get("name") or "", FIELD_NAME) or ELLIPSIS
    value = fit_text(field.get("value") or "", FIELD_VALUE) or ELLIPSIS
    return {**field, "name": name, "value": value}


def _fit_fields(fields: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    fitted = [_fit_field(f) for f in fields]
    if len(fitted) <= FIELDS:
        return fitted
    kept = fitted[: FIELDS - 1]
    kept.append({"name": ELLIPSIS, "value": more_marker(len(fitted) - len(kept)), "inline": False})
    return kept


def _fit_total(embed: Embed, budget: int) -> Embed:
    """Drop trailing fields, then shorten the description, then the footer, to fit ``budget``."""
    if embed_size(embed) <= budget:
        return embed
    fields = list(embed.get("fields") or [])
    dropped = 0
    while fields and embed_size({**embed, "fields": fields}) > budget:
        if fields[-1].get("name") == ELLIPSIS:
            fields.pop()
        else:
            fields.pop()
            dropped += 1
        if dropped:
            note = {"name": ELLIPSIS, "value": more_marker(dropped), "inline": False}
            if embed_size({**embed, "fields": [*fields, note]}) <= budget:
                fields.append(note)
                break
    if "fields" in embed:
        embed = {**embed, "fields": fields}
    over = embed_size(embed) - budget
    if over > 0 and embed.get("description"):
        room = max(size(embed["description"]) - over, 0)
        embed = {**embed, "description": fit_text(embed["description"], room)}
    over = embed_size(embed) - budget
    if over > 0 and embed.get("footer"):
        room = max(size(embed["footer"].get("text", "")) - over, 0)
        embed = {**embed, "footer": {**embed["footer"], "text": cut(embed["footer"]["text"], room)}}
    over = embed_size(embed) - budget
    if over > 0 and embed.get("title"):
        room = max(size(embed["title"]) - over, 0)
        embed = {**embed, "title": cut(embed["title"], room)}
    if embed_size(embed) > budget:
        embed.pop("author", None)
    return embed


def fit_message(embeds: Sequence[Embed]) -> list[Embed]:
    """Fit the embeds of one message: each embed's limits, at most 10, 6000 characters in all.

    Embeds come first-come-first-served; an embed with too little room left is dropped
    and the last kept embed's footer says how many were left out.
    """
    kept: list[Embed] = []
    used = 0
    dropped = 0
    for index, embed in enumerate(embeds):
        if len(kept) == EMBEDS_PER_MESSAGE:
            dropped = len(embeds) - index
            break
        room = EMBED_TOTAL - used
        fitted = fit_embed(embed, room)
        too_cramped = room < MIN_EMBED_ROOM and embed_size(fitted) < embed_size(embed)
        if not _has_content(fitted) or embed_size(fitted) > room or too_cramped:
            dropped = len(embeds) - index
            break
        kept.append(fitted)
        used += embed_size(fitted)
    if dropped and kept:
        last = kept[-1]
        note = more_marker(dropped) + (" embeds" if dropped > 1 else " embed")
        room = EMBED_TOTAL - (used - embed_size(last))
        kept[-1] = fit_embed({**last, "footer": {"text": note}}, room)
    return kept


def _has_content(embed: Embed) -> bool:
    return bool(embed.get("title") or embed.get("description") or embed.get("fields"))


def check_message(embeds: Sequence[Embed]) -> list[str]:
    """Return every limit ``embeds`` break, as sentences (empty when the message is valid)."""
    problems: list[str] = []
    if len(embeds) > EMBEDS_PER_MESSAGE:
        problems.append(f"{len(embeds)} embeds in one message; at most {EMBEDS_PER_MESSAGE}.")
    if message_size(embeds) > EMBED_TOTAL:
        problems.append(f"{message_size(embeds)} characters in one message; at most 6000.")
    for n, embed in enumerate(embeds, 1):
        checks = [
            ("title", embed.get("title") or "", TITLE),
            ("description", embed.get("description") or "", DESCRIPTION),
            ("footer", (embed.get("footer") or {}).get("text") or "", FOOTER),
            ("author", (embed.get("author") or {}).get("name") or "", AUTHOR),
        ]
        fields = embed.get("fields") or []
        if len(fields) > FIELDS:
            problems.append(f"embed {n} has {len(fields)} fields; at most {FIELDS}.")
        for field in fields:
            checks.append(("field name", field.get("name") or "", FIELD_NAME))
            checks.append(("field value", field.get("value") or "", FIELD_VALUE))
            if not field.get("name") or not field.get("value"):
                problems.append(f"embed {n} has an empty field name or value.")
        for what, text, limit in checks:
            if size(text) > limit:
                problems.append(f"embed {n} {what} is {size(text)} long; at most {limit}.")
    return problems
