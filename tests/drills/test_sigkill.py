"""SIGKILL of a real worker mid-ingestion, at test-suite size.

Real redis-server, Celery worker processes and the local site; the full-size run is
``python -m bench.drills.sigkill``.
"""

from __future__ import annotations

import shutil

import pytest

from bench.drills import sigkill

pytestmark = [
    pytest.mark.drill,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


def test_sigkill_during_ingestion_loses_and_duplicates_nothing() -> None:
    """Three SIGKILLs of the worker mid-ingestion: every article stored exactly once."""
    figures = sigkill.run(3)
    assert figures["runs"] == 3
    assert (figures["lost"], figures["duplicated"], figures["failed"]) == (0, 0, 0)
