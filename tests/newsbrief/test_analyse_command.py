"""Tests for ``newsbrief analyse FILE``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from newsbrief.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "corpus" / "samples"
SEED = SAMPLES / "003_88e8e07206f58222.txt"
FIGURE_KEYS = {
    "text",
    "value",
    "unit",
    "kind",
    "measure",
    "sentence",
    "start",
    "end",
    "period",
    "status",
}


def test_json_output_has_the_documented_shape(capsys):
    """--json prints title, text, summary, themes and figures with their documented keys."""
    assert main(["analyse", str(SAMPLES / "002_bd16dfde268cb708.txt"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"title", "text", "summary", "themes", "figures"}
    assert data["title"] == "What Drives Sino-Russian Rapprochement?"
    assert "Image credit" not in data["text"]  # the cleaner ran first
    assert 2 <= len(data["summary"]) <= 4
    assert all(s in data["text"] for s in data["summary"])
    assert all(set(t) == {"theme", "score", "evidence"} for t in data["themes"])
    assert "us-rivalry" in {t["theme"] for t in data["themes"]}
    assert data["figures"] and all(set(f) == FIGURE_KEYS for f in data["figures"])
    for f in data["figures"]:
        assert data["text"][f["start"] : f["end"]] == f["text"]


def test_html_file_goes_through_the_extractor(tmp_path, capsys):
    """An .html article is extracted before analysis."""
    body = "".join(
        f"<p>{line}</p>"
        for line in (SAMPLES / "004_78f9c8f826e79d3a.txt")
        .read_text(encoding="utf-8")
        .splitlines()[1:]
        if line.strip()
    )
    page = tmp_path / "article.html"
    page.write_text(
        "<html><head><title>No limits partnership</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>No limits partnership</h1>{body}</article>"
        "<footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>",
        encoding="utf-8",
    )
    assert main(["analyse", str(page), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "All rights reserved" not in data["text"]
    assert "Wang Yi" in data["text"]
    assert "diplomacy" in {t["theme"] for t in data["themes"]}


def test_missing_file_is_a_clear_error(tmp_path, capsys):
    """A path that does not exist exits 2 with a message naming it."""
    missing = tmp_path / "nope.txt"
    assert main(["analyse", str(missing)]) == 2
    assert "no such file" in capsys.readouterr().err


def test_empty_file_is_refused_with_reason(tmp_path, capsys):
    """A file with no article text exits 1 with the extractor's reason, as ``extract`` does."""
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    assert main(["analyse", str(empty)]) == 1
    assert str(empty) in capsys.readouterr().err


def test_binary_file_is_refused_as_not_a_text_document(tmp_path, capsys):
    """A binary file exits 1 saying it is not a text document, as ``extract`` does."""
    junk = tmp_path / "image.txt"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    assert main(["analyse", str(junk)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"newsbrief analyse: {junk}: ") and "not a text document" in err


def test_text_output_runs_as_a_command():
    """The installed entry point prints a readable report."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsbrief.cli",
            "analyse",
            str(SAMPLES / "003_88e8e07206f58222.txt"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Summary:" in done.stdout and "Themes:" in done.stdout
