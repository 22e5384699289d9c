"""events.centroid_form: which form a stored event centroid has

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 13:00:00

Centroids were the summed raw term weights of an event's articles; they are now the sum of
the articles' unit-length TF-IDF vectors, which an article is scored against by its mean
similarity with the event's articles. Existing rows get form 0, and the worker rebuilds an
event's centroid from its stored articles the first time it reads that event again (only
events still open are ever read), so no article text is processed here and no event id
changes. ``newsbrief stories recluster`` rebuilds the events of a window outright.
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both databases (SQLite drops a column itself since 3.35): a batch
# operation would copy and drop the events table, and with foreign keys on, dropping it
# would empty every article's event_id.


def upgrade() -> None:
    op.add_column(
        'events', sa.Column('centroid_form', sa.Integer(), server_default='0', nullable=False)
    )


def downgrade() -> None:
    # Older code reads every centroid as summed raw weights: after a downgrade, run
    # ``newsbrief stories recluster`` to rebuild the open events.
    op.drop_column('events', 'centroid_form')
