"""``newsbrief ingest`` and the in-process ``newsbrief worker --once``."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.db import make_engine, make_session_factory, transaction
from corpus.tables import Article, ArticleStatus
from newsbrief.cli import build_parser
from testing.local_site import Paths

SAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "samples"


def _run(settings, *argv):
    args = build_parser().parse_args(list(argv))
    return args.handler(args, settings)


def _statuses(settings) -> list[str]:
    engine = make_engine(settings.effective_database_url)
    with transaction(make_session_factory(engine)) as s:
        statuses = [a.status for a in s.query(Article).order_by(Article.id)]
    engine.dispose()
    return statuses


def test_ingest_samples_prints_a_summary(settings, capsys):
    """Ingesting the shipped samples stores and analyses all five."""
    assert _run(settings, "ingest", str(SAMPLES)) == 0
    assert "5 stored, 0 duplicates" in capsys.readouterr().out
    assert _statuses(settings) == [ArticleStatus.READY] * 5


def test_ingest_reports_problems_and_keeps_going(settings, capsys, tmp_path):
    """A missing file is reported with exit 1; the other inputs are still stored."""
    code = _run(
        settings, "ingest", str(tmp_path / "nope.txt"), str(SAMPLES / "000_3fdab41272102c79.txt")
    )
    captured = capsys.readouterr()
    assert code == 1
    assert "nope.txt: could not be read" in captured.err
    assert "1 stored" in captured.out


@pytest.mark.site(crawl_delay=None)
def test_worker_once_polls_due_sources_in_process(settings, capsys, test_site):
    """Without Redis, `worker --once` polls the due sources and stores their articles."""
    _run(settings, "sources", "add", test_site.url(Paths.RSS))
    assert _run(settings, "worker", "--once") == 0
    assert "found 5 items, 5 new" in capsys.readouterr().out
    assert _run(settings, "worker", "--once") == 0
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing due any more
    assert "No source is due for a poll" in captured.err
    assert _statuses(settings) == [ArticleStatus.READY] * 5


def test_worker_once_without_sources_says_nothing_is_due(settings, capsys):
    """With no source to poll, `worker --once` says so instead of printing nothing."""
    assert _run(settings, "worker", "--once") == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "No source is due for a poll; `newsbrief sources list`" in captured.err


def test_ingest_folder_reports_the_files_it_skipped(settings, capsys, tmp_path):
    """Files of no ingestible kind in a folder are listed, not skipped silently."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes((SAMPLES / "000_3fdab41272102c79.txt").read_bytes())
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert _run(settings, "ingest", str(folder)) == 0
    captured = capsys.readouterr()
    assert f"skipped: {folder / 'logo.png'} (not a .txt, .html or .jsonl file)" in captured.err
    assert f"skipped: {folder / 'table.csv'}" in captured.err
    assert "1 stored" in captured.out and "2 skipped (not .txt, .html or .jsonl)" in captured.out
