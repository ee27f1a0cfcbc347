"""The [engine] config section: gestures, cue rules and plan options."""

from __future__ import annotations

import pytest

from trainer.config import Config, ConfigError
from trainer.engine.settings import CueRules, EngineSettings, GestureMap
from trainer.engine.vocabulary import Command, Gesture


def test_defaults_without_a_section():
    settings = EngineSettings.from_config(Config())
    assert settings == EngineSettings()
    assert settings.gestures.command_for(Gesture.TAP) is Command.PRIMARY
    assert settings.gestures.command_for(Gesture.LONG_PRESS) is Command.PAUSE
    # Taps are instant, so the pedal makes no double tap: back is in the pause menu.
    assert settings.gestures.command_for(Gesture.DOUBLE_TAP) is None


def test_a_full_section_is_read():
    settings = EngineSettings.from_section(
        {
            "switch_seconds": 8,
            "gestures": {"tap": "primary", "double_tap": "skip", "long_press": "none"},
            "cues": {"tempo": "tone", "halfway_min_seconds": 20, "countdown_pips": 5},
        }
    )
    assert settings.plan.switch_seconds == 8.0
    assert settings.gestures == GestureMap(
        tap=Command.PRIMARY, double_tap=Command.SKIP, long_press=None
    )
    assert settings.gestures.gestures_for(Command.SKIP) == (Gesture.DOUBLE_TAP,)
    assert settings.cues == CueRules(tempo="tone", halfway_min_seconds=20.0, countdown_pips=5)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"swtich_seconds": 3}, "unknown setting 'swtich_seconds'"),
        ({"switch_seconds": -1}, r"\[engine\] switch_seconds: must be a number of seconds from 0"),
        ({"switch_seconds": "5s"}, "switch_seconds: must be a number"),
        ({"gestures": {"triple_tap": "back"}}, r"\[engine.gestures\] triple_tap: unknown setting"),
        ({"gestures": {"tap": "jump"}}, "tap: must be one of primary, .*none, got 'jump'"),
        ({"gestures": "tap"}, r"gestures: must be a table, written \[engine.gestures\]"),
        ({"cues": {"tempo": "sing"}}, "tempo: must be one of speak, tone, off"),
        ({"cues": {"start_tone": "yes"}}, "start_tone: must be true or false"),
        ({"cues": {"countdown_pips": 2.5}}, "countdown_pips: must be a whole number"),
        ({"cues": {"volume": 3}}, "unknown setting 'volume'"),
    ],
)
def test_mistakes_name_the_setting(section, message):
    with pytest.raises(ConfigError, match=message):
        EngineSettings.from_section(section)


def test_errors_name_the_config_file(tmp_path):
    config = Config(sections={"engine": {"bogus": 1}}, path=tmp_path / "config.toml")
    with pytest.raises(ConfigError, match=r"config\.toml: \[engine\] bogus: unknown setting"):
        EngineSettings.from_config(config)
