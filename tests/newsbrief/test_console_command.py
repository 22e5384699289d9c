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


def _quick(settings, *argv):
    from corpus.location import Location

    args = build_parser().parse_args(["console", *argv])
    return args.quick(args, Location(settings.data_dir, settings.database_url))


def test_topics_list_from_plain_sqlite_prints_what_the_bot_prints(settings, capsys):
    """On an SQLite file at the newest schema, -c '/topics list' is answered without the bot."""
    from corpus.db import make_engine, transaction
    from corpus.db import make_session_factory as session_factory
    from corpus.topics import add_topic

    engine = make_engine(settings.effective_database_url)
    with transaction(session_factory(engine)) as session:
        add_topic(session, "india-china", "India–China", [["India"], ["China"]], aliases=["a_b"])
    engine.dispose()
    assert _run(settings, "-c", "/topics list", "-c", "/topics list") == 0
    by_bot = capsys.readouterr().out
    assert _quick(settings, "-c", "/topics list", "-c", "/topics list") == 0
    assert capsys.readouterr().out == by_bot
    assert "India–China — india-china (also a_b)" in by_bot


def test_lines_that_need_the_bot_are_left_to_it(settings, capsys):
    """A line that needs the bot, or no -c line at all, sends every line through the bot."""
    assert _quick(settings, "-c", "/topics list", "-c", "/brief russia-china") is None
    assert _quick(settings) is None
    assert capsys.readouterr().out == ""


def test_a_stored_topic_that_does_not_validate_is_left_to_the_bot(settings, capsys):
    """A stored topic the rules refuse gets no plain answer; the bot replies with the error."""
    import sqlite3

    from corpus.plain_sqlite import sqlite_file

    path = sqlite_file(settings.effective_database_url)
    assert path is not None
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO topics (slug, name, definition, created_at) VALUES (?, ?, ?, ?)",
            ("broken", "Broken", '{"rule": {"sides": [["India"]]}}', "2026-01-01 00:00:00"),
        )
    connection.close()
    assert _quick(settings, "-c", "/topics list") is None
    assert _run(settings, "-c", "/topics list") == 1
    assert "topic 'broken': a topic needs at least 2 sides" in capsys.readouterr().out


def test_brief_until_takes_a_past_day_and_refuses_a_bad_one(stored, capsys):
    """/brief and /figures … until: a past window, titled so; a bad date gets a clear reply."""
    assert _run(stored, "-c", "/brief russia-china days:7 until:2026-11-17") == 0
    out = capsys.readouterr().out
    assert "Joint naval drill" in out and "trade hits record high" not in out
    assert "— 7 days to 17 Nov 2026" in out
    assert _run(stored, "-c", "/figures russia-china until:2026-11-17") == 0
    assert "— 7 days to 17 Nov 2026" in capsys.readouterr().out
    assert _run(stored, "-c", "/brief russia-china until:2026-11-31") == 1
    assert "'2026-11-31' is not a date; give one as YYYY-MM-DD" in capsys.readouterr().out
