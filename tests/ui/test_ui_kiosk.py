"""Kiosk mode: nothing a passer-by presses exits; errors, idleness and new files are handled."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.app import advance, make_settings, until
from support.clock import FakeClock
from textual import events

from trainer.adapters.store.database import SessionStore
from trainer.core.flow import TrainerCore
from trainer.core.session import ActiveSession
from trainer.core.settings import KioskSettings
from trainer.ui.app import BaseScreen
from trainer.ui.kiosk import KioskApp
from trainer.ui.screens.admin import AdminScreen, PinPrompt
from trainer.ui.screens.attract import AttractScreen
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.session import SessionScreen

ROUTINE = """\
title: {title}
summary: A short one.
blocks:
  - name: Release
    steps:
      - {{kind: hold, name: Calf, duration: 30s}}
"""


def routine_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "calf.yaml").write_text(ROUTINE.format(title="Calf only"))
    return folder


def titles(app: KioskApp) -> list[str]:
    assert isinstance(app.screen, PickerScreen)
    return [choice.title for choice in app.screen.choices]


async def test_exit_and_suspend_keys_do_nothing(tmp_path: Path, clock: FakeClock):
    app = KioskApp(make_settings(tmp_path, clock))
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        for key in ("ctrl+c", "ctrl+q", "q", "ctrl+z", "ctrl+backslash", "ctrl+p", "escape"):
            await pilot.press(key)
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, AttractScreen)
        await pilot.press("space")  # a guest
        assert isinstance(app.screen, PickerScreen)
        for key in ("ctrl+c", "ctrl+q", "q", "ctrl+z", "ctrl+backslash", "ctrl+p", "escape"):
            await pilot.press(key)
        assert isinstance(app.screen, PickerScreen) and app.is_running
        await pilot.press("enter")  # start a session: q must not end it either
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("q", "ctrl+c", "ctrl+q")
        assert isinstance(app.screen, SessionScreen) and app.is_running


async def test_admin_pin_opens_the_admin_screen_and_exits(tmp_path: Path, clock: FakeClock):
    settings = make_settings(tmp_path, clock, kiosk=KioskSettings(admin_pin="1357"))
    app = KioskApp(settings)
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await pilot.press("f12")
        assert isinstance(app.screen, PinPrompt)
        await pilot.press("1", "2", "3", "4", "enter")  # wrong PIN: said where it was typed
        assert isinstance(app.screen, PinPrompt)
        assert "Wrong PIN" in str(app.screen.query_one("#verdict").render())
        await pilot.press("escape")
        assert isinstance(app.screen, AttractScreen)
        await pilot.press("f12", "1", "3", "5", "7", "enter")
        assert isinstance(app.screen, AdminScreen)
        await pilot.press("1")  # exit
        await pilot.pause()
    assert app.admin_exited and app.return_code == 0


async def test_an_unexpected_error_is_logged_and_the_kiosk_returns_to_the_picker(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
):
    app = KioskApp(make_settings(tmp_path, clock))

    def broken(self, action):
        raise RuntimeError("a bug in a screen")

    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await pilot.press("space", "enter")
        assert isinstance(app.screen, SessionScreen)
        monkeypatch.setattr(SessionScreen, "take", broken)
        await pilot.press("x")
        await pilot.pause()
        await pilot.pause()
        assert app.is_running and app.recovered_errors == 1
        assert isinstance(app.screen, AttractScreen)
        monkeypatch.undo()
        await pilot.press("space", "enter")  # and it still works
        assert isinstance(app.screen, SessionScreen)
    log = (tmp_path / "logs" / "errors.log").read_text()
    assert "RuntimeError: a bug in a screen" in log


@pytest.mark.parametrize("where", ["the engine's tick", "the kiosk's own key handling"])
async def test_an_error_in_a_timer_or_the_apps_own_handler_is_recovered_from_too(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, where: str
):
    app = KioskApp(make_settings(tmp_path, clock))
    failures: list[str] = []

    def broken(*args: object) -> None:
        failures.append(where)
        raise RuntimeError(f"a bug in {where}")

    async with app.run_test() as pilot:
        await app.until_ready()
        await pilot.press("space", "enter")
        assert isinstance(app.screen, SessionScreen)
        if where == "the engine's tick":
            monkeypatch.setattr(ActiveSession, "tick", broken)
            app.screen.tick()  # as the refresh timer would
        else:
            monkeypatch.setattr(TrainerCore, "action_for_key", broken)
            await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, AttractScreen))
        # The session screen's own refresh timer may tick (and fail) again before the
        # reset lands when the machine is loaded: each failure is recovered from.
        assert app.is_running and app.recovered_errors == len(failures) >= 1
        monkeypatch.undo()
        await pilot.press("space", "enter")  # and it still works
        assert isinstance(app.screen, SessionScreen)
    log = (tmp_path / "logs" / "errors.log").read_text()
    assert f"RuntimeError: a bug in {where}" in log


async def test_idle_session_returns_to_the_picker_and_is_logged_abandoned(
    tmp_path: Path, clock: FakeClock
):
    settings = make_settings(tmp_path, clock, kiosk=KioskSettings(idle_seconds=120))
    app = KioskApp(settings)
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await pilot.press("space", "enter", "space")  # a guest starts a routine and its clock
        assert isinstance(app.screen, SessionScreen)
        await pilot.press("escape")  # paused, then walked away
        app.check_unattended()  # the periodic check has seen this screen
        await advance(pilot, app, clock, 119)
        app.check_unattended()
        assert isinstance(app.screen, SessionScreen)  # not yet
        await advance(pilot, app, clock, 2)
        app.check_unattended()
        await pilot.pause()
        assert isinstance(app.screen, AttractScreen) and app.desk.visitor is None
        # Textual's default screen, the base, the attract screen: nothing left behind.
        assert [type(screen) for screen in app.screen_stack[1:]] == [BaseScreen, AttractScreen]
    store = SessionStore.open(tmp_path / "history.sqlite3")
    assert [o.session.status for o in store.recent_sessions()] == ["abandoned"]
    store.close()


async def test_a_counting_hold_is_not_idle(tmp_path: Path, clock: FakeClock):
    settings = make_settings(
        tmp_path,
        clock,
        folders=[routine_folder(tmp_path)],
        kiosk=KioskSettings(idle_seconds=10),
    )
    app = KioskApp(settings)
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await pilot.press("space", "enter", "space")
        await advance(pilot, app, clock, 20)  # a 30 s hold, no input for 20 s
        app.check_unattended()
        assert isinstance(app.screen, SessionScreen)


async def test_new_and_broken_routine_files_appear_without_restart(
    tmp_path: Path, clock: FakeClock
):
    folder = routine_folder(tmp_path)
    app = KioskApp(make_settings(tmp_path, clock, folders=[folder]))
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await pilot.press("space")
        assert titles(app) == ["Calf only"]
        (folder / "hips.yaml").write_text(ROUTINE.format(title="Hips too"))
        (folder / "broken.yaml").write_text("title: [unclosed\n")
        await until(pilot, lambda: app.core.problem_count == 1 and len(titles(app)) == 2)
        assert titles(app) == ["Calf only", "Hips too"]
        assert "1 routine file(s) have problems" in app.screen.query_one("#problems").render().plain
        await pilot.press("f12", *"2468", "enter")
        assert isinstance(app.screen, AdminScreen)
        problems = app.screen.query_one("#problems").render().plain
        assert f"{folder / 'broken.yaml'}:2:1: YAML syntax" in problems
        (folder / "hips.yaml").unlink()  # deleted while the kiosk runs
        await pilot.press("2")  # reload: the menu comes back, saying what it found
        await pilot.pause()
        assert isinstance(app.screen, AdminScreen)
        outcome = app.screen.query_one("#outcome").render()
        assert "1 routine, 1 file(s) with problems" in str(outcome)
        await pilot.press("escape")
        await pilot.pause()
        assert titles(app) == ["Calf only"]


async def test_the_summary_returns_to_the_picker_on_its_own(tmp_path: Path, clock: FakeClock):
    from trainer.ui.screens.summary import SummaryScreen

    settings = make_settings(
        tmp_path,
        clock,
        folders=[routine_folder(tmp_path)],
        kiosk=KioskSettings(summary_seconds=60, idle_seconds=600),
    )
    app = KioskApp(settings)
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await pilot.press("space", "enter", "space")
        await advance(pilot, app, clock, 30)  # the only hold ends: finished
        assert isinstance(app.screen, SummaryScreen)
        app.check_unattended()  # the periodic check notices the new screen
        clock.advance(59)
        app.check_unattended()
        assert isinstance(app.screen, SummaryScreen)
        clock.advance(2)
        app.check_unattended()
        await pilot.pause()
        assert isinstance(app.screen, AttractScreen) and app.desk.visitor is None


async def test_files_changed_during_a_session_show_in_the_picker_after_it(
    tmp_path: Path, clock: FakeClock
):
    folder = routine_folder(tmp_path)
    (folder / "hips.yaml").write_text(ROUTINE.format(title="Hips too"))
    app = KioskApp(make_settings(tmp_path, clock, folders=[folder]))
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await pilot.press("space", "enter")  # a guest: Calf only
        assert isinstance(app.screen, SessionScreen)
        (folder / "hips.yaml").unlink()
        (folder / "knees.yaml").write_text(ROUTINE.format(title="Knees"))
        await until(pilot, lambda: "knees" in app.core.catalog.routines)
        await pilot.press("q")  # ignored in the kiosk
        app.core.abandon()
        app.pop_screen()  # back to the picker that waited under the session
        await pilot.pause()
        assert titles(app) == ["Calf only", "Knees"]


def picker_present(app: KioskApp) -> bool:
    """The attract screen (or a visitor's picker) is somewhere in the stack."""
    return any(isinstance(screen, PickerScreen | AttractScreen) for screen in app.screen_stack)


async def test_an_extra_enter_at_the_pin_prompt_never_blanks_the_kiosk(
    tmp_path: Path, clock: FakeClock
):
    app = KioskApp(make_settings(tmp_path, clock))
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        for pin in ("1234", "2468"):  # wrong, then right
            await pilot.press("f12", *pin)
            assert isinstance(app.screen, PinPrompt)
            # Typed quickly: both Enters are queued before the first is handled.
            app.post_message(events.Key("enter", "\r"))
            app.post_message(events.Key("enter", "\r"))
            await pilot.pause()
            await pilot.pause()
            assert picker_present(app), app.screen_stack
            assert app.recovered_errors == 0
        assert isinstance(app.screen, AdminScreen)
        await pilot.press("4", "4", "escape")  # back, and more keys than the menu needs
        await pilot.pause()
        assert picker_present(app) and app.is_running


@pytest.mark.parametrize("seed", range(6))
async def test_no_burst_of_keys_leaves_the_kiosk_without_its_picker(
    tmp_path: Path, clock: FakeClock, seed: int
):
    import random

    chooser = random.Random(seed)
    keys = ["f12", "enter", "enter", "escape", "space", "1", "2", "3", "4", "2", "4", "6", "8"]
    keys += ["backspace", "q", "s", "r", "j", "k", "h", "tab"]
    app = KioskApp(make_settings(tmp_path, clock, kiosk=KioskSettings(idle_seconds=60)))
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        for _ in range(12):
            burst = [chooser.choice(keys) for _ in range(chooser.randint(3, 12))]
            await pilot.press(*burst)
            await pilot.pause()
            assert app.is_running, burst
            # Whatever the burst did, the periodic check brings the picker back.
            clock.advance(61)
            app.check_unattended()
            app.check_unattended()  # the first notices a new screen, the second times out
            await pilot.pause()
            assert picker_present(app), (burst, app.screen_stack)
            assert app.recovered_errors == 0, burst
    assert app.return_code in (None, 0)


async def test_the_idle_check_recovers_from_a_bare_stack(tmp_path: Path, clock: FakeClock):
    app = KioskApp(make_settings(tmp_path, clock))
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        while len(app.screen_stack) > 2:  # the picker gone: only Textual's screen and the base
            app.pop_screen()
        await pilot.pause()
        app.check_unattended()  # no waiting: a bare base is never a place to stay
        await pilot.pause()
        assert isinstance(app.screen, AttractScreen)
        while len(app.screen_stack) > 1:  # and even the base gone
            app.pop_screen()
        await pilot.pause()
        app.check_unattended()
        await pilot.pause()
        assert isinstance(app.screen, AttractScreen)
        assert [type(s) for s in app.screen_stack[1:]] == [BaseScreen, AttractScreen]


async def test_the_admin_idle_time_key_works_with_the_simulated_pedal(
    tmp_path: Path, clock: FakeClock
):
    # `trainer kiosk --pedal mock` (or TRAINER_PEDAL=mock): the admin screen said
    # "i  idle time" and `i` held the simulated pedal down instead.
    settings = make_settings(
        tmp_path, clock, pedal="mock", kiosk=KioskSettings(admin_pin="1357", idle_seconds=60)
    )
    app = KioskApp(settings)
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await pilot.press("f12", "1", "3", "5", "7", "enter")
        assert isinstance(app.screen, AdminScreen)
        screen = app.screen
        help_line = str(screen.query_one(".help").render())
        key = help_line.split("idle time")[0].split()[-1]  # the key the line names
        before = screen.admin.idle_seconds
        await pilot.press(key)
        await pilot.pause()
        assert screen.admin.idle_seconds != before, f"{key!r} did not change the idle time"


async def test_a_guest_picker_promises_no_history(tmp_path: Path, clock: FakeClock):
    """A guest has no history: no "h history" key, no "last done never" on every row."""
    app = KioskApp(make_settings(tmp_path, clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")  # a guest
        picker = app.screen
        assert isinstance(picker, PickerScreen) and not picker.keeps_history
        assert "history" not in picker.query_one("#keys").render().plain
        rows = [card.render().plain for card in picker.query(".card")]
        assert rows and not any("last done" in row for row in rows)


async def test_the_admin_says_when_there_is_no_sound_device(tmp_path: Path, clock: FakeClock):
    settings = make_settings(tmp_path, clock, kiosk=KioskSettings(admin_pin="1357"))
    app = KioskApp(settings)  # the tests' sound is the silent backend: no device
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await pilot.press("f12", "1", "3", "5", "7", "enter")
        assert isinstance(app.screen, AdminScreen)
        line = app.screen.query_one("#settings").render().plain
        assert "no sound device" in line and "sound on" not in line
