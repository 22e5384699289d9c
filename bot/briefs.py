"""Briefs for the commands: identical requests made at the same moment share one composition.

When a story breaks, many people ask for the same brief at once; composing it once per burst
keeps ``/brief`` fast without a cache that could show an out-of-date brief.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.coalesce import Coalescer
from bot.transactions import in_transaction
from corpus.brief import DEFAULT_DAYS, compose_brief
from corpus.brief_values import Brief

# /brief pages through this many stories (digests and the CLI show the default 8).
PAGED_STORIES = 24


class SharedBriefs:
    """Composes briefs from the database, one composition per identical request in flight."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self._runs: Coalescer[Brief] = Coalescer()

    async def compose(
        self,
        topic: str,
        *,
        days: int = DEFAULT_DAYS,
        theme: str | None = None,
        now: datetime | None = None,
        all_figures: bool = False,
    ) -> Brief:
        """Return ``compose_brief`` for these arguments, shared with identical requests now."""
        key = (topic.strip().lower(), days, theme, now, all_figures)
        return await self._runs.run(
            key,
            lambda: in_transaction(
                self.sessions,
                compose_brief,
                topic,
                days=days,
                theme=theme,
                now=now,
                max_stories=PAGED_STORIES,
                all_figures=all_figures,
            ),
        )
