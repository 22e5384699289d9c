"""Per-site memory: paragraphs that recur across many stored articles of one source.

A footer, a newsletter prompt or a standard disclaimer that the cleaner's rules do not know
comes back, word for word, in article after article of the same site; a body sentence almost
never does. This module counts, over the latest stored articles of a source, in how many
distinct articles each paragraph occurs, and returns the keys of those that recur in at least
``min_articles`` of them and in at least ``min_share`` of the sample. A paragraph seen in one
article is never returned. No table is needed: the counts come from the stored texts with one
query bounded by ``sample`` rows, on the indexed ``source_id``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["MIN_ARTICLES", "MIN_SHARE", "SAMPLE", "line_key", "recurring_keys", "recurring_lines"]

# The newest stored articles of the source that are read.
SAMPLE = 200
# A paragraph is boilerplate when it recurs in this many distinct articles ...
MIN_ARTICLES = 5
# ... and in this share of the sample: a background paragraph reused across a series of
# follow-up stories recurs too, but in a few of a site's articles, not in a third of them.
MIN_SHARE = 0.3

_SPACE = re.compile(r"\s+")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")


def line_key(line: str) -> str:
    """Key of a paragraph for counting: a hash of its case-folded words, spaces normalised."""
    normal = _EDGES.sub("", _SPACE.sub(" ", line).strip().casefold())
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=12).hexdigest() if normal else ""


def recurring_keys(
    texts: Iterable[str], *, min_articles: int = MIN_ARTICLES, min_share: float = MIN_SHARE
) -> frozenset[str]:
    """Keys of the paragraphs found in at least ``min_articles`` and ``min_share`` of ``texts``.

    Identical texts count once, so a republished article does not make its own sentences look
    like boilerplate; a paragraph counts once per text however often the text repeats it.
    """
    counts: Counter[str] = Counter()
    seen_texts: set[str] = set()
    for text in texts:
        identity = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
        if identity in seen_texts:
            continue
        seen_texts.add(identity)
        counts.update({key for line in text.splitlines() if (key := line_key(line))})
    needed = max(min_articles, min_share * len(seen_texts))
    return frozenset(key for key, seen in counts.items() if seen >= needed)


def recurring_lines(
    session: Session,
    source_id: int,
    *,
    sample: int = SAMPLE,
    min_articles: int = MIN_ARTICLES,
    min_share: float = MIN_SHARE,
) -> frozenset[str]:
    """Keys (``line_key``) of the paragraphs that recur across the source's stored articles.

    Only the ``sample`` newest stored or analysed articles are read (one query on the indexed
    ``source_id``); the article being stored is still pending, so it never counts itself.
    """
    # Imported here: the cleaner needs only ``line_key`` and must not load the database layer.
    from sqlalchemy import select

    from corpus.tables import Article, ArticleStatus

    query = (
        select(Article.text)
        .where(
            Article.source_id == source_id,
            Article.status.in_((ArticleStatus.STORED, ArticleStatus.READY)),
            Article.text.is_not(None),
        )
        .order_by(Article.id.desc())
        .limit(sample)
    )
    texts = (text for text in session.scalars(query) if text)
    return recurring_keys(texts, min_articles=min_articles, min_share=min_share)
