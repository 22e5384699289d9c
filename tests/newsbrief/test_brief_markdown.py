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
