"""Quality gate for quotable key figures: value, measure phrase, period and status against gold.

Gold lives in ``tests/gold/key_figures/``: wire-style articles on Russia–China trade, energy,
payments, defence and diplomacy, each figure annotated by reading before the extractor ran
on them, with

- ``value``, ``unit``, ``kind``: as in ``tests/gold/figures``;
- ``measure``: the phrase an analyst would write, and ``accept``: the keys a measure phrase
  must carry to be *judged right*. A key is words separated by spaces, every one of which
  must appear in the predicted measure; a word may list alternatives with ``|``
  ("trade growth|increase|rise" needs "trade" and one of the others). Words are compared
  lowercased with a final "s" dropped. A phrase longer than 12 words is never right: a
  measure has to be short enough to quote;
- ``period``: what the figure is for ("2024", "Jan–Jul 2025", "H1 2024", "as of Oct",
  "by 2030", "" when none is stated), with ``period_accept`` for other spellings of the
  same period; a period is right when it equals one of them after case, dash and month-name
  normalisation;
- ``status``: actual | forecast | target | plan.

A predicted figure matches a gold one when their spans overlap, or failing that when
value, unit and kind agree; each is used once. First run (before any change made for this
gold; the period then read from the measure's trailing ", …" qualifier, the status taken as
"actual" since the extractor had none) and the floors are recorded below and in the README.
Run with ``-s`` to see the table.
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

ROOT = Path(__file__).resolve().parents[3]
GOLD_DIR = ROOT / "tests" / "gold" / "key_figures"

# First run on the 7 articles (108 figures), before any change made for them: P 0.991,
# R 0.991, values 0.991, measure right 0.664, period right 0.561, status right 0.794 (all
# "actual", as there was no status). After the measure, period and status work: P 0.991,
# R 0.991, values 1.000, measure, period and status 1.000 — on the gold the work was checked
# against, so the first-run figures of the held-out files are the honest estimate.
# Held out (``heldout_*``, 3 articles, 40 figures, written and committed after that work):
# first run P 0.976, R 1.000, values 1.000, measure right 0.800, period right 0.900, status
# right 0.900; after fixing what they showed, measure 0.975, period 1.000, status 0.950.
# Second held-out batch (``heldout2_*``, 2 articles, 20 figures, written after the fixes for
# the first): first run P 1.000, R 1.000, measure right 0.950, period right 0.900, status
# right 1.000 (values 0.950 as scored, a gold value written in metres for "2.2 km", since
# corrected; measure 1.000 as scored with a key that let "share of them" pass, since
# tightened). After fixing what it showed, all 12 files (168 figures): P 0.988, R 1.000,
# values 1.000, measure 0.994, period 1.000, status 0.988.
# Third held-out batch (``heldout3_*``, 3 articles, 27 figures, written for the label work and
# committed before it): first run P 1.000, R 0.963 ("1,500 Chinese servicemen" missed),
# values 1.000, measure right 0.885, period right 0.808, status right 0.769. After the label
# work: measure 0.923, period and status unchanged; all 15 files (195 figures): P 0.990,
# R 0.995, values 1.000, measure 0.985, period 0.974, status 0.959.
FLOORS = {
    "precision": 0.98,
    "recall": 0.98,
    "value_accuracy": 0.99,
    "measure_right": 0.95,
    "period_right": 0.95,
    "status_right": 0.95,
}
MAX_MEASURE_WORDS = 12
_WORDS = re.compile(r"[a-z0-9]+")
_MONTHS = {
    "january": "jan",
    "february": "feb",
    "march": "mar",
    "april": "apr",
    "june": "jun",
    "july": "jul",
    "august": "aug",
    "september": "sep",
    "sept": "sep",
    "october": "oct",
    "november": "nov",
    "december": "dec",
}


@dataclass(frozen=True)
class GoldFigure:
    text: str
    value: float
    unit: str
    kind: str
    measure: str
    accept: tuple[str, ...]
    periods: tuple[str, ...]
    status: str
    start: int
    end: int


@dataclass(frozen=True)
class GoldDoc:
    name: str
    text: str
    figures: tuple[GoldFigure, ...]


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    value_ok: int = 0
    measure_ok: int = 0
    period_ok: int = 0
    status_ok: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def rates(self) -> dict[str, float]:
        m = self.matched or 1
        return {
            "precision": self.matched / self.predicted if self.predicted else 1.0,
            "recall": self.matched / self.gold if self.gold else 1.0,
            "value_accuracy": self.value_ok / m,
            "measure_right": self.measure_ok / m,
            "period_right": self.period_ok / m,
            "status_right": self.status_ok / m,
        }


def gold_names() -> list[str]:
    return sorted(p.stem for p in GOLD_DIR.glob("*.json"))


@cache
def load(name: str) -> GoldDoc:
    data = json.loads((GOLD_DIR / f"{name}.json").read_text(encoding="utf-8"))
    text = data["text"]
    figures = []
    cursor = 0
    for g in data["figures"]:
        at = text.find(g["text"], cursor)
        assert at >= 0, f"{name}: gold figure {g['text']!r} is not in the text"
        cursor = at + len(g["text"])
        figures.append(
            GoldFigure(
                text=g["text"],
                value=g["value"],
                unit=g["unit"],
                kind=g["kind"],
                measure=g["measure"],
                accept=tuple(g["accept"]),
                periods=(g["period"], *g.get("period_accept", ())),
                status=g["status"],
                start=at,
                end=cursor,
            )
        )
    return GoldDoc(name, text, tuple(figures))


def _words(text: str) -> list[str]:
    return [w.rstrip("s") or w for w in _WORDS.findall(text.lower())]


def measure_right(gold: GoldFigure, measure: str) -> bool:
    """Tell whether ``measure`` is short and carries every word of one accepted key."""
    words = _words(measure)
    if not words or len(words) > MAX_MEASURE_WORDS:
        return False
    have = set(words)
    for key in gold.accept:
        needed = [{a.lower().rstrip("s") or a for a in alt.split("|")} for alt in key.split()]
        if all(options & have for options in needed):
            return True
    return False


def normalise_period(period: str) -> str:
    """Lowercase, one dash, short month names, no "the": "January–July 2025" → "jan-jul 2025"."""
    text = re.sub(r"\s*[-–—]\s*", "-", period.lower().strip())
    text = re.sub(r"\bthe\s+", "", text)
    text = re.sub(r"[a-z]+", lambda m: _MONTHS.get(m.group(), m.group()), text)
    return " ".join(text.split())


def predicted_period(fig: Figure) -> str:
    """The figure's period; before the field existed, the measure's trailing qualifier."""
    period = getattr(fig, "period", None)
    if period is not None:
        return str(period)
    head, sep, tail = fig.measure.rpartition(", ")
    return tail if sep and head else ""


def period_right(gold: GoldFigure, fig: Figure) -> bool:
    """Tell whether the predicted period is one of the gold spellings of it."""
    return normalise_period(predicted_period(fig)) in {normalise_period(p) for p in gold.periods}


def tally(doc: GoldDoc, predicted: list[Figure]) -> Tally:
    """Score one document."""
    matched = match_figures(doc.figures, predicted)
    return Tally(
        gold=len(doc.figures),
        predicted=len(predicted),
        matched=len(matched),
        value_ok=sum(same_value(g, p) for g, p in matched),
        measure_ok=sum(measure_right(g, p.measure) for g, p in matched),
        period_ok=sum(period_right(g, p) for g, p in matched),
        status_ok=sum(g.status == getattr(p, "status", "actual") for g, p in matched),
    )


@cache
def results() -> dict[str, tuple[Tally, list[tuple[GoldFigure, Figure]]]]:
    out = {}
    for name in gold_names():
        doc = load(name)
        predicted = extract_figures(doc.text)
        out[name] = (tally(doc, predicted), match_figures(doc.figures, predicted))
    return out


def test_gold_has_enough_figures() -> None:
    """The gate scores at least 100 annotated figures."""
    assert sum(len(load(n).figures) for n in gold_names()) >= 100


@pytest.mark.parametrize("name", gold_names())
def test_gold_is_well_formed(name: str) -> None:
    """Every gold figure is in its text and has a measure key, a period entry and a status."""
    doc = load(name)
    for g in doc.figures:
        assert doc.text[g.start : g.end] == g.text
        assert g.kind in {"money", "percent", "quantity", "count", "duration"}
        assert g.accept and all(k.strip() for k in g.accept)
        assert g.status in {"actual", "forecast", "target", "plan"}
        assert measure_right(g, g.measure), f"the gold's own measure fails its keys: {g}"


def test_judging_is_not_lenient() -> None:
    """Labels like "y", "rise", "first" or a long run of words are never judged right."""
    g = load("trade_customs_2024").figures[0]  # growth of China–Russia trade
    assert not measure_right(g, "y")
    assert not measure_right(g, "rise")
    assert not measure_right(g, "trade")  # what changed, but not that it is a change
    assert not measure_right(g, " ".join(["trade growth"] * 7))
    assert measure_right(g, "growth of China–Russia trade")
    assert normalise_period("January–July 2025") == normalise_period("Jan-Jul 2025")


def test_key_figures_gate() -> None:
    """Value recall/precision, measure, period and status stay at or above their floors."""
    total = Tally()
    print()
    print(
        f"{'document':22} {'gold':>4} {'pred':>4} {'match':>5} {'meas':>5} {'per':>5} {'stat':>5}"
    )
    for name, (t, _) in results().items():
        total.add(t)
        print(
            f"{name:22} {t.gold:4d} {t.predicted:4d} {t.matched:5d}"
            f" {t.measure_ok:5d} {t.period_ok:5d} {t.status_ok:5d}"
        )
    reached = total.rates()
    print("  ".join(f"{k}={v:.3f}" for k, v in reached.items()))
    for name, (_, matched) in results().items():
        for g, p in matched:
            flags = (
                ("" if measure_right(g, p.measure) else "M")
                + ("" if period_right(g, p) else "P")
                + ("" if g.status == getattr(p, "status", "actual") else "S")
            )
            if flags:
                print(
                    f"  {flags:3} {name}: {g.text!r} measure={p.measure!r}"
                    f" period={predicted_period(p)!r} status={getattr(p, 'status', '-')!r}"
                    f" | gold {g.measure!r} {g.periods[0]!r} {g.status}"
                )
    for key, floor in FLOORS.items():
        assert reached[key] >= floor, f"{key} {reached[key]:.3f} < floor {floor}"
