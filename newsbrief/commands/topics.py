"""``newsbrief topics``: list the topics followed, or add, change or remove one (and retag)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from corpus.defaults import DEFAULT_MIN_MENTIONS, DEFAULT_MIN_SHARED_SENTENCES

# Imported when a command runs, so that building the parser stays light.
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from sqlalchemy.orm import Session

    from corpus.location import Location
    from corpus.settings import Settings
    from corpus.topics import Topic


def register(subparsers: Any) -> None:
    """Add the ``topics`` subcommand with ``list``, ``add``, ``edit`` and ``remove``."""
    parser = subparsers.add_parser(
        "topics",
        help="list, add, edit or remove topics",
        description="List the topics, or add, change or remove one.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list every topic and its matching rule")
    listing.set_defaults(handler=run_list, quick=quick_list)
    add = actions.add_parser(
        "add",
        help="add a topic and tag stored articles with it",
        description=(
            "Add a topic about two or more parties. Each --side lists the comma-separated terms "
            "naming one party (names, capitals, leaders, demonyms). An article matches when every "
            "side is mentioned often enough and the sides meet in a sentence."
        ),
    )
    add.add_argument("slug", metavar="SLUG", help="lower-case words joined by hyphens")
    add.add_argument("--name", required=True, help="display name, e.g. 'India–China relations'")
    add.add_argument(
        "--side",
        action="append",
        required=True,
        metavar="TERMS",
        help="comma-separated terms for one side, e.g. 'India,Indian,New Delhi,Modi'",
    )
    add.add_argument("--alias", action="append", default=[], help="another name for the topic")
    add.add_argument(
        "--min-mentions",
        type=int,
        default=DEFAULT_MIN_MENTIONS,
        metavar="N",
        help=f"mentions each side needs (default {DEFAULT_MIN_MENTIONS})",
    )
    add.add_argument(
        "--min-shared-sentences",
        type=int,
        default=DEFAULT_MIN_SHARED_SENTENCES,
        metavar="N",
        help=f"sentences naming every side (default {DEFAULT_MIN_SHARED_SENTENCES})",
    )
    add.set_defaults(handler=run_add)
    edit = actions.add_parser(
        "edit",
        help="change an added topic and retag stored articles",
        description="Change a topic added with `topics add`; what is not given stays as it is.",
    )
    edit.add_argument("slug", metavar="SLUG", help="the topic's slug or an alias")
    edit.add_argument("--name", help="new display name")
    edit.add_argument(
        "--side", action="append", metavar="TERMS", help="the sides again, each as terms"
    )
    edit.add_argument("--alias", action="append", help="the aliases again (replaces the old)")
    edit.add_argument("--min-mentions", type=int, metavar="N", help="mentions each side needs")
    edit.set_defaults(handler=run_edit)
    remove = actions.add_parser("remove", help="remove an added topic and its article tags")
    remove.add_argument("slug", metavar="SLUG", help="the topic's slug or an alias")
    remove.set_defaults(handler=run_remove)


def _terms(raw: str) -> list[str]:
    return [t.strip() for t in raw.split(",") if t.strip()]


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print every topic: slug, name, where it comes from, and its sides."""
    from corpus.topics import list_topics
    from newsbrief.runtime import open_runtime

    runtime = open_runtime(settings)
    try:
        with runtime.sessions() as session:
            topics = list_topics(session)
    finally:
        runtime.engine.dispose()
    _print_topics(topics)
    return 0


def quick_list(args: argparse.Namespace, location: Location) -> int | None:
    """Print every topic straight from an SQLite file at the newest schema.

    None when the corpus is anywhere else (or the file cannot be read so): ``run_list`` does it.
    """
    import sqlite3

    from corpus.plain_sqlite import read_at_head
    from corpus.topic_rows import all_topics

    # A stored topic that does not validate raises ValueError: the full path says so.
    topics = read_at_head(location.effective_database_url, all_topics, (sqlite3.Error, ValueError))
    if topics is None:
        return None
    _print_topics(topics)
    return 0


def _print_topics(topics: Sequence[Topic]) -> None:
    for topic in topics:
        origin = "shipped" if topic.shipped else "added"
        print(f"{topic.slug}  {topic.name}  ({origin})")
        if topic.aliases:
            print(f"    aliases: {', '.join(topic.aliases)}")
        for i, side in enumerate(topic.sides, start=1):
            print(f"    side {i}: {', '.join(side)}")
        print(
            f"    rule: each side mentioned ≥{topic.min_mentions} times, "
            f"sides together in ≥{topic.min_shared_sentences} sentence(s)"
        )


def _change_and_retag(settings: Settings, change: Callable[[Session], Topic], done: str) -> int:
    """Store a topic with ``change``, retag stored articles, and say so; exit 2 on bad input."""
    from corpus.db import transaction
    from corpus.topics import TopicError, retag_topics
    from newsbrief.runtime import open_runtime

    runtime = open_runtime(settings)
    try:
        with transaction(runtime.sessions) as session:
            topic = change(session)
            tagged = retag_topics(session, topic)
    except TopicError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        runtime.engine.dispose()
    print(f"{done} topic {topic.slug!r} ({topic.name}); {tagged} stored article(s) match it.")
    return 0


def run_add(args: argparse.Namespace, settings: Settings) -> int:
    """Validate and store the topic, then tag stored articles; exit 2 on bad input."""
    from corpus.topics import add_topic

    return _change_and_retag(
        settings,
        lambda session: add_topic(
            session,
            args.slug,
            args.name,
            [_terms(side) for side in args.side],
            aliases=args.alias,
            min_mentions=args.min_mentions,
            min_shared_sentences=args.min_shared_sentences,
        ),
        "Added",
    )


def run_edit(args: argparse.Namespace, settings: Settings) -> int:
    """Change an added topic, then retag stored articles; exit 2 on bad input."""
    from corpus.topics import edit_topic

    return _change_and_retag(
        settings,
        lambda session: edit_topic(
            session,
            args.slug,
            name=args.name,
            sides=[_terms(side) for side in args.side] if args.side else None,
            aliases=args.alias,
            min_mentions=args.min_mentions,
        ),
        "Changed",
    )


def run_remove(args: argparse.Namespace, settings: Settings) -> int:
    """Remove an added topic and its article tags; exit 2 if it is shipped, unknown or in use."""
    from corpus.db import transaction
    from corpus.topics import TopicError, remove_topic
    from newsbrief.runtime import open_runtime

    runtime = open_runtime(settings)
    try:
        with transaction(runtime.sessions) as session:
            topic, cleared = remove_topic(session, args.slug)
    except TopicError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        runtime.engine.dispose()
    untopicked = f"; {cleared} source(s) no longer name a topic" if cleared else ""
    print(f"Removed topic {topic.slug!r} ({topic.name}); its articles stay{untopicked}.")
    return 0
