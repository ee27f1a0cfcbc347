"""The ``[audio]`` section of the config file, parsed into :class:`AudioSettings`.

Example::

    [audio]
    volume = 0.6        # 0..1, a linear gain on every tone and spoken cue
    muted = false       # start with sound off (the UI can toggle it)
    speech = true       # speak step names and cue texts with espeak-ng
    voice = "en-gb"     # an espeak-ng voice, optionally with a variant: "en-us+f3"
    rate = 160          # speaking rate in words per minute (80..450)
    backend = "auto"    # auto | simpleaudio | aplay | silent

Every mistake is reported as an :class:`AudioSettingsError` whose message
names the setting, what it must be and what it was, so a coach editing the
file on a gym floor can fix it without reading code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from trainer.config import Config, ConfigError, load_config

BACKEND_CHOICES = ("auto", "simpleaudio", "aplay", "silent")
MIN_RATE, MAX_RATE = 80, 450

# espeak-ng voice names look like "en", "en-us", "en-gb-scotland", "en+f3" or
# "mb/mb-en1". Anything else is a typo, or an attempt to smuggle an option in.
_VOICE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_+/-]{0,63}")


class AudioSettingsError(ConfigError):
    """An ``[audio]`` setting has the wrong type or is out of range."""


@dataclass(frozen=True)
class AudioSettings:
    """How the trainer sounds; the defaults suit a Raspberry Pi with a small speaker."""

    volume: float = 0.8
    muted: bool = False
    speech: bool = True
    voice: str = "en"
    rate: int = 160
    backend: str = "auto"
    #: Ring the terminal bell for each cue when no sound device works (the screen flashes anyway).
    bell: bool = False

    @classmethod
    def from_config(cls, config: Config | None = None) -> AudioSettings:
        """Settings from the ``[audio]`` section of ``config`` (default: the user's file)."""
        config = config if config is not None else load_config()
        where = f"{config.path}: " if config.path else ""
        return cls.from_section(config.section("audio"), where=where)

    @classmethod
    def from_section(cls, section: Mapping[str, Any], *, where: str = "") -> AudioSettings:
        """Parse one ``[audio]`` table; ``where`` prefixes error messages (e.g. the file)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(section) - known)
        if unknown:
            raise AudioSettingsError(
                f"{where}[audio] has no setting {unknown[0]!r}; "
                f"the settings are: {', '.join(sorted(known))}"
            )
        parsed: dict[str, Any] = {}
        for name, value in section.items():
            parsed[name] = _PARSERS[name](value, f"{where}[audio] {name}")
        return cls(**parsed)


def _number_0_to_1(value: Any, label: str) -> float:
    # bool is an int in Python, but `volume = true` is surely a mistake.
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise AudioSettingsError(f"{label} must be a number from 0 to 1, got {value!r}")
    return float(value)


def _boolean(value: Any, label: str) -> bool:
    if not isinstance(value, bool):
        raise AudioSettingsError(f"{label} must be true or false, got {value!r}")
    return value


def _voice(value: Any, label: str) -> str:
    if not isinstance(value, str) or not _VOICE_PATTERN.fullmatch(value) or ".." in value:
        raise AudioSettingsError(
            f'{label} must be an espeak-ng voice name like "en", "en-gb" or "en-us+f3" '
            f"(see `espeak-ng --voices`), got {value!r}"
        )
    return value


def _rate(value: Any, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_RATE <= value <= MAX_RATE:
        raise AudioSettingsError(
            f"{label} must be a whole number of words per minute from {MIN_RATE} to "
            f"{MAX_RATE}, got {value!r}"
        )
    return value


def _backend(value: Any, label: str) -> str:
    if value not in BACKEND_CHOICES:
        raise AudioSettingsError(
            f"{label} must be one of {', '.join(BACKEND_CHOICES)}, got {value!r}"
        )
    return str(value)


_PARSERS = {
    "volume": _number_0_to_1,
    "muted": _boolean,
    "speech": _boolean,
    "voice": _voice,
    "rate": _rate,
    "backend": _backend,
    "bell": _boolean,
}
