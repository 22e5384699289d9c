"""stale event briefs: triggers note every event whose stored stories a write may have outdated

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 19:00:00

A brief trusts a stored story whose dates lie inside its window without counting the
window's articles, so no write may change a story's articles unnoticed. Triggers on
``articles`` and ``article_topics`` add the event of every article inserted, deleted,
moved, re-dated or re-analysed (and of every tag added or removed) to
``stale_event_briefs``; recomposing an event's stored stories removes it. The backfill
composes every row again, so each row starts out holding exactly its event's articles.
New indexes read a window's stored stories by their latest date and an event's articles
in a window, each from an index alone.

On SQLite, rebuilding ``articles`` or ``article_topics`` (a batch migration that must copy
the table) drops their triggers: such a migration creates them again.
"""

from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# What a stored story is composed from; a change to any of them outdates it.
_SHOWN = (
    'event_id, status, story_id, title, site, canonical_url, published_at, fetched_at,'
    ' summary, themes, figures'
)
_ROW_WINDOW = [
    'topic', 'last_ts', 'first_ts', 'event_id', 'articles', 'id_sum', 'outlets', 'dated',
    'salience', 'stamp',
]
_ARTICLE_WINDOW = ['event_id', 'status', 'published_at', 'fetched_at', 'story_id', 'site', 'id']


def _note(event: str) -> str:
    """SQLite: note ``event`` (an expression) as stale unless it is NULL."""
    return (
        f'INSERT OR IGNORE INTO stale_event_briefs (event_id) SELECT {event}'
        f' WHERE {event} IS NOT NULL;'
    )


def _tag_note(article: str) -> str:
    return (
        'INSERT OR IGNORE INTO stale_event_briefs (event_id) SELECT event_id FROM articles'
        f' WHERE id = {article} AND event_id IS NOT NULL;'
    )


_SQLITE = [
    'CREATE TRIGGER articles_stale_insert AFTER INSERT ON articles'
    f' BEGIN {_note("NEW.event_id")} END',
    f'CREATE TRIGGER articles_stale_update AFTER UPDATE OF {_SHOWN} ON articles'
    f' BEGIN {_note("OLD.event_id")} {_note("NEW.event_id")} END',
    'CREATE TRIGGER articles_stale_delete AFTER DELETE ON articles'
    f' BEGIN {_note("OLD.event_id")} END',
    'CREATE TRIGGER article_topics_stale_insert AFTER INSERT ON article_topics'
    f' BEGIN {_tag_note("NEW.article_id")} END',
    'CREATE TRIGGER article_topics_stale_update AFTER UPDATE ON article_topics'
    f' BEGIN {_tag_note("OLD.article_id")} {_tag_note("NEW.article_id")} END',
    'CREATE TRIGGER article_topics_stale_delete AFTER DELETE ON article_topics'
    f' BEGIN {_tag_note("OLD.article_id")} END',
]
_SQLITE_DROP = [
    f'DROP TRIGGER IF EXISTS {table}_stale_{op_}'
    for table in ('articles', 'article_topics')
    for op_ in ('insert', 'update', 'delete')
]

_PG_NOTE = (
    'INSERT INTO stale_event_briefs (event_id) VALUES ({0}) ON CONFLICT DO NOTHING;'
)
_PG_TAG_NOTE = (
    'INSERT INTO stale_event_briefs (event_id) SELECT event_id FROM articles'
    ' WHERE id = {0} AND event_id IS NOT NULL ON CONFLICT DO NOTHING;'
)
_POSTGRES = [
    'CREATE FUNCTION note_stale_article() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN'
    " IF TG_OP <> 'INSERT' THEN IF OLD.event_id IS NOT NULL THEN "
    + _PG_NOTE.format('OLD.event_id')
    + " END IF; END IF; IF TG_OP <> 'DELETE' THEN IF NEW.event_id IS NOT NULL THEN "
    + _PG_NOTE.format('NEW.event_id')
    + ' END IF; END IF; RETURN NULL; END $$',
    'CREATE FUNCTION note_stale_article_topic() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN'
    " IF TG_OP <> 'INSERT' THEN "
    + _PG_TAG_NOTE.format('OLD.article_id')
    + " END IF; IF TG_OP <> 'DELETE' THEN "
    + _PG_TAG_NOTE.format('NEW.article_id')
    + ' END IF; RETURN NULL; END $$',
    f'CREATE TRIGGER articles_stale AFTER INSERT OR DELETE OR UPDATE OF {_SHOWN} ON articles'
    ' FOR EACH ROW EXECUTE FUNCTION note_stale_article()',
    'CREATE TRIGGER article_topics_stale AFTER INSERT OR DELETE OR UPDATE ON article_topics'
    ' FOR EACH ROW EXECUTE FUNCTION note_stale_article_topic()',
]
_POSTGRES_DROP = [
    'DROP TRIGGER IF EXISTS article_topics_stale ON article_topics',
    'DROP TRIGGER IF EXISTS articles_stale ON articles',
    'DROP FUNCTION IF EXISTS note_stale_article_topic()',
    'DROP FUNCTION IF EXISTS note_stale_article()',
]


def _postgres() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade() -> None:
    op.create_table(
        'stale_event_briefs',
        sa.Column('event_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint('event_id'),
    )
    for statement in _POSTGRES if _postgres() else _SQLITE:
        op.execute(statement)
    with op.batch_alter_table('event_briefs', schema=None) as batch_op:
        batch_op.create_index('ix_event_briefs_window', _ROW_WINDOW, unique=False)
        batch_op.drop_index('ix_event_briefs_head')
        batch_op.drop_index('ix_event_briefs_topic_last')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index('ix_articles_event_window', _ARTICLE_WINDOW, unique=False)
        batch_op.drop_index('ix_articles_event')
    from corpus.brief import recompose_stored_stories

    recompose_stored_stories(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index('ix_articles_event', ['event_id'], unique=False)
        batch_op.drop_index('ix_articles_event_window')
    with op.batch_alter_table('event_briefs', schema=None) as batch_op:
        batch_op.create_index('ix_event_briefs_topic_last', ['topic', 'last_ts'], unique=False)
        batch_op.create_index(
            'ix_event_briefs_head',
            [
                'topic', 'event_id', 'articles', 'id_sum', 'first_ts', 'last_ts', 'outlets',
                'dated', 'salience', 'stamp',
            ],
            unique=False,
        )
        batch_op.drop_index('ix_event_briefs_window')
    for statement in _POSTGRES_DROP if _postgres() else _SQLITE_DROP:
        op.execute(statement)
    op.drop_table('stale_event_briefs')
