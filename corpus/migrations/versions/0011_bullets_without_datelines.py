"""bullets without datelines: every stored story recomposed with its bullets' datelines cut

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 20:20:00

A bullet cites its outlet and date, so a wire dateline opening its sentence ("BEIJING,
March 9 (Reuters) - ") is no longer shown. Rows of ``event_briefs`` composed before hold the
sentences whole, so every row is composed again (as 0010 does); the schema is unchanged.
"""

from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from corpus.brief import recompose_stored_stories

    recompose_stored_stories(op.get_bind())


def downgrade() -> None:
    pass  # older code reads these rows the same way
