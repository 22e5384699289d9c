"""Tests for bot.limits: the fitter that keeps every message within Discord's limits."""

from __future__ import annotations

from bot import limits
from bot.limits import LINK_RE


def test_size_counts_astral_characters_twice():
    """An emoji outside the BMP counts as two UTF-16 units."""
    assert limits.size("a😀") == 3


def test_fit_text_keeps_short_text_unchanged():
    """Text within the limit is returned as is."""
    assert limits.fit_text("one\ntwo", 100) == "one\ntwo"


def test_fit_lines_drops_whole_bullets_and_says_how_many():
    """Bullets that do not fit are dropped whole, with a visible '…and N more'."""
    lines = [f"• bullet number {i}." for i in range(20)]
    out = limits.fit_lines(lines, 100)
    assert limits.size(out) <= 100
    kept = out.split("\n")[:-1]
    assert kept == lines[: len(kept)]
    assert out.endswith(f"…and {20 - len(kept)} more")


def test_cut_stops_at_a_sentence_boundary():
    """A long line is cut after a full sentence, not mid-word."""
    text = "First sentence here. Second sentence is much longer than the rest of it."
    assert limits.cut(text, 30) == "First sentence here. …"


def test_cut_never_splits_a_markdown_link():
    """A cut that would fall inside a link moves before the link."""
    link = "[a very long title](https://example.com/" + "x" * 80 + ")"
    text = f"See {link} for details"
    out = limits.cut(text, 60)
    assert "](" not in out
    assert out.startswith("See")


def test_fit_lines_keeps_links_whole():
    """Every link left in fitted text is one of the input's links, whole."""
    lines = [f"[{i}] [Title {i}](https://example.com/{'p' * i})" for i in range(60)]
    out = limits.fit_lines(lines, 500)
    found = LINK_RE.findall(out)
    assert found
    assert out.count("](") == len(found)
    for link in found:
        assert any(link in line for line in lines)


def test_chunk_lines_packs_everything_into_pages():
    """Chunks hold every line in order, each chunk within the limit."""
    lines = [f"line {i} " + "w" * (i % 17) for i in range(200)]
    chunks = limits.chunk_lines(lines, 300)
    assert all(limits.size(c) <= 300 for c in chunks)
    assert "\n".join(chunks).split("\n") == lines


def test_fit_embed_caps_fields_at_25_with_a_note():
    """More than 25 fields become 24 plus one saying how many were left out."""
    embed = {"title": "t", "fields": [{"name": f"n{i}", "value": "v"} for i in range(40)]}
    out = limits.fit_embed(embed)
    assert len(out["fields"]) == 25
    assert out["fields"][-1]["value"] == "…and 16 more"


def test_fit_embed_shortens_every_part():
    """Title, description, field name/value, footer and author are all cut to their limits."""
    embed = {
        "title": "T. " * 200,
        "description": "D. " * 3000,
        "fields": [{"name": "N. " * 200, "value": "V. " * 800}],
        "footer": {"text": "F. " * 1000},
        "author": {"name": "A. " * 200},
    }
    out = limits.fit_embed(embed)
    assert limits.check_message([out]) == []


def test_fit_message_keeps_total_under_6000_and_notes_dropped_embeds():
    """Many large embeds are cut to 6000 characters in all, the rest counted in a footer."""
    embeds = [{"title": f"e{i}", "description": "word. " * 700} for i in range(12)]
    out = limits.fit_message(embeds)
    assert limits.check_message(out) == []
    assert len(out) < 12
    assert "more embed" in out[-1]["footer"]["text"]


def test_check_message_reports_each_broken_limit():
    """The checker names what is too long."""
    problems = limits.check_message([{"title": "x" * 300, "fields": [{"name": "", "value": "v"}]}])
    assert any("title" in p for p in problems)
    assert any("empty field" in p for p in problems)
