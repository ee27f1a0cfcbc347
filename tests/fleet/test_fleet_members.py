"""Members across kiosks: enrolled, changed or removed at one, the same at every other;
their history and their tighter side follow them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from fleet_helpers import FleetServer, Kiosk, assert_exactly_once, finished_session, sync
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from support.app import make_settings
from support.clock import FakeClock
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from trainer.adapters.store import SessionStore
from trainer.core.flow import TrainerCore
from trainer.core.settings import AppSettings
from trainer.fleet.dashboard import Dashboard
from trainer.ui.app import TrainerApp
from trainer.ui.screens.history import HistoryScreen

pytestmark = pytest.mark.postgres

ENROLLED = "2026-01-01T10:00:00+00:00"


def aslr(result: str, at: str | None = None) -> dict[str, str]:
    return {"test_id": "aslr", "result": result, **({"at": at} if at else {})}


class FleetService:
    """Stands for the fleet link in the core's settings: a fleet is configured."""

    def __init__(self) -> None:
        self.nudges = 0

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def nudge(self) -> None:
        self.nudges += 1

    def describe(self) -> str:
        return "fleet"


def kiosk_core(store: SessionStore) -> TrainerCore:
    """A kiosk's core on ``store``, with a fleet configured."""
    core = TrainerCore(AppSettings(background=(FleetService(),)), notify=lambda _: None)
    core.store = store
    return core


def test_a_member_enrolled_at_one_kiosk_signs_in_at_another(
    fleet: FleetServer, tmp_path: Path
) -> None:
    front, back = fleet.kiosk(tmp_path / "front"), fleet.kiosk(tmp_path / "back")
    with front.open_store() as store:
        sam = store.roster.add("Sam", code="4711", badge="0A1B2C3D", created_at=ENROLLED)
    sync(front)
    sync(back)
    with back.open_store() as store:
        found = store.roster.by_code("4711")
        assert found is not None and (found.uid, found.name) == (sam.uid, "Sam")
        assert store.roster.by_badge("0A1B2C3D") == found
        finished_session(store, found.id, "2026-01-02T10:00:00+00:00")
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
        first = store.roster.add("Sam", code="4711", created_at=ENROLLED)
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
    front, back = fleet.kiosk(tmp_path / "front"), fleet.kiosk(tmp_path / "back")
    with front.open_store() as store:
        sam = store.roster.add("Sam", code="4711", created_at=ENROLLED)
        finished_session(
            store,
            sam.id,
            "2026-01-02T10:00:00+00:00",
            checks=[aslr("left-tighter", "2026-01-02T10:05:00+00:00")],
        )
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
        finished_session(
            store, here.id, "2026-01-03T10:00:00+00:00", checks=[aslr("right-tighter")]
        )
        assert core._tighter_sides().side_for("aslr") == "right"


def test_kiosks_cannot_read_other_kiosks_checks_directly(
    fleet: FleetServer, tmp_path: Path
) -> None:
    front, back = fleet.kiosk(tmp_path / "front"), fleet.kiosk(tmp_path / "back")
    with front.open_store() as store:
        sam = store.roster.add("Sam", created_at=ENROLLED)
        finished_session(
            store,
            sam.id,
            "2026-01-02T10:00:00+00:00",
            checks=[
                aslr("left-tighter", "2026-01-02T10:01:00+00:00"),
                aslr("even", "2026-01-02T10:05:00+00:00"),
            ],
        )
    sync(front)
    with psycopg.connect(back.dsn) as connection:
        assert connection.execute("SELECT count(*) FROM fleet.checks").fetchone() == (0,)
        # Only member, test, result and times come through the function.
        rows = connection.execute("SELECT * FROM fleet.member_checks_since('-infinity')").fetchall()
    # Only the newest result per member and test: a joining kiosk pulls little.
    assert len(rows) == 1
    assert rows[0][:3] == (sam.uid, "aslr", "even") and len(rows[0]) == 5


# -- a member's whole history follows them ------------------------------------------


def enrol_sam_and_kim_at(front: Kiosk) -> tuple[str, str]:
    """Sam (two sessions, with moments and a check) and Kim (one) train at ``front``."""
    with front.open_store() as store:
        sam = store.roster.add("Sam", code="4711", created_at=ENROLLED)
        kim = store.roster.add("Kim", code="5822", created_at=ENROLLED)
        for day, result in (("02", "left-tighter"), ("04", "even")):
            finished_session(
                store, sam.id, f"2026-01-{day}T10:00:00+00:00", moments=3, checks=[aslr(result)]
            )
        finished_session(store, kim.id, "2026-01-03T10:00:00+00:00", moments=2)
    return sam.uid, kim.uid


def two_kiosks_knowing_sam_and_kim(
    fleet: FleetServer, tmp_path: Path
) -> tuple[Kiosk, Kiosk, str, str]:
    """Front and back kiosks, Sam and Kim enrolled and trained at the front, both synced."""
    front, back = fleet.kiosk(tmp_path / "front"), fleet.kiosk(tmp_path / "back")
    sam_uid, kim_uid = enrol_sam_and_kim_at(front)
    sync(front)
    sync(back)
    return front, back, sam_uid, kim_uid


def test_a_members_history_follows_them_to_another_kiosk(
    fleet: FleetServer, tmp_path: Path
) -> None:
    front, back, sam_uid, _ = two_kiosks_knowing_sam_and_kim(fleet, tmp_path)
    with back.open_store() as store:  # the roster came; nobody has signed in here yet
        assert store.recent_sessions() == []
        sam = store.roster.by_code("4711")
        assert sam is not None
        core = kiosk_core(store)
        core.member = sam
        core.follow_member(sam)  # what signing in does
        assert core.settings.background[0].nudges == 1  # type: ignore[attr-defined]
        view = core.history()
        assert view is not None and view.sessions == ()
        assert view.note is not None and "not here yet" in view.note  # nothing pulled yet
        # Sam's own session here, before the pull.
        finished_session(store, sam.id, "2026-01-05T10:00:00+00:00", moments=1)
    report = sync(back)
    assert report.history_sessions == 2
    with back.open_store() as store:
        sam = store.roster.by_code("4711")
        assert sam is not None
        core = kiosk_core(store)
        core.member = sam
        view = core.history()
        assert view is not None and view.note is None
        # Newest first; those from the front kiosk say where they were done, with
        # moments counted by the same rule as this kiosk's own.
        assert [
            (o.session.started_at[:10], o.session.kiosk, o.moments_done) for o in view.sessions
        ] == [
            ("2026-01-05", None, 1),
            ("2026-01-04", front.role, 3),
            ("2026-01-02", front.role, 3),
        ]
        # "Last time" at the end of a session here compares with the front's checks.
        assert [check.result for check in view.checks] == ["left-tighter", "even"]
        # Kim never signed in here: none of her history came.
        assert store.recent_sessions(who=None) == []
        assert len(store.recent_sessions()) == 3
    # Nothing pulled is sent back, and a second pass takes nothing twice.
    assert sync(back).history_sessions == 0
    assert_exactly_once(fleet, front, back)
    # A later session at the front comes on the next pass.
    with front.open_store() as store:
        sam_front = store.roster.by_code("4711")
        assert sam_front is not None
        finished_session(store, sam_front.id, "2026-01-06T10:00:00+00:00", moments=2)
    sync(front)
    assert sync(back).history_sessions == 1
    with back.open_store() as store:
        assert len(store.recent_sessions()) == 4
    assert sam_uid == sam.uid


def test_kiosk_b_gets_a_members_history_only_through_the_function(
    fleet: FleetServer, tmp_path: Path
) -> None:
    front, back = fleet.kiosk(tmp_path / "front"), fleet.kiosk(tmp_path / "back")
    sam_uid, kim_uid = enrol_sam_and_kim_at(front)
    sync(front)
    history = (
        "SELECT id, kiosk, moments, checks FROM fleet.member_history(%s, '-infinity', '', 100)"
    )
    with psycopg.connect(back.dsn) as connection:
        # The back kiosk's role reads none of the front's rows directly...
        for table in ("sessions", "moments", "checks"):
            assert connection.execute(f"SELECT count(*) FROM fleet.{table}").fetchone() == (0,)
        # ...and through the function, Sam's sessions only, with their moments and checks.
        rows = connection.execute(history, (sam_uid,)).fetchall()
        assert {row[1] for row in rows} == {front.role} and len(rows) == 2
        assert [len(row[2]) for row in rows] == [3, 3] and [len(row[3]) for row in rows] == [1, 1]
        assert len(connection.execute(history, (kim_uid,)).fetchall()) == 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("UPDATE fleet.members SET name = 'x'")
    sam_sessions = fleet.rows("SELECT id FROM fleet.sessions WHERE member_id = %s", (sam_uid,))
    assert {row[0] for row in rows} == {row[0] for row in sam_sessions}
    # A kiosk's own sessions do not come back to it.
    with psycopg.connect(front.dsn) as connection:
        assert connection.execute(history, (sam_uid,)).fetchall() == []


def test_an_offline_kiosk_shows_what_it_has_and_says_so(fleet: FleetServer, tmp_path: Path) -> None:
    _, back, _, _ = two_kiosks_knowing_sam_and_kim(fleet, tmp_path)
    with back.open_store() as store:
        sam = store.roster.by_code("4711")
        assert sam is not None
        store.follow_member_history(sam.uid)
    sync(back)
    # Later the server cannot be reached: the pass fails, the pulled sessions stay.
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds")
    with back.open_store() as store:
        store.connection.execute("UPDATE fleet_history SET pulled_at = ?", (an_hour_ago,))
    nowhere = {**conninfo_to_dict(back.dsn), "port": "1"}  # no server listens there
    offline = Kiosk(make_conninfo(**{k: str(v) for k, v in nowhere.items()}), back.data_dir)
    with pytest.raises(Exception, match="cannot reach the fleet server"):
        sync(offline)
    with back.open_store() as store:
        core = kiosk_core(store)
        core.member = store.roster.by_code("4711")
        view = core.history()
    assert view is not None and len(view.sessions) == 2
    stamp = datetime.fromisoformat(an_hour_ago).astimezone()
    assert view.note == (
        f"Offline: sessions at other kiosks as of {stamp:%Y-%m-%d %H:%M}; "
        "later ones are not here yet."
    )


# -- renames, codes and removals travel ---------------------------------------------


def members_at(kiosk: Kiosk) -> dict[str, tuple[str, str | None]]:
    with kiosk.open_store() as store:
        return {m.uid: (m.name, m.code) for m in store.roster.all() if not m.is_owner}


def test_rename_code_change_and_removal_reach_every_kiosk(
    fleet: FleetServer, tmp_path: Path
) -> None:
    from trainer.cli import main

    front, back, sam_uid, kim_uid = two_kiosks_knowing_sam_and_kim(fleet, tmp_path)
    with back.open_store() as store:
        store.follow_member_history(kim_uid)
    sync(back)  # Kim's history from the front is here now
    data = ["--data-dir", str(back.data_dir)]
    assert main(["members", "rename", "Sam", "Samuel", *data]) == 0
    assert main(["members", "code", "Samuel", "9999", *data]) == 0
    assert main(["members", "remove", "Kim", *data]) == 0
    with back.open_store() as store:
        assert store.recent_sessions(who=None) == []  # the copies of Kim's sessions went
        batch = store.outbox_batch(100)
    assert [kind for _, kind, _ in batch] == ["member"] * 3
    sync(back)
    sync(front)
    assert members_at(front) == members_at(back) == {sam_uid: ("Samuel", "9999")}
    assert fleet.rows(
        "SELECT name, code, removed_at IS NOT NULL FROM fleet.members ORDER BY name"
    ) == [
        ("Kim", None, True),
        ("Samuel", "9999", False),
    ]
    # Kim's sessions made at the front stay there, belonging to nobody.
    with front.open_store() as store:
        assert len(store.recent_sessions(who=None)) == 1
    # The same batch delivered again changes nothing; later passes send nothing.
    with back.open_store() as store:
        client = back.client(store)
        assert client._push(batch) == 2
        client.close()
    assert sync(back).pushed == sync(front).pushed == 0
    assert members_at(front) == members_at(back) == {sam_uid: ("Samuel", "9999")}
    assert fleet.rows("SELECT count(*) FROM fleet.members") == [(2,)]


def test_the_latest_change_wins_and_a_removal_wins_over_any(
    fleet: FleetServer, tmp_path: Path
) -> None:
    front, back, sam_uid, kim_uid = two_kiosks_knowing_sam_and_kim(fleet, tmp_path)
    # Both kiosks rename Sam while apart; the back first, the front a moment later.
    for kiosk, name in ((back, "Sam B"), (front, "Sam F")):
        with kiosk.open_store() as store:
            store.roster.rename(store.roster.get("Sam"), name)
    sync(front)
    sync(back)  # its older rename loses on the server...
    sync(front)
    assert members_at(back)[sam_uid] == members_at(front)[sam_uid] == ("Sam F", "4711")
    # ...and a later rename of a member removed elsewhere loses to the removal.
    with back.open_store() as store:
        store.roster.remove(store.roster.get("Kim"), delete_history=False)
    with front.open_store() as store:
        store.roster.set_code(store.roster.get("Kim"), "6000")
    sync(back)
    sync(front)
    sync(back)
    assert kim_uid not in members_at(front) and kim_uid not in members_at(back)
    assert fleet.rows(
        "SELECT code, removed_at IS NOT NULL FROM fleet.members WHERE id = %s", (kim_uid,)
    ) == [(None, True)]
    # The coach's member list leaves Kim out now; her page (and sessions) stay.
    with psycopg.connect(fleet.add("coach")) as coach:
        dashboard = Dashboard(coach)
        assert [member.id for member in dashboard.members()] == [sam_uid]
        assert dashboard.member_page(kim_uid).member.total_sessions == 1


async def test_the_history_screen_shows_sessions_from_elsewhere_and_says_when_offline(
    fleet: FleetServer, tmp_path: Path, clock: FakeClock
) -> None:
    front, back, _, _ = two_kiosks_knowing_sam_and_kim(fleet, tmp_path)
    with back.open_store() as store:
        store.follow_member_history(store.roster.get("Sam").uid)
    sync(back)
    with back.open_store() as store:  # the last pull was long ago: the server is away
        store.connection.execute("UPDATE fleet_history SET pulled_at = '2026-01-01T09:00:00Z'")
    settings = replace(
        make_settings(tmp_path, clock),
        database=back.database,
        member="Sam",
        background=(FleetService(),),
    )
    app = TrainerApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.until_ready()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        note = str(app.screen.query_one("#note", Static).render())
        assert note.startswith("Offline: sessions at other kiosks as of 2026-01-01")
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 2
        assert str(table.get_cell_at(Coordinate(0, 3))) == f"finished\nat {front.role}"
        app.save_screenshot(str(tmp_path / "history.svg"))
