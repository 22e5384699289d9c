"""stories carry their figures: every stored story recomposed with its event's key figures

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 19:00:00

Each story of a brief now shows up to 3 of its event's own key figures, cited like its
bullets. A row of ``event_briefs`` composed before holds none, so every row is composed
again (as 0009 does); the schema is unchanged.
"""

from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from corpus.brief import recompose_stored_stories

    recompose_stored_stories(op.get_bind())


def downgrade() -> None:
    pass  # older code reads these rows and leaves their "key_figures" alone
