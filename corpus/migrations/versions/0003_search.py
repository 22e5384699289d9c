"""full-text search over articles; digest schedules remember when they were turned off

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 15:10:00

SQLite: an FTS5 table over ``articles`` (title, text) kept in step by triggers.
PostgreSQL: nothing here any more (a first version built an expression index; 0004 replaces
it with a stored ``tsvector`` column, so every database ends the same).
Neither is in the models (``corpus.search.is_search_index`` tells autogenerate to skip them).
On SQLite a later batch migration that rebuilds ``articles`` drops its triggers: run
``corpus.search.install_sqlite_search`` again after it.
"""

from alembic import op
import sqlalchemy as sa

from corpus.search import drop_sqlite_search, install_sqlite_search


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('digest_schedules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True))
    # Schedules already off are shown for a week from now, then hidden like any other.
    op.execute(
        "UPDATE digest_schedules SET disabled_at = CURRENT_TIMESTAMP WHERE enabled = false"
    )
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        install_sqlite_search(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        drop_sqlite_search(bind)
    elif bind.dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_articles_fts")
    with op.batch_alter_table('digest_schedules', schema=None) as batch_op:
        batch_op.drop_column('disabled_at')
