"""``newsbrief search``: stories with numbered sources, JSON, and clear refusals."""

from __future__ import annotations

import json

from corpus.settings import Settings
from newsbrief.cli import build_parser


def _run(settings: Settings, *argv: str) -> int:
    args = build_parser().parse_args(["search", *argv])
    return int(args.handler(args, settings))


def test_search_prints_stories_and_their_sources(stored, capsys) -> None:
    """Each story cites [n]; every n is listed under SOURCES with its URL."""
    assert _run(stored, "naval", "exercise") == 0
    out = capsys.readouterr().out
    assert out.startswith("Search “naval exercise”: 1 story")
    assert "Joint naval drill in the Sea of Japan [1]" in out
    assert "[1] Joint naval drill in the Sea of Japan — navalnews.com" in out
    assert "https://navalnews.com/news/drill" in out


def test_search_json_and_no_match_exit_1(stored, capsys) -> None:
    """--json gives the stories and sources; nothing found exits 1."""
    assert _run(stored, "pipeline", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stories"] and data["sources"][0]["url"].startswith("https://")
    assert _run(stored, "zebra") == 1


def test_refused_search_exits_2(stored, capsys) -> None:
    """An unknown topic exits 2 saying so."""
    assert _run(stored, "trade", "--topic", "atlantis") == 2
    assert "no topic 'atlantis'" in capsys.readouterr().err
