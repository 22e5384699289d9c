"""Quality gate for event clustering on the labelled development sets, with pinned floors.

The sets live outside the repository (``../shared/eval/events`` beside the checkout, or the
folder in ``EVENTS_EVAL_DIR``); the gate is skipped when they are absent. The floors sit
just under the scores reached when they were pinned; a change may raise them, never lower
them silently. ``python -m bench.events_eval`` prints the same scores.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bench.events_eval import cluster_records, scores
from worker.events import ClusterPolicy

EVAL = Path(
    os.environ.get("EVENTS_EVAL_DIR", Path(__file__).parents[2].parent / "shared/eval/events")
)
# name: (pairwise precision floor, pairwise F1 floor); reached 0.855/0.779 and 0.808/0.696
FLOORS = {"mn_dev": (0.84, 0.77), "uci_dev": (0.80, 0.685)}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_event_clustering_stays_above_the_floors(name: str, sqlite_url: str) -> None:
    """Pairwise precision and F1 on each development set stay at or above their floors."""
    data, gold_file = EVAL / f"{name}.jsonl", EVAL / f"{name}.gold.json"
    if not data.exists() or not gold_file.exists():
        pytest.skip(f"{name} is not at {EVAL}")
    records = [json.loads(line) for line in data.read_text("utf-8").splitlines() if line]
    gold = json.loads(gold_file.read_text("utf-8"))
    pred, _ = cluster_records(records, ClusterPolicy(), sqlite_url)
    result = scores(gold, pred)
    precision, f1 = FLOORS[name]
    assert result["pair_p"] >= precision, result
    assert result["pair_f1"] >= f1, result
