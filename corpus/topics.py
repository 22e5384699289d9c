"""Topics the corpus follows: shipped ones in ``corpus/data/topics.yaml``, plus admin-added ones.

The definitions, their checks and matching live in ``corpus.topic_rules`` (no database
needed) and are re-exported here; this module stores admin-added topics and retags the
stored articles when one changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from corpus.db import session_reader
from corpus.defaults import DEFAULT_MIN_MENTIONS, DEFAULT_MIN_SHARED_SENTENCES
from corpus.tables import Article, ArticleTopic, DigestSchedule, EventBrief, Source, TopicRecord
from corpus.topic_rows import all_topics
from corpus.topic_rules import MAX_NAME as MAX_NAME
from corpus.topic_rules import MAX_SLUG as MAX_SLUG
from corpus.topic_rules import MIN_SIDES as MIN_SIDES
from corpus.topic_rules import SLUG as SLUG
from corpus.topic_rules import TOPICS_FILE as TOPICS_FILE
from corpus.topic_rules import Topic as Topic
from corpus.topic_rules import TopicError as TopicError
from corpus.topic_rules import from_mapping
from corpus.topic_rules import matches as matches
from corpus.topic_rules import matching_topics as matching_topics
from corpus.topic_rules import parse_topics as parse_topics
from corpus.topic_rules import read_topics as read_topics
from corpus.topic_rules import shipped_topics as shipped_topics
from corpus.topic_rules import validate_topic as validate_topic

_RETAG_BATCH = 500


def _from_record(record: TopicRecord) -> Topic:
    return from_mapping(
        record.slug, record.name, record.definition, shipped=False, where=f"topic {record.slug!r}"
    )


def list_topics(session: Session) -> list[Topic]:
    """Every topic: shipped ones first (file order), then admin-added ones by slug."""
    return all_topics(session_reader(session))


def get_topic(session: Session, slug_or_alias: str) -> Topic | None:
    """Find a topic by slug or alias (case-insensitive), or None."""
    wanted = slug_or_alias.strip().lower()
    # Shipped topics come first in list_topics, so one of them matching needs no query.
    for topics in (shipped_topics, lambda: list_topics(session)):
        for topic in topics():
            if wanted == topic.slug or wanted in (a.lower() for a in topic.aliases):
                return topic
    return None


def add_topic(
    session: Session,
    slug: str,
    name: str,
    sides: Sequence[Sequence[str]],
    *,
    aliases: Sequence[str] = (),
    min_mentions: int = DEFAULT_MIN_MENTIONS,
    min_shared_sentences: int = DEFAULT_MIN_SHARED_SENTENCES,
    added_by_guild: int | None = None,
    added_by_user: int | None = None,
) -> Topic:
    """Validate and store an admin-added topic; raise :class:`TopicError` if invalid or taken."""
    topic = validate_topic(
        slug,
        name,
        [list(s) for s in sides],
        aliases=list(aliases),
        min_mentions=min_mentions,
        min_shared_sentences=min_shared_sentences,
    )
    if get_topic(session, topic.slug) is not None:
        raise TopicError(f"The topic {topic.slug!r} already exists; choose another slug.")
    session.add(
        TopicRecord(
            slug=topic.slug,
            name=topic.name,
            definition=topic.definition(),
            added_by_guild=added_by_guild,
            added_by_user=added_by_user,
        )
    )
    session.flush()
    return topic


def _admin_record(session: Session, slug_or_alias: str) -> TopicRecord:
    """Return the stored record of an admin-added topic, or refuse a shipped or unknown one."""
    topic = get_topic(session, slug_or_alias)
    if topic is None:
        raise TopicError(f"There is no topic {slug_or_alias!r}; /topics list shows them.")
    record = session.get(TopicRecord, topic.slug)
    if topic.shipped or record is None:
        raise TopicError(
            f"The topic {topic.slug!r} ships with newsbrief (corpus/data/topics.yaml); "
            "only topics added with /topics add can be changed or removed here."
        )
    return record


def edit_topic(
    session: Session,
    slug_or_alias: str,
    *,
    name: str | None = None,
    sides: Sequence[Sequence[str]] | None = None,
    aliases: Sequence[str] | None = None,
    min_mentions: int | None = None,
) -> Topic:
    """Change an admin-added topic (what is not given stays); validate it and store it.

    Raises :class:`TopicError` for a shipped or unknown topic, an invalid result, or an edit
    that changes nothing. Retag the stored articles afterwards (:func:`retag_topics`).
    """
    record = _admin_record(session, slug_or_alias)
    old = _from_record(record)
    if name is None and sides is None and aliases is None and min_mentions is None:
        raise TopicError("Say what to change: the name, the sides, the aliases or min_mentions.")
    topic = validate_topic(
        old.slug,
        name if name is not None else old.name,
        [list(s) for s in (sides if sides is not None else old.sides)],
        aliases=list(aliases if aliases is not None else old.aliases),
        min_mentions=min_mentions if min_mentions is not None else old.min_mentions,
        min_shared_sentences=old.min_shared_sentences,
    )
    taken = {a.lower() for t in list_topics(session) if t.slug != topic.slug for a in t.aliases}
    clash = [a for a in topic.aliases if a.lower() in taken]
    if clash:
        raise TopicError(f"The alias {clash[0]!r} already names another topic.")
    record.name = topic.name
    record.definition = topic.definition()
    session.flush()
    return topic


def remove_topic(session: Session, slug_or_alias: str) -> tuple[Topic, int]:
    """Delete an admin-added topic and its article tags; return it and the sources untopicked.

    A topic that a digest still posts is refused, saying which command turns it off; the
    sources that named the topic keep polling, with no topic.
    """
    record = _admin_record(session, slug_or_alias)
    topic = _from_record(record)
    digests = session.scalar(
        select(func.count())
        .select_from(DigestSchedule)
        .where(DigestSchedule.topic == topic.slug, DigestSchedule.enabled.is_(True))
    )
    if digests:
        raise TopicError(
            f"{digests} digest(s) still post {topic.slug!r}; turn them off first "
            f"(/digest off topic:{topic.slug})."
        )
    session.execute(delete(ArticleTopic).where(ArticleTopic.topic == topic.slug))
    session.execute(delete(EventBrief).where(EventBrief.topic == topic.slug))
    from corpus.brief import refresh_stale_event_briefs  # corpus.brief reads topics from here

    refresh_stale_event_briefs(session)  # the untagged articles' events, noted by triggers
    named = list(session.scalars(select(Source).where(Source.topic == topic.slug)))
    for source in named:
        source.topic = None
    session.delete(record)
    session.flush()
    return topic, len(named)


def retag_topics(session: Session, topic: Topic) -> int:
    """Tag every stored article with ``topic`` if it matches (and untag if not); return the count.

    Run after a topic is added or changed so existing articles are briefed under it.
    """
    session.execute(delete(ArticleTopic).where(ArticleTopic.topic == topic.slug))
    tagged = 0
    query = (
        select(Article.id, Article.title, Article.text)
        .where(Article.text.is_not(None))
        .order_by(Article.id)
        .execution_options(yield_per=_RETAG_BATCH)
    )
    for article_id, title, text in session.execute(query):
        if matches(topic, title or "", text or ""):
            session.add(ArticleTopic(article_id=article_id, topic=topic.slug))
            tagged += 1
            if tagged % _RETAG_BATCH == 0:
                session.flush()
    session.flush()
    from corpus.brief import refresh_topic_briefs  # corpus.brief reads topics from here

    refresh_topic_briefs(session, topic.slug)
    return tagged


def topic_names(session: Session) -> dict[str, str]:
    """Every defined topic, slug → display name."""
    return {t.slug: t.name for t in list_topics(session)}
