"""PostgreSQL search ranks on a stored, weighted tsvector column

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 15:50:00

The first 0003 indexed the ``to_tsvector`` expression; ranking then parsed every matching
text again (seconds on a large corpus). A generated column is parsed once, when an article
is written. The SQL is spelled out so this migration means the same whatever
``corpus.search`` later becomes; ``corpus.search.PG_VECTOR`` must stay equal to it.
"""

from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

VECTOR = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(text, '')), 'B')"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP INDEX IF EXISTS ix_articles_fts")
    op.execute(
        "ALTER TABLE articles ADD COLUMN IF NOT EXISTS search_vector tsvector "
        f"GENERATED ALWAYS AS ({VECTOR}) STORED"
    )
    op.execute("CREATE INDEX IF NOT EXISTS ix_articles_fts ON articles USING gin (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP INDEX IF EXISTS ix_articles_fts")
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector")
