"""Alembic environment: runs against the engine passed in by ``corpus.db.migrate``."""

from __future__ import annotations

from alembic import context

from corpus.search import include_name, include_object
from corpus.tables import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # invoked from the alembic CLI
    from corpus.db import make_engine
    from corpus.settings import get_settings

    engine = make_engine(get_settings().effective_database_url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
