"""Everything the app is configured with, gathered once at start.

:class:`AppSettings` is plain data parsed from the config file, environment
and command line, so tests can build one directly (a temporary database, the
silent audio backend, a fake clock) and run the real app with it.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from trainer import paths
from trainer.adapters.audio.settings import AudioSettings
from trainer.adapters.pedal.keys import KeyMap
from trainer.adapters.pedal.settings import PedalSettings
from trainer.adapters.store.database import default_database_path
from trainer.config import Config, load_config
from trainer.engine.settings import EngineSettings
from trainer.routine.catalog import Catalog, default_folders, load_catalog
from trainer.ui.kiosk import KioskSettings


class BackgroundService(Protocol):
    """Something the app runs beside itself on its own thread (the fleet sync)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def describe(self) -> str:
        """One line for the admin screen."""
        ...


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

    def load_catalog(self) -> Catalog:
        folders = default_folders() if self.routine_folders is None else self.routine_folders
        return load_catalog(list(folders), files=list(self.routine_files))

    @property
    def database_path(self) -> Path:
        return self.database or default_database_path()

    @property
    def error_log(self) -> Path:
        return (self.log_dir or paths.state_dir()) / "errors.log"

    def folders_to_watch(self) -> list[Path]:
        return list(default_folders() if self.routine_folders is None else self.routine_folders)

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
