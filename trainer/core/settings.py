"""Everything the app is configured with, gathered once at start.

:class:`AppSettings` is plain data parsed from the config file, environment
and command line, so tests can build one directly (a temporary database, the
silent audio backend, a fake clock) and run the real app with it.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from trainer import paths
from trainer.adapters.audio.settings import AudioSettings
from trainer.adapters.pedal.keys import KeyMap
from trainer.adapters.pedal.settings import PedalSettings
from trainer.adapters.store.database import default_database_path
from trainer.config import Config, ConfigError, load_config
from trainer.engine.settings import EngineSettings
from trainer.routine.catalog import default_folders


class BackgroundService(Protocol):
    """Something the app runs beside itself on its own thread (the fleet sync)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def describe(self) -> str:
        """One line for the admin screen."""
        ...


@dataclass(frozen=True)
class KioskSettings:
    """The ``[kiosk]`` config section: how an unattended gym-floor box behaves.

    Nothing a passer-by presses may exit a kiosk; an admin opens the admin
    screen with a key and a PIN::

        [kiosk]
        admin_key = "f12"        # opens the PIN prompt
        admin_pin = "2468"       # digits only; change it!
        idle_seconds = 300       # back to the picker after this long without input
        summary_seconds = 90     # how long the summary stays up
        reload_seconds = 5       # how often routine folders are checked for changes
    """

    admin_key: str = "f12"
    admin_pin: str = "2468"
    idle_seconds: float = 300.0
    summary_seconds: float = 90.0
    reload_seconds: float = 5.0

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> KioskSettings:
        known = {name for name in cls.__dataclass_fields__}
        values: dict[str, Any] = {}
        for key, raw in section.items():
            if key not in known:
                raise ConfigError(f"[kiosk] {key}: unknown setting (known: {', '.join(known)})")
            if key in ("admin_key", "admin_pin"):
                values[key] = str(raw).strip()
            else:
                if isinstance(raw, bool) or not isinstance(raw, int | float) or raw <= 0:
                    raise ConfigError(f"[kiosk] {key}: expected a number of seconds above 0")
                values[key] = float(raw)
        settings = cls(**values)
        if not settings.admin_pin.isdigit() or not 4 <= len(settings.admin_pin) <= 12:
            raise ConfigError("[kiosk] admin_pin: expected 4 to 12 digits")
        return settings


@dataclass(frozen=True)
class AppSettings:
    """How to run the app. Every field has a working default."""

    engine: EngineSettings = field(default_factory=EngineSettings)
    audio: AudioSettings = field(default_factory=AudioSettings)
    pedal: PedalSettings = field(default_factory=lambda: PedalSettings(mode="none"))
    keys: KeyMap = field(default_factory=lambda: KeyMap.from_config(None))
    kiosk: KioskSettings = field(default_factory=KioskSettings)
    routine_folders: tuple[Path, ...] | None = None  # None: bundled + user folder
    #: Single routine files to load besides the folders (`trainer run path/to/file.yaml`).
    routine_files: tuple[Path, ...] = ()
    database: Path | None = None  # None: the default in the data folder
    #: Monotonic clock for the engine; tests pass a fake one.
    clock: Callable[[], float] = time.monotonic
    #: Where kiosk errors are logged.
    log_dir: Path | None = None
    #: Home mode trains as this member (None: the owner member). The kiosk ignores it.
    member: str | None = None
    #: Started with the app, stopped when it ends (the commands add the fleet link).
    background: tuple[BackgroundService, ...] = ()

    @property
    def folders(self) -> list[Path]:
        """The routine folders to read (and, in a kiosk, to watch)."""
        return list(default_folders() if self.routine_folders is None else self.routine_folders)

    @property
    def database_path(self) -> Path:
        return self.database or default_database_path()

    @property
    def error_log(self) -> Path:
        return (self.log_dir or paths.state_dir()) / "errors.log"

    @classmethod
    def from_args(cls, args: argparse.Namespace, config: Config | None = None) -> AppSettings:
        """Settings from the config file, the environment and the command line.

        :raises trainer.config.ConfigError: or a ValueError subclass, naming the bad setting.
        """
        config = config if config is not None else load_config()
        audio = AudioSettings.from_config(config)
        if getattr(args, "mute", False):
            audio = replace(audio, muted=True)
        return cls(
            engine=EngineSettings.from_config(config),
            audio=audio,
            pedal=PedalSettings.from_sources(config.section("pedal"), os.environ, args),
            keys=KeyMap.from_config(config.section("keys")),
            kiosk=KioskSettings.from_section(config.section("kiosk")),
            member=getattr(args, "member", None),
        )
