"""The golden clean texts of the shipped seeds (``tests/worker/golden/*.clean.txt``).

``python -m testing.golden_texts`` rewrites them. Review the diff by eye before committing:
every boilerplate item gone, every body sentence kept.
"""

from __future__ import annotations

from pathlib import Path

from testing.page_chrome import seed_paths
from worker.extract import extract_text_document

ROOT = Path(__file__).resolve().parents[1]
GOLDEN_DIR = ROOT / "tests" / "worker" / "golden"


def golden_path(seed: Path) -> Path:
    """Where the expected clean text of ``seed`` lives."""
    return GOLDEN_DIR / f"{seed.stem}.clean.txt"


def render(seed: Path) -> str:
    """The clean text of ``seed`` as the pipeline produces it, with a final newline."""
    return extract_text_document(seed.read_text(encoding="utf-8"), None).text + "\n"


def main() -> None:
    """Write one ``<seed>.clean.txt`` per shipped seed."""
    for seed in seed_paths():
        golden_path(seed).write_text(render(seed), encoding="utf-8")
        print(f"wrote {golden_path(seed).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
