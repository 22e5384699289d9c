"""event_briefs: each story's composition per topic, kept beside its event

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 10:15:00

Migration 0009 composes a row for every live event from its stored articles, as the worker
does whenever an event changes (this one did until composing wrote 0009's table).
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('event_briefs',
    sa.Column('topic', sa.String(length=64), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('articles', sa.Integer(), nullable=False),
    sa.Column('id_sum', sa.BigInteger(), nullable=False),
    sa.Column('first_ts', sa.Double(), nullable=False),
    sa.Column('last_ts', sa.Double(), nullable=False),
    sa.Column('outlets', sa.Integer(), nullable=False),
    sa.Column('dated', sa.Boolean(), nullable=False),
    sa.Column('salience', sa.Double(), nullable=False),
    sa.Column('stamp', sa.String(length=32), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('topic', 'event_id')
    )
    with op.batch_alter_table('event_briefs', schema=None) as batch_op:
        batch_op.create_index('ix_event_briefs_topic_last', ['topic', 'last_ts'], unique=False)
    # The rows are composed by 0009, with the table that composing them now writes.


def downgrade() -> None:
    with op.batch_alter_table('event_briefs', schema=None) as batch_op:
        batch_op.drop_index('ix_event_briefs_topic_last')
    op.drop_table('event_briefs')
