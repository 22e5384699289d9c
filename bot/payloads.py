"""JSON payloads the bot sends and registers, printable without logging in."""

from __future__ import annotations

import json
from typing import Any, cast

from discord import app_commands

from bot.pager import page_payloads
from bot.render.brief import brief_pages, shown
from corpus.brief_values import Brief
from corpus.memo import Memo

# Briefs that show the same pages have the same payloads: kept as JSON, so every caller
# gets its own copy, under everything the pages show.
_PAYLOADS = Memo(32)


def brief_message_payloads(brief: Brief) -> list[dict[str, Any]]:
    """Return the messages ``/brief`` shows, one per page: ``{"embeds", "components"}``."""
    key = shown(brief)
    known = _PAYLOADS.get(key)
    if known is not None:
        return cast("list[dict[str, Any]]", json.loads(known))
    payloads = page_payloads(brief_pages(brief))
    _PAYLOADS.put(key, json.dumps(payloads))
    return payloads


def commands_payload(tree: app_commands.CommandTree[Any]) -> list[dict[str, Any]]:
    """Return the global command payloads ``tree`` registers with Discord on sync."""
    return [command.to_dict(tree) for command in tree.get_commands()]
