"""``newsbrief console``: lines typed or given with -c run through the bot's commands."""

from __future__ import annotations

import io

from newsbrief.cli import build_parser


def _run(settings, *argv):
    args = build_parser().parse_args(["console", *argv])
    return args.handler(args, settings)


def test_command_lines_are_run_and_printed(settings, capsys):
    """-c runs each line and prints the rendered reply."""
    assert _run(settings, "-c", "/topics list", "-c", "/brief russia-china days:3") == 0
    out = capsys.readouterr().out
    assert "Russia–China relations — russia-china" in out
    assert "No stories on Russia–China relations in the last 3 days." in out


def test_lines_from_stdin_until_quit(settings, capsys, monkeypatch):
    """Piped lines are read one by one; quit ends the session."""
    monkeypatch.setattr(
        "sys.stdin", io.StringIO("/brief russia-china days:0\nquit\n/topics list\n")
    )
    assert _run(settings) == 0
    out = capsys.readouterr().out
    assert out.strip() == "days must be between 1 and 90."
