"""The test harness itself: a real server, reachable, with password authentication."""

from __future__ import annotations

import psycopg
import pytest
from fleet_pg import ADMIN_USER, PgCluster


@pytest.mark.postgres
def test_cluster_is_a_real_postgresql_15_or_newer(pg_database: str) -> None:
    with psycopg.connect(pg_database) as connection:
        version = connection.execute("SHOW server_version_num").fetchone()
        user = connection.execute("SELECT current_user").fetchone()
    assert version is not None and int(version[0]) >= 150000
    assert user == (ADMIN_USER,)


@pytest.mark.postgres
def test_wrong_password_is_refused(pg_cluster: PgCluster) -> None:
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(pg_cluster.dsn(password="not-the-password")).close()
