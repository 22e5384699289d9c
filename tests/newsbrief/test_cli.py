"""``newsbrief`` itself: a bad configuration is one line naming the setting, not a traceback."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus.settings import get_settings
from newsbrief.cli import main


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No NEWSBRIEF_ variable or .env from outside the test, and no cached settings."""
    for name in list(os.environ):
        if name.startswith("NEWSBRIEF_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSBRIEF_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0]


def test_invalid_setting_names_its_variable(monkeypatch, capsys) -> None:
    """A value pydantic cannot parse exits 2 naming the NEWSBRIEF_ variable, not echoing it."""
    monkeypatch.setenv("NEWSBRIEF_POLL_INTERVAL_SECONDS", "often")
    assert main(["sources", "list"]) == 2
    line = _one_line_error(capsys)
    assert "NEWSBRIEF_POLL_INTERVAL_SECONDS is invalid" in line
    assert "often" not in line


def test_invalid_nested_setting_names_its_variable(monkeypatch, capsys) -> None:
    """A nested setting is named with the double-underscore form that sets it."""
    monkeypatch.setenv("NEWSBRIEF_LLM__TIMEOUT_SECONDS", "soon")
    assert main(["sources", "list"]) == 2
    assert "NEWSBRIEF_LLM__TIMEOUT_SECONDS is invalid" in _one_line_error(capsys)


def test_unparsable_database_url_is_named_without_echoing_it(monkeypatch, capsys) -> None:
    """A database URL that is not one exits 2 naming NEWSBRIEF_DATABASE_URL, not its value."""
    monkeypatch.setenv("NEWSBRIEF_DATABASE_URL", "secret-garbage")
    assert main(["sources", "list"]) == 2
    line = _one_line_error(capsys)
    assert "NEWSBRIEF_DATABASE_URL is not a database URL" in line
    assert "secret-garbage" not in line


def test_unreachable_database_says_what_to_check(monkeypatch, capsys) -> None:
    """A PostgreSQL server that does not answer exits 2 saying what to check."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("NEWSBRIEF_DATABASE_URL", f"postgresql://u:hunter2@127.0.0.1:{port}/db")
    assert main(["sources", "list"]) == 2
    line = _one_line_error(capsys)
    assert "could not be opened" in line and "check NEWSBRIEF_DATABASE_URL" in line
    assert "hunter2" not in line


def test_data_dir_that_is_a_file_names_the_setting(monkeypatch, capsys, tmp_path) -> None:
    """A data directory that cannot be created exits 2 naming NEWSBRIEF_DATA_DIR."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("NEWSBRIEF_DATA_DIR", str(blocker))
    assert main(["sources", "list"]) == 2
    line = _one_line_error(capsys)
    assert str(blocker) in line and "set NEWSBRIEF_DATA_DIR" in line


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """Output piped into a reader that closed (``| head``) ends quietly, with exit 1."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "NEWSBRIEF_DATA_DIR": str(tmp_path)}
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written
    try:
        done = subprocess.run(
            [sys.executable, "-m", "newsbrief.cli", "commands"],
            stdout=write,
            stderr=subprocess.PIPE,
            env=env,
            cwd=tmp_path,
            check=False,
            timeout=60,
        )
    finally:
        os.close(write)
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr and b"BrokenPipeError" not in done.stderr
