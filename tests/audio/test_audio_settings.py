"""The [audio] config section: defaults, parsing, and errors that name the setting."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from trainer.adapters.audio.settings import AudioSettings, AudioSettingsError
from trainer.config import ConfigError, load_config


def test_an_empty_section_gives_the_defaults():
    assert AudioSettings.from_section({}) == AudioSettings()
    assert AudioSettings().backend == "auto"


def test_every_setting_is_read():
    settings = AudioSettings.from_section(
        {
            "volume": 0.5,
            "muted": True,
            "speech": False,
            "voice": "en-us+f3",
            "rate": 200,
            "backend": "aplay",
        }
    )
    assert settings == AudioSettings(
        volume=0.5, muted=True, speech=False, voice="en-us+f3", rate=200, backend="aplay"
    )


def test_settings_are_frozen():
    with pytest.raises(ValidationError, match="frozen"):
        AudioSettings().volume = 0.1  # type: ignore[misc]


def test_an_integer_volume_is_accepted_as_a_number():
    assert AudioSettings.from_section({"volume": 1}).volume == 1.0


@pytest.mark.parametrize(
    ("name", "value", "expected_words"),
    [
        ("volume", 1.5, "from 0 to 1"),
        ("volume", -0.1, "from 0 to 1"),
        ("volume", True, "from 0 to 1"),
        ("volume", "loud", "from 0 to 1"),
        ("muted", "yes", "true or false"),
        ("speech", 1, "true or false"),
        ("voice", "-w /etc/passwd", "espeak-ng voice name"),
        ("voice", "../../etc", "espeak-ng voice name"),
        ("voice", "", "espeak-ng voice name"),
        ("rate", 20, "from 80 to 450"),
        ("rate", 160.5, "from 80 to 450"),
        ("backend", "pulse", "auto, simpleaudio, aplay, silent"),
    ],
)
def test_a_bad_value_is_named_with_what_it_must_be(name, value, expected_words):
    with pytest.raises(AudioSettingsError) as caught:
        AudioSettings.from_section({name: value})
    message = str(caught.value)
    assert f"[audio] {name}" in message
    assert expected_words in message
    assert repr(value) in message


def test_an_unknown_setting_is_named_with_the_known_ones():
    with pytest.raises(
        AudioSettingsError, match=r"unknown setting 'volumne'; did you mean 'volume'\?"
    ):
        AudioSettings.from_section({"volumne": 0.5})


def test_errors_from_a_file_name_the_file_and_are_config_errors(tmp_path: Path):
    config_file = tmp_path / "config.toml"
    config_file.write_text("[audio]\nvolume = 3\n")
    with pytest.raises(ConfigError) as caught:
        AudioSettings.from_config(load_config(config_file))
    assert str(config_file) in str(caught.value)
    assert "[audio] volume" in str(caught.value)


def test_settings_are_read_from_the_config_file(tmp_path: Path):
    config_file = tmp_path / "config.toml"
    config_file.write_text('[audio]\nvolume = 0.25\nvoice = "en-gb"\n')
    settings = AudioSettings.from_config(load_config(config_file))
    assert (settings.volume, settings.voice) == (0.25, "en-gb")
