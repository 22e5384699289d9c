"""Settings: NEWSBRIEF_ variables, the SQLite default in the data directory, no reads at import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_outside_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Neither NEWSBRIEF_ variables nor a .env from outside the test reach Settings."""
    for name in list(os.environ):
        if name.startswith("NEWSBRIEF_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_default_database_is_sqlite_in_the_data_dir(monkeypatch, tmp_path) -> None:
    """With no database configured, the store is an SQLite file in NEWSBRIEF_DATA_DIR."""
    monkeypatch.setenv("NEWSBRIEF_DATA_DIR", str(tmp_path / "data"))
    settings = Settings()
    assert settings.database_url is None
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'data' / 'newsbrief.sqlite3'}"


def test_default_data_dir_is_under_the_user_data_dir(monkeypatch, tmp_path) -> None:
    """Without NEWSBRIEF_DATA_DIR the data lives in the user's data directory."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert Settings().data_dir == tmp_path / "share" / "newsbrief"


def test_database_url_selects_postgresql(monkeypatch) -> None:
    """NEWSBRIEF_DATABASE_URL wins over the SQLite default."""
    url = "postgresql://newsbrief:pw@127.0.0.1:5432/newsbrief"
    monkeypatch.setenv("NEWSBRIEF_DATABASE_URL", url)
    assert Settings().effective_database_url == url


def test_only_prefixed_variables_are_read(monkeypatch) -> None:
    """NEWSBRIEF_ variables (nested with __) are read; the same names unprefixed are not."""
    monkeypatch.setenv("ALLOW_PRIVATE_NETWORKS", "true")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert (Settings().allow_private_networks, Settings().redis_url) == (False, None)
    monkeypatch.setenv("NEWSBRIEF_ALLOW_PRIVATE_NETWORKS", "true")
    monkeypatch.setenv("NEWSBRIEF_REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("NEWSBRIEF_DISCORD_TOKEN", "token-value")
    monkeypatch.setenv("NEWSBRIEF_LLM__MODEL", "small-model")
    settings = Settings()
    assert settings.allow_private_networks is True
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.bot.discord_token is not None
    assert settings.bot.discord_token.get_secret_value() == "token-value"
    assert settings.llm.model == "small-model"


def test_importing_any_module_reads_no_settings(tmp_path) -> None:
    """Every module of the four packages imports while the settings would fail to load."""
    script = (
        "import importlib, pkgutil\n"
        "for package in ('corpus', 'worker', 'bot', 'newsbrief'):\n"
        "    root = importlib.import_module(package)\n"
        "    for info in pkgutil.walk_packages(root.__path__, package + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "print('imported')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    env["NEWSBRIEF_POLL_INTERVAL_SECONDS"] = "not-a-number"  # Settings() would raise
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert (done.returncode, done.stdout.strip()) == (0, "imported"), done.stderr[-2000:]


def test_defaults_keep_the_fetching_bounds() -> None:
    """Out of the box: 30 s deadline, 20 MB cap, ≤3 redirects, 2 in flight 1 s apart, 5 strikes."""
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.worker.fetch_total_timeout == 30.0
    assert settings.worker.fetch_connect_timeout < settings.worker.fetch_total_timeout
    assert settings.worker.fetch_read_timeout < settings.worker.fetch_total_timeout
    assert settings.worker.fetch_max_bytes == 20 * 1024 * 1024
    assert 2 <= settings.worker.fetch_max_redirects <= 3
    assert (settings.worker.host_max_in_flight, settings.worker.host_min_interval) == (2, 1.0)
    assert settings.max_consecutive_failures == 5
    agent = settings.worker.effective_user_agent
    assert "newsbrief" in agent and settings.worker.contact_url in agent


def test_sections_keep_the_flat_variable_names(monkeypatch) -> None:
    """Bot and worker settings sit in sections but are named NEWSBRIEF_X, never NEWSBRIEF_BOT__X."""
    monkeypatch.setenv("NEWSBRIEF_FETCH_TOTAL_TIMEOUT", "7")
    monkeypatch.setenv("NEWSBRIEF_OWNER_IDS", "[1, 2]")
    monkeypatch.setenv("NEWSBRIEF_BOT__DEV_GUILD_ID", "5")
    settings = Settings(_env_file=None, dev_guild_id=3)  # type: ignore[call-arg]
    assert settings.worker.fetch_total_timeout == 7.0
    assert (settings.bot.owner_ids, settings.bot.dev_guild_id) == ([1, 2], 3)
    assert Settings(_env_file=None).bot.dev_guild_id is None  # type: ignore[call-arg]


def test_sections_read_the_env_file(tmp_path) -> None:
    """A section's variable in .env is read like any other."""
    (tmp_path / ".env").write_text(
        "NEWSBRIEF_DISCORD_TOKEN=from-file\nNEWSBRIEF_HOST_MAX_IN_FLIGHT=4\n"
    )
    settings = Settings()
    assert settings.bot.discord_token is not None
    assert settings.bot.discord_token.get_secret_value() == "from-file"
    assert settings.worker.host_max_in_flight == 4
