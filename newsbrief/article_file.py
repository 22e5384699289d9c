"""One article file named on the command line, read the same way by ``extract`` and ``analyse``.

Both commands give the same message and exit status for the same problem: 2 when the input
cannot be used (no such file, a folder, a batch, unreadable), 1 when it holds no article.
"""

from __future__ import annotations

import sys
from pathlib import Path

from corpus.pipeline_values import ExtractedArticle
from worker.errors import PipelineError

EXIT_OK = 0
EXIT_NO_ARTICLE = 1  # the page or file holds no article, or fetching it failed
EXIT_BAD_INPUT = 2  # no such file, or not something we can read


class InputProblem(Exception):
    """The input cannot be turned into an article; ``message`` says why, ``code`` is the exit."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def read_article_file(source: str) -> ExtractedArticle:
    """Extract the one article in the file ``source``; raise ``InputProblem`` saying why not."""
    from worker.extract import extract_file

    path = Path(source)
    if "://" in source:
        raise InputProblem(
            f"{source} is not a file, and only http:// and https:// URLs can be fetched.",
            EXIT_BAD_INPUT,
        )
    if not path.exists():
        raise InputProblem(f"no such file: {source}", EXIT_BAD_INPUT)
    if not path.is_file():
        raise InputProblem(
            f"{source} is not a file; give one .txt or .html article.", EXIT_BAD_INPUT
        )
    if path.suffix.lower() == ".jsonl":
        raise InputProblem(
            f"{source} holds one article per line; `newsbrief ingest {source}` "
            "stores them, or give one .txt or .html article.",
            EXIT_BAD_INPUT,
        )
    try:
        return extract_file(path)
    except PipelineError as error:
        raise InputProblem(f"{source}: {error.reason}", EXIT_NO_ARTICLE) from error
    except OSError as error:
        raise InputProblem(
            f"cannot read {source}: {error.strerror or error}", EXIT_BAD_INPUT
        ) from error


def fail(command: str, message: str, code: int) -> int:
    """Print ``newsbrief COMMAND: message`` on stderr and return ``code``."""
    print(f"newsbrief {command}: {message}", file=sys.stderr)
    return code
