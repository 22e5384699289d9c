"""Where the corpus is stored, found without loading the settings machinery when it can be.

``corpus.settings.Settings`` validates every ``NEWSBRIEF_`` variable, and importing pydantic to
do so takes longer than a listing command may take to finish. When the environment sets no
such variable but the data directory and the database URL, and there is no ``.env`` file,
there is nothing to validate: both are plain text, and every other setting has its default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_PREFIX = "NEWSBRIEF_"
ENV_FILE = ".env"
_PLAIN = frozenset({"DATA_DIR", "DATABASE_URL"})


def default_data_dir() -> Path:
    """Return the per-user data directory the corpus lives in unless told otherwise."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("newsbrief", appauthor=False))


def database_url_for(database_url: str | None, data_dir: Path) -> str:
    """Return ``database_url``, or an SQLite file in ``data_dir`` when none is set."""
    if database_url:
        return database_url
    return f"sqlite:///{data_dir / 'newsbrief.sqlite3'}"


@dataclass(frozen=True, slots=True)
class Location:
    """The data directory and database URL, the only settings a listing needs."""

    data_dir: Path
    database_url: str | None

    @property
    def effective_database_url(self) -> str:
        """The configured database URL, or an SQLite file in the data directory."""
        return database_url_for(self.database_url, self.data_dir)


def plain_location(
    environ: Mapping[str, str] | None = None, cwd: Path | None = None
) -> Location | None:
    """Return where the corpus is when nothing in the environment needs validating, else None.

    None sends the caller to ``corpus.settings.get_settings()``, which validates everything
    and names what is wrong.
    """
    environ = os.environ if environ is None else environ
    if ((cwd or Path.cwd()) / ENV_FILE).exists():
        return None
    values: dict[str, str] = {}
    for name, value in environ.items():
        # pydantic-settings matches the variables' names case-insensitively.
        upper = name.upper()
        if not upper.startswith(ENV_PREFIX):
            continue
        key = upper.removeprefix(ENV_PREFIX)
        if key not in _PLAIN or not value.strip() or key in values:
            return None
        values[key] = value
    data_dir = values.get("DATA_DIR")
    return Location(
        data_dir=Path(data_dir) if data_dir else default_data_dir(),
        database_url=values.get("DATABASE_URL"),
    )
