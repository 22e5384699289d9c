"""Tests for the terminal rendering of embeds."""

from __future__ import annotations

from bot.render.text import embed_to_text, markdown_to_text, message_to_text


def test_links_show_their_url_and_citations_stay_short():
    """A titled link shows its URL; a [n] citation shows just [n]."""
    text = markdown_to_text("See [Title \\*x\\*](https://a.b/c) [\\[1\\]](https://a.b/c).")
    assert text == "See Title *x* <https://a.b/c> [1]."


def test_fields_and_footer_are_rendered():
    """Fields come as named blocks, the footer after a dash."""
    embed = {"title": "T", "fields": [{"name": "N", "value": "**v**"}], "footer": {"text": "F"}}
    assert embed_to_text(embed) == "T\n═\n\n▸ N\n  v\n\n— F"


def test_buttons_become_numbered_choices():
    """Enabled buttons get a number; disabled ones are shown in brackets."""
    rows = [
        {
            "type": 1,
            "components": [
                {"type": 2, "label": "Prev", "disabled": True},
                {"type": 2, "label": "Next", "disabled": False},
            ],
        }
    ]
    assert message_to_text("hi", [], rows) == "hi\n\nButtons: (Prev)   2) Next"


def test_message_content_markdown_is_rendered_like_embeds():
    """A message's own text (a digest heading, a short reply) loses its markdown too."""
    text = message_to_text("🗞️ **Daily digest** · <#5> is **off**", [])
    assert text == "🗞️ Daily digest · <#5> is off"
