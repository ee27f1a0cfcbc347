"""`trainer server init` / `add-kiosk` and row-level security, with real roles."""

from __future__ import annotations

import psycopg
import pytest
from fleet_helpers import FleetServer

from trainer.cli import main
from trainer.fleet.roles import scram_verifier
from trainer.fleet.schema import SCHEMA_VERSION

pytestmark = pytest.mark.postgres

SESSION = (
    "INSERT INTO fleet.sessions (id, routine_id, routine_digest, routine_title, started_at,"
    " status, current_moment, plan_size) VALUES (%s, 'r', 'd', 'R', now(), 'finished', 3, 3)"
)


def test_init_creates_the_schema_and_is_safe_to_run_again(
    pg_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["server", "init", "--dsn", pg_database]) == 0
    assert f"migrated from version 0 to {SCHEMA_VERSION}" in capsys.readouterr().out
    assert main(["server", "init", "--dsn", pg_database]) == 0
    out = capsys.readouterr().out
    assert "up to date" in out
    assert "password=" not in out or "password=***" in out
    with psycopg.connect(pg_database) as connection:
        versions = connection.execute("SELECT version FROM fleet.migrations").fetchall()
    assert versions == [(version,) for version in range(1, SCHEMA_VERSION + 1)]


def test_add_kiosk_prints_a_dsn_that_logs_in(
    fleet: FleetServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["server", "add-kiosk", "front-desk-1", "--dsn", fleet.admin_dsn]) == 0
    captured = capsys.readouterr()
    dsn = captured.out.strip()
    assert "user=front-desk-1" in dsn and "password=" in dsn
    assert "only time the password is shown" in captured.err
    with psycopg.connect(dsn) as connection:
        assert connection.execute("SELECT current_user").fetchone() == ("front-desk-1",)
    # A second add-kiosk with the same name refuses instead of silently re-keying.
    assert main(["server", "add-kiosk", "front-desk-1", "--dsn", fleet.admin_dsn]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (
        main(["server", "add-kiosk", "front-desk-1", "--new-password", "--dsn", fleet.admin_dsn])
        == 0
    )
    new_dsn = capsys.readouterr().out.strip()
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(dsn).close()
    psycopg.connect(new_dsn).close()


def test_bad_kiosk_name_is_refused_clearly(
    fleet: FleetServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["server", "add-kiosk", "Front Desk; DROP", "--dsn", fleet.admin_dsn]) == 1
    assert "not a usable name" in capsys.readouterr().err


def test_server_down_is_one_clear_line(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    dsn = f"host={tmp_path} port=1 dbname=x user=y password=secret-pw connect_timeout=2"
    assert main(["server", "init", "--dsn", dsn]) == 1
    err = capsys.readouterr().err
    assert err.startswith("trainer: cannot reach the fleet server")
    assert "secret-pw" not in err and "password=***" in err


def test_the_password_is_sent_as_a_scram_verifier_only() -> None:
    verifier = scram_verifier("pencil", salt=bytes(16))
    assert verifier.startswith("SCRAM-SHA-256$4096:AAAAAAAAAAAAAAAAAAAAAA==$")
    assert "pencil" not in verifier


def test_kiosk_sees_and_writes_only_its_own_sessions(fleet: FleetServer) -> None:
    kiosk_a, kiosk_b = fleet.add("kiosk"), fleet.add("kiosk")
    with psycopg.connect(kiosk_a) as a:
        a.execute(SESSION, ("01AAAAAAAAAAAAAAAAAAAAAAAA",))
        a.execute(
            "INSERT INTO fleet.checks (id, session_id, test_id, result, rating, at)"
            " VALUES ('01CCCCCCCCCCCCCCCCCCCCCCCC', '01AAAAAAAAAAAAAAAAAAAAAAAA', 'aslr',"
            " 'even', 2, now())"
        )
    with psycopg.connect(kiosk_b) as b:
        b.execute(SESSION, ("01BBBBBBBBBBBBBBBBBBBBBBBB",))
        assert b.execute("SELECT id FROM fleet.sessions").fetchall() == [
            ("01BBBBBBBBBBBBBBBBBBBBBBBB",)
        ]
        assert b.execute("SELECT count(*) FROM fleet.checks").fetchone() == (0,)
        # Updating A's session changes nothing: the row is invisible to B.
        updated = b.execute(
            "UPDATE fleet.sessions SET status = 'abandoned' WHERE id = '01AAAAAAAAAAAAAAAAAAAAAAAA'"
        )
        assert updated.rowcount == 0
    # Forging a row in A's name is refused by the policy.
    with (
        psycopg.connect(kiosk_b) as b,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"),
    ):
        b.execute(
            SESSION.replace("(id,", "(kiosk, id,").replace("VALUES (%s", "VALUES (%s, %s"),
            (kiosk_a.split("user=")[1].split()[0], "01DDDDDDDDDDDDDDDDDDDDDDDD"),
        )
    assert fleet.rows(
        "SELECT status FROM fleet.sessions WHERE id = '01AAAAAAAAAAAAAAAAAAAAAAAA'"
    ) == [("finished",)]


def test_kiosk_reads_roster_and_packs_but_cannot_write_them(fleet: FleetServer) -> None:
    kiosk, coach = fleet.add("kiosk"), fleet.add("coach")
    with psycopg.connect(coach) as c:
        c.execute("INSERT INTO fleet.members (id, name) VALUES ('m1', 'Alex')")
        c.execute(
            "INSERT INTO fleet.assignments (member_id, routine_id, position) VALUES ('m1', 'r', 0)"
        )
        c.execute("INSERT INTO fleet.packs (digest, files) VALUES ('d', '{}')")
    with psycopg.connect(kiosk) as k:
        assert k.execute("SELECT name FROM fleet.members").fetchall() == [("Alex",)]
        assert k.execute("SELECT routine_id FROM fleet.assignments").fetchall() == [("r",)]
        assert k.execute("SELECT count(*) FROM fleet.packs").fetchone() == (1,)
    for statement in (
        "INSERT INTO fleet.packs (digest, files) VALUES ('evil', '{}')",
        "UPDATE fleet.packs SET files = '{}'",
        "DELETE FROM fleet.packs",
        "UPDATE fleet.members SET name = 'Mallory'",
        "DELETE FROM fleet.members",
        "DELETE FROM fleet.assignments",
    ):
        with psycopg.connect(kiosk) as k, pytest.raises(psycopg.errors.InsufficientPrivilege):
            k.execute(statement)  # type: ignore[arg-type]


def test_kiosk_enrolls_members_in_its_own_name_only(fleet: FleetServer) -> None:
    kiosk = fleet.add("kiosk")
    with psycopg.connect(kiosk) as k:
        k.execute("INSERT INTO fleet.members (id, name, code) VALUES ('m2', 'Sam', '4711')")
    with (
        psycopg.connect(kiosk) as k,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"),
    ):
        k.execute("INSERT INTO fleet.members (id, name, added_by) VALUES ('m3', 'X', 'coach')")
    assert fleet.rows("SELECT id, name, code FROM fleet.members") == [("m2", "Sam", "4711")]


def test_coach_reads_every_kiosks_sessions_but_cannot_write_them(fleet: FleetServer) -> None:
    kiosk_a, kiosk_b, coach = fleet.add("kiosk"), fleet.add("kiosk"), fleet.add("coach")
    for dsn, ulid in (
        (kiosk_a, "01AAAAAAAAAAAAAAAAAAAAAAAA"),
        (kiosk_b, "01BBBBBBBBBBBBBBBBBBBBBBBB"),
    ):
        with psycopg.connect(dsn) as connection:
            connection.execute(SESSION, (ulid,))
    with psycopg.connect(coach) as c:
        assert c.execute("SELECT count(*) FROM fleet.sessions").fetchone() == (2,)
    with psycopg.connect(coach) as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
        c.execute(SESSION, ("01EEEEEEEEEEEEEEEEEEEEEEEE",))
