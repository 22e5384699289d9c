"""Defaults and bounds shared by the corpus and its front ends (the command line, the bot).

This module imports nothing, so a command's ``--help`` can show them without loading the
database layer; ``corpus.brief`` and ``corpus.topics`` use them from here.
"""

from __future__ import annotations

# The window of a brief, in days.
MIN_DAYS = 1
MAX_DAYS = 90
DEFAULT_DAYS = 7

# A topic's matching rule: mentions each side needs, and sentences naming every side.
DEFAULT_MIN_MENTIONS = 3
DEFAULT_MIN_SHARED_SENTENCES = 1
