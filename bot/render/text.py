"""Embeds as terminal text, for the console: titles, descriptions, fields, links, buttons."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import Any

from bot.limits import LINK_RE, Embed

_CITATION_TEXT = re.compile(r"^\\?\[\d+\\?\]$")
_ESCAPE = re.compile(r"\\([\\`*_~|\[\]>#-])")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\\*])\*(?!\*)(.+?)(?<!\\)\*")
_CODE = re.compile(r"`([^`]*)`")


def _link_text(match: re.Match[str]) -> str:
    raw = match.group(0)
    split = raw.rindex("](")
    label, url = raw[1:split], raw[split + 2 : -1]
    if _CITATION_TEXT.match(label):
        return label  # citations point into the numbered source list
    return f"{label} <{url}>"


def _unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text)


def markdown_to_text(text: str) -> str:
    """Turn our Discord markdown into plain terminal text; links show their URL."""
    text = LINK_RE.sub(_link_text, text)
    text = _BOLD.sub(r"\1", text)
    text = _ITALIC.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    return _unescape(text)


def embed_to_text(embed: Embed, width: int = 100) -> str:
    """Render one embed as a block of text."""
    out: list[str] = []
    if embed.get("author", {}).get("name"):
        out.append(markdown_to_text(embed["author"]["name"]))
    if embed.get("title"):
        title = markdown_to_text(embed["title"])
        out += [title, "═" * min(len(title), width)]
    if embed.get("url"):
        out.append(f"<{embed['url']}>")
    if embed.get("description"):
        out.append(_wrap(markdown_to_text(embed["description"]), width))
    for field in embed.get("fields") or []:
        out += ["", f"▸ {markdown_to_text(field['name'])}"]
        out.append(_wrap(markdown_to_text(field["value"]), width, indent="  "))
    if embed.get("footer", {}).get("text"):
        out += ["", f"— {markdown_to_text(embed['footer']['text'])}"]
    return "\n".join(out)


def _wrap(text: str, width: int, indent: str = "") -> str:
    lines = []
    for line in text.split("\n"):
        if not line.strip():
            lines.append("")
            continue
        lead = "  " if line.startswith("• ") else ""
        lines.append(
            textwrap.fill(
                line,
                width,
                initial_indent=indent,
                subsequent_indent=indent + lead,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(lines)


def buttons_of(components: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the buttons of a message's component rows, in order."""
    return [
        item for row in components for item in row.get("components", []) if item.get("type") == 2
    ]


def message_to_text(
    content: str | None, embeds: Sequence[Embed], components: Sequence[dict[str, Any]] = ()
) -> str:
    """Render a whole message; buttons become numbered choices (disabled ones in brackets)."""
    parts = [markdown_to_text(content)] if content else []
    parts += [embed_to_text(e) for e in embeds]
    buttons = buttons_of(components)
    if buttons:
        choices = [
            f"{n}) {b.get('label', '?')}" if not b.get("disabled") else f"({b.get('label', '?')})"
            for n, b in enumerate(buttons, 1)
        ]
        parts.append("Buttons: " + "   ".join(choices))
    return "\n\n".join(parts)
