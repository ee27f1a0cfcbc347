"""Helpers for the fleet tests: a server with roles, kiosks with their own data dirs."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from trainer.adapters.store import MomentEntry, SessionStore
from trainer.adapters.store.ulid import new_ulid
from trainer.fleet.connection import connect
from trainer.fleet.packs import PackFolder
from trainer.fleet.roles import add_role
from trainer.fleet.schema import init
from trainer.fleet.sync import SyncClient, SyncReport


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

    def kiosk(self, data_dir: Path) -> Kiosk:
        """A kiosk role and its history, made (as at install) before anything opens it."""
        kiosk = Kiosk(self.add("kiosk"), data_dir)
        kiosk.open_store().close()
        return kiosk

    def rows(self, query: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Query as the owner (sees every row)."""
        with psycopg.connect(self.admin_dsn) as connection:
            return connection.execute(query, parameters).fetchall()  # type: ignore[arg-type]


MOMENT = MomentEntry(0, "Calf stretch", "hold", "left", 1, 30.0, 31.0, 0.0, False, False)


@dataclass
class Kiosk:
    """One kiosk: its role's DSN and its own data folder (SQLite history, packs)."""

    dsn: str
    data_dir: Path

    @property
    def role(self) -> str:
        """The kiosk's role name: what the server records as the kiosk of its rows."""
        return str(conninfo_to_dict(self.dsn)["user"])

    @property
    def database(self) -> Path:
        return self.data_dir / "history.sqlite3"

    def open_store(self) -> SessionStore:
        return SessionStore.open(self.database)

    def client(self, store: SessionStore, **options: Any) -> SyncClient:
        return SyncClient(self.dsn, store, packs=PackFolder(self.data_dir / "packs"), **options)

    def local_ulids(self, table: str) -> set[str]:
        with self.open_store() as store:
            return {row[0] for row in store.connection.execute(f"SELECT ulid FROM {table}")}


def sync(kiosk: Kiosk, **options: Any) -> SyncReport:
    """One whole sync pass of ``kiosk``, on a history and connection of its own."""
    with kiosk.open_store() as store:
        client = kiosk.client(store, **options)
        try:
            return client.sync_once()
        finally:
            client.close()


def finished_session(
    store: SessionStore,
    member_id: int | None,
    started_at: str,
    *,
    checks: Sequence[Mapping[str, Any]] = (),
    moments: int = 0,
) -> int:
    """A finished session of routine ``r`` (ten minutes from ``started_at``) with
    ``moments`` done and ``checks`` (``record_check`` arguments, ``at`` defaulting to
    five minutes in); returns its id."""
    start = datetime.fromisoformat(started_at)
    session = store.start_session(
        routine_id="r",
        digest="d",
        title="R",
        plan_size=max(1, moments),
        started_at=started_at,
        member_id=member_id,
    )
    for index in range(moments):
        store.record_moment(
            session,
            replace(MOMENT, moment_index=index),
            finished_at=(start + timedelta(minutes=1 + index)).isoformat(),
            next_index=index + 1,
        )
    for check in checks:
        store.record_check(
            session, **{"rating": None, "at": (start + timedelta(minutes=5)).isoformat(), **check}
        )
    store.finish_session(session, "finished", (start + timedelta(minutes=10)).isoformat())
    return session


def train(
    store: SessionStore,
    *,
    sessions: int = 1,
    moments: int = 4,
    checks: int = 1,
    day_offset: float = 0.0,
) -> None:
    """Log whole sessions the way the recorder does, stamped by a clock ``day_offset`` days off."""
    for _ in range(sessions):
        now = datetime.now(UTC) + timedelta(days=day_offset)
        session = store.start_session(
            routine_id="knee-valgus-reset",
            digest="d",
            title="Knee valgus reset",
            plan_size=moments,
            started_at=now.isoformat(timespec="seconds"),
        )
        for index in range(moments):
            entry = replace(MOMENT, moment_index=index)
            store.record_moment(
                session, entry, finished_at=now.isoformat(timespec="seconds"), next_index=index + 1
            )
        for _ in range(checks):
            store.record_check(
                session, test_id="aslr", result="left-tighter", rating=3, at=now.isoformat()
            )
        store.finish_session(session, "finished", now.isoformat(timespec="seconds"))


def assert_exactly_once(server: FleetServer, *kiosks: Kiosk) -> None:
    """The server holds every kiosk's sessions, moments and checks, each once, in its name."""
    for table in ("sessions", "moments", "checks"):
        expected: set[str] = set()
        for kiosk in kiosks:
            expected |= kiosk.local_ulids(table)
        rows = server.rows(f"SELECT id FROM fleet.{table}")
        ids = [row[0] for row in rows]
        assert len(ids) == len(set(ids))
        assert set(ids) == expected, (
            f"{table}: {len(expected - set(ids))} missing, {len(set(ids) - expected)} extra"
        )
    for kiosk in kiosks:
        with kiosk.open_store() as store:
            assert store.outbox_size() == 0


def seed_member(
    server: FleetServer,
    name: str,
    sessions: list[tuple[float, list[tuple[str, str, int | None]]]],
    *,
    kiosk: str = "front-desk",
    now: datetime | None = None,
) -> str:
    """A member with sessions ``(days ago, [(test, result, rating), ...])``, written as owner."""
    now = now or datetime.now(UTC)
    member_id = new_ulid()
    with psycopg.connect(server.admin_dsn) as connection:
        connection.execute(
            "INSERT INTO fleet.members (id, name) VALUES (%s, %s)", (member_id, name)
        )
        for days_ago, checks in sessions:
            at = now - timedelta(days=days_ago)
            session_id = new_ulid()
            connection.execute(
                "INSERT INTO fleet.sessions (id, kiosk, member_id, routine_id, routine_digest,"
                " routine_title, started_at, ended_at, status, current_moment, plan_size)"
                " VALUES (%s, %s, %s, 'knee-valgus-reset', 'd', 'Knee valgus reset', %s, %s,"
                " 'finished', 3, 3)",
                (session_id, kiosk, member_id, at, at + timedelta(minutes=20)),
            )
            for offset, (test, result, rating) in enumerate(checks):
                connection.execute(
                    "INSERT INTO fleet.checks (id, session_id, kiosk, test_id, result, rating, at)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    (
                        new_ulid(),
                        session_id,
                        kiosk,
                        test,
                        result,
                        rating,
                        at + timedelta(seconds=offset),
                    ),
                )
    return member_id
