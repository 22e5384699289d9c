"""The shipped migrations build exactly the schema the models describe."""

from __future__ import annotations

import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from corpus.db import migrate
from corpus.models import Base
from corpus.search import include_name, include_object


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
        "import sys, corpus, corpus.models, corpus.db, corpus.settings, corpus.records\n"
        "import pkgutil, importlib\n"
        "for m in pkgutil.walk_packages(corpus.__path__, 'corpus.'):\n"
        "    if 'migrations' not in m.name: importlib.import_module(m.name)\n"
        "bad = [n for n in ('discord', 'celery') if n in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
