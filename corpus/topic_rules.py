"""Topic definitions without the database: the ``Topic`` value, its checks, the shipped file.

A topic names the parties it is about ("sides", each a list of terms). An article matches
when every side is mentioned often enough and the sides meet in at least one sentence,
so a passing mention of one party is not enough. Matching is pure and lives here because
the worker, the brief and the bot all use topic definitions; ``corpus.topics`` stores
them, and ``corpus.topic_rows`` reads them with plain SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from corpus.defaults import DEFAULT_MIN_MENTIONS, DEFAULT_MIN_SHARED_SENTENCES
from corpus.shipped import load_yaml
from corpus.terms import TermIndex, TermMatcher

TOPICS_FILE = Path(__file__).with_name("data") / "topics.yaml"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 64
MAX_NAME = 128
MIN_SIDES = 2  # a topic is what its parties have to do with each other
# A rough sentence split is enough for "do the sides meet in one sentence".
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n+")


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


def from_mapping(slug: Any, name: Any, definition: Any, *, shipped: bool, where: str) -> Topic:
    """Build a topic from its stored or shipped definition (``aliases`` and a ``rule``)."""
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
        topic = from_mapping(
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
    import yaml  # here, as in ``load_yaml``: the rules are used without the parser

    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TopicError(f"{path}: not valid YAML: {exc}") from exc
    return parse_topics(data, str(path))


@lru_cache(maxsize=1)
def shipped_topics() -> tuple[Topic, ...]:
    """Return the topics shipped in ``corpus/data/topics.yaml`` (read once)."""
    return read_topics(TOPICS_FILE)


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_BREAK.split(text) if s and s.strip()]


@lru_cache(maxsize=256)
def _index(sides: tuple[tuple[str, ...], ...]) -> TermIndex:
    """Where each side's terms may start in a text (built once per rule, not per ``Topic``)."""
    return TermIndex([TermMatcher(side).heads() for side in sides])


def _mentions(topic: Topic, title: str, text: str) -> tuple[list[int], int]:
    """Mentions of each side in the article, and its sentences that mention every side."""
    counts = [0] * len(topic.sides)
    shared = 0
    index = _index(topic.sides)
    for sentence in _sentences(title or "") + _sentences(text or ""):
        # The offsets where a side's term may start, so that its pattern is tried only there
        # (the same counts as a scan of the whole sentence).
        starts = index.starts(sentence)
        present = [
            m.count(sentence, starts[i] if starts is not None else None)
            for i, m in enumerate(topic._matchers)
        ]
        for i, n in enumerate(present):
            counts[i] += n
        if all(present):
            shared += 1
    return counts, shared


def matches(topic: Topic, title: str, text: str) -> bool:
    """Whether an article (title and text) is substantively about ``topic``."""
    counts, shared = _mentions(topic, title, text)
    return all(c >= topic.min_mentions for c in counts) and shared >= topic.min_shared_sentences


def matching_topics(topics: Iterable[Topic], title: str, text: str) -> tuple[str, ...]:
    """Slugs of every topic the article matches, in the order given."""
    return tuple(t.slug for t in topics if matches(t, title, text))
