"""Where the fleet server's DSN comes from (no database driver needed to ask).

``--dsn``, else ``$TRAINER_FLEET_DSN``, else the file ``fleet.dsn`` beside the
config file (``hardware/install.sh --server DSN`` writes it, readable by the
trainer's user only). A box with no server finds none here and never loads
the rest of the fleet package.
"""

from __future__ import annotations

import os
from pathlib import Path

from trainer import paths

DSN_ENV = "TRAINER_FLEET_DSN"
DSN_FILE_NAME = "fleet.dsn"


def dsn_file() -> Path:
    """``fleet.dsn`` beside the config file."""
    return paths.config_file().parent / DSN_FILE_NAME


def find_dsn(given: str | None = None) -> str | None:
    """The DSN to use: ``given``, else ``$TRAINER_FLEET_DSN``, else the DSN file; None if none."""
    if given:
        return given
    if os.environ.get(DSN_ENV):
        return os.environ[DSN_ENV]
    try:
        text = dsn_file().read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text or None
