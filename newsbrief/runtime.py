"""Resources built once in ``main()`` and handed to the subcommands."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from corpus.db import make_engine, make_session_factory, migrate
from corpus.settings import Settings


@dataclass(frozen=True)
class Runtime:
    """Settings plus the database handles every subcommand needs."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]


def open_runtime(settings: Settings) -> Runtime:
    """Create the engine, bring the schema up to date and return the runtime."""
    engine = make_engine(settings.effective_database_url)
    migrate(engine)
    return Runtime(settings=settings, engine=engine, sessions=make_session_factory(engine))
