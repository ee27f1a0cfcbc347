"""PedalSettings: defaults, precedence (CLI > env > config > default) and clear errors."""

from __future__ import annotations

import argparse

import pytest
from pydantic import ValidationError

from trainer.adapters.pedal import GestureTimings, PedalSettings, PedalSettingsError
from trainer.cli import build_parser


def cli(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["pedal-test", *argv])


def test_defaults_match_the_reference_wiring():
    settings = PedalSettings.from_sources({}, {}, None)
    assert settings == PedalSettings()
    assert (settings.mode, settings.pin, settings.pull, settings.bounce) == ("auto", 17, "up", None)
    assert settings.pull_up
    assert settings.wiring == "BCM 17 to GND"
    assert settings.timings == GestureTimings(debounce=0.03, long_press=0.8, double_tap=0)


def test_the_cli_beats_the_environment_which_beats_the_config():
    config = {"mode": "none", "pin": 5, "long_press": 1.0, "debounce": 0.02}
    env = {"TRAINER_PEDAL": "mock", "TRAINER_PEDAL_PIN": "6", "TRAINER_PEDAL_LONG_PRESS": "1.2"}
    settings = PedalSettings.from_sources(config, env, cli("--pin", "7"))
    assert settings.pin == 7  # CLI
    assert settings.mode == "mock"  # env (no --pedal given)
    assert settings.long_press == 1.2  # env
    assert settings.debounce == 0.02  # config
    assert settings.double_tap == 0  # default: instant taps


def test_the_cli_mode_wins():
    settings = PedalSettings.from_sources(
        {"mode": "gpio"}, {"TRAINER_PEDAL": "gpio"}, cli("--pedal", "none")
    )
    assert settings.mode == "none"


def test_every_setting_has_an_environment_variable():
    env = {
        "TRAINER_PEDAL": "GPIO",
        "TRAINER_PEDAL_PIN": "GPIO27",
        "TRAINER_PEDAL_PULL": "Down",
        "TRAINER_PEDAL_BOUNCE": "0.005",
        "TRAINER_PEDAL_DEBOUNCE": "0.025s",
        "TRAINER_PEDAL_LONG_PRESS": "1.5",
        "TRAINER_PEDAL_DOUBLE_TAP": "off",
    }
    settings = PedalSettings.from_sources({}, env, None)
    assert settings == PedalSettings(
        mode="gpio", pin=27, pull="down", bounce=0.005, debounce=0.025, long_press=1.5, double_tap=0
    )
    assert settings.wiring == "BCM 27 to 3V3"
    assert not settings.timings.double_tap_enabled


def test_empty_environment_values_are_ignored():
    settings = PedalSettings.from_sources({"pin": 4}, {"TRAINER_PEDAL_PIN": "  "}, None)
    assert settings.pin == 4


def test_config_spellings_for_off():
    settings = PedalSettings.from_sources({"double_tap": False, "bounce": 0}, {}, None)
    assert settings.double_tap == 0
    assert settings.bounce is None  # gpiozero's "off"


@pytest.mark.parametrize(
    ("config", "env", "argv", "message"),
    [
        (
            {"pin": "abc"},
            {},
            (),
            r"\[pedal\] pin: must be a BCM GPIO number from 0 to 27, .*got 'abc'$",
        ),
        ({"pin": True}, {}, (), r"\[pedal\] pin: must be a BCM GPIO number .*got True$"),
        ({"pin": 40}, {}, (), r"\[pedal\] pin: must be a BCM GPIO number from 0 to 27, .*got 40$"),
        (
            {},
            {"TRAINER_PEDAL_PIN": "seventeen"},
            (),
            r"\[pedal\] pin: .*got 'seventeen' \(from TRAINER_PEDAL_PIN\)",
        ),
        ({}, {}, ("--pin", "99"), r"\[pedal\] pin: .*got 99 \(from --pin\)"),
        ({"mode": "usb"}, {}, (), r"\[pedal\] mode: must be one of auto, gpio, mock, none"),
        ({}, {"TRAINER_PEDAL": "yes"}, (), r"mode: .*got 'yes' \(from TRAINER_PEDAL\)"),
        ({"mode": 1}, {}, (), r"\[pedal\] mode: must be one of auto, gpio, mock, none, got 1"),
        ({"pull": "sideways"}, {}, (), r"\[pedal\] pull: must be one of up, down, got 'sideways'"),
        ({"long_press": 800}, {}, (), r"long_press: must be seconds from 0.2 to 10, got 800"),
        ({"long_press": "soon"}, {}, (), r"long_press: must be seconds from 0.2 to 10, got 'soon'"),
        ({"long_press": "0.8s"}, {}, (), r"long_press: .*got '0.8s'"),  # the file is strict
        (
            {},
            {"TRAINER_PEDAL_DEBOUNCE": "nan"},
            (),
            r"debounce: must be seconds .*got nan \(from TRAINER_PEDAL_DEBOUNCE\)",
        ),
        ({"debounce": -0.01}, {}, (), r"debounce: must be seconds from 0 to 0.2, got -0.01"),
        ({"double_tap": 5}, {}, (), r"double_tap: must be seconds from 0 to 2, or false"),
        ({"double_tap": True}, {}, (), r"double_tap: must be seconds .*got True"),
        ({"bounce": [0.01]}, {}, (), r"bounce: must be seconds from 0 to 0.1, or false"),
        (
            {"lnog_press": 1},
            {},
            (),
            r"\[pedal\] lnog_press: unknown setting 'lnog_press'; did you mean 'long_press'\?",
        ),
        (
            {"debounce": 0.2, "long_press": 0.2},
            {},
            (),
            r"\[pedal\]: long_press \(0.2 s\) must be longer than debounce",
        ),
        (
            {"debounce": 0.1, "double_tap": 0.05},
            {},
            (),
            r"\[pedal\]: double_tap \(0.05 s\) must be 0 \(off\) or longer",
        ),
    ],
)
def test_bad_values_raise_a_message_naming_the_setting_and_source(config, env, argv, message):
    with pytest.raises(PedalSettingsError, match=message):
        PedalSettings.from_sources(config, env, cli(*argv) if argv else None)


def test_every_bad_setting_is_reported_at_once_with_its_source():
    with pytest.raises(PedalSettingsError) as caught:
        PedalSettings.from_sources(
            {"pin": 99, "pul": "up", "long_press": 0.8},
            {"TRAINER_PEDAL_LONG_PRESS": "forever"},
            cli("--pedal", "mock"),
        )
    problems = caught.value.problems
    assert {(problem.section, problem.key) for problem in problems} == {
        ("pedal", "pin"),
        ("pedal", "pul"),
        ("pedal", "long_press"),
    }
    assert any("(from TRAINER_PEDAL_LONG_PRESS)" in problem.message for problem in problems)
    assert "did you mean 'pull'?" in str(caught.value)


def test_a_section_that_is_not_a_table_is_refused():
    with pytest.raises(PedalSettingsError, match=r"\[pedal\]: must be a table"):
        PedalSettings.from_sources(["pin", 17], {}, None)  # type: ignore[arg-type]


def test_direct_construction_is_checked_as_strictly():
    with pytest.raises(ValueError):
        PedalSettings(pin=-1)
    with pytest.raises(ValueError):
        PedalSettings(debounce=0.5, long_press=0.4)


def test_settings_are_frozen_and_can_change_mode():
    settings = PedalSettings()
    with pytest.raises(ValidationError):
        settings.pin = 4  # type: ignore[misc]
    assert settings.with_mode("none").mode == "none"
    assert settings.mode == "auto"
