"""``newsbrief extract FILE_OR_URL``: extract and clean one article without storing it."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from corpus.pipeline_values import ExtractedArticle
from newsbrief.article_file import EXIT_NO_ARTICLE, EXIT_OK, InputProblem, fail, read_article_file
from worker.errors import PipelineError

# Imported when a command runs, so that building the parser stays light.
if TYPE_CHECKING:
    from corpus.settings import Settings


def register(subparsers: Any) -> None:
    """Add the ``extract`` subcommand."""
    parser = subparsers.add_parser(
        "extract",
        help="extract and clean one article from a file or URL, without storing it",
        description=(
            "Extract one article and print it cleaned. FILE_OR_URL is a .txt file (title on the "
            "first line, like the shipped samples), an .html file, or an http(s) URL, fetched "
            "with the same safety and politeness rules as the worker."
        ),
    )
    parser.add_argument("source", metavar="FILE_OR_URL", help="a .txt/.html file or an http(s) URL")
    parser.add_argument(
        "--json",
        action="store_true",
        help='print {"url","title","author","date","site","language","text"} as JSON',
    )
    parser.set_defaults(handler=run)


def to_json(article: ExtractedArticle) -> dict[str, Any]:
    """Return the documented JSON shape of ``newsbrief extract --json``."""
    return {
        "url": article.canonical_url or article.url,
        "title": article.title,
        "author": article.author,
        "date": article.published.isoformat() if article.published else None,
        "site": article.site,
        "language": article.language,
        "text": article.text,
    }


def render_text(article: ExtractedArticle) -> str:
    """Return the article as readable text: title, metadata lines, then the paragraphs."""
    fields = to_json(article)
    meta = [
        f"{label}: {fields[key]}"
        for label, key in (
            ("URL", "url"),
            ("Author", "author"),
            ("Date", "date"),
            ("Site", "site"),
            ("Language", "language"),
        )
        if fields[key]
    ]
    return "\n".join([article.title, "=" * min(len(article.title), 100), *meta, "", article.text])


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _fetch_and_extract(url: str, settings: Settings) -> ExtractedArticle:
    from worker.extract import Extractor
    from worker.fetch import build_fetcher

    with build_fetcher(settings) as fetcher:
        page = fetcher.fetch(url)
    return Extractor().extract(page)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Extract the article named by ``args.source`` and print it."""
    source: str = args.source
    try:
        if _is_url(source):
            article = _fetch_and_extract(source, settings)
        else:
            article = read_article_file(source)
    except InputProblem as problem:
        return fail("extract", problem.message, problem.code)
    except PipelineError as error:
        return fail("extract", error.reason, EXIT_NO_ARTICLE)
    output = json.dumps(to_json(article), ensure_ascii=False, indent=2) if args.json else None
    try:
        print(output or render_text(article))
    except BrokenPipeError:  # the reader (e.g. `head`) stopped early: not an error
        sys.stdout = open(os.devnull, "w")
    return EXIT_OK
