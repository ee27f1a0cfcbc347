"""The Textual bridge under load: thousands of edges and gestures from other threads."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter

from gpiozero.pins.mock import MockFactory
from pedal_helpers import WAIT, FakeClock
from textual.app import App, ComposeResult
from textual.widgets import Static

from trainer.adapters.pedal import GpioPedal, PedalSettings
from trainer.engine.vocabulary import Gesture
from trainer.ui.pedal_bridge import EdgesWaiting, PedalBridge, PedalGestureMessage


class CountingApp(App[None]):
    """Counts what the bridge delivers, on the app's own thread, and shows it."""

    def __init__(self) -> None:
        super().__init__()
        self.gestures: Counter[Gesture] = Counter()
        self.edges = 0
        self.edge_messages = 0
        self.handler_threads: set[int] = set()

    def compose(self) -> ComposeResult:
        yield Static(id="count")

    def on_pedal_gesture_message(self, message: PedalGestureMessage) -> None:
        self.gestures[message.gesture] += 1
        self.handler_threads.add(threading.get_ident())
        # Touching a widget is only safe here, on the app's thread.
        self.query_one("#count", Static).update(str(sum(self.gestures.values())))

    def on_edges_waiting(self, message: EdgesWaiting) -> None:
        self.edge_messages += 1
        self.edges += len(message.take())


async def wait_until(pilot, condition, timeout: float = WAIT) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out waiting for the app"
        await pilot.pause(0.01)


async def test_thousands_of_gestures_from_four_threads_arrive_once_each():
    app = CountingApp()
    per_thread, kinds = 2500, list(Gesture)
    async with app.run_test() as pilot:
        bridge = PedalBridge(app)

        def flood(offset: int) -> None:
            for i in range(per_thread):
                bridge.post_gesture(kinds[(i + offset) % len(kinds)])

        threads = [threading.Thread(target=flood, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            await asyncio.to_thread(thread.join, WAIT)
        await wait_until(pilot, lambda: sum(app.gestures.values()) >= 4 * per_thread)
        await pilot.pause()
        assert sum(app.gestures.values()) == 4 * per_thread
        assert set(app.gestures.values()) == {4 * per_thread // 3, 4 * per_thread // 3 + 1}
        assert (bridge.posted, bridge.dropped) == (4 * per_thread, 0)
        assert app.handler_threads == {threading.get_ident()}  # handled on the app's loop
        assert app.query_one("#count", Static).content == str(4 * per_thread)


async def test_thousands_of_bouncy_edges_through_a_real_button_into_the_app():
    app = CountingApp()
    rounds = 400  # each: a bouncy single tap, then a bouncy double tap
    chatter = [0.001, 0.002, 0.0005, 0.003]  # four bounces: five edges per contact change
    settings = PedalSettings(mode="gpio", debounce=0.03, long_press=0.8, double_tap=0.35)
    clock, factory = FakeClock(), MockFactory()
    async with app.run_test() as pilot:
        bridge = PedalBridge(app, raw_edges_wanted=True)  # as while the pedal test shows
        pedal = GpioPedal(
            settings,
            bridge.post_gesture,
            on_edge=bridge.post_edge,
            pin_factory=factory,
            clock=clock,
        )
        pin = factory.pin(17)
        driven = 0

        def drive(level_low: bool) -> None:
            nonlocal driven
            for i, gap in enumerate([0.0, *chatter]):
                clock.advance(gap)
                if (i % 2 == 0) == level_low:
                    pin.drive_low()
                else:
                    pin.drive_high()
                driven += 1

        def press_and_release(hold: float, rest: float) -> None:
            drive(True)
            clock.advance(hold)
            drive(False)
            clock.advance(rest)

        def foot() -> None:
            for _ in range(rounds):
                press_and_release(0.1, 0.6)  # a tap, then the window closes
                press_and_release(0.1, 0.15)  # a double tap...
                press_and_release(0.1, 0.6)
            clock.advance(5.0)
            pedal.wake()

        worker = threading.Thread(target=foot)
        worker.start()
        await asyncio.to_thread(worker.join, 60)
        try:
            await wait_until(pilot, lambda: sum(app.gestures.values()) >= 2 * rounds)
            await wait_until(pilot, lambda: app.edges + bridge.edges_overflowed >= driven)
            await pilot.pause()
            assert driven == rounds * 3 * 10 == 12000
            assert app.edges + bridge.edges_overflowed == driven  # none lost unaccounted
            assert app.edge_messages < driven  # coalesced: one message per burst handled
            assert app.gestures == {Gesture.TAP: rounds, Gesture.DOUBLE_TAP: rounds}
            assert bridge.dropped == 0
        finally:
            pedal.close()


async def test_posting_after_the_app_has_stopped_is_dropped_quietly():
    app = CountingApp()
    async with app.run_test():
        bridge = PedalBridge(app)
    bridge.post_gesture(Gesture.TAP)
    await asyncio.to_thread(bridge.post_gesture, Gesture.TAP)
    assert (bridge.posted, bridge.dropped) == (0, 2)


def test_posting_before_the_app_runs_is_dropped():
    bridge = PedalBridge(CountingApp())
    bridge.post_gesture(Gesture.TAP)
    assert bridge.dropped == 1
