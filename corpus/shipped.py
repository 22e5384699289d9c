"""Where the data shipped with the corpus package lives."""

from __future__ import annotations

from pathlib import Path

SAMPLES_DIR = Path(__file__).parent / "samples"
DATA_DIR = Path(__file__).parent / "data"


def sample_paths() -> list[Path]:
    """Return the shipped sample articles, in a stable order."""
    return sorted(SAMPLES_DIR.glob("*.txt"))
