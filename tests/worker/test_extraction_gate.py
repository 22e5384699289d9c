"""Quality gate for extraction: word-shingle scores on the vendored fundus pages, with floors.

The pages and their expected bodies are in ``bench/data/extraction/fundus`` (see
``bench.extraction``, which also scores the scrapinghub pages). A change may raise the floors;
lowering them needs a reason in the commit.
"""

from __future__ import annotations

import pytest
import trafilatura

from bench.extraction_data import Page, fundus_pages
from bench.shingles import Counts, match, summary
from worker.errors import PermanentError
from worker.extract import extract_html

FLOOR_F1 = 0.97
FLOOR_PRECISION = 0.96
FLOOR_RECALL = 0.98


@pytest.fixture(scope="module")
def pages() -> list[Page]:
    return list(fundus_pages())


def _ours(page: Page) -> str:
    try:
        return extract_html(page.html, page.url).text
    except PermanentError:
        return ""


def test_scorer_matches_identical_and_disjoint_texts() -> None:
    """Identical texts score 1, disjoint ones 0, an empty prediction costs recall only."""
    text = "Russia and China signed a new energy agreement on Tuesday in Moscow."
    assert match(text, text) == Counts(1.0, 0.0, 0.0)
    assert match(text, "Completely different words about something else entirely here.").tp == 0
    assert summary([match(text, text), match(text, "")]) == pytest.approx((2 / 3, 1.0, 0.5))


def test_extraction_scores_stay_above_the_floors(pages: list[Page]) -> None:
    """Ours stays above the floors, and above bare trafilatura's F1 and recall."""
    ours = summary([match(p.expected, _ours(p)) for p in pages])
    bare = summary(
        [
            match(p.expected, trafilatura.extract(p.html, include_comments=False) or "")
            for p in pages
        ]
    )
    f1, precision, recall = ours
    assert len(pages) >= 50
    assert f1 >= FLOOR_F1, ours
    assert precision >= FLOOR_PRECISION, ours
    assert recall >= FLOOR_RECALL, ours
    assert f1 > bare[0], (ours, bare)
    assert recall >= bare[2], (ours, bare)
