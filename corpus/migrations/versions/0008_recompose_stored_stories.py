"""recompose stored stories: headlines, later-outlet notes and undated reports as briefs now show them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 14:10:00

Rows of ``event_briefs`` hold stories as they were composed when written. Composition has
changed since (a title cut with an ellipsis is no headline; a later outlet without a name
is "Another outlet"; undated reports carry no "adds" note), so every row is composed again.
Whenever composition changes what a stored row holds, a migration like this one rewrites
the rows; the schema is unchanged.
"""

from alembic import op
from sqlalchemy.orm import Session

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from corpus.brief import refresh_all_event_briefs

    with Session(bind=op.get_bind()) as session:
        refresh_all_event_briefs(session)
        session.flush()


def downgrade() -> None:
    pass  # rows composed by newer code read the same way to older code
