"""``newsbrief sources add|list|edit|poll|remove|pause|resume``: manage the polled sources."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

# Imported when a command runs, so that building the parser stays light.
if TYPE_CHECKING:
    from corpus.location import Location
    from corpus.settings import Settings
    from corpus.source_rows import SourceRow


def register(subparsers: Any) -> None:
    """Add the ``sources`` subcommand and its actions."""
    parser = subparsers.add_parser(
        "sources", help="add, list, pause, resume or remove sources", description=__doc__
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a feed, sitemap, page or site URL")
    add.add_argument("url", metavar="URL")
    add.add_argument("--topic", metavar="T", help="topic slug the source is about")
    add.set_defaults(handler=run_add)
    listing = actions.add_parser("list", help="list sources with their last poll")
    listing.set_defaults(handler=run_list, quick=quick_list)
    edit = actions.add_parser("edit", help="change a source's topic or poll interval")
    edit.add_argument("id", metavar="ID", type=int)
    edit.add_argument("--topic", metavar="T", help="topic slug ('none' removes the topic)")
    edit.add_argument("--interval", metavar="MIN", type=int, help="minutes between polls")
    edit.set_defaults(handler=run_edit)
    poll = actions.add_parser("poll", help="poll a source now, in this process")
    poll.add_argument("id", metavar="ID", type=int)
    poll.set_defaults(handler=run_poll)
    for name, handler, text in (
        ("remove", run_remove, "remove a source (its articles stay)"),
        ("pause", run_pause, "stop polling a source"),
        ("resume", run_resume, "poll a paused source again"),
    ):
        sub = actions.add_parser(name, help=text)
        sub.add_argument("id", metavar="ID", type=int)
        sub.set_defaults(handler=handler)


def run_add(args: argparse.Namespace, settings: Settings) -> int:
    """Check the URL is safe to fetch, then store it; the site need not be up."""
    from corpus.db import transaction
    from corpus.sources import SourceError, add_source
    from corpus.topics import get_topic
    from newsbrief.runtime import open_runtime
    from newsbrief.url_check import canonical_source_url
    from worker.errors import UnsafeURLError
    from worker.fetch.urls import check_url, system_resolver

    allow = settings.allow_private_networks
    try:
        try:
            url = check_url(args.url, allow_private=allow, resolver=system_resolver)
        except OSError as exc:
            # The site need not be up (or resolvable) now; its address is checked at every fetch.
            url = check_url(args.url, allow_private=allow)
            print(f"Note: the host does not resolve right now ({exc}).", file=sys.stderr)
    except UnsafeURLError as exc:
        print(f"Refused: {exc.reason}", file=sys.stderr)
        return 2
    url = canonical_source_url(url)
    runtime = open_runtime(settings)
    try:
        with transaction(runtime.sessions) as session:
            topic = None
            if args.topic is not None:
                found = get_topic(session, args.topic)
                if found is None:
                    raise SourceError(
                        f"There is no topic {args.topic!r}; `newsbrief topics list` shows them."
                    )
                topic = found.slug
            row = add_source(
                session, url, topic=topic, poll_interval_seconds=settings.poll_interval_seconds
            )
    except SourceError as exc:
        print(exc.reason, file=sys.stderr)
        return 2
    finally:
        runtime.engine.dispose()
    topic = f", topic {row.topic}" if row.topic else ""
    print(f"Added source {row.id}: {row.url} ({row.kind}{topic}).")
    print("The first poll reports what it finds: see `newsbrief sources list`.")
    return 0


def run_edit(args: argparse.Namespace, settings: Settings) -> int:
    """Change a source's topic or poll interval."""
    from corpus.db import transaction
    from corpus.sources import SourceError, edit_source
    from corpus.topics import get_topic
    from newsbrief.runtime import open_runtime

    runtime = open_runtime(settings)
    try:
        with transaction(runtime.sessions) as session:
            clear = args.topic is not None and args.topic.strip().lower() == "none"
            topic = None
            if args.topic is not None and not clear:
                found = get_topic(session, args.topic)
                if found is None:
                    raise SourceError(
                        f"There is no topic {args.topic!r}; `newsbrief topics list` shows them."
                    )
                topic = found.slug
            interval = args.interval * 60 if args.interval is not None else None
            row = edit_source(
                session, args.id, topic=topic, clear_topic=clear, poll_interval_seconds=interval
            )
    except SourceError as exc:
        print(exc.reason, file=sys.stderr)
        return 2
    finally:
        runtime.engine.dispose()
    topic_text = f"topic {row.topic}" if row.topic else "no topic"
    minutes = row.poll_interval_seconds // 60
    print(f"Changed source {row.id}: {topic_text}, polled every {minutes} min.")
    return 0


def run_poll(args: argparse.Namespace, settings: Settings) -> int:
    """Poll one source now in this process, fetch what it found, and say what came of it."""
    from corpus.db import transaction
    from corpus.sources import SourceError, get_source
    from newsbrief.runtime import open_runtime
    from worker.pipeline import poll_source, process_article
    from worker.wiring import build_stages

    runtime = open_runtime(settings)
    stages = build_stages(settings, runtime.sessions)
    try:
        with transaction(runtime.sessions) as session:
            if get_source(session, args.id) is None:
                raise SourceError(
                    f"There is no source with id {args.id}; `sources list` shows them."
                )
        poll = poll_source(stages, args.id)
        for article_id in poll.article_ids:
            process_article(stages, article_id)
        with transaction(runtime.sessions) as session:
            row = get_source(session, args.id)
    except SourceError as exc:
        print(exc.reason, file=sys.stderr)
        return 2
    finally:
        stages.close()
        runtime.engine.dispose()
    print(f"source {args.id}: {poll.summary}")
    if poll.status in ("failed", "skipped"):
        return 1
    if row is not None:
        print(format_table([row]).split("\n", 1)[1])
    return 0


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "never"


def _status(row: SourceRow) -> str:
    from corpus.statuses import SourceStatus

    if row.status == SourceStatus.PAUSED:
        return f"paused: {row.paused_reason}"
    return row.status


def format_table(rows: list[SourceRow]) -> str:
    """Render sources as a readable table, with each last error and poll summary below its row."""
    from corpus.statuses import SourceStatus

    if not rows:
        return "No sources yet. Add one with: newsbrief sources add URL [--topic T]"
    header = (
        "ID",
        "KIND",
        "TOPIC",
        "STORED",
        "FAILED",
        "LAST POLL UTC",
        "LAST SUCCESS UTC",
        "STATUS",
        "URL",
    )
    cells = [
        (
            str(r.id),
            r.kind,
            r.topic or "-",
            str(r.items.stored),
            str(r.items.failed),
            _when(r.last_polled_at),
            _when(r.last_success_at),
            "paused" if r.status == SourceStatus.PAUSED else r.status,
            r.url,
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header) - 1)]

    def line(values: tuple[str, ...]) -> str:
        padded = (c.ljust(w) for c, w in zip(values, widths, strict=False))
        return "  ".join(padded) + "  " + values[-1]

    out = [line(header)]
    for source, values in zip(rows, cells, strict=True):
        out.append(line(values))
        if source.status == SourceStatus.PAUSED:
            out.append(f"    {_status(source)}")
        if source.last_poll_summary:
            out.append(f"    last poll: {source.last_poll_summary}")
        if source.last_error and source.last_error not in (source.last_poll_summary or ""):
            out.append(f"    last error: {source.last_error}")
        if source.items_failing:
            out.append("    unhealthy: its polls work but its items keep failing")
        if source.items.recent_failures:
            out.append(f"    latest item failures: {'; '.join(source.items.recent_failures)}")
    return "\n".join(out)


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print every source as a table."""
    from corpus.db import transaction
    from corpus.sources import list_sources
    from newsbrief.runtime import open_runtime

    runtime = open_runtime(settings)
    try:
        with transaction(runtime.sessions) as session:
            rows = list_sources(session)
    finally:
        runtime.engine.dispose()
    print(format_table(rows))
    return 0


def quick_list(args: argparse.Namespace, location: Location) -> int | None:
    """Print every source straight from an SQLite file at the newest schema.

    None when the corpus is anywhere else (or the file cannot be read so): ``run_list`` does it.
    """
    from corpus.plain_sqlite import read_at_head
    from corpus.source_rows import read_sources

    rows = read_at_head(location.effective_database_url, read_sources)
    if rows is None:
        return None
    print(format_table(rows))
    return 0


def _change(settings: Settings, source_id: int, verb: str) -> int:
    from corpus.db import transaction
    from corpus.sources import (
        SourceError,
        already,
        get_source,
        pause_source,
        remove_source,
        resume_source,
    )
    from newsbrief.runtime import open_runtime

    runtime = open_runtime(settings)
    try:
        with transaction(runtime.sessions) as session:
            current = get_source(session, source_id)
            unchanged = already(current, verb) if current is not None else None
            if current is not None and unchanged:
                print(f"Source {current.id} {unchanged}")
                return 0
            if verb == "remove":
                row = remove_source(session, source_id)
            elif verb == "pause":
                row = pause_source(session, source_id)
            else:
                row = resume_source(session, source_id)
    except SourceError as exc:
        print(exc.reason, file=sys.stderr)
        return 2
    finally:
        runtime.engine.dispose()
    done = {"remove": "Removed", "pause": "Paused", "resume": "Resumed"}[verb]
    print(f"{done} source {row.id}: {row.url}")
    return 0


def run_remove(args: argparse.Namespace, settings: Settings) -> int:
    """Remove a source; its articles stay in the corpus."""
    return _change(settings, args.id, "remove")


def run_pause(args: argparse.Namespace, settings: Settings) -> int:
    """Pause a source."""
    return _change(settings, args.id, "pause")


def run_resume(args: argparse.Namespace, settings: Settings) -> int:
    """Resume a paused source."""
    return _change(settings, args.id, "resume")
