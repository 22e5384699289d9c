"""The ``--until DATE`` option that ``brief`` and ``stories list`` share."""

from __future__ import annotations

import argparse
from datetime import datetime


def until_value(text: str) -> datetime:
    """Parse ``--until`` for argparse: a bad or future date is a usage error (exit 2)."""
    from corpus.brief_until import UntilError, parse_until

    try:
        return parse_until(text)
    except UntilError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
