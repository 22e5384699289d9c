"""Reading an SQLite corpus with the standard library alone.

``newsbrief sources list``, ``topics list`` and the console's ``-c '/topics list'`` are
answered this way when the database is a plain SQLite file whose schema is already at the
newest migration: importing SQLAlchemy and the ORM would take several times longer than
the listing itself. Anything else (PostgreSQL, a missing
file, a schema to migrate, an error) makes :func:`open_at_head` return None, and the
caller takes the full path through ``corpus.db``.
"""

from __future__ import annotations

import ast
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from corpus.source_rows import Reader

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_SQLITE_PREFIXES = ("sqlite:///", "sqlite+pysqlite:///")
_T = TypeVar("_T")


def _literal(node: ast.expr) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ...  # not a literal


@lru_cache(maxsize=1)
def head_revision() -> str | None:
    """Return the newest shipped migration's revision, read from the files without Alembic.

    ``None`` when that is not plain to see (a file without literal ``revision`` and
    ``down_revision``, or more than one head); :func:`migrate` then asks Alembic.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    files = sorted((MIGRATIONS_DIR / "versions").glob("*.py"))
    for path in files:
        found: dict[str, Any] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value = node.target, node.value
            else:
                continue
            if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
                found[target.id] = _literal(value)
        revision, parent = found.get("revision"), found.get("down_revision", ...)
        if not isinstance(revision, str) or parent is ...:
            return None
        revisions.add(revision)
        if isinstance(parent, str):
            parents.add(parent)
        elif isinstance(parent, tuple | list):
            parents.update(parent)
        elif parent is not None:
            return None
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def sqlite_file(url: str) -> Path | None:
    """Return the file of a plain ``sqlite:///PATH`` URL, or None for any other URL.

    URLs with a query, escapes or an in-memory database are left to SQLAlchemy to read.
    """
    for prefix in _SQLITE_PREFIXES:
        if url.startswith(prefix):
            path = url.removeprefix(prefix)
            if not path or path == ":memory:" or any(c in path for c in "?%#"):
                return None
            return Path(path)
    return None


def open_at_head(url: str) -> sqlite3.Connection | None:
    """Open the SQLite file ``url`` names if its schema is at the newest migration, else None."""
    path = sqlite_file(url)
    head = head_revision()
    if path is None or head is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(path, timeout=30)
    except sqlite3.Error:
        return None
    try:
        stamped = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        stamped = []
    if [row[0] for row in stamped] != [head]:
        connection.close()
        return None
    return connection


def reader(connection: sqlite3.Connection) -> Reader:
    """Return a :data:`corpus.source_rows.Reader` that runs its queries on ``connection``."""

    def read(sql: str, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
        return connection.execute(sql, dict(params)).fetchall()

    return read


def read_at_head(
    url: str,
    read: Callable[[Reader], _T],
    failures: tuple[type[Exception], ...] = (sqlite3.Error,),
) -> _T | None:
    """Run ``read`` on the SQLite file ``url`` names if it is at the newest schema.

    None when the file is not so (see :func:`open_at_head`) or ``read`` raises one of
    ``failures``: the caller then takes the full path, which says what went wrong.
    """
    connection = open_at_head(url)
    if connection is None:
        return None
    try:
        return read(reader(connection))
    except failures:
        return None
    finally:
        connection.close()
