"""Helpers for the fleet tests: a server with roles, kiosks with their own data dirs."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import psycopg

from trainer.fleet.connection import connect
from trainer.fleet.roles import add_role
from trainer.fleet.schema import init


@dataclass
class FleetServer:
    admin_dsn: str

    def init(self) -> None:
        with connect(self.admin_dsn, purpose="test", autocommit=True) as connection:
            init(connection)

    def add(self, kind: str = "kiosk", name: str | None = None) -> str:
        """A new role's DSN; names are unique because roles belong to the whole cluster."""
        name = name or f"{kind}-{secrets.token_hex(4)}"
        with connect(self.admin_dsn, purpose="test", autocommit=True) as connection:
            return add_role(connection, name, kind=kind).dsn  # type: ignore[arg-type]

    def rows(self, query: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Query as the owner (sees every row)."""
        with psycopg.connect(self.admin_dsn) as connection:
            return connection.execute(query, parameters).fetchall()  # type: ignore[arg-type]
