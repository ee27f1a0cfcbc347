"""The optional config file (TOML), read once at start.

The file is split into sections, one per part of the trainer (``[pedal]``,
``[audio]``, ``[keys]``, ``[kiosk]``, ``[engine]``). Each part owns the meaning of
its section and parses it itself, so this module knows nothing about them; it
only reads the file and turns mistakes into a clear :class:`ConfigError`.

Example ``~/.config/trainer/config.toml``::

    [pedal]
    pin = 17
    long_press = 0.8

    [audio]
    volume = 0.6
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer import paths


class ConfigError(Exception):
    """The config file exists but cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Config:
    """The parsed config file: a mapping of section name to that section's settings."""

    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    path: Path | None = None

    def section(self, name: str) -> Mapping[str, Any]:
        """The settings of one section, empty when the file does not have it."""
        return self.sections.get(name, {})


def load_config(path: Path | None = None) -> Config:
    """Read the config file at ``path`` (default: :func:`trainer.paths.config_file`).

    A missing file is not an error: every setting has a default.
    """
    path = path or paths.config_file()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config(path=None)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the config file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    for name, value in data.items():
        if not isinstance(value, dict):
            raise ConfigError(
                f"{path}: '{name}' must be a [section] table, like [pedal] or [audio]"
            )
    return Config(sections=data, path=path)
