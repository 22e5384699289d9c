"""Where the corpus is, read without pydantic only when nothing needs validating."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.location import Location, plain_location
from corpus.plain_sqlite import open_at_head, sqlite_file
from corpus.settings import Settings


def test_data_dir_and_database_url_alone_are_read_plainly(tmp_path: Path) -> None:
    """The two plain-text settings give the same database URL as the validated settings."""
    environ = {"NEWSBRIEF_DATA_DIR": str(tmp_path), "PATH": "/bin"}
    location = plain_location(environ, cwd=tmp_path)
    assert location == Location(tmp_path, None)
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert location.effective_database_url == settings.effective_database_url
    url = "postgresql://u@db/x"
    assert plain_location({"newsbrief_database_url": url}, cwd=tmp_path) == Location(
        plain_location({}, cwd=tmp_path).data_dir,  # type: ignore[union-attr]
        url,
    )


@pytest.mark.parametrize(
    "environ",
    [
        {"NEWSBRIEF_POLL_INTERVAL_SECONDS": "often"},
        {"NEWSBRIEF_LLM__TIMEOUT_SECONDS": "soon"},
        {"newsbrief_redis_url": "redis://x"},
        {"NEWSBRIEF_DATA_DIR": ""},
    ],
    ids=["setting", "nested", "lower-case", "empty"],
)
def test_anything_else_is_left_to_the_settings(tmp_path: Path, environ: dict[str, str]) -> None:
    """Any other NEWSBRIEF_ variable, or an empty one, needs validating: None."""
    assert plain_location(environ, cwd=tmp_path) is None


def test_an_env_file_is_left_to_the_settings(tmp_path: Path) -> None:
    """A .env file may set anything, so it is read by the settings."""
    (tmp_path / ".env").write_text("NEWSBRIEF_POLL_INTERVAL_SECONDS=often\n")
    assert plain_location({}, cwd=tmp_path) is None


def test_only_plain_sqlite_urls_name_a_file() -> None:
    """Queries, escapes, memory databases and other databases are SQLAlchemy's to read."""
    assert sqlite_file("sqlite:////data/corpus.sqlite3") == Path("/data/corpus.sqlite3")
    assert sqlite_file("sqlite+pysqlite:///rel.db") == Path("rel.db")
    for url in ("sqlite://", "sqlite:///:memory:", "sqlite:///x.db?mode=ro", "postgresql://h/d"):
        assert sqlite_file(url) is None


def test_a_file_not_at_the_newest_schema_is_not_opened(tmp_path: Path) -> None:
    """An empty or missing file needs migrating, which the full path does."""
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    assert open_at_head(f"sqlite:///{empty}") is None
    assert open_at_head(f"sqlite:///{tmp_path / 'missing.sqlite3'}") is None
    assert not (tmp_path / "missing.sqlite3").exists()
