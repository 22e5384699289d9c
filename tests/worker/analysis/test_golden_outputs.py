"""The analysis reproduces its recorded outputs exactly (see ``testing.golden_analysis``)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from testing.golden_analysis import GOLDEN_FILE, articles, record


@cache
def _golden() -> dict[str, Any]:
    return json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))


@cache
def _now(name: str) -> dict[str, Any]:
    title, text = articles()[name]
    # Through JSON, so tuples compare as the lists recorded.
    return json.loads(json.dumps(record(title, text), ensure_ascii=False))


NAMES = sorted(_golden())


def test_every_gold_article_is_recorded():
    """The recording covers every article the gold sets hold, and nothing stale."""
    assert sorted(articles()) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_summary_is_unchanged(name):
    """The summary sentences are the recorded ones."""
    assert _now(name)["summary"] == _golden()[name]["summary"]


@pytest.mark.parametrize("name", NAMES)
def test_themes_are_unchanged(name):
    """Tagged themes, every theme's evidence, and the topics are the recorded ones."""
    now, then = _now(name), _golden()[name]
    assert now["themes"] == then["themes"]
    assert now["theme_scores"] == then["theme_scores"]
    assert now["topics"] == then["topics"]


@pytest.mark.parametrize("name", NAMES)
def test_figures_are_unchanged(name):
    """The key figures are the recorded ones."""
    assert _now(name)["figures"] == _golden()[name]["figures"]
