"""Throwaway databases for tests and drills: migrated SQLite files and PostgreSQL databases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from corpus.db import make_engine, migrate
from corpus.tables import Base


def unreachable(url: str) -> str | None:
    """Why the database at ``url`` does not answer ``select 1`` (its error, one line), or None."""
    try:
        engine = make_engine(url)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # any failure: the caller skips the database and says why
        return f"{exc.__class__.__name__}: {str(exc).splitlines()[0]}"
    return None


def migrated(url: str) -> str:
    """Bring the database at ``url`` to the latest schema; return ``url``."""
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    return url


def migrated_sqlite(path: Path) -> str:
    """The URL of a migrated SQLite database in the file ``path``."""
    return migrated(f"sqlite:///{path}")


@contextmanager
def postgres_database(admin_url: str, prefix: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database beside ``admin_url``'s, dropped afterwards."""
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"newsbrief_{prefix}_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield migrated(admin.url.set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def emptied(url: str) -> str:
    """Empty every table of the PostgreSQL database at ``url``, ids restarted; return ``url``."""
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url
