"""Light commands stay light: they never import the heavy libraries other commands need.

Each check runs the command in a fresh interpreter and lists what it imported; no time is
measured (``bench/cli_startup.py`` does that).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Libraries only the commands that fetch, extract, analyse, queue or talk to Discord need.
HEAVY = (
    "alembic",
    "celery",
    "datasketch",
    "discord",
    "feedparser",
    "httpx",
    "nltk",
    "numpy",
    "pysbd",
    "scipy",
    "sumy",
    "trafilatura",
)
# Not even the database layer or the settings are needed to print help.
HEAVY_FOR_HELP = (*HEAVY, "sqlalchemy", "pydantic", "pydantic_settings", "yaml")

_RUN = """
import contextlib, io, json, sys
from newsbrief.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def _imported(tmp_path: Path, *argv: str) -> tuple[int, str, set[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    env.update(NEWSBRIEF_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", _RUN, *argv],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=env,
    )
    result = json.loads(done.stdout.splitlines()[-1])
    roots = {name.split(".")[0] for name in result["modules"]}
    return result["code"], result["out"], roots


def test_help_imports_no_library_beyond_the_standard_one(tmp_path):
    """``newsbrief --help`` loads neither heavy libraries, nor the database layer, nor settings."""
    code, out, roots = _imported(tmp_path, "--help")
    assert code == 0
    assert "sources" in out
    assert roots.isdisjoint(HEAVY_FOR_HELP), sorted(roots & set(HEAVY_FOR_HELP))


@pytest.mark.parametrize(
    "argv", [("sources", "list"), ("topics", "list")], ids=lambda a: " ".join(a)
)
def test_database_listings_load_no_heavy_library(tmp_path, argv):
    """Listing sources or topics needs the database, but no fetching, analysis or Discord.

    Alembic is loaded only for the first run, which creates the schema; the second finds
    it up to date.
    """
    _imported(tmp_path, *argv)
    code, _, roots = _imported(tmp_path, *argv)
    assert code == 0
    assert roots.isdisjoint(HEAVY), sorted(roots & set(HEAVY))


def test_sources_list_on_sqlite_needs_neither_the_orm_nor_the_settings(tmp_path):
    """Once the schema is up to date, ``sources list`` reads SQLite with the standard library."""
    _imported(tmp_path, "sources", "add", "https://news.invalid/feed.xml")
    code, out, roots = _imported(tmp_path, "sources", "list")
    assert code == 0
    assert "https://news.invalid/feed.xml" in out
    heavy = set(HEAVY_FOR_HELP) - {"yaml"}
    assert roots.isdisjoint(heavy), sorted(roots & heavy)


def test_topics_list_on_sqlite_needs_neither_the_orm_nor_the_settings(tmp_path):
    """Once the schema is up to date, ``topics list`` reads SQLite with the standard library."""
    _imported(
        tmp_path,
        "topics",
        "add",
        "india-china",
        "--name",
        "India–China",
        "--side",
        "India",
        "--side",
        "China",
    )
    code, out, roots = _imported(tmp_path, "topics", "list")
    assert code == 0
    assert "india-china  India–China  (added)" in out
    heavy = set(HEAVY_FOR_HELP) - {"yaml"}
    assert roots.isdisjoint(heavy), sorted(roots & heavy)


def test_the_console_loads_discord_but_not_the_worker_libraries(tmp_path):
    """The console drives the bot's cogs, so it needs discord.py, but nothing of the worker's."""
    _imported(tmp_path, "topics", "list")  # create the schema
    code, out, roots = _imported(tmp_path, "console", "-c", "/brief russia-china")
    assert code == 0
    assert "Russia–China relations" in out
    assert "discord" in roots
    heavy = set(HEAVY) - {"discord"}
    assert roots.isdisjoint(heavy), sorted(roots & heavy)


def test_console_topics_list_on_sqlite_needs_neither_discord_nor_the_orm(tmp_path):
    """Once the schema is up to date, the console lists topics without the bot or the ORM."""
    _imported(tmp_path, "topics", "list")  # create the schema
    code, out, roots = _imported(tmp_path, "console", "-c", "/topics list")
    assert code == 0
    assert "russia-china" in out
    heavy = set(HEAVY_FOR_HELP) - {"yaml"}
    assert roots.isdisjoint(heavy), sorted(roots & heavy)
