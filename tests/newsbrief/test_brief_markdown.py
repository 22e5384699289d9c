"""``newsbrief brief --markdown`` and the Markdown renderer: linked headlines, cited sources."""

from __future__ import annotations

import re

from corpus.brief_markdown import brief_markdown, escape
from corpus.settings import Settings
from newsbrief.cli import build_parser
from testing import brief_values as f
from testing.stored_articles import TOPIC


def _run(settings: Settings, *argv: str) -> int:
    args = build_parser().parse_args(["brief", *argv])
    return int(args.handler(args, settings))


def test_markdown_brief_links_headlines_and_lists_every_cited_source(stored, capsys) -> None:
    """Headlines link to a source, every [n] cited is listed under Sources with its URL."""
    assert _run(stored, TOPIC, "--days", "90", "--markdown") == 0
    out = capsys.readouterr().out
    assert out.startswith("# Russia–China relations — the last 90 days\n")
    body, _, sources = out.partition("\n## Sources\n")
    assert re.search(r"^### 1\. \[.+\]\(https://\S+\)$", body, flags=re.MULTILINE)
    cited = {int(n) for n in re.findall(r"\[\\\[(\d+)\\\]\]\(https://", body)}
    listed = {int(n) for n in re.findall(r"^(\d+)\. \[", sources, flags=re.MULTILINE)}
    assert cited and cited <= listed
    assert "## Key figures" in body
    assert "(https://tass.com/news/trade-0)" in sources


def test_markdown_escapes_article_text() -> None:
    """A headline cannot start a heading or a link of its own."""
    assert escape("# [Click](x) *now*") == "\\# \\[Click\\](x) \\*now\\*"


def test_markdown_of_a_factory_brief_cites_with_links() -> None:
    """Each bullet ends with [n] linking to the source."""
    text = brief_markdown(f.brief())
    assert "- Sentence about story 1. [\\[1\\]](https://outlet1.com/news/1)" in text
    assert text.endswith("\n") and "## Sources" in text


def test_markdown_says_what_a_later_outlet_added() -> None:
    """A bullet from a later outlet starts with who added it, as in the other renderings."""
    from dataclasses import replace

    from corpus.brief_values import Bullet

    first = f.story(1, (1, 2))
    added = Bullet(text="Mongolia welcomed the deal.", citations=(2,), added_by="outlet2.com")
    text = brief_markdown(f.brief(stories=(replace(first, bullets=(*first.bullets, added)),)))
    assert "- *outlet2.com adds:* Mongolia welcomed the deal. [\\[2\\]]" in text


def test_markdown_lists_a_storys_figures_with_linked_citations() -> None:
    """Under its bullets a story lists its figures: value, measure and period, citations."""
    figures = (f.story_figure("$245 billion", 245e9, (1, 2)),)
    text = brief_markdown(f.brief(stories=(f.story(1, (1, 2), figures=figures),)))
    cites = "[\\[1\\]](https://outlet1.com/news/1)[\\[2\\]](https://outlet2.com/news/2)"
    assert f"- 📊 **$245 billion** {cites} — China–Russia trade, 2024" in text
    assert text.index("- Sentence about story 1.") < text.index("📊")
