"""Quality gate for key figures: recall and precision against hand-annotated gold, with floors.

Gold lives in ``tests/gold/figures/``: one JSON per seed article (``source`` plus the 1-based
``boilerplate_lines`` a reader drops) and synthetic news paragraphs (``extra_*.json``, ``text``
inline) covering formats the seeds lack. The ``extra_heldout_*`` files were annotated and
scored before the extractor was changed for them; the other extras were written alongside it.
A predicted figure matches a gold one when their spans overlap, or failing that when value,
unit and kind agree; each is used once.

The floors below are pinned just under the scores reached when they were set. A change that
lowers a score fails here; raise a floor when a change improves it. Run with ``-s`` to see
the score table.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from corpus.pipeline_values import Figure
from testing.figure_gold import match_figures, same_value
from worker.analysis.figures import extract_figures
from worker.clean import clean_text

ROOT = Path(__file__).resolve().parents[3]
GOLD_DIR = ROOT / "tests" / "gold" / "figures"

# name: (precision floor, recall floor)
FLOORS: dict[str, tuple[float, float]] = {
    "000_3fdab41272102c79": (0.99, 0.99),
    "001_51def3a515415125": (0.99, 0.99),
    "002_bd16dfde268cb708": (0.99, 0.99),
    "003_88e8e07206f58222": (0.99, 0.99),
    "004_78f9c8f826e79d3a": (0.99, 0.99),
    "extra_arctic": (0.99, 0.99),
    "extra_energy": (0.99, 0.99),
    "extra_finance": (0.99, 0.99),
    # Held out: written and annotated before the extractor ever saw them. First run scored
    # P 1.000 / R 0.923 (yuan) and P 0.947 / R 0.947 (ties); then "Rmb50bn", "degrees" and
    # the shared noun of "2 Tu-95MS and 2 H-6K bombers" were fixed.
    "extra_heldout_ties": (0.99, 0.99),
    # First run: P 1.000 / R 1.000, values 17/17, measures 11/17 (then measure cues improved).
    "extra_heldout_summit": (0.99, 0.99),
    "extra_heldout_yuan": (0.99, 0.99),
    # Audit texts, annotated by reading before the extractor ran: first run P 1.000 / R 1.000
    # on all three, values 26/26, measures 24/26 (loose overlap).
    "extra_audit_energy": (0.99, 0.99),
    "extra_audit_military": (0.99, 0.99),
    "extra_audit_trade": (0.99, 0.99),
    "extra_military": (0.99, 0.99),
    "extra_trade": (0.99, 0.99),
}
OVERALL_FLOORS = {
    "precision": 0.99,
    "recall": 0.99,
    # matched pairs whose value, unit and kind are all right
    "value_accuracy": 0.99,
    # matched pairs whose measure shares a content word with the gold measure (loose)
    "measure_overlap": 0.94,
}

_STOP = frozenset(
    """the a an and or of in on at to for from with by as is are was were be been has have
    had its their his her this that these those than per over into about more less""".split()
)
_CONTENT = re.compile(r"[A-Za-z][A-Za-z\-]+")


@dataclass(frozen=True)
class GoldFigure:
    text: str
    value: float
    unit: str
    kind: str
    measure: str
    start: int
    end: int


@dataclass(frozen=True)
class GoldDoc:
    name: str
    text: str
    figures: tuple[GoldFigure, ...]


@dataclass(frozen=True)
class Score:
    gold: int
    predicted: int
    matched: int
    value_ok: int
    measure_ok: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0


def _doc_text(data: dict) -> str:
    if "text" in data:
        return data["text"]
    raw = (ROOT / data["source"]).read_text(encoding="utf-8")
    drop: set[int] = set()
    for item in data["boilerplate_lines"]:
        first, last = (item, item) if isinstance(item, int) else item
        drop.update(range(first, last + 1))
    return "\n".join(line for n, line in enumerate(raw.splitlines(), 1) if n not in drop)


def _locate(name: str, text: str, data: dict, *, strict: bool) -> GoldDoc:
    figures = []
    cursor = 0
    for g in data["figures"]:
        at = text.find(g["text"], cursor)
        if at < 0:
            at = text.find(g["text"])
        if at < 0:
            if strict:
                raise AssertionError(f"{name}: gold figure {g['text']!r} is not in the text")
            continue  # dropped by the cleaner: it can only count as missed
        cursor = at + len(g["text"])
        figures.append(
            GoldFigure(g["text"], g["value"], g["unit"], g["kind"], g["measure"], at, cursor)
        )
    return GoldDoc(name, text, tuple(figures))


def _data(name: str) -> dict:
    return json.loads((GOLD_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def load(name: str) -> GoldDoc:
    data = _data(name)
    return _locate(name, _doc_text(data), data, strict=True)


def _content_words(text: str) -> set[str]:
    return {w.lower().rstrip("s") for w in _CONTENT.findall(text) if w.lower() not in _STOP}


def _measures_agree(g: GoldFigure, p: Figure) -> bool:
    return bool(_content_words(g.measure) & _content_words(p.measure))


def score(doc: GoldDoc, predicted: list[Figure]) -> Score:
    """Score one document, predictions matched to gold one-to-one."""
    pairs = match_figures(doc.figures, predicted)
    return Score(
        gold=len(doc.figures),
        predicted=len(predicted),
        matched=len(pairs),
        value_ok=sum(same_value(g, p) for g, p in pairs),
        measure_ok=sum(_measures_agree(g, p) for g, p in pairs),
    )


def gold_names() -> list[str]:
    return sorted(p.stem for p in GOLD_DIR.glob("*.json"))


@cache
def scores() -> dict[str, Score]:
    return {name: score(load(name), extract_figures(load(name).text)) for name in gold_names()}


def _overall() -> Score:
    all_scores = scores().values()
    return Score(*(sum(getattr(s, f) for s in all_scores) for f in Score.__dataclass_fields__))


def test_every_gold_file_has_a_floor() -> None:
    """A new gold file needs its own pinned floor, and a floor needs its gold file."""
    assert set(gold_names()) == set(FLOORS)


@pytest.mark.parametrize("name", gold_names())
def test_gold_is_well_formed(name: str) -> None:
    """Gold figures are found in the text, in order, with a kind, a unit and a measure."""
    doc = load(name)
    assert doc.figures, "a gold file with no figures scores nothing"
    for g in doc.figures:
        assert doc.text[g.start : g.end] == g.text
        assert g.kind in {"money", "percent", "quantity", "count", "duration"}
        assert g.unit and g.measure.strip()
    assert [g.start for g in doc.figures] == sorted(g.start for g in doc.figures)


@pytest.mark.parametrize("name", gold_names())
def test_figure_gate_per_document(name: str) -> None:
    """Precision and recall on each gold document stay at or above their floors."""
    s = scores()[name]
    floor_p, floor_r = FLOORS[name]
    assert s.precision >= floor_p, f"{name}: precision {s.precision:.3f} < floor {floor_p}"
    assert s.recall >= floor_r, f"{name}: recall {s.recall:.3f} < floor {floor_r}"


def test_figure_gate_overall() -> None:
    """Micro-averaged precision, recall, value accuracy and measure overlap stay above floors."""
    total = _overall()
    reached = {
        "precision": total.precision,
        "recall": total.recall,
        "value_accuracy": total.value_ok / total.matched if total.matched else 0.0,
        "measure_overlap": total.measure_ok / total.matched if total.matched else 0.0,
    }
    print()
    print(f"{'document':24} {'gold':>5} {'pred':>5} {'match':>6} {'P':>6} {'R':>6}")
    for name, s in scores().items():
        print(
            f"{name:24} {s.gold:5d} {s.predicted:5d} {s.matched:6d}"
            f" {s.precision:6.3f} {s.recall:6.3f}"
        )
    print(
        f"{'overall':24} {total.gold:5d} {total.predicted:5d} {total.matched:6d}"
        f" {total.precision:6.3f} {total.recall:6.3f}"
    )
    print("  ".join(f"{k}={v:.3f}" for k, v in reached.items()))
    for key, floor in OVERALL_FLOORS.items():
        assert reached[key] >= floor, f"overall {key} {reached[key]:.3f} < floor {floor}"


@pytest.mark.parametrize("name", gold_names())
def test_measures_come_from_the_sentence(name: str) -> None:
    """Every predicted measure is non-empty and shares a content word with its sentence."""
    doc = load(name)
    for f in extract_figures(doc.text):
        assert f.measure.strip(), f
        rest = f.sentence.replace(f.text, " ")
        assert _content_words(f.measure) & _content_words(rest), (f.measure, f.sentence)


SEEDS = [name for name in gold_names() if "source" in _data(name)]


@pytest.mark.parametrize("name", SEEDS)
def test_figure_gate_through_the_cleaner(name: str) -> None:
    """Through the real cleaner the seeds keep their floors: no boilerplate figure, none lost."""
    data = _data(name)
    raw = (ROOT / data["source"]).read_text(encoding="utf-8")
    doc = _locate(name, clean_text(raw), data, strict=False)
    s = score(doc, extract_figures(doc.text))
    s = Score(len(data["figures"]), s.predicted, s.matched, s.value_ok, s.measure_ok)
    floor_p, floor_r = FLOORS[name]
    assert s.precision >= floor_p, f"{name}: precision {s.precision:.3f} < floor {floor_p}"
    assert s.recall >= floor_r, f"{name}: recall {s.recall:.3f} < floor {floor_r}"
