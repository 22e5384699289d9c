"""JSON payloads the bot sends and registers, printable without logging in."""

from __future__ import annotations

from typing import Any

from discord import app_commands

from bot.pager import page_payloads
from bot.render.brief import brief_pages
from corpus.brief_values import Brief


def brief_message_payloads(brief: Brief) -> list[dict[str, Any]]:
    """Return the messages ``/brief`` shows, one per page: ``{"embeds", "components"}``."""
    return page_payloads(brief_pages(brief))


def commands_payload(tree: app_commands.CommandTree[Any]) -> list[dict[str, Any]]:
    """Return the global command payloads ``tree`` registers with Discord on sync."""
    return [command.to_dict(tree) for command in tree.get_commands()]
