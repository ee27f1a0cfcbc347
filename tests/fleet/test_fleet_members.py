"""Members across kiosks: enrolled at one, they sign in at any other with the same code."""

from __future__ import annotations

from pathlib import Path

import pytest
from fleet_helpers import FleetServer, Kiosk

pytestmark = pytest.mark.postgres


def sync(kiosk: Kiosk) -> None:
    with kiosk.open_store() as store:
        client = kiosk.client(store)
        client.sync_once()
        client.close()


def test_a_member_enrolled_at_one_kiosk_signs_in_at_another(
    fleet: FleetServer, tmp_path: Path
) -> None:
    front, back = fleet.kiosk(tmp_path / "front"), fleet.kiosk(tmp_path / "back")
    with front.open_store() as store:
        sam = store.roster.add(
            "Sam", code="4711", badge="0A1B2C3D", created_at="2026-01-01T10:00:00+00:00"
        )
    sync(front)
    sync(back)
    with back.open_store() as store:
        found = store.roster.by_code("4711")
        assert found is not None and (found.uid, found.name) == (sam.uid, "Sam")
        assert store.roster.by_badge("0A1B2C3D") == found
        session = store.start_session(
            routine_id="r",
            digest="d",
            title="R",
            plan_size=1,
            started_at="2026-01-02T10:00:00+00:00",
            member_id=found.id,
        )
        store.finish_session(session, "finished", "2026-01-02T10:10:00+00:00")
    sync(back)
    # The session made at the back kiosk is Sam's on the server, the coach sees it as such.
    assert fleet.rows(
        "SELECT m.name FROM fleet.sessions s JOIN fleet.members m ON m.id = s.member_id"
    ) == [("Sam",)]
    # Each box's owner (home mode's default member) stays on its box.
    assert fleet.rows("SELECT name FROM fleet.members") == [("Sam",)]


def test_a_clash_never_lets_one_member_sign_in_as_another(
    fleet: FleetServer, tmp_path: Path
) -> None:
    front, back = fleet.kiosk(tmp_path / "front"), fleet.kiosk(tmp_path / "back")
    with front.open_store() as store:
        first = store.roster.add("Sam", code="4711", created_at="2026-01-01T10:00:00+00:00")
    with back.open_store() as store:
        other = store.roster.add("Sam", code="4711", created_at="2026-01-01T11:00:00+00:00")
    sync(front)
    sync(back)
    with back.open_store() as store:
        assert store.roster.by_code("4711") == other  # still the local Sam
        adopted = store.roster.find(f"Sam ({first.uid[:6]})")
        assert adopted is not None and adopted.uid == first.uid and adopted.code is None
    # On the server the second Sam has no code: the first one kept it.
    assert sorted(fleet.rows("SELECT name, code FROM fleet.members"), key=str) == [
        ("Sam", "4711"),
        ("Sam", None),
    ]


def test_a_members_tighter_side_follows_them_to_another_kiosk(
    fleet: FleetServer, tmp_path: Path
) -> None:
    from trainer.core.flow import TrainerCore
    from trainer.core.settings import AppSettings

    front, back = fleet.kiosk(tmp_path / "front"), fleet.kiosk(tmp_path / "back")
    with front.open_store() as store:
        sam = store.roster.add("Sam", code="4711", created_at="2026-01-01T10:00:00+00:00")
        session = store.start_session(
            routine_id="r",
            digest="d",
            title="R",
            plan_size=1,
            started_at="2026-01-02T10:00:00+00:00",
            member_id=sam.id,
        )
        store.record_check(
            session,
            test_id="aslr",
            result="left-tighter",
            rating=None,
            at="2026-01-02T10:05:00+00:00",
        )
        store.finish_session(session, "finished", "2026-01-02T10:10:00+00:00")
    sync(front)
    sync(back)
    sync(back)  # a second pass takes nothing twice
    with back.open_store() as store:
        here = store.roster.by_code("4711")
        assert here is not None
        assert store.member_checks_elsewhere(here.uid) == [
            ("aslr", "left-tighter", "2026-01-02T10:05:00+00:00")
        ]
        core = TrainerCore(AppSettings(), notify=lambda _: None)
        core.store, core.member = store, here
        assert core._tighter_sides().side_for("aslr") == "left"
        # A newer result on this kiosk wins over the older one from elsewhere.
        session = store.start_session(
            routine_id="r",
            digest="d",
            title="R",
            plan_size=1,
            started_at="2026-01-03T10:00:00+00:00",
            member_id=here.id,
        )
        store.record_check(
            session,
            test_id="aslr",
            result="right-tighter",
            rating=None,
            at="2026-01-03T10:05:00+00:00",
        )
        assert core._tighter_sides().side_for("aslr") == "right"


def test_kiosks_cannot_read_other_kiosks_checks_directly(
    fleet: FleetServer, tmp_path: Path
) -> None:
    import psycopg

    front, back = fleet.kiosk(tmp_path / "front"), fleet.kiosk(tmp_path / "back")
    with front.open_store() as store:
        sam = store.roster.add("Sam", created_at="2026-01-01T10:00:00+00:00")
        session = store.start_session(
            routine_id="r",
            digest="d",
            title="R",
            plan_size=1,
            started_at="2026-01-02T10:00:00+00:00",
            member_id=sam.id,
        )
        store.record_check(
            session,
            test_id="aslr",
            result="left-tighter",
            rating=None,
            at="2026-01-02T10:01:00+00:00",
        )
        store.record_check(
            session, test_id="aslr", result="even", rating=None, at="2026-01-02T10:05:00+00:00"
        )
    sync(front)
    with psycopg.connect(back.dsn) as connection:
        assert connection.execute("SELECT count(*) FROM fleet.checks").fetchone() == (0,)
        # Only member, test, result and times come through the function.
        rows = connection.execute("SELECT * FROM fleet.member_checks_since('-infinity')").fetchall()
    # Only the newest result per member and test: a joining kiosk pulls little.
    assert len(rows) == 1
    assert rows[0][:3] == (sam.uid, "aslr", "even") and len(rows[0]) == 5
