"""open_pedal: which pedal each mode gives, and the notice when there is none."""

from __future__ import annotations

import pytest
from gpiozero import Button, Device
from gpiozero.pins.mock import MockFactory
from pedal_helpers import Sink

from trainer.adapters.pedal import PedalSettings, PedalUnavailable, open_pedal
from trainer.engine.vocabulary import Gesture


@pytest.fixture
def no_gpio(monkeypatch):
    """Make gpiozero find no pin factory, as on a laptop or CI, even on a Pi."""
    monkeypatch.setattr(Device, "pin_factory", None)
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "no-such-factory")


def test_auto_without_gpio_falls_back_to_the_keyboard_with_a_notice(no_gpio):
    connection = open_pedal(PedalSettings(mode="auto"), Sink().gesture)
    assert connection.mode == "none"
    assert connection.pedal is None
    assert connection.notice == (
        "No GPIO found: the foot switch (BCM 17 to GND) is off; use Space/Enter."
    )
    connection.close()  # nothing to close, and no error


def test_the_notice_names_the_configured_pin_and_wiring(no_gpio):
    connection = open_pedal(PedalSettings(mode="auto", pin=22, pull="down"), Sink().gesture)
    assert "BCM 22 to 3V3" in connection.notice


def test_gpio_mode_without_gpio_is_an_error_that_says_why(no_gpio):
    with pytest.raises(PedalUnavailable, match=r"BCM 17 to GND.*no GPIO found"):
        open_pedal(PedalSettings(mode="gpio"), Sink().gesture)


def test_auto_with_the_pin_in_use_falls_back_and_says_so():
    factory = MockFactory()
    other = Button(17, pin_factory=factory)
    try:
        connection = open_pedal(PedalSettings(mode="auto"), Sink().gesture, pin_factory=factory)
        assert connection.pedal is None
        assert connection.notice.startswith("Foot switch (BCM 17 to GND) unavailable:")
        assert "use Space/Enter" in connection.notice
    finally:
        other.close()


def test_gpio_mode_with_a_pin_factory_opens_the_pin():
    connection = open_pedal(PedalSettings(mode="gpio"), Sink().gesture, pin_factory=MockFactory())
    try:
        assert connection.mode == "gpio"
        assert connection.pedal is not None
        assert connection.pedal.factory_name == "MockFactory"
        assert connection.notice is None
        assert connection.handle_mock_key("p") is False  # no simulated foot on a real pin
    finally:
        connection.close()


def test_none_mode_is_keyboard_only():
    connection = open_pedal(PedalSettings(mode="none"), Sink().gesture)
    assert (connection.mode, connection.pedal, connection.foot) == ("none", None, None)
    assert "Space/Enter" in connection.notice


def test_mock_mode_runs_the_real_pedal_from_keys():
    sink = Sink()
    settings = PedalSettings(mode="mock", double_tap=0, long_press=2.0)
    connection = open_pedal(settings, sink.gesture, on_edge=sink.edge)
    try:
        assert connection.mode == "mock"
        assert connection.pedal.factory_name == "MockFactory"
        assert "p tap" in connection.notice
        assert connection.handle_mock_key("x") is False
        assert connection.handle_mock_key("p") is True
        assert sink.wait_for_gestures(1) == [Gesture.TAP]
        assert len(sink.edges) >= 2
    finally:
        connection.close()


def test_mock_mode_u_holds_the_pedal_down_until_u_again():
    sink = Sink()
    settings = PedalSettings(mode="mock", double_tap=0, long_press=1.0)
    connection = open_pedal(settings, sink.gesture)
    try:
        assert connection.handle_mock_key("u")
        assert sink.wait_for_gestures(1) == [Gesture.LONG_PRESS]  # held: a stuck pedal
        assert connection.pedal.is_pressed
        assert connection.handle_mock_key("u")  # let go
        assert connection.handle_mock_key("p")
        assert sink.wait_for_gestures(2) == [Gesture.LONG_PRESS, Gesture.TAP]
    finally:
        connection.close()
