"""recompose stored stories: headlines, later-outlet notes and undated reports as briefs now show them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 14:10:00

Rows of ``event_briefs`` hold stories as they were composed when written. Composition has
changed since (a title cut with an ellipsis is no headline; a later outlet without a name
is "Another outlet"; undated reports carry no "adds" note), so every row is composed again.
Whenever composition changes what a stored row holds, a migration rewrites the rows; the
schema is unchanged. Composing now writes 0009's table, so 0009 does it (this one did before).
"""


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # 0009 composes every row again, with the table that composing them now writes


def downgrade() -> None:
    pass  # rows composed by newer code read the same way to older code
