"""Run corpus functions in one transaction off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from corpus.db import transaction

T = TypeVar("T")


async def in_transaction(
    sessions: sessionmaker[Session], fn: Callable[..., T], *args: Any, **kwargs: Any
) -> T:
    """Run ``fn(session, *args, **kwargs)`` in one transaction in a worker thread.

    The transaction commits unless ``fn`` raises; the thread keeps the event loop free.
    """

    def work() -> T:
        with transaction(sessions) as session:
            return fn(session, *args, **kwargs)

    return await asyncio.to_thread(work)
