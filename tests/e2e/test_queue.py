"""End to end on real parts: redis-server, Celery worker processes, the local site, SQLite."""

from __future__ import annotations

import itertools
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import redis
from sqlalchemy import select

from corpus.db import make_engine, make_session_factory, transaction
from corpus.jobs import ANALYSE_ARTICLE, FETCH_ARTICLE, POLL_SOURCE, SCHEDULE_DUE_POLLS
from corpus.settings import Settings
from corpus.sources import add_source
from corpus.tables import Article, ArticleStatus, Source, StaleEventBrief
from testing.local_site import FeedItem, Paths
from testing.redis_server import queues_drained
from testing.waiting import wait_for
from worker.celery_app import make_celery

# No Crawl-delay on the site: keep the tests quick.
pytestmark = [pytest.mark.slow, pytest.mark.site(crawl_delay=None)]

BOILERPLATE = ("Leave a Reply", "Submit a Comment", "Post Comment", "Subscribe to our newsletter")


@pytest.fixture
def sessions(e2e_database_url):
    engine = make_engine(e2e_database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def client_app(redis_url, e2e_database_url, tmp_path):
    """A Celery app in the test process, used only to send tasks by name."""
    settings = Settings(
        _env_file=None, redis_url=redis_url, database_url=e2e_database_url, data_dir=tmp_path
    )
    app = make_celery(settings)
    yield app
    app.close()


def _add(sessions, url: str) -> int:
    with transaction(sessions) as s:
        return add_source(s, url).id


def _rows(sessions) -> list[tuple]:
    with transaction(sessions) as s:
        return [
            (a.id, a.canonical_url, a.status, a.text_hash, a.story_id, a.duplicate_of, a.text)
            for a in s.execute(select(Article).order_by(Article.id)).scalars()
        ]


def _source(sessions, source_id: int) -> Source:
    with transaction(sessions) as s:
        return s.get(Source, source_id)


def _ready(sessions, count: int):
    rows = _rows(sessions)
    settled = [r for r in rows if r[2] in (ArticleStatus.READY, ArticleStatus.DUPLICATE)]
    return rows if len(rows) == count and len(settled) == count else None


def _stale_events(sessions) -> list[int]:
    with transaction(sessions) as s:
        return list(s.execute(select(StaleEventBrief.event_id)).scalars())


def _article_fetches(site) -> list[str]:
    return sorted(r.path for r in site.requests if r.path.startswith("/news/"))


@pytest.mark.parametrize(
    "e2e_database_url",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_feed_source_end_to_end(test_site, sessions, client_app, start_worker, redis_url):
    """Poll → fetch → store each article once, cleaned; re-polls and a second feed add nothing."""
    start_worker("--pool", "prefork", "--concurrency", "2")
    rss = _add(sessions, test_site.url(Paths.RSS))
    client_app.send_task(POLL_SOURCE.name, args=(rss,))
    rows = wait_for(lambda: _ready(sessions, 5), 90, "five articles to be ready")
    # The joins' stories are composed a moment later by the queued composition (no beat here).
    wait_for(lambda: not _stale_events(sessions), 30, "the joined events to be composed")
    assert {r[1] for r in rows} == {test_site.url(a.path) for a in test_site.articles}
    assert all(r[6] and not any(b in r[6] for b in BOILERPLATE) for r in rows)
    assert _article_fetches(test_site) == sorted(a.path for a in test_site.articles)
    assert "found 5 items, 5 new" in _source(sessions, rss).last_poll_summary

    # Polling again: a conditional GET answered 304, nothing queued, nothing fetched.
    client_app.send_task(POLL_SOURCE.name, args=(rss,))
    wait_for(
        lambda: "not modified" in (_source(sessions, rss).last_poll_summary or ""),
        60,
        "the second poll",
    )
    wait_for(lambda: queues_drained(redis_url), 30, "the queues to drain")
    assert test_site.requests_for(Paths.RSS)[-1].status == 304
    assert _article_fetches(test_site) == sorted(a.path for a in test_site.articles)

    # A second feed carrying the same articles adds no duplicates.
    atom = _add(sessions, test_site.url(Paths.ATOM))
    client_app.send_task(POLL_SOURCE.name, args=(atom,))
    wait_for(lambda: _source(sessions, atom).last_poll_summary, 60, "the Atom poll")
    wait_for(lambda: queues_drained(redis_url), 30, "the queues to drain")
    assert _source(sessions, atom).last_poll_summary == "found 5 items, 0 new"
    assert _rows(sessions) == rows


def test_tasks_delivered_twice_change_nothing(
    test_site, sessions, client_app, start_worker, redis_url
):
    """Every task sent again (poll, fetch, analyse) leaves the rows and the site log unchanged."""
    start_worker("--pool", "threads", "--concurrency", "2")
    source_id = _add(sessions, test_site.url(Paths.ATOM))
    client_app.send_task(POLL_SOURCE.name, args=(source_id,))
    before = wait_for(lambda: _ready(sessions, 5), 90, "five articles to be ready")
    wait_for(lambda: queues_drained(redis_url), 30, "the queues to drain")
    fetched = _article_fetches(test_site)
    for article_id, *_ in before:
        for _ in range(2):
            client_app.send_task(FETCH_ARTICLE.name, args=(article_id,))
            client_app.send_task(ANALYSE_ARTICLE.name, args=(article_id,))
    client_app.send_task(POLL_SOURCE.name, args=(source_id,))
    wait_for(lambda: queues_drained(redis_url), 60, "the repeated tasks to finish")
    assert _rows(sessions) == before
    assert _article_fetches(test_site) == fetched


def test_schedule_due_polls_queues_each_due_source_once(
    test_site, sessions, client_app, start_worker, redis_url
):
    """The beat task polls due sources; a second tick at once (another beat) queues nothing."""
    start_worker("--pool", "solo")
    source_id = _add(sessions, test_site.url(Paths.RSS))
    client_app.send_task(SCHEDULE_DUE_POLLS.name)
    client_app.send_task(SCHEDULE_DUE_POLLS.name)
    wait_for(lambda: _ready(sessions, 5), 90, "five articles to be ready")
    wait_for(lambda: queues_drained(redis_url), 30, "the queues to drain")
    assert len(test_site.requests_for(Paths.RSS)) == 1
    assert _source(sessions, source_id).last_success_at is not None


class _HeldPage:
    """An article page on its own server that answers only once released (a fetch in flight)."""

    def __init__(self, body: str) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.hits = 0
        held = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if self.path == "/robots.txt":
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                held.hits += 1
                held.arrived.set()
                held.release.wait(60)
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/news/held-story"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def test_worker_killed_mid_fetch_stores_every_article_once(
    test_site, sessions, client_app, start_worker, redis_url
):
    """SIGKILL during a fetch: after a restart every article is stored exactly once."""
    extra = test_site.add_article(
        "Held story on Arctic shipping",
        [
            "Russian and Chinese shipping firms agreed on Monday to run twelve more voyages "
            "along the Northern Sea Route next summer, officials in Moscow said.",
            "The deal covers container ships and tankers and doubles last year's traffic, "
            "according to the port authority in Murmansk, which published the figures.",
            "Analysts said the route still depends on icebreaker escorts that only Russia can "
            "provide, which limits how fast the traffic can grow in the coming years.",
            "Beijing described the agreement as commercial and said it was open to other "
            "partners, while European insurers remained cautious about the Arctic passage.",
        ],
        path="/news/held-story-original",
    )
    held = _HeldPage(test_site.render_article(extra).replace(test_site.url(extra.path), "HELD"))
    try:
        items = [FeedItem("held", held.url), *test_site.article_items()[1:]]
        test_site.set_feed("/with-held.xml", items)
        env = {"NEWSBRIEF_CELERY_VISIBILITY_TIMEOUT": "12"}
        first = start_worker("--pool", "solo", env=env)
        source_id = _add(sessions, test_site.url("/with-held.xml"))
        client_app.send_task(POLL_SOURCE.name, args=(source_id,))
        assert held.arrived.wait(60), "the worker never fetched the held page"
        first.kill()
        held.release.set()
        start_worker("--pool", "solo", env=env)
        rows = wait_for(lambda: _ready(sessions, len(items)), 120, "every article to settle")
    finally:
        held.close()
    urls = [r[1] for r in rows]
    assert len(urls) == len(set(urls)) == len(items)
    assert held.hits >= 2  # fetched again after the crash
    assert all(r[2] == ArticleStatus.READY for r in rows)
    stored = [r for r in rows if r[2] == ArticleStatus.READY]
    assert len({r[3] for r in stored}) == len(stored)  # no text stored twice


def test_transient_failures_retry_then_give_up_permanent_ones_do_not(
    test_site, sessions, client_app, start_worker, redis_url
):
    """A 503 is retried max_retries times with backoff, then recorded; a 410 is tried once."""
    good = test_site.articles[0]
    test_site.set_feed(
        "/trouble.xml",
        [
            FeedItem("down", Paths.UNAVAILABLE),
            FeedItem("gone", Paths.GONE),
            FeedItem("ok", good.path),
        ],
    )
    start_worker("--pool", "solo", env={"NEWSBRIEF_CELERY_VISIBILITY_TIMEOUT": "12"})
    source_id = _add(sessions, test_site.url("/trouble.xml"))
    client_app.send_task(POLL_SOURCE.name, args=(source_id,))

    def settled():
        rows = _rows(sessions)
        done = [r for r in rows if r[2] in (ArticleStatus.READY, ArticleStatus.FAILED)]
        return rows if len(rows) == 3 and len(done) == 3 else None

    rows = wait_for(settled, 120, "all three articles to settle")
    by_url = {r[1]: r for r in rows}
    assert by_url[test_site.url(good.path)][2] == ArticleStatus.READY
    assert by_url[test_site.url(Paths.GONE)][2] == ArticleStatus.FAILED
    assert len(test_site.requests_for(Paths.GONE)) == 1
    assert by_url[test_site.url(Paths.UNAVAILABLE)][2] == ArticleStatus.FAILED
    assert len(test_site.requests_for(Paths.UNAVAILABLE)) == 7  # first try + max_retries
    with transaction(sessions) as s:
        down = s.execute(
            select(Article).where(Article.canonical_url == test_site.url(Paths.UNAVAILABLE))
        ).scalar_one()
        gone = s.execute(
            select(Article).where(Article.canonical_url == test_site.url(Paths.GONE))
        ).scalar_one()
    assert down.error.startswith("Gave up after 7 attempts") and "503" in down.error
    assert "410" in gone.error
    # Backoff, not a tight loop: retries wait at least half the (capped) backoff window.
    starts = [r.started for r in test_site.requests_for(Paths.UNAVAILABLE)]
    assert min(later - earlier for earlier, later in itertools.pairwise(starts)) >= 1.0


def test_beat_polls_due_sources_when_it_starts(
    test_site, sessions, start_worker, tmp_path, redis_url
):
    """`newsbrief beat` queues due polls at start; the worker then stores the articles."""
    _add(sessions, test_site.url(Paths.RSS))
    worker = start_worker("--pool", "solo")
    log = tmp_path / "beat.log"
    with log.open("ab") as out:
        beat = subprocess.Popen(
            [sys.executable, "-m", "newsbrief.cli", "beat"],
            env=worker.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            # Well under beat's 60 s period: the poll comes from the tick at start.
            wait_for(lambda: _ready(sessions, 5), 45, "beat's first tick to poll the source")
        finally:
            beat.terminate()
            beat.wait(20)
    assert "beat: Starting" in log.read_text()
    assert (tmp_path / "celerybeat-schedule").exists() or list(
        tmp_path.glob("celerybeat-schedule*")
    )


def test_a_follow_up_that_cannot_be_queued_hands_the_message_back(
    test_site, sessions, client_app, start_worker, redis_url
):
    """Queueing the analysis fails after the article was stored: the fetch is redelivered
    until the analysis can be queued, rather than acknowledged as failed and forgotten."""
    client = redis.Redis.from_url(redis_url)
    # A string where the analyse queue's list should be: every publish to it fails, as
    # publishes can fail while Redis restarts (with errors kombu's own retry does not catch).
    client.set("analyse", "blocked")
    good = test_site.articles[0]
    test_site.set_feed("/one.xml", [FeedItem("one", good.path)])
    start_worker("--pool", "solo", "--queues", "fetch,schedule")
    source_id = _add(sessions, test_site.url("/one.xml"))
    client_app.send_task(POLL_SOURCE.name, args=(source_id,))
    stored = wait_for(
        lambda: [r for r in _rows(sessions) if r[2] == ArticleStatus.STORED],
        60,
        "the article to be stored",
    )
    client.delete("analyse")
    wait_for(lambda: client.llen("analyse") >= 1, 60, "the analysis to be queued")
    start_worker("--pool", "solo", "--queues", "analyse")
    rows = wait_for(lambda: _ready(sessions, 1), 60, "the article to be analysed")
    assert rows[0][0] == stored[0][0]
    client.close()
