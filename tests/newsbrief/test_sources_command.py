"""``newsbrief sources``: add refuses unsafe URLs, list is a readable table, pause/resume/remove."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from corpus.db import make_engine, make_session_factory, transaction
from corpus.sources import record_poll_failure, record_poll_success
from newsbrief.cli import build_parser


def _run(settings, *argv):
    args = build_parser().parse_args(["sources", *argv])
    return args.handler(args, settings)


@pytest.fixture
def strict(settings):
    """Settings as deployed: private networks refused."""
    return settings.model_copy(update={"allow_private_networks": False})


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1/feed", "loopback"),
        ("http://2130706433/feed", "127.0.0.1"),
        ("http://[::ffff:127.0.0.1]/feed", "127.0.0.1"),
        ("http://169.254.169.254/latest", "169.254.169.254"),
        ("http://10.0.0.5/rss", "10.0.0.5"),
        ("ftp://example.com/feed", "only http and https"),
        ("http://user:secret@example.com/feed", "credentials"),
    ],
)
def test_add_refuses_unsafe_urls_with_reason(strict, capsys, url, words):
    """Unsafe URLs are refused at add time, and the message says why."""
    assert _run(strict, "add", url) == 2
    err = capsys.readouterr().err
    assert err.startswith("Refused:") and words in err
    assert _run(strict, "list") == 0
    assert "No sources yet" in capsys.readouterr().out


def test_add_does_not_need_the_site_up(strict, capsys):
    """A source on a host that does not answer (or resolve) is still stored."""
    assert _run(strict, "add", "https://news.invalid/feed.xml", "--topic", "russia-china") == 0
    out = capsys.readouterr().out
    assert "Added source 1" in out and "(feed, topic russia-china)" in out


def test_add_with_unknown_topic_is_refused(settings, capsys):
    """A topic that does not exist is refused, naming the command that lists topics."""
    assert _run(settings, "add", "http://127.0.0.1:9/feed", "--topic", "atlantis") == 2
    assert "no topic 'atlantis'" in capsys.readouterr().err
    _run(settings, "list")
    assert "No sources yet" in capsys.readouterr().out


def test_add_twice_is_refused(settings, capsys):
    """Adding the same URL again names the existing source."""
    assert _run(settings, "add", "http://127.0.0.1:9/feed") == 0
    assert _run(settings, "add", "http://127.0.0.1:9/feed") == 2
    assert "already source 1" in capsys.readouterr().err


def test_list_shows_kind_topic_polls_and_errors(settings, capsys):
    """The table shows kind, topic, article count, last poll, status and the error in words."""
    _run(settings, "add", "http://127.0.0.1:9/feed", "--topic", "russia-china")
    _run(settings, "add", "http://127.0.0.1:9/")
    engine = make_engine(settings.effective_database_url)
    with transaction(make_session_factory(engine)) as s:
        record_poll_success(s, 1, summary="found 20 items, 3 new")
        for _ in range(5):
            record_poll_failure(
                s, 2, "The server answered 503 Service Unavailable.", max_failures=5
            )
    engine.dispose()
    capsys.readouterr()
    assert _run(settings, "list") == 0
    out = capsys.readouterr().out
    header, first, *_ = out.splitlines()
    assert header.split()[:5] == ["ID", "KIND", "TOPIC", "STORED", "FAILED"]
    assert first.split()[:4] == ["1", "feed", "russia-china", "0"]
    assert "last poll: found 20 items, 3 new" in out
    assert "site" in out and "paused: paused after 5 failed polls" in out
    assert "503 Service Unavailable" in out


def test_pause_resume_remove(settings, capsys):
    """Pause, resume and remove act on the id given and say what they did."""
    _run(settings, "add", "http://127.0.0.1:9/feed")
    assert _run(settings, "pause", "1") == 0
    _run(settings, "list")
    assert "paused by an admin" in capsys.readouterr().out
    assert _run(settings, "resume", "1") == 0
    assert _run(settings, "remove", "1") == 0
    assert "Removed source 1" in capsys.readouterr().out
    assert _run(settings, "remove", "1") == 2
    assert "no source with id 1" in capsys.readouterr().err


def test_list_shows_last_poll_and_last_success_times(settings, capsys):
    """A failed poll after a good one shows both times; a source never polled shows 'never'."""
    _run(settings, "add", "http://127.0.0.1:9/feed")
    _run(settings, "add", "http://127.0.0.1:9/sitemap.xml")
    engine = make_engine(settings.effective_database_url)
    good = datetime(2026, 3, 1, 8, 15, tzinfo=UTC)
    with transaction(make_session_factory(engine)) as s:
        record_poll_success(s, 1, summary="found 2 items, 2 new", now=good)
        record_poll_failure(s, 1, "It answered 502.", max_failures=5, now=good.replace(hour=9))
    engine.dispose()
    capsys.readouterr()
    assert _run(settings, "list") == 0
    rows = [re.split(r"\s{2,}", row) for row in capsys.readouterr().out.splitlines()]
    columns = {name: index for index, name in enumerate(rows[0])}
    first, second = (row for row in rows if row[0] in ("1", "2"))
    assert first[columns["LAST POLL UTC"]] == "2026-03-01 09:15"
    assert first[columns["LAST SUCCESS UTC"]] == "2026-03-01 08:15"
    assert second[columns["LAST POLL UTC"]] == second[columns["LAST SUCCESS UTC"]] == "never"


def test_list_counts_failed_items_and_says_why(settings, capsys):
    """A source whose item failed shows 0 stored, 1 failed, unhealthy and the reason."""
    from corpus.articles import discover, mark_failed

    _run(settings, "add", "http://127.0.0.1:9/logo.png")
    engine = make_engine(settings.effective_database_url)
    with transaction(make_session_factory(engine)) as s:
        record_poll_success(s, 1, summary="found 1 item, 1 new")
        article_id, _ = discover(s, "http://127.0.0.1:9/logo.png", "http://127.0.0.1:9/logo.png", 1)
        mark_failed(s, article_id, "It is not a web page: the server says it is image/png.")
    engine.dispose()
    capsys.readouterr()
    assert _run(settings, "list") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].split()[:5] == ["1", "page", "-", "0", "1"]
    assert "unhealthy: its polls work but its items keep failing" in out
    assert "latest item failures: It is not a web page: the server says it is image/png." in out


def test_a_tracking_spelling_of_a_source_is_the_same_source(settings, capsys):
    """?utm_source=x#frag does not add a second source."""
    assert _run(settings, "add", "http://127.0.0.1:9/feed") == 0
    assert _run(settings, "add", "http://127.0.0.1:9/feed?utm_source=x#frag") == 2
    assert "already source 1" in capsys.readouterr().err


def test_pause_and_resume_say_when_nothing_changes(settings, capsys):
    """Pausing a paused source or resuming an active one says so."""
    _run(settings, "add", "http://127.0.0.1:9/feed")
    capsys.readouterr()
    assert _run(settings, "resume", "1") == 0
    assert capsys.readouterr().out.strip() == "Source 1 is already active: it is polled as usual."
    _run(settings, "pause", "1")
    capsys.readouterr()
    assert _run(settings, "pause", "1") == 0
    assert capsys.readouterr().out.strip() == "Source 1 is already paused (paused by an admin)."


def test_edit_changes_topic_and_interval(settings, capsys):
    """edit sets the topic and interval; an unknown topic exits 2."""
    _run(settings, "add", "http://127.0.0.1:9/feed")
    capsys.readouterr()
    assert _run(settings, "edit", "1", "--topic", "russia-china", "--interval", "60") == 0
    assert capsys.readouterr().out.strip() == (
        "Changed source 1: topic russia-china, polled every 60 min."
    )
    assert _run(settings, "edit", "1", "--topic", "atlantis") == 2
    assert "no topic 'atlantis'" in capsys.readouterr().err


def test_poll_polls_now_and_shows_the_items(settings, capsys, test_site):
    """poll runs the poll in this process and prints what was stored."""
    _run(settings, "add", test_site.url("/feed.xml"))
    capsys.readouterr()
    assert _run(settings, "poll", "1") == 0
    out = capsys.readouterr().out
    assert out.startswith("source 1: found 5 items, 5 new")
    assert out.splitlines()[1].split()[:5] == ["1", "feed", "-", "5", "0"]


def test_quick_list_prints_what_the_full_list_prints(settings, capsys):
    """Read with sqlite3 alone, the table is the same as through the ORM, failures and all."""
    from corpus.articles import discover, mark_failed
    from corpus.location import Location

    _run(settings, "add", "http://127.0.0.1:9/feed", "--topic", "russia-china")
    _run(settings, "add", "http://127.0.0.1:9/logo.png")
    engine = make_engine(settings.effective_database_url)
    with transaction(make_session_factory(engine)) as s:
        record_poll_success(s, 1, summary="found 2 items, 2 new")
        record_poll_failure(s, 1, "It answered 502.", max_failures=5)
        record_poll_success(s, 2, summary="found 1 item, 1 new")
        article_id, _ = discover(s, "http://127.0.0.1:9/logo.png", "http://127.0.0.1:9/logo.png", 2)
        mark_failed(s, article_id, "It is not a web page.")
    engine.dispose()
    capsys.readouterr()
    assert _run(settings, "list") == 0
    full = capsys.readouterr().out
    args = build_parser().parse_args(["sources", "list"])
    assert args.quick(args, Location(settings.data_dir, settings.database_url)) == 0
    assert capsys.readouterr().out == full
    assert "It is not a web page." in full and "It answered 502." in full


def test_quick_list_declines_a_database_it_cannot_read_plainly(settings, tmp_path):
    """No file yet, or a URL SQLAlchemy must parse: the full path answers instead."""
    from corpus.location import Location

    args = build_parser().parse_args(["sources", "list"])
    assert args.quick(args, Location(tmp_path / "none", None)) is None
    assert args.quick(args, Location(tmp_path, "postgresql://u@127.0.0.1:9/db")) is None
    assert not (tmp_path / "none").exists()
