"""The ``[audio]`` section of the config file, parsed into :class:`AudioSettings`.

Example::

    [audio]
    volume = 0.6        # 0..1, a linear gain on every tone and spoken cue
    muted = false       # start with sound off (the UI can toggle it)
    speech = true       # speak step names and cue texts with espeak-ng
    voice = "en-gb"     # an espeak-ng voice, optionally with a variant: "en-us+f3"
    rate = 160          # speaking rate in words per minute (80..450)
    backend = "auto"    # auto | simpleaudio | aplay | silent

It is a pydantic model (unknown keys, wrong types, ``nan`` and out-of-range
numbers refused); every mistake is reported, all at once, as an
:class:`AudioSettingsError` whose message names each setting, what it must be
and what it was, so a coach editing the file on a gym floor can fix it
without reading code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from trainer.config import Config, ConfigError, load_config, read_section

BACKEND_CHOICES = ("auto", "simpleaudio", "aplay", "silent")
MIN_RATE, MAX_RATE = 80, 450

# espeak-ng voice names look like "en", "en-us", "en-gb-scotland", "en+f3" or
# "mb/mb-en1". Anything else is a typo, or an attempt to smuggle an option in.
_VOICE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_+/-]{0,63}$"


class AudioSettingsError(ConfigError):
    """An ``[audio]`` setting has the wrong type or is out of range."""


class AudioSettings(BaseModel):
    """How the trainer sounds; the defaults suit a Raspberry Pi with a small speaker."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    volume: float = Field(0.8, ge=0, le=1, allow_inf_nan=False, description="a number from 0 to 1")
    muted: bool = False
    speech: bool = True
    voice: str = Field(
        "en",
        pattern=_VOICE_PATTERN,
        description='an espeak-ng voice name like "en", "en-gb" or "en-us+f3" '
        "(see `espeak-ng --voices`)",
    )
    rate: int = Field(
        160,
        ge=MIN_RATE,
        le=MAX_RATE,
        description=f"a whole number of words per minute from {MIN_RATE} to {MAX_RATE}",
    )
    backend: Literal["auto", "simpleaudio", "aplay", "silent"] = Field(
        "auto", description=f"one of {', '.join(BACKEND_CHOICES)}"
    )
    #: Ring the terminal bell for each cue when no sound device works (the screen flashes anyway).
    bell: bool = False
    #: Read each step's ``how`` aloud on its first side (in the lead-in, after its name).
    speak_how: bool = False

    @field_validator("voice")
    @classmethod
    def _no_parent_folder(cls, voice: str) -> str:
        if ".." in voice:
            raise ValueError("must be an espeak-ng voice name, not a path")
        return voice

    @classmethod
    def from_config(cls, config: Config | None = None) -> AudioSettings:
        """Settings from the ``[audio]`` section of ``config`` (default: the user's file)."""
        config = config if config is not None else load_config()
        try:
            return cls.from_section(config.section("audio"))
        except ConfigError as error:
            raise error.at(config.path) from None

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> AudioSettings:
        """Read one ``[audio]`` table; raises :class:`AudioSettingsError`."""
        return read_section(cls, "audio", section, AudioSettingsError)
