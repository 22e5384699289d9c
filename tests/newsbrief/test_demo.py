"""``newsbrief demo`` runs offline on the embedded default and prints the bot's /brief reply."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _run_demo(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    env["NEWSBRIEF_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "newsbrief.cli", "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_demo_ingests_the_samples_and_prints_the_brief(tmp_path: Path) -> None:
    """The demo stores all five samples in SQLite and renders the brief with figures."""
    result = _run_demo(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "5 stored" in result.stdout
    assert (tmp_path / "newsbrief.sqlite3").exists()
    assert "> /brief russia-china" in result.stdout
    assert "Key figures" in result.stdout
    assert "$172.41 billion" in result.stdout
    assert "Traceback" not in result.stderr


def test_demo_twice_stores_nothing_new(tmp_path: Path) -> None:
    """A second run finds every sample already in the corpus."""
    assert _run_demo(tmp_path).returncode == 0
    second = _run_demo(tmp_path)
    assert second.returncode == 0, second.stderr
    assert "0 stored" in second.stdout
    assert "5 already in the corpus" in second.stdout
