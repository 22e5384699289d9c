"""Shared fixtures: databases (SQLite always, PostgreSQL when reachable) and a network guard."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from corpus.db import make_engine, make_session_factory
from corpus.settings import Settings
from testing.databases import emptied, migrated_sqlite, postgres_database, unreachable
from testing.local_site import LocalSite
from testing.stored_articles import insert_scenario

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_admin_url() -> str:
    return os.environ.get("NEWSBRIEF_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def _postgres_unreachable_reason() -> str | None:
    url = _postgres_admin_url()
    reason = unreachable(url)
    return f"PostgreSQL not reachable at {url}: {reason}" if reason else None


_PG_REASON: str | bool | None = False  # False: not probed yet


def postgres_skip_reason() -> str | None:
    """Probe PostgreSQL once per run; return why it cannot be used, or None."""
    global _PG_REASON
    if _PG_REASON is False:
        _PG_REASON = _postgres_unreachable_reason()
    return _PG_REASON  # type: ignore[return-value]


@pytest.fixture(scope="session")
def postgres_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    reason = postgres_skip_reason()
    if reason:
        pytest.skip(reason)
    with postgres_database(_postgres_admin_url(), "test") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: SQLite always, PostgreSQL too when it answers."""
    if request.param == "sqlite":
        yield migrated_sqlite(tmp_path / "corpus.sqlite3")
        return
    yield emptied(request.getfixturevalue("postgres_database_url"))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the test database."""
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """A session factory on the test database."""
    return make_session_factory(engine)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite database only, for tests that need no PostgreSQL run."""
    return migrated_sqlite(tmp_path / "corpus.sqlite3")


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    """Settings for tests: a temporary data dir, SQLite, private networks allowed for 127.0.0.1."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        database_url=sqlite_url,
        allow_private_networks=True,
        host_min_interval=0.0,
    )


_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: object) -> None:
    host = address[0] if isinstance(address, tuple) else None
    if isinstance(host, str):
        try:
            ip = ipaddress.ip_address(host.split("%")[0])
        except ValueError:
            ip = None
        if ip is not None and not ip.is_loopback:
            raise OSError(f"test network guard: refused connection to {host}")
    _real_connect(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse any connection that leaves the machine, so no test reaches the internet."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture
def test_site(request: pytest.FixtureRequest) -> Iterator[LocalSite]:
    """A local news site on 127.0.0.1 (``testing.local_site``), stopped after the test.

    ``@pytest.mark.site(**options)`` on a test or a module passes ``LocalSite`` options, e.g.
    ``crawl_delay=None`` for a robots.txt without Crawl-delay.
    """
    marker = request.node.get_closest_marker("site")
    with LocalSite(**(marker.kwargs if marker else {})) as site:
        yield site


@pytest.fixture
def stored(settings: Settings) -> Settings:
    """Settings of an SQLite database holding the scenario of ``testing.stored_articles``."""
    engine = make_engine(settings.effective_database_url)
    insert_scenario(make_session_factory(engine))
    engine.dispose()
    return settings
