"""`trainer pedal-test`: the live screen (driven by Pilot) and the command's error paths."""

from __future__ import annotations

import time

import pytest
from gpiozero import Device
from pedal_helpers import WAIT, FakeClock
from textual.app import App
from textual.widgets import Log, Static

from trainer import cli
from trainer.adapters.pedal import KeyMap, MockFoot, PedalConnection, PedalSettings, open_pedal
from trainer.adapters.pedal.gpio import EdgeCallback, GestureCallback
from trainer.core.adapters import AdapterFactories
from trainer.engine.vocabulary import Gesture
from trainer.ui.screens.pedal_test import PedalTestApp, PedalTestScreen

# Double tap is off (the default): a tap is reported as soon as it is released.
MOCK = PedalSettings(mode="mock", double_tap=0, long_press=3.0)


def open_on_simulated_time(
    settings: PedalSettings, on_gesture: GestureCallback, on_edge: EdgeCallback
) -> PedalConnection:
    """``--pedal mock`` as shipped, but the pedal reads a fake clock and the simulated
    foot moves it instead of sleeping: each edge lands at its scripted time (chatter
    1.5 ms apart, a 120 ms hold), however long a loaded machine takes to play them."""
    clock = FakeClock(start=time.monotonic())  # the screen measures from the real start
    connection = open_pedal(settings, on_gesture, on_edge=on_edge, clock=clock)
    pedal = connection.pedal
    assert pedal is not None and connection.foot is not None

    def pass_time(seconds: float) -> None:
        clock.advance(seconds)
        pedal.wake()

    connection.foot.close()  # the real-time foot, replaced by one on the fake clock
    connection.foot = MockFoot(
        pedal.pin, pull_up=settings.pull_up, long_press=settings.long_press, pass_time=pass_time
    )
    return connection


async def wait_until(pilot, condition, timeout: float = WAIT) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out waiting for the pedal test"
        await pilot.pause(0.02)


def lines(app: PedalTestApp, log_id: str) -> list[str]:
    return list(app.screen.query_one(f"#{log_id}", Log).lines)


def text(app: PedalTestApp, static_id: str) -> str:
    return str(app.screen.query_one(f"#{static_id}", Static).content)


async def test_a_simulated_tap_shows_its_edges_bounce_gesture_and_verdict():
    app = PedalTestApp(
        MOCK, KeyMap(), factories=AdapterFactories(open_pedal=open_on_simulated_time)
    )
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, PedalTestScreen)
        assert "Foot switch BCM 17 to GND, pull-up, via MockFactory: pin HIGH, released" in text(
            app, "pin"
        )
        assert "p tap" in text(app, "pin")  # the mock notice says how to press it
        assert text(app, "verdict") == (
            "0 edges, 0 of them bounce (closer than 30.0 ms)\nNo edges yet: press the foot switch."
        )

        await pilot.press("p")
        # The tap fires on the first release edge; its release chatter follows.
        await wait_until(
            pilot,
            lambda: app.test_screen.gestures == [Gesture.TAP] and len(lines(app, "edges")) == 10,
        )

        edges = lines(app, "edges")
        assert len(edges) == 10  # five chattering edges down, five up
        assert "press" in edges[0] and "release" in edges[-1]
        # Chatter comes 1.5 ms apart, so all but the first edge each way is bounce.
        assert [("bounce" in line) for line in edges] == [False, *[True] * 4] * 2
        assert app.test_screen.check.bounce_count == 8
        assert lines(app, "gestures")[-1].endswith("tap")
        assert lines(app, "keys") == ["p              -> simulated tap"]
        verdict = text(app, "verdict").splitlines()
        assert verdict[:2] == [
            "10 edges, 8 of them bounce (closer than 30.0 ms)",
            "Bounce seen up to 1.5 ms, debounce 30.0 ms: OK",
        ]
        # Held from the first press edge to the first release edge: 4 gaps of chatter,
        # the last chatter step's own 1.5 ms, then the 120 ms hold; 127.5 ms is shown
        # rounded either way, as float sums on the clock fall.
        assert app.test_screen.check.tap_holds() == [pytest.approx(0.1275)]
        assert verdict[2].startswith("Longest tap held 12")
        assert verdict[2].endswith(" ms, long press at 3000 ms: OK")
        assert len(verdict) == 3


async def test_key_names_are_shown_for_usb_pedals_even_keys_widgets_would_take():
    keys = KeyMap.from_config({"tap": ["pagedown"]})
    app = PedalTestApp(PedalSettings(mode="none"), keys)
    async with app.run_test() as pilot:
        assert "Foot switch off" in text(app, "pin")
        for key in ("pagedown", "space", "tab", "f7"):
            await pilot.press(key)
        await pilot.pause()
        assert lines(app, "keys") == [
            "pagedown       -> tap (gesture)",
            "space          -> tap (gesture)",
            "tab            (not bound)",
            "f7             (not bound)",
        ]


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_q_and_ctrl_c_quit(key):
    app = PedalTestApp(PedalSettings(mode="none"))
    async with app.run_test() as pilot:
        await pilot.press("x")
        await pilot.pause()
        assert app.is_running
        await pilot.press(key)
        await pilot.pause()
        assert not app.is_running
        assert app.return_code == 0
    # Only "x" was listed: quit keys are not pedal keys.
    assert list(app.test_screen.keys) == ["x"]


async def test_gpio_mode_without_gpio_exits_with_the_reason(monkeypatch):
    monkeypatch.setattr(Device, "pin_factory", None)
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "no-such-factory")
    app = PedalTestApp(PedalSettings(mode="gpio"))
    async with app.run_test() as pilot:
        await pilot.pause()
    assert app.return_code == 1


def test_the_command_rejects_bad_settings_before_starting(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("TRAINER_CONFIG", str(tmp_path / "absent.toml"))
    assert cli.main(["pedal-test", "--pedal", "mock", "--pin", "99"]) == 2
    assert "[pedal] pin: must be a BCM GPIO number from 0 to 27, like 17, got 99 (from --pin)" in (
        capsys.readouterr().err
    )


def test_the_command_reports_config_mistakes(monkeypatch, capsys, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[pedal]\nlong_press = 0.01\n\n[keys]\njump = ["j"]\n')
    monkeypatch.setenv("TRAINER_CONFIG", str(config))
    assert cli.main(["pedal-test"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"trainer pedal-test: {config}: 2 problems")
    assert "[pedal] long_press: must be seconds from 0.2 to 10, got 0.01" in err
    assert "[keys] jump: unknown setting 'jump'" in err


class HostApp(App[None]):
    """Another app that pushes the pedal test, as a settings menu might."""

    def __init__(self) -> None:
        super().__init__()
        self.keys_seen_by_host: list[str] = []

    def on_key(self, event) -> None:
        self.keys_seen_by_host.append(event.key)


async def test_hosted_in_another_app_keys_stay_on_the_screen_and_q_pops_it():
    app = HostApp()
    async with app.run_test() as pilot:
        screen = PedalTestScreen(PedalSettings(mode="none"), KeyMap(), leave_exits_app=False)
        await app.push_screen(screen)
        await pilot.press("space", "s")
        await pilot.pause()
        assert screen.keys == ["space", "s"]
        assert app.keys_seen_by_host == []  # a key under test does not act on the host
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is not screen
        assert app.is_running
