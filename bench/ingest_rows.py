"""Print every row a mixed ingest stores, to compare two checkouts: the output must not change.

    python -m bench.ingest_rows [--articles 60] > rows.txt

Ingests, into a fresh SQLite database, generated articles from the local test site (some
served again at a second address, exact copies, and some with one sentence changed, near
copies), the fundus extraction pages as JSON Lines and the shipped sample texts, then prints
each table's rows in key order. What differs between two runs of the same code is left out:
times of the run itself (fetch and update times, fetched dates standing in for a missing
publication date) print as ``<now>``, each stored story's random ``stamp`` as ``<stamp>``,
the site's port and the checkout's path as placeholders.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text

from bench import forbid_network
from bench.drills.content import varied_article
from bench.extraction_data import fundus_pages
from bench.local_pipeline import local_pipeline
from corpus.shipped import SAMPLES_DIR
from testing.local_site import LocalSite
from worker.pipeline import ingest_paths

_PORT = re.compile(r"127\.0\.0\.1:\d+")
_STAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:?\d\d|Z)?")


def _masked(value: Any, start: float, end: float) -> Any:
    """``value`` with every time inside the run [start, end] replaced by ``<now>``."""
    if isinstance(value, float) and start <= value <= end:
        return "<now>"
    if isinstance(value, str):

        def stamp(match: re.Match[str]) -> str:
            try:
                when = datetime.fromisoformat(match.group(0).replace("Z", "+00:00"))
            except ValueError:
                return match.group(0)
            when = when if when.tzinfo else when.replace(tzinfo=UTC)
            return "<now>" if start <= when.timestamp() <= end else match.group(0)

        value = _PORT.sub("127.0.0.1:<port>", value)
        value = value.replace(str(SAMPLES_DIR.parent.parent), "<checkout>")
        return _STAMP.sub(stamp, value)
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=60)
    args = parser.parse_args(argv)
    forbid_network()
    start = datetime.now(UTC).timestamp() - 1
    with LocalSite(crawl_delay=None) as site, tempfile.TemporaryDirectory() as tmp:
        inputs = []
        for number in range(args.articles):
            article = varied_article(number)
            paragraphs = list(article.paragraphs)
            copies = [("", paragraphs)]
            if number % 6 == 1:  # an exact copy at a second address
                copies.append(("-copy", paragraphs))
            if number % 6 == 4:  # a near copy: one sentence added to the last paragraph
                near = [*paragraphs[:-1], f"{paragraphs[-1]} A spokesperson declined to comment."]
                copies.append(("-near", near))
            for suffix, body in copies:
                path = article.path + suffix
                site.add_article(
                    article.title,
                    body,
                    path=path,
                    author=article.author,
                    published=article.published,
                )
                inputs.append(site.url(path))
        lines = Path(tmp) / "pages.jsonl"
        records = [{"url": p.url, "html": p.html} for p in fundus_pages()]
        lines.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
        inputs += [str(lines), str(SAMPLES_DIR)]
        engine, stages = local_pipeline(Path(tmp) / "data")
        try:
            report = ingest_paths(stages, inputs)
        finally:
            stages.close()
        end = datetime.now(UTC).timestamp() + 1
        print(report.summary())
        with engine.connect() as connection:
            for table in sorted(inspect(connection).get_table_names()):
                if table == "alembic_version":
                    continue
                result = connection.execute(text(f"SELECT * FROM {table}"))
                columns = list(result.keys())
                rows = result.all()
                masked = sorted(
                    repr(
                        tuple(
                            "<stamp>" if c == "stamp" else _masked(v, start, end)
                            for c, v in zip(columns, row, strict=True)
                        )
                    )
                    for row in rows
                )
                print(f"## {table}: {len(rows)} rows")
                print("\n".join(masked))
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
