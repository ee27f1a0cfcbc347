"""Driving the kiosk like the people in front of it, on a fake clock.

Builds on ``tests/support/app.py``: keys
stand in for the pedal (they take the same path into the screens), and the
fake clock is moved by hand, with the session screen ticked and the kiosk's
folder watch and idle check run as their timers would.

Pilot's own ``press`` and ``pause()`` wait for the process to look idle, at
least 20 ms each time; a simulated day makes thousands of moves, so
:func:`press` and :func:`settle` instead wait exactly until the app has handled
everything queued, which is what those waits are for.
"""

from __future__ import annotations

import asyncio
import sqlite3
import unicodedata
from pathlib import Path

from support.clock import FakeClock
from support.routines import write_routine as write_routine_text
from textual import events
from textual.keys import REPLACED_KEYS, _get_unicode_name_from_key
from textual.pilot import Pilot

from trainer.engine.snapshot import SessionState
from trainer.ui.app import TrainerApp
from trainer.ui.kiosk import KioskApp
from trainer.ui.screens.attract import AttractScreen
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.session import SessionScreen

ROUTINE = """\
title: {title}
summary: A short one for the reliability tests.
blocks:
  - name: Main
    steps:
      - {{kind: hold, name: Calf, sides: each, duration: 30s}}
      - {{kind: reps, name: Squat, reps: 5}}
      - {{kind: timed, name: Plank, work: 20s}}
"""


def write_routine(folder: Path, name: str, title: str) -> Path:
    """A short routine (see ``ROUTINE``) called ``title``, as ``folder/name.yaml``."""
    return write_routine_text(folder, ROUTINE.format(title=title), f"{name}.yaml")


async def settle(pilot: Pilot) -> None:
    """Wait until the app and its screen have handled every message queued so far
    (a few rounds, for a screen pushed or popped meanwhile).

    Like ``pilot.pause(0)`` without its forced repaint: the screen repaints on its
    own timer, as in the real app, and a day of moves costs a third of the time.
    """
    for _ in range(3):
        await pilot._wait_for_screen()
        await asyncio.sleep(0)


async def until(pilot: Pilot, condition, what: str) -> None:
    """Settle until ``condition()`` holds (screens can take a few rounds to switch)."""
    for _ in range(50):
        if condition():
            return
        await settle(pilot)
    raise AssertionError(f"never happened: {what}")


def _character(key: str) -> str | None:
    """The character a key types, as Pilot works it out (space is " ", escape "\\x1b")."""
    try:
        return unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        return key if len(key) == 1 else None


async def press(pilot: Pilot, *keys: str) -> None:
    """Press each key as the terminal would send it, waiting for each to be handled."""
    for key in keys:
        event = events.Key(key, _character(key))
        event.set_sender(pilot.app)
        # As the driver hands a key over, minus its hop through another task, so
        # that it is queued before settle()'s own markers.
        pilot.app.post_message(event)
        await settle(pilot)


async def advance(pilot: Pilot, app: TrainerApp, clock: FakeClock, seconds: float) -> None:
    """Move the fake clock and tick the session screen, as its deadline timer would."""
    clock.advance(seconds)
    tick = getattr(app.screen, "tick", None)
    if tick is not None:
        tick()
    await settle(pilot)


async def live(pilot: Pilot, app: KioskApp, clock: FakeClock, seconds: float, step=150.0) -> None:
    """Let ``seconds`` of fake time pass as the kiosk lives them: the session screen
    ticks, and the folder watch and idle check run, every ``step`` seconds."""
    remaining = seconds
    while remaining > 0:
        moved = min(step, remaining)
        remaining -= moved
        clock.advance(moved)
        if isinstance(app.screen, SessionScreen):
            app.screen.tick()
        app.check_unattended()
        await settle(pilot)


async def idle_out(pilot: Pilot, app: KioskApp, clock: FakeClock) -> float:
    """Leave the kiosk alone until its idle reset brings back the routines; the seconds
    that took (at most twice the idle limit: once to notice the screen, once to time out)."""
    started = clock.now
    while not isinstance(app.screen, PickerScreen | AttractScreen):
        assert clock.now - started <= 2 * app.settings.kiosk.idle_seconds, "no idle reset"
        await live(pilot, app, clock, 60)
    return clock.now - started


async def choose(pilot: Pilot, app: TrainerApp, title: str) -> None:
    """Move the picker's selection to ``title`` with the keys and start it.

    ``j`` rather than the down arrow: the card list takes the arrows for scrolling.
    """
    if isinstance(app.screen, AttractScreen):  # a kiosk: start as a guest
        await press(pilot, "space")
    picker = app.screen
    assert isinstance(picker, PickerScreen), f"expected the picker, got {picker!r}"
    titles = [choice.title for choice in picker.choices]
    steps = (titles.index(title) - picker.selected) % len(titles)
    await press(pilot, *["j"] * steps, "enter")
    screen = app.screen
    assert isinstance(screen, SessionScreen), f"{title!r} did not start"
    assert screen.session.plan.title == title


def session_state(app: TrainerApp) -> SessionState | None:
    screen = app.screen
    return screen.session.last.snapshot.state if isinstance(screen, SessionScreen) else None


async def step_session(pilot: Pilot, app: TrainerApp, clock: FakeClock) -> None:
    """Do what the session asks next: tap to start or go on, answer a check, or wait
    for the next deadline."""
    screen = app.screen
    assert isinstance(screen, SessionScreen)
    snapshot = screen.session.last.snapshot
    delay = screen.session.last.next_tick
    if snapshot.state is SessionState.ANSWERING:
        await press(pilot, "2" if snapshot.answer.stage == "result" else "5")
    elif snapshot.state is SessionState.READY or delay is None:
        await press(pilot, "space")
    else:
        await advance(pilot, app, clock, delay)


async def run_to_end(pilot: Pilot, app: TrainerApp, clock: FakeClock) -> None:
    """Follow the session until it has ended and the session screen has gone."""
    for _ in range(5000):
        state = session_state(app)
        if state is None or state.ended:
            break
        await step_session(pilot, app, clock)
    await until(pilot, lambda: not isinstance(app.screen, SessionScreen), "the session ended")


def database_rows(path: Path, sql: str) -> list[tuple]:
    """Rows of ``sql`` read through a connection of its own (as another program would)."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def moment_count(path: Path) -> int:
    return database_rows(path, "SELECT count(*) FROM moments")[0][0]
