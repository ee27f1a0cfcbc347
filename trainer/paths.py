"""Where trainer finds routines and keeps its data.

Every location follows the XDG base-directory spec and can be overridden by an
environment variable (and, in the CLI, by a flag) so tests, kiosks and coaches
can point the trainer anywhere without touching the home directory.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Routines shipped with the package checkout (``routines/`` beside ``trainer/``).
BUNDLED_ROUTINES_DIR = Path(__file__).resolve().parent.parent / "routines"


def is_bundled(path: Path) -> bool:
    """Whether a routine file ships with the trainer (else it is the user's or a coach's:
    `trainer list` and the picker mark those "(yours)")."""
    return BUNDLED_ROUTINES_DIR.resolve() in path.resolve().parents


ROUTINES_DIR_ENV = "TRAINER_ROUTINES_DIR"
DATA_DIR_ENV = "TRAINER_DATA_DIR"
CONFIG_FILE_ENV = "TRAINER_CONFIG"


def _xdg(env_name: str, fallback: str) -> Path:
    value = os.environ.get(env_name)
    # The spec says relative paths in these variables are invalid and must be ignored.
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / fallback


def data_dir() -> Path:
    """The trainer's data folder: ``$TRAINER_DATA_DIR`` or ``$XDG_DATA_HOME/trainer``."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return _xdg("XDG_DATA_HOME", ".local/share") / "trainer"


def user_routines_dir() -> Path:
    """The user's own routines: ``$TRAINER_ROUTINES_DIR`` or ``<data dir>/routines``."""
    override = os.environ.get(ROUTINES_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return data_dir() / "routines"


def packs_dir() -> Path:
    """Routine packs pulled from a fleet server: ``<data dir>/packs`` (see trainer.fleet.packs)."""
    return data_dir() / "packs"


def current_pack_dir() -> Path:
    """The routine pack in use: a symlink that a new pack replaces atomically."""
    return packs_dir() / "current"


def routine_folders() -> list[Path]:
    """The bundled routines, the coach's pack, the user's folder (see
    :func:`trainer.routine.catalog.default_folders`, which explains the order)."""
    return [BUNDLED_ROUTINES_DIR, current_pack_dir(), user_routines_dir()]


def config_file() -> Path:
    """The config file: ``$TRAINER_CONFIG`` or ``$XDG_CONFIG_HOME/trainer/config.toml``."""
    override = os.environ.get(CONFIG_FILE_ENV)
    if override:
        return Path(override).expanduser()
    return _xdg("XDG_CONFIG_HOME", ".config") / "trainer" / "config.toml"


def cache_dir() -> Path:
    """What can be made again (rendered speech): ``$XDG_CACHE_HOME/trainer``, or
    ``<data dir>/cache`` when ``$TRAINER_DATA_DIR`` is set, so a test or a kiosk
    pointed elsewhere stays inside its own folder."""
    if os.environ.get(DATA_DIR_ENV):
        return data_dir() / "cache"
    return _xdg("XDG_CACHE_HOME", ".cache") / "trainer"


def state_dir() -> Path:
    """Logs and other state: ``$XDG_STATE_HOME/trainer`` (inside the data dir when overridden)."""
    if os.environ.get(DATA_DIR_ENV):
        return data_dir() / "state"
    return _xdg("XDG_STATE_HOME", ".local/state") / "trainer"
