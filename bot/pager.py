"""Page through a multi-page reply with previous / next / sources buttons.

``Pager`` is the pure state (which page, what each button does); ``PagerView`` is the
discord.ui.View around it: only the user who asked may press the buttons, and when the
view times out its buttons are disabled on the message.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import discord

from bot.errors import replied
from bot.limits import Embed
from bot.render.pages import Pages

log = logging.getLogger(__name__)

# Below the 15 minutes an interaction token lives, so the timeout can still edit the message.
TIMEOUT_SECONDS = 600.0
NOT_YOURS = "Only the person who asked can turn these pages. Run the command yourself to page."


@dataclass
class Pager:
    """Which page of ``pages`` is shown; ``sources_page`` is where the source list starts."""

    pages: Sequence[list[Embed]]
    sources_page: int | None = None
    index: int = 0

    @property
    def has_previous(self) -> bool:
        """Whether there is a page before this one."""
        return self.index > 0

    @property
    def has_next(self) -> bool:
        """Whether there is a page after this one."""
        return self.index < len(self.pages) - 1

    @property
    def on_sources(self) -> bool:
        """Whether the page shown is part of the source list."""
        return self.sources_page is not None and self.index >= self.sources_page

    def previous(self) -> list[Embed]:
        """Go one page back (stays on the first page)."""
        self.index = max(self.index - 1, 0)
        return self.current

    def next(self) -> list[Embed]:
        """Go one page on (stays on the last page)."""
        self.index = min(self.index + 1, len(self.pages) - 1)
        return self.current

    def toggle_sources(self) -> list[Embed]:
        """Jump to the source list, or back to the first page when already there."""
        if self.sources_page is not None:
            self.index = 0 if self.on_sources else self.sources_page
        return self.current

    @property
    def current(self) -> list[Embed]:
        """The embeds of the page shown."""
        return list(self.pages[self.index])


def to_discord(embeds: Sequence[Embed]) -> list[discord.Embed]:
    """Build ``discord.Embed`` objects from fitted embed dicts (the one path to Discord)."""
    return [discord.Embed.from_dict(e) for e in embeds]


class PagerView(discord.ui.View):
    """Previous / next / sources buttons over a ``Pager``, for one user, disabled on timeout."""

    def __init__(
        self, pager: Pager, *, owner_id: int | None, timeout: float | None = TIMEOUT_SECONDS
    ) -> None:
        super().__init__(timeout=timeout)
        self.pager = pager
        self.owner_id = owner_id
        self.message: Any = None  # the sent message, edited when the view times out
        if pager.sources_page is None:
            self.remove_item(self.sources)
        self.refresh()

    def refresh(self) -> None:
        """Enable only the buttons that lead somewhere from the current page."""
        self.previous.disabled = not self.pager.has_previous
        self.next.disabled = not self.pager.has_next
        self.sources.label = "Summary" if self.pager.on_sources else "Sources"

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Let only the user who asked turn the pages; tell anyone else why not."""
        if self.owner_id is None or interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(NOT_YOURS, ephemeral=True)
        return False

    async def _show(self, interaction: discord.Interaction[Any], embeds: list[Embed]) -> None:
        self.refresh()
        await interaction.response.edit_message(embeds=to_discord(embeds), view=self)

    @discord.ui.button(label="◀ Previous", style=discord.ButtonStyle.secondary, custom_id="pg:prev")
    async def previous(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[PagerView]
    ) -> None:
        """Show the previous page."""
        await self._show(interaction, self.pager.previous())

    @discord.ui.button(label="Next ▶", style=discord.ButtonStyle.primary, custom_id="pg:next")
    async def next(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[PagerView]
    ) -> None:
        """Show the next page."""
        await self._show(interaction, self.pager.next())

    @discord.ui.button(label="Sources", style=discord.ButtonStyle.secondary, custom_id="pg:src")
    async def sources(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[PagerView]
    ) -> None:
        """Jump to the sources, or back to the start."""
        await self._show(interaction, self.pager.toggle_sources())

    async def on_timeout(self) -> None:
        """Disable every button on the message so nobody presses a dead button."""
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                log.info("could not disable the pager buttons: the message is gone")


def view_for(pages: Pages, *, owner_id: int | None) -> PagerView | None:
    """Return a pager view when the reply has more than one page, else None."""
    if len(pages.pages) <= 1:
        return None
    return PagerView(Pager(pages.pages, pages.sources_page), owner_id=owner_id)


def page_payloads(pages: Pages) -> list[dict[str, Any]]:
    """Return each page as Discord's ``{"embeds": [...], "components": [...]}``."""
    payloads = []
    view = view_for(pages, owner_id=None)  # one view, turned to each page in turn
    for index, embeds in enumerate(pages.pages):
        if view is not None:
            view.pager.index = index
            view.refresh()
        components = view.to_components() if view is not None else []
        as_sent = [e.to_dict() for e in to_discord(embeds)]
        payloads.append({"embeds": as_sent, "components": components})
    return payloads


async def send_pages(
    interaction: discord.Interaction[Any], pages: Pages, *, ephemeral: bool = False
) -> None:
    """Send the first page (as a followup when deferred) with the pager when there are more."""
    view = view_for(pages, owner_id=interaction.user.id)
    embeds = to_discord(pages.pages[0]) if pages.pages else []
    extra: dict[str, Any] = {"view": view} if view is not None else {}
    message: Any
    if interaction.response.is_done():
        message = await interaction.followup.send(
            embeds=embeds, ephemeral=ephemeral, wait=True, **extra
        )
    else:
        await interaction.response.send_message(embeds=embeds, ephemeral=ephemeral, **extra)
        message = await interaction.original_response()
    replied(interaction)
    if view is not None:
        view.message = message
