"""Reference point for event clustering: plain online TF-IDF centroid clustering.

    python -m bench.events_plain_baseline DATA.jsonl GOLD.json [--thresholds 0.2,0.25]

No window, no English prior, no title or name weighting, no candidate retrieval: each
article (title + text, lower-cased ``\\w\\w+`` tokens minus stop words, ``1 + ln tf``,
smoothed IDF over the articles seen so far, L2-normalised) joins the most similar centroid
(the sum of its members) at the threshold or starts a new one. It shows what the worker's
extra pieces add over the textbook method on the same data and scorer.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from bench.events_eval import scores

_TOKEN = re.compile(r"\b\w\w+\b")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    text = resources.files("corpus").joinpath("data/stopwords_en.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and w[0] != "#")


def _document(record: dict[str, Any]) -> str:
    title, text = record.get("title") or "", record.get("text") or ""
    return title if not text.strip() or text.strip() == title.strip() else f"{title}\n{text}"


def cluster(records: list[dict[str, Any]], threshold: float) -> dict[str, int]:
    """Cluster the records in order; return ``{id: cluster number}``."""
    stop = _stop_words()
    frequencies: Counter[str] = Counter()
    centroids: list[dict[str, float]] = []
    out: dict[str, int] = {}
    for seen, record in enumerate(records, start=1):
        counts = Counter(t for t in _TOKEN.findall(_document(record).lower()) if t not in stop)
        frequencies.update(counts.keys())
        vector = {
            t: (1 + math.log(n)) * (math.log((1 + seen) / (1 + frequencies[t])) + 1)
            for t, n in counts.items()
        }
        norm = math.sqrt(sum(x * x for x in vector.values())) or 1.0
        vector = {t: x / norm for t, x in vector.items()}
        best, best_score = -1, -1.0
        for index, centroid in enumerate(centroids):
            length = math.sqrt(sum(x * x for x in centroid.values())) or 1.0
            score = sum(x * centroid.get(t, 0.0) for t, x in vector.items()) / length
            if score > best_score:
                best, best_score = index, score
        if best >= 0 and best_score >= threshold:
            for t, x in vector.items():
                centroids[best][t] = centroids[best].get(t, 0.0) + x
        else:
            centroids.append(dict(vector))
            best = len(centroids) - 1
        out[str(record["id"])] = best
    return out


def main(argv: list[str] | None = None) -> int:
    """Print pairwise and B-cubed scores of the plain baseline at each threshold."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--thresholds", default="0.19,0.22,0.25")
    args = parser.parse_args(argv)
    records = [json.loads(line) for line in args.data.read_text("utf-8").splitlines() if line]
    gold = json.loads(args.gold.read_text("utf-8"))
    for threshold in (float(x) for x in args.thresholds.split(",")):
        result = scores(gold, cluster(records, threshold))
        print(
            f"{args.data.name} plain threshold={threshold}: "
            "pairwise P/R/F1 {pair_p:.3f} {pair_r:.3f} {pair_f1:.3f}   "
            "B-cubed P/R/F1 {b3_p:.3f} {b3_r:.3f} {b3_f1:.3f}".format(**result)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
