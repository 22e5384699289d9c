"""Topics the corpus follows: shipped ones in ``corpus/data/topics.yaml``, plus admin-added ones.

A topic names the parties it is about ("sides", each a list of terms). An article matches
when every side is mentioned often enough and the sides meet in at least one sentence,
so a passing mention of one party is not enough. Matching is pure and lives here because
the worker, the brief and the bot all use topic definitions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from corpus.defaults import DEFAULT_MIN_MENTIONS, DEFAULT_MIN_SHARED_SENTENCES
from corpus.shipped import load_yaml
from corpus.tables import Article, ArticleTopic, DigestSchedule, EventBrief, Source, TopicRecord
from corpus.terms import TermMatcher

TOPICS_FILE = Path(__file__).with_name("data") / "topics.yaml"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 64
MAX_NAME = 128
MIN_SIDES = 2  # a topic is what its parties have to do with each other
# A rough sentence split is enough for "do the sides meet in one sentence".
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n+")
_RETAG_BATCH = 500


class TopicError(ValueError):
    """A topic definition is invalid; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic and the rule deciding which articles are about it."""

    slug: str
    name: str
    sides: tuple[tuple[str, ...], ...]
    aliases: tuple[str, ...] = ()
    min_mentions: int = DEFAULT_MIN_MENTIONS
    min_shared_sentences: int = DEFAULT_MIN_SHARED_SENTENCES
    shipped: bool = True
    _matchers: tuple[TermMatcher, ...] = field(
        default=(), init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_matchers", tuple(TermMatcher(side) for side in self.sides))

    def definition(self) -> dict[str, Any]:
        """Return the JSON-able definition stored for an admin-added topic."""
        return {
            "aliases": list(self.aliases),
            "rule": {
                "sides": [list(side) for side in self.sides],
                "min_mentions": self.min_mentions,
                "min_shared_sentences": self.min_shared_sentences,
            },
        }


def _where(source: str, index: int | None, slug: Any) -> str:
    entry = f"topics[{index}]" if index is not None else "topic"
    if isinstance(slug, str) and slug:
        entry = f"topic {slug!r}"
    return f"{source}: {entry}"


def _whole(value: Any, where: str, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TopicError(f"{where}: {what} must be a whole number of at least 1, not {value!r}.")
    return value


def validate_topic(
    slug: Any,
    name: Any,
    sides: Any,
    *,
    aliases: Any = (),
    min_mentions: Any = DEFAULT_MIN_MENTIONS,
    min_shared_sentences: Any = DEFAULT_MIN_SHARED_SENTENCES,
    shipped: bool = False,
    where: str = "topic",
) -> Topic:
    """Check a topic definition and build it; raise :class:`TopicError` saying what is wrong."""
    if not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > MAX_SLUG:
        raise TopicError(
            f"{where}: the slug {slug!r} must be lower-case ASCII letters (a-z), digits (0-9) "
            f"and single hyphens (at most {MAX_SLUG} characters), e.g. 'russia-china'."
        )
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
        raise TopicError(f"{where}: a name of 1–{MAX_NAME} characters is required.")
    if not isinstance(sides, list | tuple) or not sides:
        raise TopicError(f"{where}: give at least two sides, each a list of terms naming a party.")
    clean_sides: list[tuple[str, ...]] = []
    for i, side in enumerate(sides, start=1):
        if not isinstance(side, list | tuple):
            raise TopicError(f"{where}: side {i} must be a list of terms.")
        terms = tuple(dict.fromkeys(str(t).strip() for t in side if str(t).strip()))
        if not terms or any(t == "*" for t in terms):
            raise TopicError(f"{where}: side {i} has no usable terms; give names such as 'Russia'.")
        clean_sides.append(terms)
    if len(clean_sides) < MIN_SIDES:
        raise TopicError(
            f"{where}: a topic needs at least {MIN_SIDES} sides, the parties it is about "
            "(e.g. side 1: India, Indian, New Delhi; side 2: China, Chinese, Beijing). "
            "With one side, every article that names that party often enough would match."
        )
    if not isinstance(aliases, list | tuple) or not all(isinstance(a, str) for a in aliases):
        raise TopicError(f"{where}: aliases must be a list of strings.")
    return Topic(
        slug=slug,
        name=name.strip(),
        sides=tuple(clean_sides),
        aliases=tuple(a.strip() for a in aliases if a.strip()),
        min_mentions=_whole(min_mentions, where, "min_mentions"),
        min_shared_sentences=_whole(min_shared_sentences, where, "min_shared_sentences"),
        shipped=shipped,
    )


def _from_mapping(slug: Any, name: Any, definition: Any, *, shipped: bool, where: str) -> Topic:
    if not isinstance(definition, dict):
        raise TopicError(f"{where}: expected a mapping with a 'rule'.")
    rule = definition.get("rule")
    if not isinstance(rule, dict):
        raise TopicError(f"{where}: a 'rule' mapping with 'sides' is required.")
    return validate_topic(
        slug,
        name,
        rule.get("sides"),
        aliases=definition.get("aliases") or [],
        min_mentions=rule.get("min_mentions", DEFAULT_MIN_MENTIONS),
        min_shared_sentences=rule.get("min_shared_sentences", DEFAULT_MIN_SHARED_SENTENCES),
        shipped=shipped,
        where=where,
    )


def parse_topics(data: Any, source: str = str(TOPICS_FILE)) -> tuple[Topic, ...]:
    """Validate parsed topic YAML; raise :class:`TopicError` naming the file and entry."""
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise TopicError(f"{source}: expected a mapping with a 'topics' list.")
    topics: list[Topic] = []
    for i, entry in enumerate(data["topics"]):
        slug = entry.get("slug") if isinstance(entry, dict) else None
        where = _where(source, i, slug)
        topic = _from_mapping(
            slug,
            (entry or {}).get("name") if isinstance(entry, dict) else None,
            entry,
            shipped=True,
            where=where,
        )
        if any(t.slug == topic.slug for t in topics):
            raise TopicError(f"{where}: defined twice.")
        topics.append(topic)
    return tuple(topics)


def read_topics(path: Path) -> tuple[Topic, ...]:
    """Read and validate a topic file."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TopicError(f"{path}: not valid YAML: {exc}") from exc
    return parse_topics(data, str(path))


@lru_cache(maxsize=1)
def shipped_topics() -> tuple[Topic, ...]:
    """Return the topics shipped in ``corpus/data/topics.yaml`` (read once)."""
    return read_topics(TOPICS_FILE)


def _from_record(record: TopicRecord) -> Topic:
    return _from_mapping(
        record.slug, record.name, record.definition, shipped=False, where=f"topic {record.slug!r}"
    )


def list_topics(session: Session) -> list[Topic]:
    """Every topic: shipped ones first (file order), then admin-added ones by slug."""
    topics = list(shipped_topics())
    known = {t.slug for t in topics}
    for record in session.scalars(select(TopicRecord).order_by(TopicRecord.slug)):
        if record.slug not in known:
            topics.append(_from_record(record))
    return topics


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
    named = list(session.scalars(select(Source).where(Source.topic == topic.slug)))
    for source in named:
        source.topic = None
    session.delete(record)
    session.flush()
    return topic, len(named)


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_BREAK.split(text) if s and s.strip()]


def matches(topic: Topic, title: str, text: str) -> bool:
    """Whether an article (title and text) is substantively about ``topic``."""
    sentences = _sentences(title or "") + _sentences(text or "")
    counts = [0] * len(topic.sides)
    shared = 0
    for sentence in sentences:
        present = [m.count(sentence) for m in topic._matchers]
        for i, n in enumerate(present):
            counts[i] += n
        if all(present):
            shared += 1
    return all(c >= topic.min_mentions for c in counts) and shared >= topic.min_shared_sentences


def matching_topics(topics: Iterable[Topic], title: str, text: str) -> tuple[str, ...]:
    """Slugs of every topic the article matches, in the order given."""
    return tuple(t.slug for t in topics if matches(t, title, text))


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
