"""brief window indexes: article event ids and stored story heads read from indexes alone

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 13:00:00

The brief's window queries count articles per event and join each event's stored row;
with the event id in the window index and the rows' ranking columns in their own index,
neither reads an article's text nor a row's body.
"""

from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_WINDOW = ['status', 'published_at', 'story_id', 'fetched_at', 'site']
_HEAD = [
    'topic', 'event_id', 'articles', 'id_sum', 'first_ts', 'last_ts', 'outlets', 'dated',
    'salience', 'stamp',
]


def upgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index(
            'ix_articles_brief_window_event', [*_WINDOW, 'event_id', 'id'], unique=False
        )
        batch_op.drop_index('ix_articles_brief_window')
    with op.batch_alter_table('event_briefs', schema=None) as batch_op:
        batch_op.create_index('ix_event_briefs_head', _HEAD, unique=False)


def downgrade() -> None:
    with op.batch_alter_table('event_briefs', schema=None) as batch_op:
        batch_op.drop_index('ix_event_briefs_head')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index('ix_articles_brief_window', _WINDOW, unique=False)
        batch_op.drop_index('ix_articles_brief_window_event')
