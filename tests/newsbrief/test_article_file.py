"""``extract`` and ``analyse`` report the same problem with the same message and exit status."""

from __future__ import annotations

import json

import pytest

from newsbrief.cli import main


def _problems(tmp_path):
    missing = tmp_path / "nope.txt"
    folder = tmp_path / "folder"
    folder.mkdir()
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"url": "https://a.example/1", "text": "x"}) + "\n")
    return {
        "missing": (missing, 2),
        "folder": (folder, 2),
        "binary": (binary, 1),
        "empty": (empty, 1),
        "batch": (batch, 2),
    }


@pytest.mark.parametrize("problem", ["missing", "folder", "binary", "empty", "batch"])
def test_extract_and_analyse_agree(tmp_path, capsys, monkeypatch, problem):
    """Same input problem: same message (but the command's name) and same exit code."""
    monkeypatch.setenv("NEWSBRIEF_DATA_DIR", str(tmp_path / "data"))
    path, code = _problems(tmp_path)[problem]
    assert main(["extract", str(path)]) == code
    extract_err = capsys.readouterr().err
    assert main(["analyse", str(path)]) == code
    analyse_err = capsys.readouterr().err
    assert extract_err.startswith("newsbrief extract: ")
    assert analyse_err == extract_err.replace("newsbrief extract: ", "newsbrief analyse: ")
