"""Resources built once in ``main()`` and handed to the subcommands."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from corpus.db import make_engine, make_session_factory, migrate
from corpus.settings import Settings


class StorageUnavailable(Exception):
    """The configured database cannot be opened; ``reason`` says which setting to fix."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Runtime:
    """Settings plus the database handles every subcommand needs."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]


def open_runtime(settings: Settings) -> Runtime:
    """Create the engine, bring the schema up to date and return the runtime.

    Raises ``StorageUnavailable`` when the database URL, server or data directory is unusable.
    """
    engine: Engine | None = None
    try:
        engine = make_engine(settings.effective_database_url)
        migrate(engine)
    except (ArgumentError, OperationalError, OSError) as exc:
        if engine is not None:
            engine.dispose()
        raise StorageUnavailable(_storage_problem(settings, exc)) from exc
    return Runtime(settings=settings, engine=engine, sessions=make_session_factory(engine))


def _storage_problem(settings: Settings, exc: Exception) -> str:
    if isinstance(exc, ArgumentError):
        # The URL itself is not echoed: it may carry a password.
        return (
            "NEWSBRIEF_DATABASE_URL is not a database URL; use e.g. "
            "postgresql://user:password@host:5432/newsbrief, or unset it to use SQLite."
        )
    if isinstance(exc, OSError):
        return (
            f"The data directory {settings.data_dir} cannot be used ({exc.strerror or exc}); "
            "set NEWSBRIEF_DATA_DIR to a writable folder."
        )
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    if settings.database_url:
        return (
            f"The database could not be opened ({detail}); check NEWSBRIEF_DATABASE_URL "
            "and that the server is running."
        )
    return (
        f"The SQLite database in {settings.data_dir} could not be opened ({detail}); "
        "set NEWSBRIEF_DATA_DIR to a writable folder."
    )
