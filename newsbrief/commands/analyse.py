"""``newsbrief analyse FILE``: analyse one article file without a database."""

from __future__ import annotations

import argparse
import json
import textwrap
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus.pipeline_values import Enrichment, ExtractedArticle
from newsbrief.article_file import InputProblem, fail, read_article_file

# Imported when a command runs, so that building the parser stays light.
if TYPE_CHECKING:
    from corpus.settings import Settings

WIDTH = 100


def register(subparsers: Any) -> None:
    """Add the ``analyse`` subcommand."""
    parser = subparsers.add_parser(
        "analyse",
        help="analyse one article file (.txt or .html): summary, themes, key figures",
        description=(
            "Clean and analyse one article file offline. A .txt file has its title on the first "
            "line (like the shipped samples); an .html file goes through the extractor first."
        ),
    )
    parser.add_argument("file", metavar="FILE", type=Path, help="a .txt or .html article")
    parser.add_argument("--json", action="store_true", help="print the analysis as JSON")
    parser.set_defaults(handler=run)


def to_json(article: ExtractedArticle, enrichment: Enrichment) -> dict[str, Any]:
    """Return the documented JSON shape of ``newsbrief analyse --json``."""
    return {
        "title": article.title,
        "text": article.text,
        "summary": list(enrichment.summary),
        "themes": [
            {"theme": t.theme, "score": t.score, "evidence": list(t.evidence)}
            for t in enrichment.themes
        ],
        "figures": [asdict(f) for f in enrichment.figures],
    }


def render_text(article: ExtractedArticle, enrichment: Enrichment) -> str:
    """Return a readable report of the analysis."""
    lines = [article.title, "", "Summary:"]
    lines += [
        textwrap.fill(s, WIDTH, initial_indent="  - ", subsequent_indent="    ")
        for s in enrichment.summary
    ]
    lines += ["", "Themes:"]
    lines += [f"  {t.theme} ({t.score:.2f}): {', '.join(t.evidence)}" for t in enrichment.themes]
    lines += ["", "Key figures:"]
    lines += [
        f"  {f.text} = {f.value:g} {f.unit} ({f.kind}): {f.measure}"
        + (f" [{f.period}]" if f.period else "")
        + (f" ({f.status})" if f.status != "actual" else "")
        for f in enrichment.figures
    ]
    if enrichment.topics:
        lines += ["", f"Topics: {', '.join(enrichment.topics)}"]
    return "\n".join(lines)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Analyse the file and print the result; exit 1 if it holds no article, 2 if unusable."""
    from worker.analysis import analyse

    try:
        article = read_article_file(str(args.file))
    except InputProblem as problem:
        return fail("analyse", problem.message, problem.code)
    enrichment = analyse(article.title, article.text)
    if args.json:
        print(json.dumps(to_json(article, enrichment), ensure_ascii=False, indent=2))
    else:
        print(render_text(article, enrichment))
    return 0
