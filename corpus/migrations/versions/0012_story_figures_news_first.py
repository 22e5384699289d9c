"""story figures news first: every stored story recomposed with background figures last

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 22:10:00

A story's own key figures now put background (a figure for a year two or more before its
report, "$245 billion in 2024" in a 2026 story) after what the story adds; figures that
name no period are compared only between articles published within a year of each other;
one value for one period worded differently by two outlets is one figure; flows in opposite
directions, and two values of one article, are never set against each other.
Rows of ``event_briefs`` composed before rank them the old way, so every row is composed
again (as 0010 does); the schema is unchanged.
"""

from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from corpus.brief import recompose_stored_stories

    recompose_stored_stories(op.get_bind())


def downgrade() -> None:
    pass  # older code reads these rows the same way
