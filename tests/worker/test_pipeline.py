"""The stage functions with real parts: the local site, the real fetcher, extractor and store."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from corpus.articles import begin_attempt, discover
from corpus.db import transaction
from corpus.sources import add_source, get_source
from corpus.tables import Article, ArticleStatus, SourceKind, SourceStatus
from testing.hostile_xml import billion_laughs
from testing.local_site import FeedItem, Paths
from worker.errors import TransientError
from worker.pipeline import (
    MAX_FETCH_ATTEMPTS,
    analyse_article,
    fetch_and_store,
    ingest_paths,
    poll_source,
    process_article,
    run_due_polls,
)
from worker.wiring import build_stages

# No Crawl-delay: politeness has its own tests, these test the stages.
pytestmark = pytest.mark.site(crawl_delay=None)

SAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "samples"
BOILERPLATE = ("Leave a Reply", "Submit a Comment", "Post Comment", "Subscribe to our newsletter")


@pytest.fixture
def stages(settings, sessions):
    built = build_stages(settings, sessions)
    yield built
    built.close()


def _add(stages, url: str, **kwargs) -> int:
    with transaction(stages.sessions) as s:
        return add_source(s, url, **kwargs).id


def _articles(stages) -> list[Article]:
    with transaction(stages.sessions) as s:
        return list(s.execute(select(Article).order_by(Article.id)).scalars())


def _article_requests(site) -> list[str]:
    return [r.path for r in site.requests if r.path.startswith("/news/")]


def test_feed_poll_fetch_store_each_article_once(test_site, stages):
    """Polling a feed finds every article; each is fetched once, stored cleaned and made ready."""
    source_id = _add(stages, test_site.url(Paths.RSS), topic="russia-china")
    poll = poll_source(stages, source_id)
    assert (poll.status, poll.found, poll.new) == ("ok", 5, 5)
    assert poll.summary == "found 5 items, 5 new"
    for article_id in poll.article_ids:
        assert process_article(stages, article_id).status == ArticleStatus.READY
    articles = _articles(stages)
    assert len(articles) == 5
    assert sorted(_article_requests(test_site)) == sorted(a.path for a in test_site.articles)
    for article in articles:
        assert article.text
        assert not any(chrome in article.text for chrome in BOILERPLATE)
        assert article.story_id is not None
        assert article.summary and article.summary_backend == "extractive"
    with transaction(stages.sessions) as s:
        row = get_source(s, source_id)
    assert row is not None
    assert (row.kind, row.article_count, row.last_error) == (SourceKind.FEED, 5, None)
    assert row.etag and row.last_success_at


def test_second_poll_is_conditional_and_finds_nothing(test_site, stages):
    """A second poll sends the validators, gets 304 and queues nothing."""
    source_id = _add(stages, test_site.url(Paths.RSS))
    first = poll_source(stages, source_id)
    second = poll_source(stages, source_id)
    assert first.new == 5
    assert (second.status, second.article_ids) == ("not_modified", ())
    last = test_site.requests_for(Paths.RSS)[-1]
    assert last.header("If-None-Match") and last.status == 304


def test_second_feed_with_same_articles_adds_nothing(test_site, stages):
    """An Atom feed of the same articles discovers no new article."""
    rss = _add(stages, test_site.url(Paths.RSS))
    atom = _add(stages, test_site.url(Paths.ATOM))
    for article_id in poll_source(stages, rss).article_ids:
        process_article(stages, article_id)
    again = poll_source(stages, atom)
    assert (again.found, again.new, again.article_ids) == (5, 0, ())
    assert len(_articles(stages)) == 5


def test_syndicated_copy_is_a_duplicate_not_a_new_story(test_site, stages):
    """The same article at a second URL is stored once: the copy is marked duplicate."""
    original = test_site.articles[0]
    test_site.add_page(
        "/syndicated/copy",
        test_site.render_article(original).replace(
            test_site.url(original.path), test_site.url("/syndicated/copy")
        ),
    )
    test_site.set_feed(
        "/both.xml", [FeedItem("a", original.path), FeedItem("b", "/syndicated/copy")]
    )
    poll = poll_source(stages, _add(stages, test_site.url("/both.xml")))
    results = [process_article(stages, a) for a in poll.article_ids]
    assert sorted(r.status for r in results) == [ArticleStatus.DUPLICATE, ArticleStatus.READY]
    stored = [a for a in _articles(stages) if a.status == ArticleStatus.READY]
    dup = [a for a in _articles(stages) if a.status == ArticleStatus.DUPLICATE]
    assert dup[0].duplicate_of == stored[0].id


def test_site_source_discovers_its_feed(test_site, stages):
    """A home page source finds its feed through <link rel=alternate> and keeps its kind."""
    source_id = _add(stages, test_site.url("/"))
    poll = poll_source(stages, source_id)
    assert poll.new == 5
    with transaction(stages.sessions) as s:
        row = get_source(s, source_id)
    assert row is not None
    assert row.kind == SourceKind.SITE
    assert row.resolved_url in (test_site.url(Paths.RSS), test_site.url(Paths.ATOM))
    assert poll_source(stages, source_id).status == "not_modified"


def test_site_source_finds_its_feed_at_a_common_path(test_site, stages):
    """A home page announcing no feed is polled through the feed at a common path (/feed.xml)."""
    test_site.add_page("/", "<html><head><title>x</title></head><body>hi</body></html>")
    test_site.remove(Paths.ATOM)
    source_id = _add(stages, test_site.url("/"))
    poll = poll_source(stages, source_id)
    assert (poll.status, poll.new) == ("ok", 5)
    with transaction(stages.sessions) as s:
        row = get_source(s, source_id)
    assert row is not None
    assert (row.kind, row.resolved_url) == (SourceKind.SITE, test_site.url(Paths.RSS))


def test_site_without_feed_fails_with_reason(test_site, stages):
    """A site with no feed anywhere fails its poll saying what to do."""
    test_site.add_page("/", "<html><head><title>x</title></head><body>hi</body></html>")
    for path in ("/feed.xml", "/atom.xml"):
        test_site.remove(path)
    poll = poll_source(stages, _add(stages, test_site.url("/")))
    assert poll.status == "failed"
    assert poll.error and "No feed was found" in poll.error


def test_sitemap_index_is_followed(test_site, stages):
    """A sitemap index leads to both child sitemaps; articles are discovered once."""
    source_id = _add(stages, test_site.url(Paths.SITEMAP_INDEX))
    poll = poll_source(stages, source_id)
    assert (poll.found, poll.new) == (10, 5)
    with transaction(stages.sessions) as s:
        assert get_source(s, source_id).kind == SourceKind.SITEMAP


def test_sitemap_index_listing_itself_is_read_once(test_site, stages):
    """An index that lists itself is not followed round; its other child is, and the loop noted."""
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{test_site.url('/loop-index.xml')}</loc></sitemap>"
        f"<sitemap><loc>{test_site.url(Paths.SITEMAP)}</loc></sitemap></sitemapindex>"
    )
    test_site.add_page("/loop-index.xml", index, content_type="application/xml")
    source_id = _add(stages, test_site.url("/loop-index.xml"))
    assert poll_source(stages, source_id).new == 5
    assert len(test_site.requests_for("/loop-index.xml")) == 1
    with transaction(stages.sessions) as s:
        row = get_source(s, source_id)
    assert row.last_error and "loop was ignored" in row.last_error


def test_huge_feed_queues_only_the_newest_items(test_site, stages):
    """A 50,000-item feed queues its newest 1000 items, and the summary says so."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    items = [
        FeedItem(f"n{i}", f"/news/bulk-{i}", start + timedelta(minutes=i)) for i in range(50_000)
    ]
    test_site.set_feed("/huge.xml", items)
    poll = poll_source(stages, _add(stages, test_site.url("/huge.xml")))
    assert (poll.found, poll.new, len(poll.article_ids)) == (50_000, 1000, 1000)
    assert "only the newest 1000 were taken" in poll.summary
    with transaction(stages.sessions) as s:
        urls = set(s.execute(select(Article.url)).scalars())
    assert (
        test_site.url("/news/bulk-49999") in urls and test_site.url("/news/bulk-48999") not in urls
    )


def test_unsafe_urls_in_feed_are_skipped_and_counted(test_site, stages):
    """Feed items with other schemes or credentials are not queued, and the summary says so."""
    items = [
        FeedItem("ok", test_site.articles[0].path),
        FeedItem("file", "file:///etc/passwd"),
        FeedItem("creds", f"http://user:pw@127.0.0.1:{test_site.port}/news/x"),
    ]
    test_site.set_feed("/mixed.xml", items)
    poll = poll_source(stages, _add(stages, test_site.url("/mixed.xml")))
    assert (poll.found, poll.new, poll.refused) == (3, 1, 2)
    assert "2 unsafe URLs skipped" in poll.summary


def test_private_and_disguised_addresses_in_feed_are_refused(test_site, settings, sessions):
    """Feed items on private, metadata or disguised hosts are skipped; the allowed site is kept."""
    strict = settings.model_copy(update={"allow_private_networks": False})
    stages = build_stages(strict, sessions, allowed_networks=["127.0.0.1/32"])
    items = [
        FeedItem("ok", test_site.articles[0].path),
        FeedItem("private", "http://10.0.0.1/news/a"),
        FeedItem("metadata", "http://169.254.169.254/latest/meta-data"),
        FeedItem("cgnat", "http://100.64.0.1/news/b"),
        FeedItem("disguised", f"http://2130706433:{test_site.port}/news/c"),
        FeedItem("octal", f"http://0177.0.0.1:{test_site.port}/news/d"),
    ]
    test_site.set_feed("/hostile-links.xml", items)
    try:
        poll = poll_source(stages, _add(stages, test_site.url("/hostile-links.xml")))
    finally:
        stages.close()
    assert (poll.found, poll.new, poll.refused) == (6, 1, 5)
    assert _articles(stages)[0].url == test_site.url(test_site.articles[0].path)


def test_malformed_feed_is_ingested_and_error_recorded(test_site, stages):
    """A malformed feed with entries is read, and its problem recorded on the source."""
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>A & B</title>'
        f"<item><title>x</title><link>{test_site.url(test_site.articles[0].path)}</link></item></channel>"
    )
    test_site.add_page("/broken.xml", body, content_type="application/rss+xml")
    source_id = _add(stages, test_site.url("/broken.xml"))
    assert poll_source(stages, source_id).new == 1
    with transaction(stages.sessions) as s:
        row = get_source(s, source_id)
    assert row.last_error and "malformed" in row.last_error
    assert row.consecutive_failures == 0


def test_hostile_feed_fails_its_poll_with_reason(test_site, stages):
    """A billion-laughs feed fails the poll, recorded in words, nothing expanded or stored."""
    test_site.add_page(
        "/laughs.xml", billion_laughs("https://example.com/a"), content_type="application/rss+xml"
    )
    source_id = _add(stages, test_site.url("/laughs.xml"))
    poll = poll_source(stages, source_id)
    assert poll.status == "failed"
    with transaction(stages.sessions) as s:
        row = get_source(s, source_id)
    assert row.last_error and "declares XML entities" in row.last_error
    assert row.consecutive_failures == 1
    assert _articles(stages) == []


def test_failing_source_is_paused_after_five_polls(test_site, stages):
    """Five failed polls in a row pause the source, saying why."""
    source_id = _add(stages, test_site.url("/no-such-feed.xml"))
    results = [poll_source(stages, source_id) for _ in range(6)]
    assert [r.status for r in results] == ["failed"] * 5 + ["skipped"]
    with transaction(stages.sessions) as s:
        row = get_source(s, source_id)
    assert row.status == SourceStatus.PAUSED
    assert "5 failed polls" in row.paused_reason and "404" in row.paused_reason


def test_page_source_is_one_article(test_site, stages):
    """A single-page source discovers itself as one article."""
    url = test_site.url(test_site.articles[1].path)
    poll = poll_source(stages, _add(stages, url))
    assert (poll.found, poll.new) == (1, 1)
    assert process_article(stages, poll.article_ids[0]).status == ArticleStatus.READY


def test_page_url_that_is_a_feed_becomes_a_feed(test_site, stages):
    """A URL guessed to be a page is re-kinded at the first poll when its content is a feed."""
    test_site.set_feed("/news/latest.html", test_site.article_items(), kind="atom")
    source_id = _add(stages, test_site.url("/news/latest.html"))
    with transaction(stages.sessions) as s:
        assert get_source(s, source_id).kind == SourceKind.PAGE
    assert poll_source(stages, source_id).new == 5
    with transaction(stages.sessions) as s:
        assert get_source(s, source_id).kind == SourceKind.FEED


def test_fetch_twice_changes_nothing(test_site, stages):
    """Fetching an already stored article again makes no request and changes nothing."""
    with transaction(stages.sessions) as s:
        url = test_site.url(test_site.articles[0].path)
        article_id, _ = discover(s, url, url, None)
    first = fetch_and_store(stages, article_id)
    before = _articles(stages)
    second = fetch_and_store(stages, article_id)
    assert first.status == second.status == ArticleStatus.STORED
    assert len(test_site.requests_for(test_site.articles[0].path)) == 1
    assert [(a.status, a.text_hash, a.story_id) for a in _articles(stages)] == [
        (a.status, a.text_hash, a.story_id) for a in before
    ]
    assert analyse_article(stages, article_id) == analyse_article(stages, article_id)


def test_without_analyser_articles_are_only_marked_ready(test_site, stages):
    """With no analyser a stored article becomes ready with no made-up summary."""
    bare = replace(stages, analyse=None)
    with transaction(stages.sessions) as s:
        url = test_site.url(test_site.articles[0].path)
        article_id, _ = discover(s, url, url, None)
    assert process_article(bare, article_id).status == ArticleStatus.READY
    article = _articles(stages)[0]
    assert (article.summary, article.themes, article.analysed_at is not None) == (None, None, True)


class _Tripping:
    """An extractor that trips over its input the way a library bug would."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def extract(self, page):
        raise self.error


class _Interrupted(Exception):
    pass


def test_unexpected_extraction_error_is_recorded_not_raised(test_site, stages):
    """A library error on hostile input fails that article with the reason; nothing crashes."""
    tripping = replace(stages, extractor=_Tripping(ValueError("bad tree")))
    with transaction(stages.sessions) as s:
        url = test_site.url(test_site.articles[0].path)
        article_id, _ = discover(s, url, url, None)
    result = fetch_and_store(tripping, article_id)
    assert result.status == ArticleStatus.FAILED
    assert result.error and "Extraction failed unexpectedly (ValueError: bad tree)" in result.error


def test_analysis_error_is_recorded_and_article_kept(test_site, stages):
    """An analyser that fails on a text leaves the article stored with the reason."""

    def broken(title: str, text: str):
        raise RecursionError("too deep")

    with transaction(stages.sessions) as s:
        url = test_site.url(test_site.articles[0].path)
        article_id, _ = discover(s, url, url, None)
    result = process_article(replace(stages, analyse=broken), article_id)
    assert result.status == ArticleStatus.STORED
    article = _articles(stages)[0]
    assert article.text and "Analysis failed unexpectedly (RecursionError" in article.error


def test_passthrough_errors_are_not_recorded(test_site, stages):
    """Errors the caller retries (e.g. a task's soft time limit) pass through, article pending."""
    interrupted = replace(stages, extractor=_Tripping(_Interrupted()), passthrough=(_Interrupted,))
    with transaction(stages.sessions) as s:
        url = test_site.url(test_site.articles[0].path)
        article_id, _ = discover(s, url, url, None)
    with pytest.raises(_Interrupted):
        fetch_and_store(interrupted, article_id)
    assert _articles(stages)[0].status == ArticleStatus.PENDING


def test_missing_article_fails_permanently_with_reason(test_site, stages):
    """A 404 article is marked failed with the reason and not retried."""
    with transaction(stages.sessions) as s:
        article_id, _ = discover(s, test_site.url("/gone"), test_site.url("/gone"), None)
    result = fetch_and_store(stages, article_id)
    assert result.status == ArticleStatus.FAILED
    assert result.error and "410" in result.error


def test_unavailable_article_is_transient(test_site, stages):
    """A 503 raises TransientError with Retry-After and leaves the article pending."""
    with transaction(stages.sessions) as s:
        url = test_site.url(Paths.UNAVAILABLE)
        article_id, _ = discover(s, url, url, None)
    with pytest.raises(TransientError) as caught:
        fetch_and_store(stages, article_id)
    assert caught.value.retry_after == 120
    with transaction(stages.sessions) as s:
        row = s.get(Article, article_id)
        assert (row.status, row.attempts) == (ArticleStatus.PENDING, 1)


def test_unavailable_article_is_given_up_after_max_attempts(test_site, stages):
    """The last allowed transient failure is recorded as a permanent one, with the reason."""
    with transaction(stages.sessions) as s:
        url = test_site.url(Paths.UNAVAILABLE)
        article_id, _ = discover(s, url, url, None)
    for _ in range(MAX_FETCH_ATTEMPTS - 1):
        with pytest.raises(TransientError):
            fetch_and_store(stages, article_id)
    result = fetch_and_store(stages, article_id)
    assert result.status == ArticleStatus.FAILED
    assert result.error and result.error.startswith(f"Gave up after {MAX_FETCH_ATTEMPTS} attempts")
    assert len(test_site.requests_for(Paths.UNAVAILABLE)) == MAX_FETCH_ATTEMPTS


def test_article_whose_attempts_never_report_back_is_given_up(test_site, stages):
    """Attempts are counted up front: a page that kills its worker every time is given up."""
    with transaction(stages.sessions) as s:
        url = test_site.url(test_site.articles[0].path)
        article_id, _ = discover(s, url, url, None)
    for _ in range(MAX_FETCH_ATTEMPTS):  # each crashed before reporting anything
        with transaction(stages.sessions) as s:
            begin_attempt(s, article_id)
    result = fetch_and_store(stages, article_id)
    assert result.status == ArticleStatus.FAILED
    assert result.error and "the worker stopped" in result.error
    assert test_site.requests_for(test_site.articles[0].path) == []


def test_run_due_polls_in_process(test_site, stages):
    """The in-process runner polls due sources and stores what they list."""
    _add(stages, test_site.url(Paths.ATOM))
    report = run_due_polls(stages)
    assert [p.new for p in report.polls] == [5]
    assert {a.status for a in report.articles} == {ArticleStatus.READY}
    assert run_due_polls(stages).polls == []


def test_lost_analysis_is_done_by_the_next_round(test_site, stages):
    """A stored article whose analysis task was lost is analysed by a later round."""
    with transaction(stages.sessions) as s:
        url = test_site.url(test_site.articles[0].path)
        article_id, _ = discover(s, url, url, None)
    assert fetch_and_store(stages, article_id).status == ArticleStatus.STORED  # never analysed
    assert run_due_polls(stages).polls == []
    assert _articles(stages)[0].status == ArticleStatus.STORED  # not overdue yet
    later = datetime.now(UTC) + timedelta(minutes=11)
    run_due_polls(stages, now=later)
    assert _articles(stages)[0].status == ArticleStatus.READY


def test_lost_analysis_threshold_comes_from_settings(test_site, stages):
    """NEWSBRIEF_ANALYSIS_OVERDUE_SECONDS sets when a stored article counts as lost."""
    quick = dataclasses.replace(
        stages,
        settings=stages.settings.model_copy(
            update={
                "worker": stages.settings.worker.model_copy(update={"analysis_overdue_seconds": 60})
            }
        ),
    )
    with transaction(quick.sessions) as s:
        url = test_site.url(test_site.articles[0].path)
        article_id, _ = discover(s, url, url, None)
    assert fetch_and_store(quick, article_id).status == ArticleStatus.STORED
    run_due_polls(quick, now=datetime.now(UTC) + timedelta(seconds=30))
    assert _articles(quick)[0].status == ArticleStatus.STORED
    run_due_polls(quick, now=datetime.now(UTC) + timedelta(seconds=120))
    assert _articles(quick)[0].status == ArticleStatus.READY


def test_ingest_seed_folder_then_again(stages):
    """Ingesting the shipped samples stores each once; a second run stores nothing new."""
    first = ingest_paths(stages, [str(SAMPLES)])
    assert (len(first.stored), first.problems) == (5, [])
    second = ingest_paths(stages, [str(SAMPLES)])
    assert (len(second.stored), len(second.already)) == (0, 5)
    with transaction(stages.sessions) as s:
        assert s.execute(select(func.count()).select_from(Article)).scalar_one() == 5


def test_ingest_composes_each_changed_event_once_after_the_batch(stages, monkeypatch):
    """A batch recomposes its events' stored stories in one go, leaving none stale."""
    from corpus import brief
    from corpus.tables import EventBrief, StaleEventBrief

    composed: list[list[int]] = []
    refresh = brief.refresh_event_briefs

    def counted(session, event_ids, **kwargs):
        composed.append(sorted(event_ids))
        refresh(session, event_ids, **kwargs)

    monkeypatch.setattr("worker.events.refresh_event_briefs", counted)
    report = ingest_paths(stages, [str(SAMPLES)])
    assert (len(report.stored), report.problems) == (5, [])
    with transaction(stages.sessions) as s:
        events = set(s.execute(select(Article.event_id)).scalars())
        assert s.execute(select(StaleEventBrief)).first() is None
        assert set(s.execute(select(EventBrief.event_id)).scalars()) == events
    assert composed == [sorted(events)]


def test_ingest_composes_what_was_due_when_the_batch_stops(stages, monkeypatch):
    """An error that ends a batch early still leaves the stories it changed composed."""
    from corpus.tables import EventBrief, StaleEventBrief
    from worker.pipeline import ingest

    ingest_one = ingest._ingest_one
    calls: list[str] = []

    def stopping(batch, report, entry):
        calls.append(entry)
        if len(calls) == 2:
            raise KeyboardInterrupt
        ingest_one(batch, report, entry)

    monkeypatch.setattr(ingest, "_ingest_one", stopping)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(stages, [str(path) for path in sorted(SAMPLES.glob("*.txt"))])
    with transaction(stages.sessions) as s:
        assert s.execute(select(StaleEventBrief)).first() is None
        assert s.execute(select(EventBrief.event_id)).scalars().all()


def test_ingest_jsonl_reports_bad_lines_and_keeps_the_rest(stages, tmp_path):
    """A .jsonl file with a bad line stores the good lines and names the bad one."""
    text = (SAMPLES / "000_3fdab41272102c79.txt").read_text().split("\n", 1)[1]
    lines = [
        json.dumps(
            {"url": "https://a.example/1", "title": "One", "date": "2024-01-02", "text": text}
        ),
        "{not json",
        json.dumps({"title": "no url", "text": "x"}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines))
    report = ingest_paths(stages, [str(path)])
    assert len(report.stored) == 1
    assert len(report.problems) == 2
    assert "line 2" in report.problems[0] and "line 3" in report.problems[1]
    article = _articles(stages)[0]
    assert (article.title, article.published_at.year) == ("One", 2024)


def test_ingest_jsonl_lines_without_url_are_stored_under_the_file_and_their_id(stages, tmp_path):
    """A line with no "url" is stored as the file's URI and its id (else its line number)."""
    body = (SAMPLES / "000_3fdab41272102c79.txt").read_text().split("\n", 1)[1]
    lines = [
        json.dumps({"id": "w 1", "title": "One", "text": body, "site": "tass.com"}),
        json.dumps({"id": "w2", "title": "Two", "text": body.replace("Ukraine", "Kyiv")}),
        json.dumps({"title": "Three", "text": body.replace("war", "conflict")}),
    ]
    path = tmp_path / "stream.jsonl"
    path.write_text("\n".join(lines))
    first = ingest_paths(stages, [str(path)])
    assert first.problems == []
    uri = path.resolve().as_uri()
    urls = [o.url for o in first.outcomes]
    assert urls == [f"{uri}#w%201", f"{uri}#w2", f"{uri}#line-3"]
    assert {o.status for o in first.outcomes} <= {"stored", "duplicate"}
    by_url = {a.url: a for a in _articles(stages)}
    assert by_url[f"{uri}#w%201"].site == "tass.com"  # the line's own outlet
    second = ingest_paths(stages, [str(path)])
    assert [o.status for o in second.outcomes] == ["already"] * 3


def test_ingest_jsonl_html_lines_are_extracted_and_cleaned(test_site, stages, tmp_path):
    """A .jsonl line carrying html goes through extraction and cleaning like a fetched page."""
    article = test_site.articles[1]
    record = {"url": "https://b.example/story", "html": test_site.render_article(article)}
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps(record) + "\n")
    report = ingest_paths(stages, [str(path)])
    assert (len(report.stored), report.problems) == (1, [])
    stored = _articles(stages)[0]
    assert stored.title and article.title.startswith(stored.title)
    assert max(article.paragraphs, key=len) in stored.text
    assert not any(chrome in stored.text for chrome in BOILERPLATE)


def test_ingest_html_file_and_url(test_site, stages, tmp_path):
    """An .html file and an http URL both go through extraction into the store."""
    page = tmp_path / "story.html"
    page.write_text(test_site.render_article(test_site.articles[2]))
    report = ingest_paths(stages, [str(page), test_site.url(test_site.articles[3].path)])
    assert (len(report.stored), report.problems) == (2, [])
    assert not any(chrome in a.text for a in _articles(stages) for chrome in BOILERPLATE)


def test_ingest_unknown_input_is_a_problem(stages, tmp_path):
    """An unsupported file is reported with a reason."""
    odd = tmp_path / "notes.pdf"
    odd.write_bytes(b"%PDF")
    report = ingest_paths(stages, [str(odd)])
    assert report.problems == [
        f"{odd}: is not a .txt, .html or .jsonl file, a folder or an http(s) URL."
    ]


def test_ingest_jsonl_line_without_article_names_its_line(stages, tmp_path):
    """A .jsonl line whose text holds no article is reported with its line number."""
    text = (SAMPLES / "000_3fdab41272102c79.txt").read_text().split("\n", 1)[1]
    lines = [
        json.dumps({"url": "https://a.example/1", "text": text}),
        json.dumps({"url": "https://a.example/2", "text": "Too short."}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines))
    report = ingest_paths(stages, [str(path)])
    assert len(report.stored) == 1
    assert report.problems == [f"{path}: line 2: no article text found on the page"]


@pytest.mark.parametrize("url", [123, "ftp://a.example/1", "a.example/1"])
def test_ingest_jsonl_url_must_be_http(stages, tmp_path, url):
    """A .jsonl line whose url is not an http(s) address is refused, naming the line."""
    text = (SAMPLES / "000_3fdab41272102c79.txt").read_text().split("\n", 1)[1]
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"url": url, "text": text}) + "\n")
    report = ingest_paths(stages, [str(path)])
    assert report.stored == []
    assert len(report.problems) == 1
    assert "line 1" in report.problems[0] and "not an http(s) address" in report.problems[0]


def test_ingest_empty_or_missing_folder_is_a_problem(stages, tmp_path):
    """An empty folder and a missing path are each reported; the other input is stored."""
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = tmp_path / "missing"
    sample = SAMPLES / "000_3fdab41272102c79.txt"
    report = ingest_paths(stages, [str(empty), str(missing) + "/", str(sample)])
    assert len(report.stored) == 1
    assert report.problems == [
        f"{empty}: is a folder with no .txt, .html or .jsonl files in it.",
        f"{missing}/: could not be read (no such file or folder); check the path.",
    ]


def test_ingest_decodes_files_like_fetched_pages(stages, tmp_path):
    """A UTF-16 .txt and a cp1252 .html are decoded, not stored as mojibake."""
    seed = (SAMPLES / "001_51def3a515415125.txt").read_text(encoding="utf-8")
    utf16 = tmp_path / "utf16.txt"
    utf16.write_text(seed, encoding="utf-16")
    other = (SAMPLES / "004_78f9c8f826e79d3a.txt").read_text(encoding="utf-8")
    body = "".join(f"<p>{line}</p>" for line in other.splitlines()[1:] if line.strip())
    page = f"<html><head><title>Café</title></head><body><article>{body}</article></body></html>"
    cp1252 = tmp_path / "cp1252.html"
    cp1252.write_bytes(page.encode("cp1252", errors="replace"))
    report = ingest_paths(stages, [str(utf16), str(cp1252)])
    assert report.problems == []
    texts = [a.text for a in _articles(stages)]
    assert len(texts) == 2 and all("\x00" not in t and "\ufffd" not in t for t in texts)
    assert seed.splitlines()[2].strip()[:60] in texts[0]
    assert other.splitlines()[3].strip()[:60] in texts[1]


def test_ingest_refuses_a_binary_txt_file(stages, tmp_path):
    """Bytes that are not text are refused as a .txt article, as extract and fetch refuse them."""
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 64)
    report = ingest_paths(stages, [str(junk)])
    assert report.stored == []
    assert len(report.problems) == 1
    assert report.problems[0].endswith("(the content is not a text document)")


def test_ingest_jsonl_that_is_not_utf8_is_a_problem(stages, tmp_path):
    """A .jsonl file in another encoding is reported; the next input is still stored."""
    latin = tmp_path / "latin1.jsonl"
    raw = b'{"url": "https://a.example/1", "text": "caf\xe9"}\n'
    latin.write_bytes(raw)
    report = ingest_paths(stages, [str(latin), str(SAMPLES / "000_3fdab41272102c79.txt")])
    assert len(report.stored) == 1
    where = raw.index(b"\xe9")
    assert report.problems == [
        f"{latin}: is not UTF-8 text (byte {where} cannot be read); save it as UTF-8."
    ]


def test_ingest_jsonl_with_a_byte_order_mark(stages, tmp_path):
    """A .jsonl file saved with a UTF-8 byte-order mark is read like one without."""
    text = (SAMPLES / "000_3fdab41272102c79.txt").read_text().split("\n", 1)[1]
    path = tmp_path / "bom.jsonl"
    path.write_text(json.dumps({"url": "https://a.example/1", "text": text}), encoding="utf-8-sig")
    report = ingest_paths(stages, [str(path)])
    assert (len(report.stored), report.problems) == (1, [])


def test_ingest_empty_jsonl_is_a_problem(stages, tmp_path):
    """An empty .jsonl file is reported rather than passed over in silence."""
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    report = ingest_paths(stages, [str(empty)])
    assert report.problems == [f"{empty}: holds no lines; give one JSON object per line."]


def test_ingest_jsonl_url_longer_than_the_store_keeps(stages, tmp_path):
    """A .jsonl line whose url is longer than 2048 characters is refused, naming the line."""
    text = (SAMPLES / "000_3fdab41272102c79.txt").read_text().split("\n", 1)[1]
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"url": "https://a.example/" + "a" * 2100, "text": text}) + "\n")
    report = ingest_paths(stages, [str(path)])
    assert report.stored == []
    assert report.problems == [f'{path}: line 1 has a "url" longer than 2048 characters.']
