"""The markdown escape the renderers use, beside discord.py's own."""

from __future__ import annotations

import pytest
from discord.utils import escape_markdown as discord_escape
from hypothesis import given
from hypothesis import strategies as st

from bot.render.markup import escape_markdown

# Markdown characters, quote and heading and list starts, links and bare URLs.
TRICKY = [
    "plain words",
    "**bold** and __under__ and ~~gone~~ and ||hidden|| and `code`",
    "back\\slash",
    "> quoted\n>>> block quote\n# heading\n### small\n  - item\n-dash",
    "[label](https://example.com/a_b) and [x](y)",
    "see https://example.com/path_with_underscores*stars, then <https://x.org/a_b>",
    "steam://run/123_456 and http://a.b/c.",
    "snake_case_name *star* `tick`",
]
MARKDOWNISH = st.text(alphabet=st.sampled_from("ab _*~|`\\>#-[]()<>:/.\nhtps"), max_size=40)


@pytest.mark.parametrize("text", TRICKY)
def test_escapes_as_discord_does(text):
    """Tricky text is escaped exactly as ``discord.utils.escape_markdown`` escapes it."""
    assert escape_markdown(text) == discord_escape(text, as_needed=False)


@given(MARKDOWNISH)
def test_any_text_is_escaped_as_discord_does(text):
    """Any mix of markdown characters, links and URLs is escaped as discord.py escapes it."""
    assert escape_markdown(text) == discord_escape(text, as_needed=False)
