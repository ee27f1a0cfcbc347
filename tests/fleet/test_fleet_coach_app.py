"""The coach dashboard app (Textual Pilot) on a real server through a coach role."""

from __future__ import annotations

import psycopg
import pytest
from fleet_helpers import FleetServer, seed_member
from textual.widgets import DataTable, SelectionList, Sparkline, Static

from trainer import paths
from trainer.fleet.dashboard import Dashboard
from trainer.fleet.packs import publish
from trainer.ui.coach import CoachApp

pytestmark = pytest.mark.postgres

LEFT, EVEN = "left-tighter", "even"
BUNDLED_IDS = [path.stem for path in paths.BUNDLED_ROUTINES_DIR.glob("*.yaml")]


async def test_open_a_member_see_trends_flags_and_assign(
    fleet: FleetServer, tmp_path, request: pytest.FixtureRequest
) -> None:
    seed_member(fleet, "Alex", [(1, [("aslr", EVEN, None), ("knee-pain", EVEN, 2)])])
    blake = seed_member(
        fleet,
        "Blake",
        [
            (20 - day, [("aslr", result, None), ("knee-pain", EVEN, pain)])
            for day, (result, pain) in enumerate(
                [(EVEN, 1), (EVEN, 1), (EVEN, 2), (LEFT, 3), (LEFT, 5), (LEFT, 6)]
            )
        ],
    )
    connection = psycopg.connect(fleet.add("coach"))
    request.addfinalizer(connection.close)  # closed even when an assertion fails
    publish(connection, paths.BUNDLED_ROUTINES_DIR)
    app = CoachApp(Dashboard(connection))
    async with app.run_test(size=(150, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.query_one("#members", DataTable)
        assert table.row_count == 2
        table.move_cursor(row=table.get_row_index(blake))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        title = str(app.query_one("#title", Static).render())
        assert "Blake" in title
        assert "pain rising" in str(app.query_one("#flags", Static).render())
        trends = str(app.query_one("#trends", Static).render())
        assert "aslr" in trends and "= = = L L L" in trends
        assert list(app.query_one("#pain", Sparkline).data or []) == [1, 1, 2, 3, 5, 6]
        app.save_screenshot(str(tmp_path / "coach.svg"))

        # The picker offers the newest pack's routines; ticked in this order, saved so.
        await pilot.press("a")
        picker = app.query_one("#assign", SelectionList)
        assert app.focused is picker
        offered = [picker.get_option_at_index(i).value for i in range(picker.option_count)]
        assert set(offered) == set(BUNDLED_IDS)
        for routine_id in ("squat-groove", "ankle-release"):
            picker.highlighted = offered.index(routine_id)
            await pilot.press("space")
        app.save_screenshot(str(tmp_path / "coach-picker.svg"))
        await pilot.click("#assign-save")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "squat-groove, ankle-release" in str(app.query_one("#assigned", Static).render())
        # Reopened, the assigned ones come first, ticked, in the coach's order.
        picker = app.query_one("#assign", SelectionList)
        assert picker.selected == ["squat-groove", "ankle-release"]
        assert picker.get_option_at_index(0).value == "squat-groove"
    assert fleet.rows(
        "SELECT routine_id FROM fleet.assignments WHERE member_id = %s ORDER BY position", (blake,)
    ) == [("squat-groove",), ("ankle-release",)]


def test_the_picker_says_when_no_pack_is_published(
    fleet: FleetServer, request: pytest.FixtureRequest
) -> None:
    connection = psycopg.connect(fleet.add("coach"))
    request.addfinalizer(connection.close)
    assert Dashboard(connection).routines() == []
