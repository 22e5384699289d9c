"""Names of the worker's tasks and queues.

The bot sends tasks by name and never imports the worker, so the names live here.
"""

from __future__ import annotations

QUEUE_FETCH = "fetch"
QUEUE_ANALYSE = "analyse"
QUEUE_SCHEDULE = "schedule"

POLL_SOURCE = "newsbrief.poll_source"
FETCH_ARTICLE = "newsbrief.fetch_article"
ANALYSE_ARTICLE = "newsbrief.analyse_article"
SCHEDULE_DUE_POLLS = "newsbrief.schedule_due_polls"
COMPOSE_DUE_DIGESTS = "newsbrief.compose_due_digests"
