"""Test configuration: hypothesis profiles (no deadlines: shared machines are noisy),
and the stores the store tests run against."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from pg import ENV_URL, Cluster

settings.register_profile("default", deadline=None, max_examples=100)
settings.register_profile("ci", deadline=None, max_examples=100, print_blob=True)
settings.register_profile("thorough", deadline=None, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


# -- stores ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server: the one .ci/run started, or one of our own."""
    url = os.environ.get(ENV_URL)
    if url:
        yield url
        return
    try:
        cluster = Cluster()
        yield cluster.start()
    except (FileNotFoundError, OSError) as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI must test against a real PostgreSQL server: {error}")
        pytest.skip(f"PostgreSQL is not installed here ({error}); .ci/run installs it")
    else:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_server: str) -> str:
    """A database of this test process's own on the server (tests run in parallel workers:
    each has its tables, its erasures and its ``VACUUM FULL`` to itself)."""
    worker_id = os.environ.get("PYTEST_XDIST_WORKER")
    if worker_id is None:
        return postgres_server
    from sqlalchemy import create_engine, text

    name = f"coachflow_{worker_id}"
    engine = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return postgres_server.rsplit("/", 1)[0] + "/" + name


def _fresh_postgres(url: str) -> str:
    from sqlalchemy import create_engine

    from coachflow.store._tables import metadata

    engine = create_engine(url)
    with engine.begin() as connection:
        metadata.drop_all(connection)
    engine.dispose()
    return url


def _url(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if kind == "memory":
        return "memory"
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'coachflow.db'}"
    return _fresh_postgres(request.getfixturevalue("postgres_url"))


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store lives: ``memory``, a fresh SQLite file, or a fresh PostgreSQL schema."""
    return _url(request.param, request, tmp_path)


@pytest.fixture(params=["sqlite", "postgres"])
def sql_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh SQL database: SQLite, then PostgreSQL."""
    return _url(request.param, request, tmp_path)


@pytest.fixture
def store(store_url: str) -> Iterator[object]:
    """A store of every kind, in turn."""
    from coachflow.store import MemoryStore, SQLStore

    if store_url == "memory":
        yield MemoryStore()
        return
    with contextlib.closing(SQLStore(store_url)) as sql:
        yield sql


@pytest.fixture
def sql(sql_url: str) -> Iterator[object]:
    """A SQL store of every kind, in turn."""
    from coachflow.store import SQLStore

    with contextlib.closing(SQLStore(sql_url)) as opened:
        yield opened
