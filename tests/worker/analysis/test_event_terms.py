"""The pure similarity functions of event clustering."""

from __future__ import annotations

import math

import pytest

from worker.analysis.event_terms import EventCandidate, added, choose_event, similarity, unit

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
