"""Bad config files (#19.6): every mistake named at once, nothing non-finite or absurd gets in."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from trainer.cli import main
from trainer.config import ConfigError, load_config
from trainer.core.settings import AppSettings

ARGS = argparse.Namespace(pedal="none", pin=None, mute=False, member=None)


def settings_from(tmp_path: Path, text: str) -> AppSettings:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return AppSettings.from_args(ARGS, load_config(path))


def refusal(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        settings_from(tmp_path, text)
    return caught.value


@pytest.mark.parametrize(
    ("text", "where"),
    [
        # The report's cases: a blank kiosk, a frozen hold, a hung kiosk, no idle reset.
        ("[engine]\nswitch_seconds = nan\n", "[engine] switch_seconds"),
        ("[engine.cues]\ncountdown_pips = 1e12\n", "[engine.cues] countdown_pips"),
        ("[kiosk]\nreload_seconds = nan\n", "[kiosk] reload_seconds"),
        ("[kiosk]\nidle_seconds = nan\n", "[kiosk] idle_seconds"),
        # And the same class elsewhere: infinities, negatives, absurd sizes.
        ("[kiosk]\nsummary_seconds = inf\n", "[kiosk] summary_seconds"),
        ("[kiosk]\nidle_seconds = 0.001\n", "[kiosk] idle_seconds"),
        ("[audio]\nvolume = inf\n", "[audio] volume"),
        ("[audio]\nrate = 1e9\n", "[audio] rate"),
        ("[engine.cues]\nhalfway_min_seconds = -inf\n", "[engine.cues] halfway_min_seconds"),
        ("[engine.cues]\ncount_in_seconds = 100000\n", "[engine.cues] count_in_seconds"),
        ("[engine]\nswitch_seconds = 1e300\n", "[engine] switch_seconds"),
        ("[pedal]\nlong_press = nan\n", "[pedal] long_press"),
        ("[pedal]\ndebounce = inf\n", "[pedal] debounce"),
    ],
)
def test_non_finite_and_absurd_numbers_are_refused(tmp_path: Path, text: str, where: str):
    error = refusal(tmp_path, text)
    assert where in str(error) and str(tmp_path / "config.toml") in str(error)


def test_an_unknown_section_is_refused_with_a_suggestion(tmp_path: Path):
    # [kisok] used to be ignored, leaving the default PIN in place.
    error = refusal(tmp_path, '[kisok]\nadmin_pin = "5173"\n')
    assert "[kisok]: unknown section; did you mean 'kiosk'?" in str(error)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[kiosk]\nidle_second = 60\n",
            "[kiosk] idle_second: unknown setting 'idle_second'; did you mean",
        ),
        ("[audio]\nvolum = 0.5\n", "did you mean 'volume'?"),
        ("[engine.cues]\ncountdown_pip = 3\n", "did you mean 'countdown_pips'?"),
        ("[engine]\nswich_seconds = 3\n", "did you mean 'switch_seconds'?"),
        ("[pedal]\ndebounse = 0.03\n", "did you mean 'debounce'?"),
        ('[keys]\ntapp = "f5"\n', "did you mean 'tap'?"),
    ],
)
def test_unknown_keys_get_a_did_you_mean(tmp_path: Path, text: str, expected: str):
    assert expected in str(refusal(tmp_path, text))


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path):
    error = refusal(
        tmp_path,
        "[kisok]\nx = 1\n"
        "[engine]\nswitch_seconds = nan\n"
        "[engine.cues]\ncountdown_pips = 1e12\ntempo = 'sing'\n"
        "[audio]\nvolume = 2\n"
        "[kiosk]\nidle_seconds = nan\nreload_seconds = -1\n"
        "[pedal]\npin = 99\nlong_pres = 1\n"
        '[keys]\ntap = 5\nskip = "f5"\n',
    )
    sections = {problem.section.split(".")[0] for problem in error.problems if problem.section}
    assert {"kisok", "engine", "audio", "kiosk", "pedal", "keys"} <= sections
    assert len(error.problems) == 10
    text = str(error)
    assert text.startswith(f"{tmp_path / 'config.toml'}: 10 problems\n")
    assert "[pedal] pin: must be a BCM GPIO number from 0 to 27, like 17, got 99" in text
    assert "[pedal] long_pres: unknown setting 'long_pres'; did you mean 'long_press'?" in text
    assert "[keys] tap: must be a key name or a list of them" in text
    assert "[engine.cues] tempo" in text


def test_the_commands_print_them_all_and_stop(tmp_path: Path, capsys):
    config = tmp_path / "config.toml"
    config.write_text("[kiosk]\nreload_seconds = nan\n[engine]\nswitch_seconds = inf\n")
    for command in ("run", "kiosk"):
        assert main([command, "--config", str(config)]) == 2
        err = capsys.readouterr().err
        assert "[kiosk] reload_seconds" in err and "[engine] switch_seconds" in err
        assert "Traceback" not in err


def test_a_good_file_and_the_pedal_overlay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    settings = settings_from(
        tmp_path,
        "[kiosk]\nidle_seconds = 120\n[audio]\nvolume = 1\n[pedal]\npin = 22\n"
        "[engine.cues]\ncountdown_pips = 0\n",
    )
    assert (settings.kiosk.idle_seconds, settings.audio.volume) == (120.0, 1.0)
    assert settings.engine.cues.countdown_pips == 0 and settings.pedal.pin == 22
    # The pedal's environment variables and flags still overlay its section, explicitly.
    monkeypatch.setenv("TRAINER_PEDAL_PIN", "23")
    assert settings_from(tmp_path, "[pedal]\npin = 22\n").pedal.pin == 23
    flagged = argparse.Namespace(**{**vars(ARGS), "pin": 24})
    path = tmp_path / "config.toml"
    assert AppSettings.from_args(flagged, load_config(path)).pedal.pin == 24
    monkeypatch.setenv("TRAINER_PEDAL_LONG_PRESS", "nan")
    error = str(refusal(tmp_path, "[pedal]\npin = 22\n"))
    assert "[pedal] long_press: must be seconds from 0.2 to 10, got nan" in error
    assert "(from TRAINER_PEDAL_LONG_PRESS)" in error
