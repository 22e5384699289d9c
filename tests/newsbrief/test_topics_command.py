"""Tests for ``newsbrief topics list`` and ``newsbrief topics add``."""

from __future__ import annotations

from corpus.db import make_engine, make_session_factory, transaction
from corpus.tables import Article, ArticleStatus, ArticleTopic
from newsbrief.cli import build_parser
from newsbrief.commands.topics import run_add, run_list


def _run(settings, *argv):
    args = build_parser().parse_args(["topics", *argv])
    return args.handler(args, settings)


def test_list_shows_the_shipped_topic(settings, capsys):
    """The shipped russia-china topic is listed with its sides and rule."""
    assert _run(settings, "list") == 0
    out = capsys.readouterr().out
    assert "russia-china" in out
    assert "Moscow" in out and "Beijing" in out


def test_add_stores_topic_and_tags_existing_articles(settings, capsys):
    """Adding a topic lists it afterwards and tags the stored articles that match."""
    engine = make_engine(settings.effective_database_url)
    sessions = make_session_factory(engine)
    with transaction(sessions) as s:
        s.add(
            Article(
                canonical_url="https://x/1",
                url="https://x/1",
                title="India and China talk",
                text="India and China met. New Delhi said China agreed. Modi thanked China, India.",
                status=ArticleStatus.READY,
            )
        )
    code = _run(
        settings,
        "add",
        "india-china",
        "--name",
        "India–China",
        "--side",
        "India, Indian, New Delhi, Modi",
        "--side",
        "China,Chinese,Beijing",
    )
    assert code == 0
    assert "1 stored article(s) match" in capsys.readouterr().out
    with transaction(sessions) as s:
        assert s.get(ArticleTopic, (1, "india-china")) is not None
    engine.dispose()
    assert _run(settings, "list") == 0
    assert "india-china  India–China  (added)" in capsys.readouterr().out


def test_add_with_bad_slug_says_what_to_fix(settings, capsys):
    """A malformed slug exits 2 with a message naming it and the expected form."""
    code = _run(settings, "add", "India China", "--name", "X", "--side", "India", "--side", "China")
    assert code == 2
    assert "slug 'India China'" in capsys.readouterr().err


def test_add_with_empty_side_is_refused(settings, capsys):
    """A side with no terms exits 2 and stores nothing."""
    assert (
        _run(settings, "add", "india-china", "--name", "X", "--side", "India", "--side", " , ") == 2
    )
    assert "side 2 has no usable terms" in capsys.readouterr().err
    assert _run(settings, "list") == 0
    assert "india-china" not in capsys.readouterr().out


def test_adding_existing_topic_is_refused(settings, capsys):
    """The shipped slug cannot be added again."""
    assert _run(settings, "add", "russia-china", "--name", "X", "--side", "A", "--side", "B") == 2
    assert "already exists" in capsys.readouterr().err


def test_handlers_are_registered():
    """The parser wires list and add to their handlers."""
    parser = build_parser()
    assert parser.parse_args(["topics", "list"]).handler is run_list
    assert (
        parser.parse_args(["topics", "add", "x", "--name", "X", "--side", "a"]).handler is run_add
    )


def test_a_one_sided_topic_is_refused(settings, capsys):
    """One --side exits 2 with a message asking for the second party."""
    assert _run(settings, "add", "india", "--name", "India", "--side", "India,Indian") == 2
    assert "needs at least 2 sides" in capsys.readouterr().err


def test_edit_and_remove_an_added_topic(settings, capsys):
    """edit changes what is given and retags; remove deletes it; the shipped one stays."""
    args = ("add", "india-china", "--name", "India–China", "--side", "India", "--side", "China")
    assert _run(settings, *args) == 0
    assert _run(settings, "edit", "india-china", "--name", "India and China") == 0
    assert "Changed topic 'india-china' (India and China)" in capsys.readouterr().out
    assert _run(settings, "edit", "russia-china", "--name", "X") == 2
    assert "ships with newsbrief" in capsys.readouterr().err
    assert _run(settings, "remove", "india-china") == 0
    assert capsys.readouterr().out.startswith("Removed topic 'india-china'")
    assert _run(settings, "remove", "india-china") == 2


def test_quick_list_prints_what_the_full_list_prints(settings, capsys):
    """Read with sqlite3 alone, the listing is the same as through the ORM, added topics too."""
    from corpus.location import Location

    sides = ["--side", "India", "--side", "China"]
    assert (
        _run(settings, "add", "india-china", "--name", "India–China", *sides, "--alias", "a") == 0
    )
    capsys.readouterr()
    assert _run(settings, "list") == 0
    full = capsys.readouterr().out
    args = build_parser().parse_args(["topics", "list"])
    assert args.quick(args, Location(settings.data_dir, settings.database_url)) == 0
    assert capsys.readouterr().out == full
    assert "india-china  India–China  (added)\n    aliases: a\n" in full


def test_quick_list_declines_a_database_it_cannot_read_plainly(tmp_path):
    """No file yet, or a URL SQLAlchemy must parse: the full path answers instead."""
    from corpus.location import Location

    args = build_parser().parse_args(["topics", "list"])
    assert args.quick(args, Location(tmp_path / "none", None)) is None
    assert args.quick(args, Location(tmp_path, "postgresql://u@127.0.0.1:9/db")) is None
