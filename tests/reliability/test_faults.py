"""Faults while the kiosk runs: each is reported plainly, the session goes on, and
nothing already recorded is lost.

* the sound device goes away mid-session (a backend that starts raising);
* the pedal sticks down for ten minutes (fake clock through the real GpioPedal);
* a routine file in use is deleted or damaged (the kiosk's folder watch);
* the history database is locked by another program, turns read-only, or its
  disk fills up (``PRAGMA max_page_count`` on the app's own connection).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from reliability_helpers import (
    choose,
    database_rows,
    idle_out,
    live,
    moment_count,
    press,
    run_to_end,
    settle,
    step_session,
    write_routine,
)
from support.app import make_settings, until
from support.clock import FakeClock

from trainer.adapters.audio.backends import BackendError, SilentBackend
from trainer.adapters.audio.player import AudioPlayer
from trainer.adapters.pedal.opening import open_pedal
from trainer.core.adapters import AdapterFactories
from trainer.ui.kiosk import KioskApp
from trainer.ui.screens.admin import AdminScreen
from trainer.ui.screens.attract import AttractScreen
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.summary import SummaryScreen

# -- helpers ------------------------------------------------------------------------


def kiosk(
    tmp_path: Path, clock: FakeClock, factories: AdapterFactories | None = None, **options
) -> KioskApp:
    """A kiosk over a folder of two short routines (three moments a side)."""
    folder = tmp_path / "routines"
    write_routine(folder, "short-one", "Short one")
    write_routine(folder, "other-one", "Other one")
    settings = make_settings(tmp_path, clock, folders=[folder], **options)
    return KioskApp(settings, factories=factories)


def all_moments(path: Path) -> list[tuple]:
    return database_rows(path, "SELECT * FROM moments ORDER BY id")


def picker_titles(app: KioskApp) -> list[str]:
    """The routines offered: on the attract screen, or in a visitor's picker."""
    if isinstance(app.screen, AttractScreen):
        return [routine.title for routine in app.screen.routines]
    assert isinstance(app.screen, PickerScreen)
    return [choice.title for choice in app.screen.choices]


# -- sound --------------------------------------------------------------------------


class UnpluggableSpeaker:
    """A sound device that plays until it is unplugged, then fails every start."""

    name = "usb-speaker"
    is_silent = False

    def __init__(self) -> None:
        self.played = 0
        self.unplugged = False

    def start(self, pcm):
        if self.unplugged:
            raise BackendError("usb-speaker: device disconnected")
        self.played += 1
        return SilentBackend().start(pcm)

    def close(self) -> None:
        """Nothing to release."""


async def test_sound_device_lost_mid_session_carries_on_silently(tmp_path: Path, clock: FakeClock):
    speaker = UnpluggableSpeaker()

    def open_audio(settings, notify, on_unheard):
        return AudioPlayer.create(
            settings,
            notify=notify,
            on_unheard=lambda request: on_unheard(),
            backends=[lambda: speaker, SilentBackend],
            speech=None,
        )

    app = kiosk(tmp_path, clock, AdapterFactories(open_audio=open_audio))
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await choose(pilot, app, "Short one")
        await step_session(pilot, app, clock)  # start: the first hold's opening tones
        assert app.core.audio.drain(5) and speaker.played > 1  # the probe, then real cues
        speaker.unplugged = True
        await run_to_end(pilot, app, clock)
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.summary.status == "finished"
        assert app.core.audio.drain(5) and app.core.audio.is_silent
        await settle(pilot)  # the player's notice comes in as a message
        assert any(
            "Sound stopped working (usb-speaker: device disconnected)" in notice
            and "Carrying on silently" in notice
            for notice in app.notices
        ), app.notices
        assert app.recovered_errors == 0
    plan_size = database_rows(tmp_path / "history.sqlite3", "SELECT plan_size FROM sessions")
    assert moment_count(tmp_path / "history.sqlite3") == plan_size[0][0]


# -- pedal --------------------------------------------------------------------------


async def wait_for_gestures(app: KioskApp, count: int) -> None:
    """Give the pedal's worker thread time to deliver; fail if it delivers otherwise."""
    for _ in range(300):
        if app.gestures_handled >= count:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # anything more would have arrived by now
    assert app.gestures_handled == count


async def move_pedal_clock(app: KioskApp, clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    app.core.pedal.pedal.wake()
    await asyncio.sleep(0.02)


async def test_pedal_stuck_for_ten_minutes_gives_one_long_press_then_works_again(
    tmp_path: Path, clock: FakeClock
):
    def open_on_fake_clock(settings, on_gesture, on_edge):
        # The pedal's recognizer runs on the test's fake clock too.
        return open_pedal(settings, on_gesture, on_edge=on_edge, clock=clock)

    app = kiosk(tmp_path, clock, AdapterFactories(open_pedal=open_on_fake_clock), pedal="mock")
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        pin = app.core.pedal.pedal.pin
        await choose(pilot, app, "Short one")
        await press(pilot, "space")  # the first hold is counting
        pin.drive_low()  # a foot comes down and the switch sticks there
        await move_pedal_clock(app, clock, 0.05)
        await move_pedal_clock(app, clock, 0.5)
        await wait_for_gestures(app, 1)  # the long press: pause
        assert app.screen.session.last.snapshot.paused
        for _ in range(20):  # ten minutes, stuck
            await move_pedal_clock(app, clock, 30)
            await live(pilot, app, clock, 0.001)
        await wait_for_gestures(app, 1)  # no repeats
        assert isinstance(app.screen, AttractScreen)  # the paused session timed out
        pin.drive_high()  # unstuck: the release fires nothing
        await move_pedal_clock(app, clock, 0.05)
        await wait_for_gestures(app, 1)
        pin.drive_low()  # and an ordinary tap works again
        await move_pedal_clock(app, clock, 0.1)
        pin.drive_high()
        await move_pedal_clock(app, clock, 0.05)
        await move_pedal_clock(app, clock, 0.3)
        await wait_for_gestures(app, 2)
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)  # a tap on the attract screen: a guest
    statuses = database_rows(tmp_path / "history.sqlite3", "SELECT status FROM sessions")
    assert statuses == [("abandoned",)]


# -- routine files ------------------------------------------------------------------


DAMAGE: dict[str, Callable[[Path], None]] = {
    "deleted": Path.unlink,
    "emptied": lambda path: path.write_bytes(b""),
    "garbled": lambda path: path.write_bytes(b"title: [unclosed\n\xff\xfe\x00 blocks"),
    "half-written": lambda path: path.write_bytes(path.read_bytes()[:90]),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
async def test_routine_file_damaged_during_its_session(
    damage: str, tmp_path: Path, clock: FakeClock
):
    app = kiosk(tmp_path, clock)
    path = tmp_path / "routines" / "short-one.yaml"
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await choose(pilot, app, "Short one")
        await step_session(pilot, app, clock)
        DAMAGE[damage](path)
        # The folder watch notices on its own thread (inotify), reloads, hands it over.
        await until(pilot, lambda: "short-one" not in app.core.catalog.routines)
        await live(pilot, app, clock, 60)
        await run_to_end(pilot, app, clock)  # the session it was running goes on
        assert app.screen.summary.status == "finished"
        await idle_out(pilot, app, clock)  # the summary times out to a fresh list
        assert picker_titles(app) == ["Other one"]
        await press(pilot, "f12", *"2468", "enter")
        assert isinstance(app.screen, AdminScreen)
        problems = app.screen.problems
        if damage == "deleted":
            assert problems == []
        else:  # named, with where and what
            assert len(problems) == 1 and problems[0].startswith(f"{path}:"), problems
        assert app.recovered_errors == 0
    finished = database_rows(
        tmp_path / "history.sqlite3", "SELECT status, plan_size, current_moment FROM sessions"
    )
    assert finished == [("finished", 5, 5)]
    assert moment_count(tmp_path / "history.sqlite3") == 5


# -- the history database -----------------------------------------------------------


def lock_by_another_program(app: KioskApp, path: Path) -> Callable[[], None]:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")

    def release() -> None:
        other.execute("ROLLBACK")
        other.close()

    return release


def turn_read_only(app: KioskApp, path: Path) -> Callable[[], None]:
    # As a remount read-only would; chmod cannot, since the tests may run as root.
    app.core.store.connection.execute("PRAGMA query_only = ON")
    return lambda: app.core.store.connection.execute("PRAGMA query_only = OFF")


def fill_the_disk(app: KioskApp, path: Path) -> Callable[[], None]:
    connection = app.core.store.connection
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")  # not one page more
    return lambda: connection.execute("PRAGMA max_page_count = 1000000")


STORE_FAULTS = {
    "locked": (lock_by_another_program, "is locked by another program"),
    "read-only": (turn_read_only, "is read-only"),
    "disk full": (fill_the_disk, "is full. Free some space; sessions saved before this are kept"),
}


def long_routine(moments: int = 60) -> str:
    """Moments with long names, so that a full disk is reached mid-session."""
    steps = "".join(
        f"      - {{kind: instruction, name: Step {n:02} {'x' * 70}, text: Tap on.}}\n"
        for n in range(moments)
    )
    return f"title: Long one\nsummary: Many moments.\nblocks:\n  - name: Main\n    steps:\n{steps}"


@pytest.mark.parametrize("fault", sorted(STORE_FAULTS))
async def test_history_fault_mid_session_is_reported_kept_and_saved_after(
    fault: str, tmp_path: Path, clock: FakeClock
):
    inject, message = STORE_FAULTS[fault]
    database = tmp_path / "history.sqlite3"
    app = kiosk(tmp_path, clock)
    (tmp_path / "routines" / "long-one.yaml").write_text(long_routine())
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await choose(pilot, app, "Short one")  # an earlier session, complete
        await run_to_end(pilot, app, clock)
        await press(pilot, "space")
        await choose(pilot, app, "Long one")
        for _ in range(4):
            await step_session(pilot, app, clock)
        saved = all_moments(database)
        undo = inject(app, database)
        await run_to_end(pilot, app, clock)  # the session goes on to its end
        assert app.screen.summary.status == "finished"
        told = [notice for notice in app.notices if notice.startswith("Session history")]
        assert len(told) == 1 and message in told[0] and "Nothing is lost" in told[0]
        undo()
        await press(pilot, "space")
        await choose(pilot, app, "Other one")  # the next session is logged again
        await step_session(pilot, app, clock)
        await step_session(pilot, app, clock)
        await press(pilot, "escape")  # and left, paused
        await idle_out(pilot, app, clock)
        assert app.recovered_errors == 0
        assert app.notices.count("Session history saved again: nothing was lost.") == 1
    assert all_moments(database)[: len(saved)] == saved
    assert database_rows(database, "PRAGMA integrity_check") == [("ok",)]
    statuses = database_rows(database, "SELECT status FROM sessions ORDER BY id")
    # The records kept while the store failed were saved once it recovered (before
    # the next session started): the long session is whole and closed.
    assert statuses == [("finished",), ("finished",), ("abandoned",)]
    long_one = database_rows(
        database,
        "SELECT count(*), count(DISTINCT moment_index) FROM moments WHERE session_id = 2",
    )
    assert long_one == [(60, 60)]


async def test_history_locked_at_start_runs_without_it_and_says_so(
    tmp_path: Path, clock: FakeClock
):
    database = tmp_path / "history.sqlite3"
    app = kiosk(tmp_path, clock)
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        await choose(pilot, app, "Short one")
        await run_to_end(pilot, app, clock)
    saved = all_moments(database)
    release = lock_by_another_program(app, database)
    try:
        app = kiosk(tmp_path, clock)
        async with app.run_test() as pilot:
            await pilot.app.until_ready()
            assert app.core.store is None
            assert any(
                notice.startswith("History is off") and "is locked by another program" in notice
                for notice in app.notices
            ), app.notices
            await choose(pilot, app, "Short one")  # training works without it
            await run_to_end(pilot, app, clock)
            assert app.screen.summary.status == "finished"
    finally:
        release()
    assert all_moments(database) == saved
