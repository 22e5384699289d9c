"""Settings for fetch tests: the fetcher may reach the local site on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus.settings import Settings

LOOPBACK = ("127.0.0.1/32",)


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings for fetch tests: private networks allowed, no politeness gap unless asked."""
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "allow_private_networks": True,
        "host_min_interval": 0.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]
