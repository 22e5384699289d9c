"""Topics as the corpus stores them, read with plain SQL that SQLite and PostgreSQL both run.

``corpus.topics.list_topics`` reads them through a session; ``newsbrief console`` answers
``/topics list`` from a plain SQLite file through the standard library's ``sqlite3``
(``corpus.plain_sqlite``), so the same code decides what both list.
"""

from __future__ import annotations

import json
from typing import Any

from corpus.source_rows import Reader
from corpus.topic_rules import Topic, from_mapping, shipped_topics


def _definition(value: Any) -> Any:
    # SQLite hands back a JSON column as text, PostgreSQL as the decoded value.
    return json.loads(value) if isinstance(value, str) else value


def all_topics(read: Reader) -> list[Topic]:
    """Every topic: shipped ones first (file order), then admin-added ones by slug."""
    topics = list(shipped_topics())
    known = {t.slug for t in topics}
    for slug, name, stored in read("SELECT slug, name, definition FROM topics ORDER BY slug", {}):
        if slug not in known:
            definition = _definition(stored)
            where = f"topic {slug!r}"
            topics.append(from_mapping(slug, name, definition, shipped=False, where=where))
    return topics
