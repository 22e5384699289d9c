"""Idempotent article writes: discover, store with dedup, enrichment, failure."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from corpus.articles import (
    discover,
    get_article,
    mark_failed,
    mark_ready,
    signature_similarity,
    store_enrichment,
    store_extracted,
)
from corpus.db import transaction
from corpus.pipeline_values import Enrichment, ExtractedArticle, Figure, ThemeTag
from corpus.tables import Article, ArticleStatus, ArticleTopic, LshBand, Story

SIG_A = list(range(100))
SIG_NEAR = list(range(90)) + [1000 + i for i in range(10)]  # 0.9 similar to SIG_A
SIG_FAR = [5000 + i for i in range(100)]


def _article(text: str = "Body text.") -> ExtractedArticle:
    return ExtractedArticle(url="https://a.example/1", title="Title", text=text, site="A")


def _new(sessions, n: int) -> int:
    with transaction(sessions) as s:
        return discover(s, f"https://a.example/{n}", f"https://a.example/{n}?utm=x", None)[0]


def _store(sessions, article_id, text_hash, sig, keys):
    with transaction(sessions) as s:
        return store_extracted(s, article_id, _article(), text_hash, sig, keys, 0.8)


def test_discover_is_idempotent(sessions):
    """Discovering the same canonical URL twice returns the same id, new only the first time."""
    with transaction(sessions) as s:
        first = discover(s, "https://a.example/1", "https://a.example/1?utm=x", None)
        second = discover(s, "https://a.example/1", "https://a.example/1", None)
    assert first[1] is True
    assert second == (first[0], False)


def test_discover_race_does_not_fail(sessions):
    """Concurrent discovery of one URL from several threads yields one row and no error."""

    def run(_: int) -> tuple[int, bool]:
        with transaction(sessions) as s:
            return discover(s, "https://a.example/race", "https://a.example/race", None)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(run, range(8)))
    assert len({article_id for article_id, _ in results}) == 1
    assert sum(1 for _, new in results if new) == 1


def test_identical_text_is_a_duplicate(sessions):
    """An article with the same text hash as a stored one is marked duplicate, text not kept."""
    first, second = _new(sessions, 1), _new(sessions, 2)
    stored = _store(sessions, first, "h1", SIG_A, ["k1", "k2"])
    dup = _store(sessions, second, "h1", SIG_A, ["k1", "k2"])
    assert dup.status == ArticleStatus.DUPLICATE
    assert dup.duplicate_of == first
    assert dup.story_id == stored.story_id
    with transaction(sessions) as s:
        ref = get_article(s, second)
    assert ref is not None
    assert ref.text is None


def test_near_duplicate_joins_story(sessions):
    """A near-duplicate sharing a band with similarity over the threshold joins the same story."""
    first, second = _new(sessions, 1), _new(sessions, 2)
    a = _store(sessions, first, "h1", SIG_A, ["k1", "k2"])
    b = _store(sessions, second, "h2", SIG_NEAR, ["k1", "k3"])
    assert b.status == ArticleStatus.STORED
    assert b.story_id == a.story_id
    assert b.near_duplicate_of == first


def test_shared_band_but_dissimilar_starts_new_story(sessions):
    """Sharing a band key is not enough: a dissimilar signature starts its own story."""
    first, second = _new(sessions, 1), _new(sessions, 2)
    a = _store(sessions, first, "h1", SIG_A, ["k1"])
    b = _store(sessions, second, "h2", SIG_FAR, ["k1"])
    assert b.story_id != a.story_id
    with transaction(sessions) as s:
        assert s.execute(select(func.count()).select_from(Story)).scalar_one() == 2


def test_candidates_sharing_more_bands_are_compared_first(sessions):
    """With more band-sharing articles than the cap, the one sharing most bands is still found."""
    from corpus.articles import MAX_NEAR_DUPLICATE_CANDIDATES

    for n in range(MAX_NEAR_DUPLICATE_CANDIDATES + 5):
        _store(sessions, _new(sessions, 100 + n), f"far{n}", SIG_FAR, ["k1"])
    original = _store(sessions, _new(sessions, 1), "h1", SIG_A, ["k1", "k2", "k3"])
    copy = _store(sessions, _new(sessions, 2), "h2", SIG_NEAR, ["k1", "k2", "k3"])
    assert copy.near_duplicate_of == _id_of(sessions, 1)
    assert copy.story_id == original.story_id


def _id_of(sessions, n: int) -> int:
    with transaction(sessions) as s:
        return discover(s, f"https://a.example/{n}", f"https://a.example/{n}", None)[0]


def test_store_twice_changes_nothing(sessions):
    """Storing an already stored article again changes no row."""
    first = _new(sessions, 1)
    a = _store(sessions, first, "h1", SIG_A, ["k1", "k2"])
    again = _store(sessions, first, "h-other", SIG_FAR, ["k9"])
    assert again == a.__class__(first, ArticleStatus.STORED, a.story_id, None)
    with transaction(sessions) as s:
        bands = s.execute(select(LshBand.band_key).where(LshBand.article_id == first)).scalars()
        assert sorted(bands) == ["k1", "k2"]
        assert s.get(Article, first).text_hash == "h1"


def test_mark_failed_keeps_stored_articles(sessions):
    """A late failure report does not undo a stored article; a pending one gets the reason."""
    stored, pending = _new(sessions, 1), _new(sessions, 2)
    _store(sessions, stored, "h1", SIG_A, ["k1"])
    with transaction(sessions) as s:
        assert mark_failed(s, stored, "gone").status == ArticleStatus.STORED
        failed = mark_failed(s, pending, "The page answered 404 Not Found.")
        again = mark_failed(s, pending, "The page answered 404 Not Found.")
    assert (failed.status, failed.error) == (
        ArticleStatus.FAILED,
        "The page answered 404 Not Found.",
    )
    assert again.attempts == failed.attempts


def test_mark_ready_only_from_stored(sessions):
    """mark_ready moves stored articles to ready and leaves pending ones alone."""
    stored, pending = _new(sessions, 1), _new(sessions, 2)
    _store(sessions, stored, "h1", SIG_A, ["k1"])
    with transaction(sessions) as s:
        assert mark_ready(s, stored).status == ArticleStatus.READY
        assert mark_ready(s, pending).status == ArticleStatus.PENDING


def _enrichment(topics: tuple[str, ...]) -> Enrichment:
    figure = Figure("$5bn", 5e9, "USD", "money", "trade", "Trade hit $5bn.", 10, 14)
    return Enrichment(
        summary=("One.", "Two."),
        themes=(ThemeTag("energy", 0.7, ("gas",)),),
        figures=(figure,),
        topics=topics,
    )


def test_store_enrichment_replaces_topics_and_is_idempotent(sessions):
    """Enrichment stores summary/themes/figures, replaces topics, and a repeat changes nothing."""
    article_id = _new(sessions, 1)
    _store(sessions, article_id, "h1", SIG_A, ["k1"])
    with transaction(sessions) as s:
        store_enrichment(s, article_id, _enrichment(("a", "b")))
    with transaction(sessions) as s:
        store_enrichment(s, article_id, _enrichment(("b", "c")))
    with transaction(sessions) as s:
        first_time = s.get(Article, article_id).analysed_at
    with transaction(sessions) as s:
        store_enrichment(s, article_id, _enrichment(("b", "c")))
    with transaction(sessions) as s:
        row = s.get(Article, article_id)
        topics = s.execute(
            select(ArticleTopic.topic).where(ArticleTopic.article_id == article_id)
        ).scalars()
        assert sorted(topics) == ["b", "c"]
        assert row.status == ArticleStatus.READY
        assert row.summary == ["One.", "Two."]
        assert row.themes == [{"theme": "energy", "score": 0.7, "evidence": ["gas"]}]
        assert row.figures[0]["measure"] == "trade"
        assert row.analysed_at == first_time


def test_signature_similarity():
    """Signature similarity is the share of equal positions."""
    assert signature_similarity(SIG_A, SIG_A) == 1.0
    assert signature_similarity(SIG_A, SIG_NEAR) == 0.9
    assert signature_similarity(SIG_A, []) == 0.0


def test_concurrent_identical_stores_keep_one_text(sessions):
    """Identical texts stored at the same moment by several workers: one stored, rest duplicates."""
    ids = [_new(sessions, n) for n in range(6)]
    barrier = threading.Barrier(len(ids))

    def store(article_id: int) -> str:
        barrier.wait()
        with transaction(sessions) as s:
            return store_extracted(s, article_id, _article(), "same", SIG_A, ["k1"], 0.8).status

    with ThreadPoolExecutor(len(ids)) as pool:
        statuses = sorted(pool.map(store, ids))
    assert statuses == [ArticleStatus.DUPLICATE] * 5 + [ArticleStatus.STORED]


def test_overlong_page_metadata_is_stored_within_its_columns(sessions):
    """A 300-character site name is cut to 256 and a 30-character language tag is dropped."""
    article_id = _new(sessions, 1)
    extracted = ExtractedArticle(
        url="https://a.example/1",
        title="Title",
        text="Body text.",
        site="S" * 300,
        language="en-" + "x" * 27,
    )
    with transaction(sessions) as s:
        store_extracted(s, article_id, extracted, "h1", SIG_A, ["k1"], 0.8)
    with transaction(sessions) as s:
        stored = s.get(Article, article_id)
        assert stored is not None
        assert (stored.site, stored.language, stored.status) == ("S" * 256, None, "stored")
