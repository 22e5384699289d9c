"""The whole pipeline in one process on a fresh SQLite corpus, for the ingest benchmarks."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from corpus.db import make_engine, make_session_factory, migrate
from corpus.settings import Settings
from worker.pipeline.stages import Stages
from worker.wiring import build_stages


def local_pipeline(data_dir: Path) -> tuple[Engine, Stages]:
    """Return a migrated engine under ``data_dir`` and stages that may fetch from 127.0.0.1.

    No per-host spacing: the benchmarks' site is one local host. The caller closes the
    stages and disposes of the engine.
    """
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        allow_private_networks=True,
        host_min_interval=0.0,
    )
    engine = make_engine(settings.effective_database_url)
    migrate(engine)
    return engine, build_stages(settings, make_session_factory(engine))
