"""Sources: add, list, pause/resume, poll bookkeeping and auto-pause."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from corpus.articles import discover
from corpus.db import transaction
from corpus.sources import (
    SourceError,
    add_source,
    due_source_ids,
    get_source,
    guess_kind,
    list_sources,
    pause_source,
    record_poll_failure,
    record_poll_success,
    remove_source,
    resume_source,
)
from corpus.tables import SourceKind, SourceStatus


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://example.com/feed", SourceKind.FEED),
        ("https://example.com/rss.xml", SourceKind.FEED),
        ("https://example.com/atom.xml", SourceKind.FEED),
        ("https://example.com/news/index.rss", SourceKind.FEED),
        ("https://example.com/sitemap.xml", SourceKind.SITEMAP),
        ("https://example.com/sitemap_news.xml.gz", SourceKind.SITEMAP),
        ("https://example.com/", SourceKind.SITE),
        ("https://example.com", SourceKind.SITE),
        ("https://example.com/2024/01/story.html", SourceKind.PAGE),
    ],
)
def test_guess_kind_by_url_shape(url, kind):
    """The kind is guessed from the URL's shape."""
    assert guess_kind(url) == kind


def test_add_records_who_added_it(sessions):
    """A source stores its kind, topic and the guild and user who added it."""
    with transaction(sessions) as s:
        row = add_source(
            s, "https://example.com/feed", topic="russia-china", added_by_guild=1, added_by_user=2
        )
    with transaction(sessions) as s:
        got = get_source(s, row.id)
    assert got is not None
    assert (got.kind, got.topic, got.added_by_guild, got.added_by_user) == (
        SourceKind.FEED,
        "russia-china",
        1,
        2,
    )
    assert got.status == SourceStatus.ACTIVE


def test_add_twice_is_refused_with_reason(sessions):
    """Adding the same URL twice says which source already has it."""
    with transaction(sessions) as s:
        first = add_source(s, "https://example.com/feed")
    with pytest.raises(SourceError, match=f"already source {first.id}"), transaction(sessions) as s:
        add_source(s, "https://example.com/feed")


def test_list_counts_articles(sessions):
    """`list` returns each source's article count."""
    with transaction(sessions) as s:
        a = add_source(s, "https://a.example/feed")
        add_source(s, "https://b.example/feed")
        discover(s, "https://a.example/1", "https://a.example/1", a.id)
        discover(s, "https://a.example/2", "https://a.example/2", a.id)
    with transaction(sessions) as s:
        rows = list_sources(s)
    assert [(r.url, r.article_count) for r in rows] == [
        ("https://a.example/feed", 2),
        ("https://b.example/feed", 0),
    ]


def test_pause_resume_and_remove(sessions):
    """Pause records a reason, resume clears it, remove deletes the source but not its articles."""
    with transaction(sessions) as s:
        row = add_source(s, "https://a.example/feed")
        discover(s, "https://a.example/1", "https://a.example/1", row.id)
    with transaction(sessions) as s:
        paused = pause_source(s, row.id, "too noisy")
    assert (paused.status, paused.paused_reason) == (SourceStatus.PAUSED, "too noisy")
    with transaction(sessions) as s:
        resumed = resume_source(s, row.id)
    assert (resumed.status, resumed.paused_reason) == (SourceStatus.ACTIVE, None)
    with transaction(sessions) as s:
        remove_source(s, row.id)
    with transaction(sessions) as s:
        assert get_source(s, row.id) is None
        assert discover(s, "https://a.example/1", "https://a.example/1", None)[1] is False


def test_pausing_a_paused_source_keeps_the_first_reason(sessions):
    """The automatic reason (what failed) is not overwritten by a later manual pause."""
    with transaction(sessions) as s:
        row = add_source(s, "https://a.example/feed")
    with transaction(sessions) as s:
        pause_source(s, row.id, "paused after 5 failed polls in a row; last error: 503")
    with transaction(sessions) as s:
        again = pause_source(s, row.id, "paused by an admin")
    assert again.status == SourceStatus.PAUSED
    assert again.paused_reason == "paused after 5 failed polls in a row; last error: 503"


def test_unknown_id_says_so(sessions):
    """Pausing an id that does not exist raises a readable error."""
    with pytest.raises(SourceError, match="no source with id 99"), transaction(sessions) as s:
        pause_source(s, 99)


def test_poll_success_records_summary_and_validators(sessions):
    """A successful poll stores its summary, validators and resets the failure count."""
    with transaction(sessions) as s:
        row = add_source(s, "https://a.example/feed")
        record_poll_failure(s, row.id, "timed out", max_failures=5)
        done = record_poll_success(
            s, row.id, summary="found 20 items, 3 new", etag='"abc"', last_modified="Mon"
        )
    assert done.last_poll_summary == "found 20 items, 3 new"
    assert (done.etag, done.last_modified, done.consecutive_failures) == ('"abc"', "Mon", 0)
    assert done.last_success_at is not None
    assert done.last_error is None


def test_consecutive_failures_pause_the_source(sessions):
    """After max_consecutive_failures failed polls a source is paused, saying why."""
    with transaction(sessions) as s:
        row = add_source(s, "https://a.example/feed")
    for _ in range(4):
        with transaction(sessions) as s:
            state = record_poll_failure(s, row.id, "the server answered 503", max_failures=5)
        assert state.status == SourceStatus.ACTIVE
    with transaction(sessions) as s:
        state = record_poll_failure(s, row.id, "the server answered 503", max_failures=5)
    assert state.status == SourceStatus.PAUSED
    assert state.paused_reason is not None
    assert "5 failed polls" in state.paused_reason
    assert "503" in state.paused_reason


def test_due_sources(sessions):
    """Never-polled and overdue active sources are due; paused and recent ones are not."""
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    with transaction(sessions) as s:
        fresh = add_source(s, "https://a.example/feed", poll_interval_seconds=600)
        recent = add_source(s, "https://b.example/feed", poll_interval_seconds=600)
        old = add_source(s, "https://c.example/feed", poll_interval_seconds=600)
        paused = add_source(s, "https://d.example/feed")
        record_poll_success(s, recent.id, summary="x", now=now - timedelta(seconds=60))
        record_poll_success(s, old.id, summary="x", now=now - timedelta(seconds=601))
        pause_source(s, paused.id)
    with transaction(sessions) as s:
        assert due_source_ids(s, now) == [fresh.id, old.id]


def test_overlong_validators_are_not_kept(sessions):
    """An ETag or Last-Modified longer than its column is dropped; the poll is still recorded."""
    with transaction(sessions) as s:
        source_id = add_source(s, "https://a.example/feed").id
        record_poll_success(s, source_id, summary="ok", etag='"short"', last_modified="Mon")
        row = record_poll_success(
            s, source_id, summary="found 1", etag='"' + "e" * 600 + '"', last_modified="x" * 200
        )
    assert (row.etag, row.last_modified, row.last_poll_summary) == (None, None, "found 1")


def _items(s, source_id: int, outcomes: list[str], start: int = 0) -> None:
    """Discover one item per outcome ("failed", "stored" or "pending"), in that order."""
    from corpus.articles import mark_failed
    from corpus.tables import Article, ArticleStatus

    for n, outcome in enumerate(outcomes, start):
        url = f"https://a.example/item-{source_id}-{n}"
        article_id, _ = discover(s, url, url, source_id)
        if outcome == "failed":
            mark_failed(s, article_id, f"item {n} is an image (image/png), not an article")
        elif outcome == "stored":
            s.get(Article, article_id).status = ArticleStatus.READY
    s.flush()


def test_list_counts_stored_failed_and_pending_items(sessions):
    """Each source counts its stored, failed and pending items separately."""
    with transaction(sessions) as s:
        row = add_source(s, "https://a.example/feed")
        _items(s, row.id, ["stored", "failed", "pending"])
    with transaction(sessions) as s:
        (got,) = list_sources(s)
    assert (got.items.stored, got.items.failed, got.items.pending) == (1, 1, 1)
    assert got.items.recent_failures == ("item 1 is an image (image/png), not an article",)
    assert not got.items_failing


def test_a_source_whose_only_item_failed_is_unhealthy(sessions):
    """A page source whose one item failed is flagged, with the failure in words."""
    with transaction(sessions) as s:
        row = add_source(s, "https://a.example/logo.png", kind="page")
        _items(s, row.id, ["failed"])
    with transaction(sessions) as s:
        got = get_source(s, row.id)
    assert got is not None and got.items_failing
    assert got.items.recent_failures == ("item 0 is an image (image/png), not an article",)


def test_items_failing_in_a_row_flag_a_source_that_once_worked(sessions):
    """Three newest items failing in a row flag a source, even after earlier stored ones."""
    with transaction(sessions) as s:
        row = add_source(s, "https://a.example/feed")
        _items(s, row.id, ["stored", "failed", "failed"])
    with transaction(sessions) as s:
        assert not get_source(s, row.id).items_failing
        _items(s, row.id, ["failed"], start=3)
    with transaction(sessions) as s:
        got = get_source(s, row.id)
    assert got.items.failing_streak == 3 and got.items_failing
    assert len(got.items.recent_failures) == 3
