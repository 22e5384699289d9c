"""The shipped migrations build exactly the schema the models describe."""

from __future__ import annotations

import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from corpus.db import migrate
from corpus.search import include_name, include_object
from corpus.tables import Base


def test_migrations_match_models(engine: Engine) -> None:
    """Autogenerate finds no difference between the migrated database and the models."""
    opts = {"include_name": include_name, "include_object": include_object}
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
    assert diff == []


def test_migrate_is_idempotent(engine: Engine) -> None:
    """Running the migrations on an up-to-date database changes nothing."""
    migrate(engine)
    migrate(engine)


def test_corpus_imports_neither_discord_nor_celery() -> None:
    """The corpus package stays free of the front end and the queue."""
    import subprocess

    code = (
        "import sys, corpus, corpus.tables, corpus.db, corpus.settings, corpus.pipeline_values\n"
        "import pkgutil, importlib\n"
        "for m in pkgutil.walk_packages(corpus.__path__, 'corpus.'):\n"
        "    if 'migrations' not in m.name: importlib.import_module(m.name)\n"
        "bad = [n for n in ('discord', 'celery') if n in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_head_revision_read_from_the_files_is_alembics_head() -> None:
    """The revision read without Alembic is the head Alembic's script directory names."""
    from alembic.script import ScriptDirectory

    from corpus.db import alembic_config, head_revision

    config = alembic_config(None)  # type: ignore[arg-type]
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()


def test_migrate_skips_alembic_when_the_schema_is_at_head(engine: Engine, monkeypatch) -> None:
    """An up-to-date database is recognised without running (or importing) Alembic."""
    import alembic.command

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("alembic ran")

    monkeypatch.setattr(alembic.command, "upgrade", refuse)
    migrate(engine)


def test_migrate_runs_alembic_on_an_empty_database(tmp_path) -> None:
    """A database with no schema is migrated, and then stamped with the head revision."""
    from sqlalchemy import inspect, text

    from corpus.db import head_revision, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    try:
        migrate(engine)
        assert "articles" in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [
                (head_revision(),)
            ]
    finally:
        engine.dispose()


def test_search_vector_migration_matches_the_query_expression() -> None:
    """Migration 0004 spells out the same tsvector expression the search queries."""
    import importlib.util

    from corpus.db import MIGRATIONS_DIR
    from corpus.search import PG_VECTOR

    path = MIGRATIONS_DIR / "versions" / "0004_search_vector.py"
    spec = importlib.util.spec_from_file_location("migration_0004", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.VECTOR == PG_VECTOR


def test_centroids_stored_before_their_form_was_recorded_read_as_the_old_form(
    engine: Engine,
) -> None:
    """Migration 0006 keeps every event and marks its stored centroid as form 0."""
    from alembic import command
    from sqlalchemy import text

    from corpus.db import alembic_config
    from corpus.tables import CENTROID_FORM

    command.downgrade(alembic_config(engine), "0005")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO events (first_at, last_at, article_count, centroid, created_at,"
                " updated_at) VALUES (:at, :at, 1, :centroid, :at, :at)"
            ),
            {"at": "2026-11-01 09:00:00", "centroid": '{"trade": 2.0}'},
        )
    command.upgrade(alembic_config(engine), "head")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT centroid_form, article_count FROM events")).all()
    assert [tuple(r) for r in rows] == [(0, 1)] and CENTROID_FORM != 0
