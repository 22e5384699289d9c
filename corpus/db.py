"""Engine, sessions and schema migrations."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, Table, TextClause, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from corpus.plain_sqlite import MIGRATIONS_DIR as MIGRATIONS_DIR
from corpus.plain_sqlite import head_revision as head_revision
from corpus.source_rows import Reader

# Alembic (and the templating it loads) is imported only when a migration must run.
if TYPE_CHECKING:
    from alembic.config import Config


_POOL_SIZE = 10  # above the event loop's default thread pool on small machines
_MAX_OVERFLOW = 20


def _normalise_url(url: str) -> str:
    """Map plain ``postgresql://`` URLs to the psycopg 3 driver we ship."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the bot read while a worker writes; busy_timeout waits out short write locks.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    _sqlite_math(dbapi_connection)


def _sqlite_math(dbapi_connection: Any) -> None:
    """Give the brief's ranking query ``exp`` and ``ln`` where SQLite was built without them."""
    try:
        dbapi_connection.execute("SELECT exp(0), ln(1)").fetchall()
    except sqlite3.OperationalError:
        dbapi_connection.create_function("exp", 1, math.exp, deterministic=True)
        dbapi_connection.create_function("ln", 1, math.log, deterministic=True)


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; for SQLite, create the file's folder first."""
    url = _normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        pool: dict[str, int] = {}
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            # As many kept connections as on PostgreSQL: with fewer than the threads reading at
            # once, every burst opened connections again, each with a cold page cache.
            pool = {"pool_size": _POOL_SIZE, "max_overflow": _MAX_OVERFLOW}
        engine = create_engine(url, connect_args={"timeout": 30}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=_POOL_SIZE, max_overflow=_MAX_OVERFLOW)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory bound to ``engine`` that keeps objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def dialect_insert(session: Session, table: Any) -> Any:
    """Return the dialect's INSERT (ON CONFLICT DO NOTHING works on SQLite and PostgreSQL)."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"Database {name!r} is not supported; use SQLite or PostgreSQL.")


def insert_ignoring(session: Session, table: Table, keys: tuple[str, ...]) -> Any:
    """Return the dialect's INSERT that skips rows clashing on ``keys``, built once per table."""
    return _insert_ignoring(session.get_bind().dialect.name, table, keys)


@cache
def _insert_ignoring(dialect: str, table: Table, keys: tuple[str, ...]) -> Any:
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=list(keys))
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=list(keys))
    raise NotImplementedError(f"Database {dialect!r} is not supported; use SQLite or PostgreSQL.")


def session_reader(session: Session) -> Reader:
    """Return a :data:`corpus.source_rows.Reader` that runs its queries in ``session``."""

    def read(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        session.flush()  # plain SQL does not flush the session's pending changes itself
        return session.execute(_text(sql), dict(params)).all()

    return read


@lru_cache(maxsize=256)
def _text(sql: str) -> TextClause:
    """Return the statement of ``sql``, parsed once (readers run the same few queries)."""
    return text(sql)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Open a session, commit when the block ends, roll back if it raises."""
    with factory() as session, session.begin():
        yield session


def alembic_config(engine: Engine) -> Config:
    """Build an Alembic config that runs the shipped migrations against ``engine``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def _at_head(engine: Engine) -> bool:
    head = head_revision()
    if head is None:
        return False
    # A database that cannot be reached raises here, as Alembic would.
    with engine.connect() as connection:
        try:
            stamped = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        except DBAPIError:
            return False  # no schema yet
    return [row[0] for row in stamped] == [head]


def migrate(engine: Engine) -> None:
    """Bring the schema up to the newest migration (idempotent).

    A database already stamped with the newest revision is left alone without loading
    Alembic, which would cost a command a quarter of a second to start.
    """
    if _at_head(engine):
        return
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
