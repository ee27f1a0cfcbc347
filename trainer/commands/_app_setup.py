"""What `trainer run` and `trainer kiosk` share: settings, logging, clear config errors.

Importing this module costs little: ``trainer run`` paints its picker before
the settings (pydantic), the store or the fleet are imported (see
:class:`trainer.ui.app.TrainerApp`), so those are imported where they are used.
"""

from __future__ import annotations

import argparse
import ctypes.util
import logging
import logging.handlers
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from trainer import paths
from trainer.adapters.store.lock import DataDirBusy, DataDirLock
from trainer.capped_files import DAY, drop_if_older
from trainer.commands._console import journal_handler
from trainer.fleet.dsn import find_dsn

if TYPE_CHECKING:
    from trainer.core.settings import AppSettings, BackgroundService


def app_settings(args: argparse.Namespace) -> AppSettings | None:
    """Settings from config, environment and flags; None after printing a clear error."""
    try:
        return read_app_settings(args)
    except ValueError as error:  # a ConfigError among them
        print(f"trainer: {error}", file=sys.stderr)
        return None


def read_app_settings(args: argparse.Namespace) -> AppSettings:
    """Settings from config, environment and flags.

    :raises ValueError: a :class:`~trainer.config.ConfigError` naming every mistake.
    """
    from trainer.core.settings import AppSettings

    settings = AppSettings.from_args(args)
    return replace(settings, background=fleet_services(settings))


def fleet_services(settings: AppSettings) -> tuple[BackgroundService, ...]:
    """The fleet link when a fleet server is configured, else nothing at all.

    A box with no server never imports the fleet package (nor psycopg).
    """

    dsn = find_dsn()
    if dsn is None:
        return ()
    from trainer.adapters.store.database import SessionStore

    prefer_system_libpq()
    try:
        from trainer.fleet.link import FleetLink
    except ImportError as error:  # the fleet extra is not installed
        logging.getLogger(__name__).error("fleet server configured but %s: no sync", error)
        return ()
    database = settings.database_path
    return (FleetLink(dsn, lambda: SessionStore.open(database), paths.packs_dir()),)


def prefer_system_libpq() -> None:
    """Let psycopg use the system's libpq (Debian's ``libpq5``) when there is one.

    psycopg-binary brings its own libpq and its own copy of OpenSSL; the system's
    libpq shares the OpenSSL that Python's hashlib has loaded already, so the
    kiosk's sync thread costs about 4 MB less resident memory (see
    benchmarks/README.md, the fleet at scale). psycopg's pure-Python layer over it
    is slower to adapt rows, which a kiosk sending a few rows every 30 s never
    notices. Without ``libpq5``, or when ``PSYCOPG_IMPL`` says otherwise, or once
    psycopg is imported, nothing changes.
    """
    if "psycopg" in sys.modules or PSYCOPG_IMPL in os.environ:
        return
    if ctypes.util.find_library("pq"):
        os.environ[PSYCOPG_IMPL] = "python"


#: psycopg reads its implementation (binary, c or python) from this, when imported.
PSYCOPG_IMPL = "PSYCOPG_IMPL"
#: trainer.log is rotated at this size (one older copy, dropped after LOG_MAX_AGE).
LOG_MAX_BYTES = 1_000_000
LOG_MAX_AGE = 30 * DAY
#: Exit status when another trainer holds the data folder.
DATA_DIR_BUSY = 3


def hold_data_dir(settings: AppSettings) -> DataDirLock | None:
    """The data folder's lock, held until released or the process ends; None after
    printing who holds it. A folder that cannot be locked at all (read-only, gone)
    is left to the store to report, as before, with an unheld lock."""
    return hold_folder(settings.database_path.parent)


def hold_folder(folder: Path) -> DataDirLock | None:
    """:func:`hold_data_dir` for a folder named before the settings are read."""
    try:
        return DataDirLock.acquire(folder)
    except DataDirBusy as busy:
        print(f"trainer: {busy}", file=sys.stderr)
        return None
    except OSError as error:
        logging.getLogger(__name__).warning("cannot lock the data folder %s: %s", folder, error)
        return DataDirLock(folder, None)


def stdin_problem(command: str) -> str | None:
    """Why the full-screen app cannot read keys from stdin, or None when it can.

    With stdin at end of file (``</dev/null``, a closed pipe) Textual's input
    thread wakes up forever and the app spins at full CPU; better to stop at
    once with a message, so a restart loop or systemd can take over."""
    stream = sys.__stdin__
    try:
        if stream is not None and os.isatty(stream.fileno()):
            return None
        what = _describe(stream.fileno()) if stream is not None else "closed"
    except (OSError, ValueError):
        what = "closed"
    return (
        f"trainer {command}: standard input is not a terminal ({what}); the trainer reads "
        "keys from a terminal. Run it in one, or under systemd with StandardInput=tty."
    )


def _describe(descriptor: int) -> str:
    try:
        target = os.readlink(f"/proc/self/fd/{descriptor}")
    except OSError:
        return "not a terminal"
    if target.startswith("pipe:"):
        return "a pipe"
    if target.startswith("socket:"):
        return "a socket"
    return target


def log_to_file(journal: TextIO | None = None) -> None:
    """Send log records to a file: anything written to the terminal would corrupt the TUI.

    ``journal`` (from :func:`trainer.commands._console.ui_on_terminal`) is the
    original stderr when it is not the screen: records at INFO and above go
    there too, so ``journalctl -u trainer-kiosk`` shows them.
    """
    folder = paths.state_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        log_file = folder / "trainer.log"
        drop_if_older(log_file.with_name(log_file.name + ".1"), LOG_MAX_AGE)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=LOG_MAX_BYTES, backupCount=1, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    if journal is not None:
        root.addHandler(journal_handler(journal))
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)
