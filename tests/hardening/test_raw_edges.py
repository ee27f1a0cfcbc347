"""Raw pedal edges reach the app only while the pedal test shows, and coalesced.

The report: every raw edge was posted to the app, pedal test or not: 50,000
chatter edges were ~50,000 UI messages, +11 MB, and a tap was handled up to
2.4 s late. Here the same 50,000 edges come from another thread into a real
Textual app: not wanted, none is posted (the tap still arrives); wanted, they
arrive in a few batches, every edge accounted for. Figures: benchmarks/hardening.py.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from support.app import Foot, make_settings
from support.clock import FakeClock
from textual.app import App

from trainer.adapters.pedal.recognizer import Edge
from trainer.core.settings import KioskSettings
from trainer.engine.vocabulary import Gesture
from trainer.ui.kiosk import KioskApp
from trainer.ui.pedal_bridge import EdgesWaiting, PedalBridge, PedalGestureMessage
from trainer.ui.screens.pedal_test import PedalTestScreen

EDGES = 50_000


class _App(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.batches = 0
        self.edges: list[Edge] = []
        self.taps = 0

    def on_edges_waiting(self, message: EdgesWaiting) -> None:
        self.batches += 1
        self.edges += message.take()

    def on_pedal_gesture_message(self, message: PedalGestureMessage) -> None:
        self.taps += 1


def _chatter(bridge: PedalBridge) -> None:
    for number in range(EDGES):
        bridge.post_edge(Edge(pressed=number % 2 == 0, at=float(number)))
        if number == EDGES // 2:
            bridge.post_gesture(Gesture.TAP)


async def _wait(pilot, condition) -> None:  # type: ignore[no-untyped-def]
    give_up = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < give_up, "timed out"
        await pilot.pause(0.01)


async def test_edges_nobody_wants_are_never_posted() -> None:
    app = _App()
    async with app.run_test() as pilot:
        bridge = PedalBridge(app)
        thread = threading.Thread(target=_chatter, args=(bridge,))
        thread.start()
        await asyncio.to_thread(thread.join)
        await _wait(pilot, lambda: app.taps == 1)
        await pilot.pause()
        assert (app.batches, bridge.posted, bridge.edges_ignored) == (0, 1, EDGES)


async def test_wanted_edges_arrive_in_batches_in_order_none_lost() -> None:
    app = _App()
    async with app.run_test() as pilot:
        bridge = PedalBridge(app, raw_edges_wanted=True)
        thread = threading.Thread(target=_chatter, args=(bridge,))
        thread.start()
        await asyncio.to_thread(thread.join)
        await _wait(pilot, lambda: len(app.edges) + bridge.edges_overflowed >= EDGES)
        assert app.taps == 1
        assert app.batches < EDGES // 10  # coalesced
        assert bridge.posted == app.batches + 1
        times = [edge.at for edge in app.edges]
        assert times == sorted(times)  # in order
        # The newest are kept when the app falls far behind; every edge is counted.
        assert len(app.edges) + bridge.edges_overflowed == EDGES
        assert times[-1] == EDGES - 1


async def test_switching_the_wish_off_stops_edges_at_once() -> None:
    app = _App()
    async with app.run_test() as pilot:
        bridge = PedalBridge(app, raw_edges_wanted=True)
        bridge.post_edge(Edge(pressed=True, at=1.0))
        await _wait(pilot, lambda: len(app.edges) == 1)
        bridge.raw_edges_wanted = False  # the pedal test was closed
        for number in range(1000):
            bridge.post_edge(Edge(pressed=number % 2 == 0, at=2.0 + number))
        await pilot.pause()
        assert len(app.edges) == 1 and bridge.edges_ignored == 1000


async def test_the_kiosk_keeps_raw_edges_only_while_its_pedal_test_shows(
    tmp_path: Path, clock: FakeClock
) -> None:
    settings = make_settings(tmp_path, clock, pedal="mock", kiosk=KioskSettings(admin_pin="739146"))
    app = KioskApp(settings)
    async with app.run_test() as pilot:
        await pilot.app.until_ready()
        foot = Foot(pilot, app)
        for _ in range(200):  # chatter on the picker: nobody looks, nothing is posted
            foot.pin.drive_low()
            foot.pin.drive_high()
        await pilot.pause()
        assert app.bridge.edges_ignored >= 400 and not app.bridge.raw_edges_wanted
        await pilot.press("f12", *"739146", "enter")
        await pilot.press("3")  # the admin's pedal test
        await pilot.pause()
        assert isinstance(app.screen, PedalTestScreen) and app.bridge.raw_edges_wanted
        for _ in range(50):
            foot.pin.drive_low()
            foot.pin.drive_high()
        screen = app.screen
        await _wait(pilot, lambda: screen.check.edge_count >= 100)
        await pilot.press("q")  # leave the test
        await pilot.pause()
        assert not isinstance(app.screen, PedalTestScreen)
        assert not app.bridge.raw_edges_wanted
