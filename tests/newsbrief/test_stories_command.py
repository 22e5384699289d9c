"""``newsbrief stories``: each event with its article ids and URLs; analysing them again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.db import make_engine, make_session_factory, transaction
from corpus.tables import Article, ArticleStatus
from newsbrief.cli import build_parser

SAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "samples"


def _run(settings, *argv):
    args = build_parser().parse_args(["stories", *argv])
    return args.handler(args, settings)


def _events(settings) -> dict[int, set[int]]:
    """The ready articles of each event, read straight from the table."""
    engine = make_engine(settings.effective_database_url)
    events: dict[int, set[int]] = {}
    with transaction(make_session_factory(engine)) as s:
        for a in s.query(Article).filter(Article.status == ArticleStatus.READY):
            if a.event_id is not None:
                events.setdefault(a.event_id, set()).add(a.id)
    engine.dispose()
    return events


def _listed(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_list_json_gives_every_event_with_its_articles(stored, capsys):
    """--json lists each event once, with the ids and URLs of its articles."""
    assert _run(stored, "list", "--json") == 0
    listed = _listed(capsys)
    assert {e["story_id"]: set(e["article_ids"]) for e in listed} == _events(stored)
    for event in listed:
        assert event["urls"] == [a["url"] for a in event["articles"]]
        assert all(url.startswith("https://") for url in event["urls"])


def test_list_window_keeps_the_events_dated_in_it(stored, capsys):
    """--until and --days keep the events with an article dated in that window, newest first."""
    assert _run(stored, "list", "--topic", "russia-china", "--json") == 0
    every = _listed(capsys)
    assert _run(stored, "list", "--until", "2026-11-17", "--days", "7", "--json") == 0
    past = _listed(capsys)
    assert past and len(past) < len(every)
    for event in past:
        assert any("2026-11-10" <= a["date"][:10] <= "2026-11-17" for a in event["articles"])
    assert [e["latest"] for e in past] == sorted((e["latest"] for e in past), reverse=True)


def test_list_refuses_a_bad_date_or_topic(stored, capsys):
    """A bad --until or an unknown --topic exits 2 saying why."""
    with pytest.raises(SystemExit) as exited:
        _run(stored, "list", "--until", "2026-11-31")
    assert exited.value.code == 2
    assert "argument --until: '2026-11-31' is not a date" in capsys.readouterr().err
    assert _run(stored, "list", "--topic", "atlantis") == 2
    assert "Unknown topic 'atlantis'" in capsys.readouterr().err


def test_list_after_recluster_gives_each_rebuilt_event_once(stored, capsys):
    """After ``recluster`` the list holds each event once, under its new id."""
    before = _events(stored)
    assert _run(stored, "recluster") == 0
    assert "Reclustered" in capsys.readouterr().out
    assert _run(stored, "list", "--json") == 0
    listed = _listed(capsys)
    ids = [e["story_id"] for e in listed]
    assert len(ids) == len(set(ids))
    assert {e["story_id"]: set(e["article_ids"]) for e in listed} == _events(stored)
    assert not set(ids) & set(before)


def test_reanalyse_reports_what_it_did_and_refuses_a_bad_window(settings, capsys):
    """``stories reanalyse`` analyses the stored articles again; --days 0 exits 2 saying why."""
    ingest = build_parser().parse_args(["ingest", str(SAMPLES)])
    assert ingest.handler(ingest, settings) == 0
    capsys.readouterr()
    assert _run(settings, "reanalyse") == 0
    captured = capsys.readouterr()
    assert "Reanalysed all stored articles: 5 articles analysed again, 0 changed." in captured.out
    assert "… 5/5 articles" in captured.err
    with pytest.raises(SystemExit) as exited:
        _run(settings, "reanalyse", "--days", "0")
    assert exited.value.code == 2
    assert "--days must be 1 or more" in capsys.readouterr().err
