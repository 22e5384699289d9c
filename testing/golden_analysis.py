"""The recorded analysis outputs; ``python -m testing.golden_analysis`` rewrites them.

Every article of the gold sets (the shipped seeds, as text and as served pages, and the
``extra_*`` articles of ``tests/gold/themes`` and ``tests/gold/figures``), plus a few
derived stress texts, is analysed and its summary, theme scores, figures and topics are
written to ``tests/worker/analysis/golden_outputs.json``. ``test_golden_outputs.py`` asserts
the analysis still reproduces them exactly, so a change meant to make analysis faster cannot
change what it says. Regenerate only when a change of output is intended, and review the diff.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

from corpus.shipped import sample_paths
from worker.analysis import analyse
from worker.analysis.sentences import Sentence, split_sentences
from worker.analysis.themes import score_themes
from worker.extract import extract_html, extract_text_document

ROOT = Path(__file__).resolve().parents[1]
GOLDEN_FILE = ROOT / "tests" / "worker" / "analysis" / "golden_outputs.json"
GOLD_DIR = ROOT / "tests" / "gold"


def _seeds() -> dict[str, tuple[str, str]]:
    out = {}
    for path in sample_paths():
        article = extract_text_document(path.read_text(encoding="utf-8"), None)
        out[f"seed/{path.stem}"] = (article.title, article.text)
    return out


def _pages() -> dict[str, tuple[str, str]]:
    # The pages the analysis benchmark and the ingestion tests serve: seeds inside chrome.
    from testing.local_site import LocalSite

    site = LocalSite(oversized_bytes=1, bomb_bytes=1)
    try:
        out = {}
        for article in site.articles:
            extracted = extract_html(site.render_article(article), site.url(article.path))
            out[f"page{article.path}"] = (extracted.title, extracted.text)
        return out
    finally:
        site.close()


def _extras() -> dict[str, tuple[str, str]]:
    out = {}
    for kind in ("themes", "figures"):
        for path in sorted((GOLD_DIR / kind).glob("extra_*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            out[f"{kind}/{path.stem}"] = (data.get("title", ""), data["text"])
    return out


def _stress(seeds: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    texts = [text for _, text in seeds.values()]
    first_title, first = next(iter(seeds.values()))
    return {
        # Past the summariser's candidate limit.
        "stress/all-seeds": ("All seeds", "\n\n".join(texts)),
        # Repeated sentences (identical text must rank alike).
        "stress/repeated": (first_title, first + "\n\n" + first),
        "stress/short": ("Short", "Gas deal signed.\nTalks went on late into the night."),
        "stress/empty": ("Empty", ""),
    }


@cache
def articles() -> dict[str, tuple[str, str]]:
    """Every recorded article, name → (title, text)."""
    seeds = _seeds()
    return {**seeds, **_pages(), **_extras(), **_stress(seeds)}


def _span(sentence: Sentence) -> list[int]:
    return [sentence.start, sentence.end]


def record(title: str, text: str) -> dict[str, Any]:
    """What the analysis says about one article, as plain JSON values."""
    enrichment = analyse(title, text)
    title_lines = [
        Sentence(s.text, s.start, s.end, is_heading=True) for s in split_sentences(title)
    ]
    scores = score_themes(text, title_lines + split_sentences(text))
    return {
        "summary": list(enrichment.summary),
        "themes": [[t.theme, t.score, list(t.evidence)] for t in enrichment.themes],
        "theme_scores": [
            [s.theme, s.raw, [_span(x) for x in s.sentences], list(s.terms), s.tagged]
            for s in scores
        ],
        "figures": [asdict(f) for f in enrichment.figures],
        "topics": list(enrichment.topics),
    }


def main() -> None:
    """Write ``golden_outputs.json``."""
    data = {name: record(title, text) for name, (title, text) in articles().items()}
    GOLDEN_FILE.write_text(
        json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(data)} articles to {GOLDEN_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
