"""``newsbrief ingest`` and the in-process ``newsbrief worker --once``."""

from __future__ import annotations

import json
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


def test_ingest_json_prints_one_line_per_input(settings, capsys, tmp_path):
    """--json prints input, url, article_id, story_id, status and reason for every input."""
    guarded = settings.model_copy(update={"allow_private_networks": False})
    short = tmp_path / "short.txt"
    short.write_text("Too short to be an article.\n", encoding="utf-8")
    good = SAMPLES / "000_3fdab41272102c79.txt"
    inputs = [str(good), str(tmp_path / "nope.txt"), "http://exa mple.com/x"]
    inputs += ["http://10.0.0.1/x", str(short)]
    assert _run(guarded, "ingest", "--json", *inputs) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["input"] for line in lines] == inputs
    keys = ["input", "url", "article_id", "story_id", "status", "reason"]
    assert all(list(line) == keys for line in lines)
    stored, missing, malformed, private, short_one = lines
    assert stored["status"] == "stored" and stored["reason"] is None
    assert stored["url"] == good.resolve().as_uri()
    assert isinstance(stored["article_id"], int) and isinstance(stored["story_id"], int)
    assert [line["status"] for line in lines[1:]] == ["problem"] * 4
    assert "no such file" in missing["reason"] and missing["article_id"] is None
    assert "malformed host" in malformed["reason"]
    assert "private network" in private["reason"] and private["url"] == "http://10.0.0.1/x"
    assert "no article text" in short_one["reason"]


def test_ingest_json_says_already_on_a_second_run(settings, capsys):
    """The same file ingested again is `already`, with the same article and story."""
    good = str(SAMPLES / "000_3fdab41272102c79.txt")
    _run(settings, "ingest", "--json", good)
    first = json.loads(capsys.readouterr().out)
    assert _run(settings, "ingest", "--json", good) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["status"] == "already"
    assert (again["article_id"], again["story_id"]) == (first["article_id"], first["story_id"])
