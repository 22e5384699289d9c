"""The pure similarity functions of event clustering."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from worker.analysis.event_terms import (
    EventCandidate,
    added,
    choose_event,
    recency,
    similarity,
    unit,
)

WEIGHTS = {"trade": 2.0, "record": 1.5, "russia": 0.5, "navy": 3.0, "drill": 2.5}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(x * b.get(t, 0.0) for t, x in a.items())
    return dot / (
        math.sqrt(sum(x * x for x in a.values())) * math.sqrt(sum(x * x for x in b.values()))
    )


def test_unit_vectors_are_weighted_and_of_length_one() -> None:
    """A unit vector is the IDF-weighted vector scaled to length 1; no terms give no vector."""
    vector = unit({"trade": 1.0, "navy": 2.0}, WEIGHTS)
    assert math.isclose(math.hypot(*vector.values()), 1.0)
    assert math.isclose(vector["navy"] / vector["trade"], (2.0 * 3.0) / (1.0 * 2.0))
    assert unit({}, WEIGHTS) == {}


def test_an_article_with_a_body_scores_its_mean_cosine_with_the_members() -> None:
    """With a body, the score is the mean of the cosines with the event's articles."""
    members = [
        unit({"trade": 1.0, "record": 2.0}, WEIGHTS),
        unit({"navy": 1.0, "russia": 1.0}, WEIGHTS),
    ]
    centroid: dict[str, float] = {}
    for member in members:
        centroid = added(centroid, member)
    article = unit({"trade": 1.0, "russia": 1.0}, WEIGHTS)
    expected = sum(_cosine(article, m) for m in members) / len(members)
    event = EventCandidate(1, centroid, len(members))
    assert similarity(article, event, headline=False) == pytest.approx(expected, abs=1e-3)


def test_a_headline_scores_its_cosine_with_the_centroid() -> None:
    """A headline alone is scored by its cosine with the event's centroid."""
    centroid = added(unit({"trade": 1.0}, WEIGHTS), unit({"trade": 1.0, "record": 1.0}, WEIGHTS))
    article = unit({"record": 1.0}, WEIGHTS)
    event = EventCandidate(1, centroid, 2)
    assert similarity(article, event, headline=True) == pytest.approx(_cosine(article, centroid))


def test_an_event_sharing_only_scattered_words_is_not_joined() -> None:
    """An event whose summed words pass the threshold, but whose articles do not, is left."""
    members = [unit({"navy": 1.0}, WEIGHTS), unit({"drill": 1.0}, WEIGHTS)]
    members += [unit({"trade": 1.0, "record": 1.0}, WEIGHTS)] * 4
    centroid: dict[str, float] = {}
    for member in members:
        centroid = added(centroid, member)
    article = unit({"navy": 1.0, "drill": 1.0}, WEIGHTS)
    assert _cosine(article, centroid) > 0.3  # the centroid cosine alone would join it
    event = EventCandidate(1, centroid, len(members))
    choice = choose_event(article, [event], headline=False, threshold=0.3, merge_threshold=2.0)
    assert choice.join is None


def test_recency_falls_with_the_gap_to_the_events_dates() -> None:
    """Inside the event's span recency is 1; a window away, before or after, it is 1/e."""
    first, last = datetime(2026, 10, 19, tzinfo=UTC), datetime(2026, 10, 20, tzinfo=UTC)
    window = timedelta(days=3)
    assert recency(first + timedelta(hours=5), first, last, window) == 1.0
    assert recency(last + window, first, last, window) == pytest.approx(math.exp(-1))
    assert recency(first - window, first, last, window) == pytest.approx(math.exp(-1))
    assert recency(last + timedelta(days=1), first, last, window) > recency(
        last + timedelta(days=2), first, last, window
    )


def test_a_later_event_of_the_same_words_loses_to_a_recent_one() -> None:
    """Of two events equally like the article, the recent one wins; an old one can fall short."""
    article = unit({"trade": 1.0, "record": 1.0}, WEIGHTS)
    old = EventCandidate(1, dict(article), 1, recency=math.exp(-1))
    recent = EventCandidate(2, dict(article), 1)
    assert similarity(article, old, headline=False) == pytest.approx(math.exp(-1))
    choice = choose_event(article, [old, recent], headline=False, threshold=0.5, merge_threshold=2)
    assert (choice.join, choice.merge) == (2, ())
    alone = choose_event(article, [old], headline=False, threshold=0.5, merge_threshold=2.0)
    assert alone.join is None
