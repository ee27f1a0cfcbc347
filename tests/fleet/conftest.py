"""Fixtures for the fleet tests: one real PostgreSQL cluster per run, a database per test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fleet_helpers import FleetServer
from fleet_pg import PgCluster, find_postgres_bindir


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    bindir = find_postgres_bindir()
    if bindir is None:
        message = "PostgreSQL is not installed (scripts/setup.sh installs Debian's postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    cluster = PgCluster(bindir)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def pg_database(pg_cluster: PgCluster) -> str:
    """The admin DSN of a fresh, empty database."""
    return pg_cluster.dsn(pg_cluster.create_database())


@pytest.fixture
def fleet(pg_database: str) -> FleetServer:
    """A fresh database with the fleet schema, and helpers to add kiosks and coaches."""
    server = FleetServer(pg_database)
    server.init()
    return server
