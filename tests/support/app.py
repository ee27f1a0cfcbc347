"""Running the real app in tests: settings, moving time, settling, and a real mock-pin pedal."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from support.clock import FakeClock
from trainer.adapters.audio.settings import AudioSettings
from trainer.adapters.pedal.gpio import EdgeCallback, GestureCallback
from trainer.adapters.pedal.opening import PedalConnection, open_pedal
from trainer.adapters.pedal.settings import PedalSettings
from trainer.core.adapters import AdapterFactories
from trainer.core.settings import AppSettings, KioskSettings
from trainer.engine.settings import CueRules, EngineSettings
from trainer.ui.app import TrainerApp
from trainer.ui.screens.session import SessionScreen


def make_settings(
    tmp_path: Path,
    clock: FakeClock,
    *,
    pedal: str = "none",
    folders: list[Path] | None = None,
    kiosk: KioskSettings | None = None,
    muted: bool = False,
    count_in: int = 0,
) -> AppSettings:
    """Settings for a test app; ``count_in`` 0 (no lead-in) keeps times the plan's own."""
    return AppSettings(
        audio=AudioSettings(backend="silent", speech=False, muted=muted),
        # A shorter long press than the default keeps the tests quick; same code
        # path. Taps are instant, as shipped.
        pedal=PedalSettings(mode=pedal, long_press=0.5),
        database=tmp_path / "history.sqlite3",
        clock=clock,
        routine_folders=None if folders is None else tuple(folders),
        log_dir=tmp_path / "logs",
        kiosk=kiosk or KioskSettings(),
        engine=EngineSettings(cues=CueRules(count_in_seconds=count_in)),
    )


async def until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Wait in real time until ``condition()`` holds: for work done on another thread,
    such as the kiosk's folder watch reloading routines (a file written by a test is
    seen by inotify and reloaded off the event loop, then handed to it)."""
    give_up = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < give_up, "timed out waiting for the app"
        await pilot.pause(0.05)
    await pilot.pause()


async def advance(pilot: Pilot, app: TrainerApp, clock: FakeClock, seconds: float) -> None:
    """Move the fake clock and let the session screen catch up, as its timer would."""
    clock.advance(seconds)
    screen = app.screen
    if isinstance(screen, SessionScreen):
        screen.tick()
    await pilot.pause()


def pedal_on(clock: FakeClock) -> AdapterFactories:
    """The shipped adapters, but the pedal stamps its edges with ``clock``, for a :class:`Foot`."""

    def open_on_clock(
        settings: PedalSettings, on_gesture: GestureCallback, on_edge: EdgeCallback
    ) -> PedalConnection:
        return open_pedal(settings, on_gesture, on_edge=on_edge, clock=clock)

    return AdapterFactories(open_pedal=open_on_clock)


class Foot:
    """Presses the app's real gpiozero pin (MockFactory) like a foot would.

    The app opens its pedal with ``factories=pedal_on(pedal_clock)`` and the foot
    moves that clock instead of sleeping, so a press lasts exactly its hold: a tap
    never becomes a long press because a loaded machine was slow between its two
    edges. A clock of its own, so the session's time stays where the test put it.
    """

    def __init__(self, pilot: Pilot, app: TrainerApp, pedal_clock: FakeClock) -> None:
        pedal = app.core.pedal
        assert pedal is not None and pedal.pedal is not None, "needs --pedal mock"
        self.pilot = pilot
        self.app = app
        self.pin = pedal.pedal.pin
        self.pedal = pedal.pedal
        self.clock = pedal_clock

    def _pass(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.pedal.wake()

    async def _delivered(self, before: int) -> None:
        give_up = time.monotonic() + 30.0  # only a lost gesture runs this out
        while self.app.gestures_handled <= before:
            assert time.monotonic() < give_up, "the pedal gesture never reached the app"
            await asyncio.sleep(0.01)
        await self.pilot.pause()

    async def _press(self, hold: float) -> None:
        self.pin.drive_low()  # pull-up wiring: pressed pulls the pin to ground
        self._pass(hold)
        self.pin.drive_high()
        self._pass(0.06)  # let the release settle past the debounce window

    async def tap(self) -> None:
        before = self.app.gestures_handled
        await self._press(0.06)
        await self._delivered(before)

    async def long_press(self) -> None:
        before = self.app.gestures_handled
        await self._press(0.6)
        await self._delivered(before)


async def settle(pilot: Pilot, timeout: float = 30.0) -> None:
    """Once the app is ready, clear the notices (they come and go on their own timers)
    and let the app catch up, the session screen's fitting of the name and start text
    to the room included (it waits for Textual's layout: see SessionScreen._refit)."""
    await pilot.app.until_ready()
    pilot.app.clear_notifications()
    give_up = time.monotonic() + timeout
    while getattr(pilot.app.screen, "fitting", False):
        assert time.monotonic() < give_up, "the session screen never fitted its text"
        await pilot.pause(0.02)
    await pilot.pause()
