"""A whole routine driven by the pedal alone, from picker to summary.

Gestures come from the real gpiozero Button on a MockFactory pin, through the
gesture recognizer's thread and the bridge, exactly as on the Pi; the engine
runs on a fake clock so the minute-long routine takes a few seconds.
"""

from __future__ import annotations

from pathlib import Path

from support.app import Foot, advance, make_settings, pedal_on
from support.clock import FakeClock

from trainer.adapters.store.database import SessionStore
from trainer.engine.snapshot import SessionState
from trainer.ui.app import TrainerApp
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.summary import SummaryScreen
from trainer.ui.widgets.big_word import big_word


def snapshot_of(app: TrainerApp):
    assert isinstance(app.screen, SessionScreen)
    return app.screen.session.last.snapshot


async def test_quick_demo_from_picker_to_summary_by_pedal(tmp_path: Path, clock: FakeClock):
    pedal_clock = FakeClock()
    app = TrainerApp(make_settings(tmp_path, clock, pedal="mock"), factories=pedal_on(pedal_clock))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.app.until_ready()
        foot = Foot(pilot, app, pedal_clock)
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        # Quick demo, the routine for trying the pedal, comes first: selected at once.
        assert picker.selected == 0
        assert picker.selected_routine.id == "quick-demo"
        await foot.tap()  # a tap moves down the list, and round it
        assert picker.selected_routine.id == "ankle-release"
        for _ in range(6):
            await foot.tap()
        assert picker.selected_routine.id == "quick-demo"
        await foot.long_press()  # start

        assert snapshot_of(app).state is SessionState.READY
        assert snapshot_of(app).moment.kind == "instruction"  # the welcome, shown while ready
        await foot.tap()  # one tap starts, past the welcome
        snapshot = snapshot_of(app)
        assert (snapshot.moment.title, snapshot.moment.side) == (
            "Calf wall stretch, straight knee",
            "left",
        )
        assert app.screen.query_one("#side").render().plain.strip() == big_word("left").strip()

        await advance(pilot, app, clock, 2)
        await foot.long_press()  # pause
        assert snapshot_of(app).paused
        assert app.screen.query_one("#paused").display
        await advance(pilot, app, clock, 60)  # paused time does not count
        assert snapshot_of(app).moment_left == 4
        await foot.long_press()  # resume
        assert not snapshot_of(app).paused

        await advance(pilot, app, clock, 4)  # the hold ends: switch sides
        assert snapshot_of(app).moment.kind == "switch"
        await advance(pilot, app, clock, 5)
        assert snapshot_of(app).moment.side == "right"
        await foot.long_press()  # pause, then the menu's "back"
        await foot.tap()
        assert snapshot_of(app).pause_menu.highlighted == "back"
        assert "Back" in app.screen.query_one("#paused-text").render().plain
        await foot.long_press()  # back: past the switch, to the left side's hold
        assert (snapshot_of(app).index, snapshot_of(app).moment.side) == (1, "left")
        for seconds in (6, 5, 6):  # left again, switch, right
            await advance(pilot, app, clock, seconds)
        snapshot = snapshot_of(app)
        assert snapshot.moment.title == "Tempo squat"
        await advance(pilot, app, clock, 4)
        assert snapshot_of(app).tempo is not None
        assert "Rep 1/3" in app.screen.query_one("#phase").render().plain
        await advance(pilot, app, clock, 11)  # 3 reps at 3-1-1 = 15 s, then it waits
        assert snapshot_of(app).state is SessionState.WAITING
        await foot.tap()

        assert snapshot_of(app).moment.kind == "check"
        await advance(pilot, app, clock, 6)
        await foot.tap()  # done with the left side
        await advance(pilot, app, clock, 5)  # switch
        await advance(pilot, app, clock, 6)
        await foot.tap()  # done with the right side
        snapshot = snapshot_of(app)
        assert snapshot.state is SessionState.ANSWERING
        await foot.tap()  # first choice: left tighter
        assert snapshot_of(app).answer.result == "left-tighter"
        assert "LEFT TIGHTER" in app.screen.query_one("#answer").render().plain
        await foot.long_press()  # confirm: the session ends

        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        summary = app.screen.summary
        assert summary.status == "finished"
        assert summary.moments_skipped == 0
        assert [(c.test, c.result) for c in summary.checks] == [
            ("knee-to-wall-demo", "left-tighter")
        ]
        text = app.screen.query_one("#summary-text").render().plain
        assert "Well done!" in text and "Knee-to-wall ankle test, demo: left tighter" in text
        await foot.tap()
        assert isinstance(app.screen, PickerScreen)

    store = SessionStore.open(tmp_path / "history.sqlite3")
    (overview,) = store.recent_sessions()
    assert (overview.session.routine_id, overview.session.status) == ("quick-demo", "finished")
    assert [(row.test_id, row.result) for row in store.checks()] == [
        ("knee-to-wall-demo", "left-tighter")
    ]
    # The paused minute is logged as paused, not as time in the stretch.
    calf_left = next(
        row.entry for row in store.moments(overview.session.id) if row.entry.moment_index == 1
    )
    assert (calf_left.actual_seconds, calf_left.paused_seconds) == (6, 60)
    store.close()
