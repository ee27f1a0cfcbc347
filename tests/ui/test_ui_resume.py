"""After a crash the app offers to resume where the session was; a changed routine is refused."""

from __future__ import annotations

from pathlib import Path

from support.app import Foot, make_settings, pedal_on
from support.clock import FakeClock

from trainer.adapters.store.database import SessionStore
from trainer.adapters.store.recorder import SessionRecorder
from trainer.engine.plan import build_plan
from trainer.engine.session import Session
from trainer.engine.settings import CueRules, EngineSettings
from trainer.engine.vocabulary import Gesture
from trainer.routine.catalog import load_catalog
from trainer.ui.app import TrainerApp
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.prompts import ResumePrompt
from trainer.ui.screens.session import SessionScreen

ROUTINE = """\
title: Three holds
summary: s
blocks:
  - name: A
    steps:
      - {kind: hold, name: One, duration: 10s}
      - {kind: hold, name: Two, duration: 10s}
      - {kind: hold, name: Three, duration: 10s}
"""


def crash_midway(folder: Path, database: Path) -> None:
    """Run two of three holds and stop without ending, as a killed process would."""
    loaded = load_catalog([folder]).routines["three"]
    no_lead_in = EngineSettings(cues=CueRules(count_in_seconds=0))  # times read off the plan
    session, store = Session(build_plan(loaded), no_lead_in), SessionStore.open(database)
    recorder = SessionRecorder(store)
    recorder.handle(session.greeting(0.0))
    recorder.handle(session.gesture(Gesture.TAP, 0.0))
    recorder.handle(session.tick(25.0))  # One and Two done, Three under way
    store.close()


def folder_with_routine(tmp_path: Path) -> Path:
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "three.yaml").write_text(ROUTINE)
    return folder


async def test_resume_offer_continues_at_the_interrupted_moment(tmp_path: Path, clock: FakeClock):
    folder = folder_with_routine(tmp_path)
    crash_midway(folder, tmp_path / "history.sqlite3")
    app = TrainerApp(make_settings(tmp_path, clock, folders=[folder]))
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        assert isinstance(app.screen, ResumePrompt)
        assert "Resume Three holds" in app.screen.question and "at Three" in app.screen.question
        await pilot.press("enter")  # the highlighted choice: resume
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session.last.snapshot.moment.title == "Three"
    store = SessionStore.open(tmp_path / "history.sqlite3")
    (overview,) = store.recent_sessions()  # the same session row carried on
    assert [row.entry.step_name for row in store.moments(overview.session.id)][:2] == ["One", "Two"]
    store.close()


async def test_declining_starts_fresh_and_a_changed_routine_is_refused(
    tmp_path: Path, clock: FakeClock
):
    folder = folder_with_routine(tmp_path)
    crash_midway(folder, tmp_path / "history.sqlite3")
    app = TrainerApp(make_settings(tmp_path, clock, folders=[folder]))
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await pilot.press("space", "enter")  # tap: the next choice, "start it fresh"
        # The routine again from its start (it used to go to the picker instead).
        assert isinstance(app.screen, SessionScreen)
        assert app.screen.session.last.snapshot.index == 0
    store = SessionStore.open(tmp_path / "history.sqlite3")
    statuses = [o.session.status for o in store.recent_sessions()]
    assert statuses[-1] == "interrupted"  # the one cut short stays as it was
    store.close()

    crash_midway(folder, tmp_path / "history.sqlite3")
    (folder / "three.yaml").write_text(
        ROUTINE.replace("Three, duration: 10s", "Three, duration: 20s")
    )
    app = TrainerApp(make_settings(tmp_path, clock, folders=[folder]))
    async with app.run_test():
        await app.until_ready()
        assert isinstance(app.screen, PickerScreen)
        assert any("was changed since the session started" in n for n in app.notices)


async def test_the_prompt_offers_the_way_back_to_the_list(tmp_path: Path, clock: FakeClock):
    """Resume, start fresh, or back to the list, by keys and by pedal (tap: next, hold: choose)."""
    folder = folder_with_routine(tmp_path)
    crash_midway(folder, tmp_path / "history.sqlite3")
    pedal_clock = FakeClock()
    app = TrainerApp(
        make_settings(tmp_path, clock, folders=[folder], pedal="mock"),
        factories=pedal_on(pedal_clock),
    )
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        foot = Foot(pilot, app, pedal_clock)
        prompt = app.screen
        assert isinstance(prompt, ResumePrompt)
        shown = prompt.query_one("#choices").render().plain
        assert "Resume" in shown and "Start it fresh" in shown and "Back to the list" in shown
        await foot.tap()
        await foot.tap()
        assert prompt.highlighted == "list"
        await foot.long_press()
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
    store = SessionStore.open(tmp_path / "history.sqlite3")
    assert [o.session.status for o in store.recent_sessions()] == ["interrupted"]
    store.close()

    crash_midway(folder, tmp_path / "history.sqlite3")
    app = TrainerApp(make_settings(tmp_path, clock, folders=[folder]))
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        assert isinstance(app.screen, ResumePrompt)
        await pilot.press("escape")  # Esc: back to the list, at once
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_the_kiosk_never_offers_a_strangers_session(tmp_path: Path, clock: FakeClock):
    from trainer.ui.kiosk import KioskApp
    from trainer.ui.screens.attract import AttractScreen

    folder = folder_with_routine(tmp_path)
    crash_midway(folder, tmp_path / "history.sqlite3")
    app = KioskApp(make_settings(tmp_path, clock, folders=[folder]))
    async with app.run_test():
        await app.until_ready()
        assert isinstance(app.screen, AttractScreen)  # no resume prompt for the next person
    store = SessionStore.open(tmp_path / "history.sqlite3")
    assert [o.session.status for o in store.recent_sessions()] == ["interrupted"]
    store.close()


async def test_quitting_mid_session_logs_it_abandoned_not_running(tmp_path: Path, clock: FakeClock):
    folder = folder_with_routine(tmp_path)
    app = TrainerApp(make_settings(tmp_path, clock, folders=[folder]))
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await pilot.press("enter", "space")  # a session under way
        assert isinstance(app.screen, SessionScreen)
        clock.advance(12)
        app.screen.tick()
        await pilot.press("ctrl+q")
    store = SessionStore.open(tmp_path / "history.sqlite3")
    (overview,) = store.recent_sessions()
    assert overview.session.status == "abandoned"
    assert store.running_sessions() == []
    store.close()
