"""Tests for the pager: page state, the buttons, who may press them, timeout."""

from __future__ import annotations

import discord

from bot.pager import NOT_YOURS, Pager, PagerView, page_payloads, send_pages, view_for
from bot.render.pages import Pages
from testing.discord_interaction import fake_interaction, sent_embeds

PAGES = [[{"title": f"page {i}"}] for i in range(4)]


def test_pager_moves_within_bounds():
    """Previous stops at the first page, next at the last."""
    pager = Pager(PAGES)
    assert pager.previous() == PAGES[0]
    for _ in range(10):
        pager.next()
    assert pager.index == 3 and not pager.has_next and pager.has_previous


def test_sources_button_toggles_between_sources_and_start():
    """Sources jumps to the source list; pressed again it returns to the first page."""
    pager = Pager(PAGES, sources_page=2)
    assert pager.toggle_sources() == PAGES[2] and pager.on_sources
    assert pager.toggle_sources() == PAGES[0]


def test_view_disables_buttons_that_lead_nowhere():
    """On the first page Previous is disabled and Next enabled."""
    view = PagerView(Pager(PAGES, sources_page=3), owner_id=1)
    assert view.previous.disabled and not view.next.disabled
    assert view.sources.label == "Sources"


def test_single_page_has_no_view():
    """A one-page reply gets no buttons."""
    assert view_for(Pages(pages=[PAGES[0]]), owner_id=1) is None


def test_view_without_sources_has_no_sources_button():
    """No sources page: only previous and next."""
    view = PagerView(Pager(PAGES), owner_id=1)
    assert [b.label for b in view.children] == ["◀ Previous", "Next ▶"]


async def test_only_the_asker_may_press():
    """Another user is refused with an ephemeral explanation."""
    view = PagerView(Pager(PAGES), owner_id=1)
    other = fake_interaction(user_id=2)
    assert await view.interaction_check(other) is False
    other.response.send_message.assert_awaited_once_with(NOT_YOURS, ephemeral=True)
    assert await view.interaction_check(fake_interaction(user_id=1)) is True


async def test_next_button_edits_the_message_to_the_next_page():
    """Pressing Next shows page 2 and enables Previous."""
    view = PagerView(Pager(PAGES), owner_id=1)
    interaction = fake_interaction(user_id=1)
    await view.next.callback(interaction)
    call = interaction.response.edit_message.await_args
    assert sent_embeds(call)[0]["title"] == "page 1"
    assert call.kwargs["view"] is view and not view.previous.disabled


async def test_timeout_disables_every_button_on_the_message():
    """When the view times out its buttons are disabled and the message is edited."""
    view = PagerView(Pager(PAGES, sources_page=3), owner_id=1)
    message = fake_interaction().followup.send.return_value
    view.message = message
    await view.on_timeout()
    assert all(item.disabled for item in view.children)
    message.edit.assert_awaited_once_with(view=view)


async def test_timeout_survives_a_deleted_message():
    """A message deleted meanwhile does not make the timeout fail."""
    view = PagerView(Pager(PAGES), owner_id=1)
    message = fake_interaction().followup.send.return_value
    message.edit.side_effect = discord.NotFound(
        type("R", (), {"status": 404, "reason": "gone"})(), "Unknown Message"
    )
    view.message = message
    await view.on_timeout()
    assert all(item.disabled for item in view.children)


async def test_send_pages_after_defer_uses_followup_with_the_view():
    """A deferred command sends page 1 through the followup with the pager attached."""
    interaction = fake_interaction(user_id=5)
    await interaction.response.defer()
    await send_pages(interaction, Pages(pages=PAGES, sources_page=3))
    call = interaction.followup.send.await_args
    assert [e["title"] for e in sent_embeds(call)] == ["page 0"]
    view = call.kwargs["view"]
    assert view.owner_id == 5 and view.message is interaction.followup.send.return_value


def test_page_payloads_carry_each_pages_button_states():
    """Every payload page has its embeds and the buttons as they look on that page."""
    payloads = page_payloads(Pages(pages=PAGES, sources_page=3))
    assert len(payloads) == 4
    first = payloads[0]["components"][0]["components"]
    last = payloads[-1]["components"][0]["components"]
    assert first[0]["disabled"] is True and last[1]["disabled"] is True
    assert last[2]["label"] == "Summary"
