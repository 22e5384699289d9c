"""digest schedules remember when they were turned off

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 15:10:00
"""

from alembic import op
import sqlalchemy as sa


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


def downgrade() -> None:
    with op.batch_alter_table('digest_schedules', schema=None) as batch_op:
        batch_op.drop_column('disabled_at')
