"""Where the data shipped with the corpus package lives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SAMPLES_DIR = Path(__file__).parent / "samples"
DATA_DIR = Path(__file__).parent / "data"


def sample_paths() -> list[Path]:
    """Return the shipped sample articles, in a stable order."""
    return sorted(SAMPLES_DIR.glob("*.txt"))


def load_yaml(text: str) -> Any:
    """Parse YAML safely, with libyaml's C parser when PyYAML was built with it.

    The result is what ``yaml.safe_load`` returns, an order of magnitude sooner: the
    taxonomy is read at start-up by the bot, the console and the worker.
    """
    import yaml  # here, so that knowing where the samples are costs no parser

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
