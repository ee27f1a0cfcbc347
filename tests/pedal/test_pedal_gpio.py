"""GpioPedal on a real gpiozero Button over MockFactory pins.

The pin is driven for real (``drive_low`` is a press with the pull-up), and the
edges travel through gpiozero's Button callbacks and the pedal's worker
thread. Time is a :class:`FakeClock` so that what counts as a tap, a double tap
or a long press never depends on how fast the machine is; every wait for the
worker uses a generous timeout that ends as soon as the result arrives.

To check that *nothing more* came out, :meth:`Rig.settle` moves the clock past
every deadline and then toggles the pin once more: the worker delivers in
order, so once that last edge has arrived every gesture before it has too.
"""

from __future__ import annotations

import threading

import pytest
from gpiozero import Button
from gpiozero.exc import GPIOPinInUse
from gpiozero.pins.mock import MockFactory
from pedal_helpers import WAIT, FakeClock, Sink

from trainer.adapters.pedal import GpioPedal, MockFoot, PedalSettings
from trainer.engine.vocabulary import Gesture

TAP, DOUBLE, LONG = Gesture.TAP, Gesture.DOUBLE_TAP, Gesture.LONG_PRESS

SETTINGS = PedalSettings(mode="gpio", pin=17, debounce=0.03, long_press=0.8, double_tap=0.35)


class Rig:
    """A GpioPedal on a mock pin, a fake clock, and a foot that moves both."""

    def __init__(self, settings: PedalSettings = SETTINGS) -> None:
        self.settings = settings
        self.clock = FakeClock()
        self.sink = Sink()
        self.factory = MockFactory()
        self.pedal = GpioPedal(
            settings,
            self.sink.gesture,
            on_edge=self.sink.edge,
            pin_factory=self.factory,
            clock=self.clock,
        )
        self.pin = self.factory.pin(settings.pin)
        self.edges_driven = 0

    def set(self, pressed: bool) -> None:
        before = self.pin.state
        if pressed == self.settings.pull_up:
            self.pin.drive_low()
        else:
            self.pin.drive_high()
        self.edges_driven += self.pin.state != before

    def press(self) -> None:
        self.set(True)

    def release(self) -> None:
        self.set(False)

    def wait(self, seconds: float) -> None:
        """Let ``seconds`` of pedal time pass and have the worker notice."""
        self.clock.advance(seconds)
        self.pedal.wake()

    def tap(self, hold: float = 0.12, rest: float = 0.15) -> None:
        self.press()
        self.wait(hold)
        self.release()
        self.wait(rest)

    def chatter_to(self, pressed: bool, gaps: list[float]) -> None:
        """Settle to ``pressed`` through a bounce train: one flip per gap, then the last edge."""
        self.set(pressed)
        for gap in gaps:
            self.clock.advance(gap)
            self.set(not self._is_pressed())
        assert self._is_pressed() == pressed

    def _is_pressed(self) -> bool:
        return (self.pin.state == 0) == self.settings.pull_up

    def settle(self) -> list[Gesture]:
        """Every gesture the pedal will ever make from what was driven so far."""
        self.wait(700.0)  # past every deadline, a stuck pedal's included
        self.set(not self._is_pressed())  # the marker edge
        self.sink.wait_for_edges(self.edges_driven)
        return list(self.sink.gestures)

    def close(self) -> None:
        self.pedal.close()


@pytest.fixture
def rig():
    made = Rig()
    yield made
    made.close()


def pedal_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("trainer-pedal")]


# Gestures through the real Button ------------------------------------------------


def test_a_clean_tap(rig):
    rig.tap()
    assert rig.settle() == [TAP]


def test_a_double_tap(rig):
    rig.tap(rest=0.15)
    rig.tap()
    assert rig.settle() == [DOUBLE]


def test_taps_apart_are_separate(rig):
    rig.tap(rest=0.5)
    rig.tap(rest=0.5)
    assert rig.settle() == [TAP, TAP]


def test_a_long_press_arrives_while_the_pedal_is_still_down(rig):
    rig.press()
    rig.wait(0.85)
    assert rig.sink.wait_for_gestures(1) == [LONG]
    assert rig.pedal.is_pressed
    assert not rig.pedal.pin_is_high  # pulled low by the switch
    rig.release()
    assert rig.settle() == [LONG]


def test_bounce_trains_on_the_button_make_one_tap(rig):
    rig.chatter_to(True, [0.001, 0.002, 0.0005, 0.004, 0.003, 0.001])
    rig.wait(0.12)
    rig.chatter_to(False, [0.002, 0.006, 0.0002, 0.008])
    gestures = rig.settle()
    assert gestures == [TAP]
    assert len(rig.sink.edges) == rig.edges_driven == 13  # raw edges are all reported


def test_bounce_trains_make_one_double_tap(rig):
    for _ in range(2):
        rig.chatter_to(True, [0.001, 0.003])
        rig.wait(0.1)
        rig.chatter_to(False, [0.005, 0.002, 0.001, 0.001])
        rig.wait(0.15)
    assert rig.settle() == [DOUBLE]


def test_a_stuck_pedal_gives_one_long_press_then_recovers(rig):
    rig.press()
    for _ in range(600):  # ten minutes, the worker woken every second
        rig.wait(1.0)
    assert rig.sink.wait_for_gestures(1) == [LONG]
    rig.release()
    rig.wait(0.1)
    rig.tap()
    assert rig.settle() == [LONG, TAP]


def test_an_unplugged_pedal_makes_nothing(rig):
    # Nothing connected: the pull-up holds the pin high and no edge ever comes.
    for _ in range(10):
        rig.wait(60.0)
    assert rig.pedal.pin_is_high
    assert not rig.pedal.is_pressed
    assert rig.settle() == []


def test_a_pull_down_switch_presses_high():
    rig = Rig(PedalSettings(mode="gpio", pin=27, pull="down", double_tap=0))
    try:
        assert not rig.pedal.pin_is_high
        rig.tap()
        assert rig.pin.state == 0
        assert rig.settle() == [TAP]
    finally:
        rig.close()


# Threads and callbacks -------------------------------------------------------------


def test_gestures_are_delivered_on_the_pedal_thread(rig):
    rig.tap()
    rig.settle()
    assert rig.sink.threads == {"trainer-pedal-gpio17"}


def test_a_failing_callback_does_not_stop_the_pedal():
    calls = []

    def fussy(gesture):
        calls.append(gesture)
        if len(calls) == 1:
            raise RuntimeError("the app had a bad moment")

    clock, factory, sink = FakeClock(), MockFactory(), Sink()
    settings = PedalSettings(mode="gpio", double_tap=0)
    pedal = GpioPedal(settings, fussy, on_edge=sink.edge, pin_factory=factory, clock=clock)
    pin = factory.pin(17)
    try:
        for _ in range(2):
            pin.drive_low()
            clock.advance(0.1)
            pin.drive_high()
            clock.advance(0.1)
        pin.drive_low()  # marker edge: both taps are due before it
        sink.wait_for_edges(5)
        assert calls == [TAP, TAP]
    finally:
        pedal.close()


def test_close_stops_the_thread_frees_the_pin_and_is_idempotent():
    before = len(pedal_threads())
    factory = MockFactory()
    pedal = GpioPedal(SETTINGS, lambda g: None, pin_factory=factory)
    assert len(pedal_threads()) == before + 1
    with pytest.raises(GPIOPinInUse):
        Button(17, pin_factory=factory)
    pedal.close()
    pedal.close()
    assert len(pedal_threads()) == before
    Button(17, pin_factory=factory).close()  # the pin is free again


def test_close_from_inside_a_callback_does_not_deadlock():
    closed = threading.Event()
    factory = MockFactory()
    holder: dict[str, GpioPedal] = {}

    def close_on_first(gesture):
        holder["pedal"].close()
        closed.set()

    settings = PedalSettings(mode="gpio", double_tap=0)
    holder["pedal"] = GpioPedal(settings, close_on_first, pin_factory=factory)
    foot = MockFoot(factory.pin(17))
    try:
        foot.tap()
        assert closed.wait(WAIT)
    finally:
        foot.close()
    for thread in pedal_threads():
        thread.join(WAIT)  # the worker ends by itself once the callback returns
    assert pedal_threads() == []


# Real time, with a simulated foot ----------------------------------------------------


def test_mock_foot_taps_and_long_presses_in_real_time():
    # Real sleeps, so the margins are wide: a 120 ms tap against a 1 s long
    # press, and a long press held 1.4 s.
    settings = PedalSettings(mode="gpio", double_tap=0, long_press=1.0)
    factory, sink = MockFactory(), Sink()
    pedal = GpioPedal(settings, sink.gesture, on_edge=sink.edge, pin_factory=factory)
    foot = MockFoot(pedal.pin, long_press=settings.long_press)
    try:
        foot.tap()
        assert sink.wait_for_gestures(1) == [TAP]
        foot.long_press()
        assert sink.wait_for_gestures(2) == [TAP, LONG]
        assert len(sink.edges) >= 10  # each move chatters: 5 edges per contact change
    finally:
        foot.close()
        pedal.close()
