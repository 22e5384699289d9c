"""Regression: a fetch task lost after its poll committed is queued again by a later poll."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from corpus.db import transaction
from corpus.settings import Settings
from corpus.sources import add_source
from testing.local_site import LocalSite, Paths
from worker.pipeline import Stages, poll_source
from worker.wiring import build_stages

pytestmark = pytest.mark.drill


@pytest.fixture
def stages(settings: Settings, sessions: sessionmaker[Session]) -> Iterator[Stages]:
    built = build_stages(settings, sessions)
    yield built
    built.close()


def test_unmodified_feed_requeues_articles_whose_fetch_was_lost(stages: Stages) -> None:
    """The second poll gets a 304, yet returns the articles the first poll never got fetched."""
    with LocalSite(crawl_delay=None) as site:
        with transaction(stages.sessions) as session:
            source_id = add_source(session, site.url(Paths.RSS)).id
        first = poll_source(stages, source_id)  # the worker dies before queueing the fetches
        later = datetime.now(UTC) + timedelta(
            seconds=stages.settings.worker.stale_pending_seconds + 60
        )
        second = poll_source(stages, source_id, now=later)
        assert site.requests_for(Paths.RSS)[-1].status == 304
    assert second.status == "not_modified"
    assert len(first.article_ids) == len(site.articles)
    assert sorted(second.article_ids) == sorted(first.article_ids)


def test_fresh_pending_articles_are_not_queued_twice(stages: Stages) -> None:
    """Right after a poll, a second one does not queue the articles already queued."""
    with LocalSite(crawl_delay=None) as site:
        with transaction(stages.sessions) as session:
            source_id = add_source(session, site.url(Paths.RSS)).id
        poll_source(stages, source_id)
        second = poll_source(stages, source_id)
    assert second.article_ids == ()


def test_a_redelivered_poll_queues_every_pending_article(stages: Stages) -> None:
    """A poll handed back mid-way (it could not queue its fetches) queues them all again."""
    with LocalSite(crawl_delay=None) as site:
        with transaction(stages.sessions) as session:
            source_id = add_source(session, site.url(Paths.RSS)).id
        first = poll_source(stages, source_id)  # committed, then queueing the fetches failed
        again = poll_source(stages, source_id, all_pending=True)
    assert again.status == "not_modified"
    assert sorted(again.article_ids) == sorted(first.article_ids)
