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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from trainer import paths
from trainer.adapters.audio.settings import AudioSettings
from trainer.adapters.pedal.keys import KeyMap
from trainer.adapters.pedal.settings import PedalSettings
from trainer.adapters.store.database import default_database_path
from trainer.config import Config, ConfigError, check_sections, load_config, read_section
from trainer.engine.settings import EngineSettings
from trainer.routine.catalog import default_folders

#: Every section a config file may have. (A part that adds a section lists it here.)
CONFIG_SECTIONS = ("pedal", "keys", "audio", "engine", "kiosk")


class BackgroundService(Protocol):
    """Something the app runs beside itself on its own thread (the fleet sync)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def nudge(self) -> None:
        """Work soon, not at the next interval (a member just signed in)."""
        ...

    def describe(self) -> str:
        """One line for the admin screen."""
        ...


class KioskSettings(BaseModel):
    """The ``[kiosk]`` config section: how an unattended gym-floor box behaves.

    Nothing a passer-by presses may exit a kiosk; an admin opens the admin
    screen with a key and a PIN::

        [kiosk]
        admin_key = "f12"        # opens the PIN prompt
        admin_pin = "2468"       # the README's example: a kiosk refuses to start with it
        idle_seconds = 300       # back to the attract screen after this long without input
        summary_seconds = 90     # how long the summary stays up (never past idle_seconds)
        reload_seconds = 5       # how often routine folders are checked for changes
        show_member_names = false    # true: the attract screen lists members' names
        pin_lockout_seconds = 30     # after 3 wrong PINs (or codes); doubles each time...
        pin_lockout_max_seconds = 600    # ...up to this
        badge_key_gap = 0.03     # a badge reader types each key within this many seconds

    The rules that use them are in :mod:`trainer.core.front_desk`.
    The times must be finite and sane: ``idle_seconds = nan`` would switch the
    idle reset off and ``reload_seconds = nan`` would hang the kiosk.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    admin_key: str = Field("f12", min_length=1, max_length=32, description="a key name, like f12")
    admin_pin: str = Field(
        "2468", pattern=r"^[0-9]{4,12}$", description='4 to 12 digits in quotes, like "5173"'
    )
    idle_seconds: float = Field(
        300.0, ge=10, le=86_400, allow_inf_nan=False, description="seconds from 10 to 86400"
    )
    summary_seconds: float = Field(
        90.0, ge=5, le=86_400, allow_inf_nan=False, description="seconds from 5 to 86400"
    )
    reload_seconds: float = Field(
        5.0, ge=0.5, le=3600, allow_inf_nan=False, description="seconds from 0.5 to 3600"
    )
    show_member_names: bool = Field(False, description="true or false")
    pin_lockout_seconds: float = Field(
        30.0, ge=0.5, le=86_400, allow_inf_nan=False, description="seconds from 0.5 to 86400"
    )
    pin_lockout_max_seconds: float = Field(
        600.0, ge=0.5, le=86_400, allow_inf_nan=False, description="seconds from 0.5 to 86400"
    )
    badge_key_gap: float = Field(
        0.03, gt=0, le=0.2, allow_inf_nan=False, description="seconds above 0, up to 0.2"
    )

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> KioskSettings:
        """Read one ``[kiosk]`` table; raises :class:`~trainer.config.ConfigError`."""
        return read_section(cls, "kiosk", section, ConfigError)


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

        Every section is read even after one fails, so a file's mistakes are all
        reported at once, with the unknown sections (``[kisok]``).

        :raises trainer.config.ConfigError: naming the file and every bad section and key.
        """
        config = config if config is not None else load_config()
        problems = check_sections(config, CONFIG_SECTIONS)
        read: dict[str, Any] = {}
        # The pedal's environment variables and flags overlay its [pedal] section
        # explicitly (see PedalSettings.from_sources); the other sections are the file's.
        sections: dict[str, Callable[[], object]] = {
            "engine": lambda: EngineSettings.from_section(config.section("engine")),
            "audio": lambda: AudioSettings.from_section(config.section("audio")),
            "pedal": lambda: PedalSettings.from_sources(config.section("pedal"), os.environ, args),
            "keys": lambda: KeyMap.from_config(config.section("keys")),
            "kiosk": lambda: KioskSettings.from_section(config.section("kiosk")),
        }
        for name, reader in sections.items():
            try:
                read[name] = reader()
            except ConfigError as error:
                problems.extend(error.problems)
        if problems:
            raise ConfigError(problems, config.path)
        audio: AudioSettings = read["audio"]
        if getattr(args, "mute", False):
            audio = audio.model_copy(update={"muted": True})
        return cls(
            engine=read["engine"],
            audio=audio,
            pedal=read["pedal"],
            keys=read["keys"],
            kiosk=read["kiosk"],
            member=getattr(args, "member", None),
        )
