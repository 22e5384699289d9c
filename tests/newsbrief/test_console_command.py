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


def test_a_failed_command_line_exits_non_zero(settings, capsys):
    """-c exits 1 when a line was refused or the command answered an error."""
    assert _run(settings, "-c", "/brief russia-china days:0") == 1
    assert _run(settings, "-c", "/brief atlantis") == 1
    assert _run(settings, "-c", "/brief russia-china bogus:1") == 1
    assert "its options are: topic, days" in capsys.readouterr().out
    assert _run(settings, "-c", "/topics list") == 0


def test_embedded_sources_add_runs_the_first_poll_and_shows_progress(settings, capsys, test_site):
    """Without Redis the console polls the new source itself and shows progress, then counts."""
    url = test_site.url("/feed.xml")
    assert _run(settings, "-c", f"/sources add url:{url}") == 0
    out = capsys.readouterr().out
    assert "⏳ No worker queue is configured" in out
    assert "(still working…)" in out  # the reply so far, shown while the poll runs
    assert "✅ First poll: found 5 items, 5 new" in out
    assert "Items: 5 stored" in out


def test_a_one_day_brief_says_the_last_day(settings, capsys):
    """days:1 reads "in the last day", not "in the last 1 days"."""
    assert _run(settings, "-c", "/brief russia-china days:1") == 0
    assert "No stories on Russia–China relations in the last day." in capsys.readouterr().out
