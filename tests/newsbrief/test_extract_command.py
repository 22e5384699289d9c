"""``newsbrief extract``: files and URLs, JSON and text output, clear errors with exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from corpus.db import make_engine
from corpus.settings import Settings
from corpus.tables import Article
from newsbrief.cli import build_parser
from testing.golden_texts import golden_path
from testing.local_site import Paths
from testing.page_chrome import seed_page, seed_paths

# No Crawl-delay: these tests are about extraction, not politeness.
pytestmark = pytest.mark.site(oversized_bytes=1024, bomb_bytes=1024, crawl_delay=None)

KEYS = {"url", "title", "author", "date", "site", "language", "text"}


def _run(settings: Settings, *argv: str) -> int:
    args = build_parser().parse_args(["extract", *argv])
    return int(args.handler(args, settings))


def test_text_file_as_json(settings, capsys) -> None:
    """A seed file prints the documented JSON keys with the cleaned text."""
    seed = seed_paths()[0]
    assert _run(settings, str(seed), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == KEYS
    assert data["title"] == "Prospects of China – Russia Cooperation"
    assert data["date"] == "2023-01-29T00:00:00+00:00"
    assert data["language"] == "en"
    assert data["text"] + "\n" == golden_path(seed).read_text(encoding="utf-8")


def test_html_file_as_readable_text(settings, capsys, tmp_path: Path) -> None:
    """An HTML file prints title, metadata lines and the clean paragraphs."""
    seed = seed_paths()[4]
    page = tmp_path / "story.html"
    page.write_text(seed_page(seed, url="https://monitor.example.org/a/story"), encoding="utf-8")
    assert _run(settings, str(page)) == 0
    out = capsys.readouterr().out
    assert out.startswith("The ‘No Limit’ Partnership Between China and Russia Gets Stronger")
    assert "URL: https://monitor.example.org/a/story" in out
    assert "Author: Jane Analyst" in out
    assert golden_path(seed).read_text(encoding="utf-8").strip() in out


def test_url_is_fetched_and_extracted(settings, capsys, test_site) -> None:
    """A URL goes through the safe fetcher and the extractor, and nothing is stored."""
    article = test_site.articles[2]
    assert _run(settings, test_site.url(article.path) + "?utm_source=x", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["url"] == test_site.url(article.path)
    assert data["author"] == article.author
    assert data["site"] == "Eastern Ledger"
    assert "The views and opinions expressed" not in data["text"]
    engine = make_engine(settings.effective_database_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Article)).scalar_one() == 0
    engine.dispose()


def test_missing_file_exits_2_without_traceback(settings, capsys) -> None:
    """A missing file is a clear one-line error and exit code 2."""
    assert _run(settings, "/no/such/article.txt") == 2
    err = capsys.readouterr().err
    assert err.strip() == "newsbrief extract: no such file: /no/such/article.txt"


def test_directory_exits_2(settings, capsys, tmp_path) -> None:
    """A directory is not one article."""
    assert _run(settings, str(tmp_path)) == 2
    assert "is not a file" in capsys.readouterr().err


def test_jsonl_file_exits_2_pointing_at_ingest(settings, capsys, tmp_path) -> None:
    """A .jsonl batch is not one article: the message names ``newsbrief ingest``."""
    batch = tmp_path / "batch.jsonl"
    text = seed_paths()[0].read_text(encoding="utf-8")
    batch.write_text(json.dumps({"url": "https://a.example/1", "text": text}) + "\n")
    assert _run(settings, str(batch), "--json") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"`newsbrief ingest {batch}`" in captured.err


def test_page_without_article_exits_1(settings, capsys, test_site) -> None:
    """A login page is refused with the extractor's reason and exit code 1."""
    assert _run(settings, test_site.url(Paths.LOGIN)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no article text found on the page" in captured.err


def test_refused_fetch_exits_1(settings, capsys, test_site) -> None:
    """A 404 is reported in words with exit code 1."""
    assert _run(settings, test_site.url(Paths.MISSING)) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsbrief extract: ") and "Traceback" not in err


def test_binary_file_exits_1(settings, capsys, tmp_path) -> None:
    """A binary file is not an article."""
    junk = tmp_path / "image.txt"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    assert _run(settings, str(junk)) == 1
    assert "no article text found" in capsys.readouterr().err
