"""Finding and opening the connection to the fleet server.

The DSN (a libpq connection string or URI) comes from ``--dsn``, else from
``$TRAINER_FLEET_DSN``, else from the file ``fleet.dsn`` in the config folder
(``hardware/install.sh --server DSN`` writes it, readable by the trainer's user
only). A kiosk's DSN holds its password, so it is kept out of config.toml, out
of routine files and out of the session history, and every message that shows
a DSN shows it through :func:`redact`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TypeAlias

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from trainer import paths

DSN_ENV = "TRAINER_FLEET_DSN"
DSN_FILE_NAME = "fleet.dsn"
#: Seconds to wait for the server before counting it as down.
CONNECT_TIMEOUT = 5


#: A connection whose rows are plain tuples (psycopg's default row factory).
Connection: TypeAlias = psycopg.Connection[tuple[Any, ...]]


class FleetError(Exception):
    """A fleet operation failed; the message says what to do, without any password."""


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


def require_dsn(given: str | None = None) -> str:
    dsn = find_dsn(given)
    if dsn is None:
        raise FleetError(
            f"no fleet server configured: pass --dsn, set ${DSN_ENV}, or write the DSN "
            f"to {dsn_file()} (hardware/install.sh --server DSN does that)"
        )
    return dsn


def redact(dsn: str) -> str:
    """``dsn`` with its password replaced by ``***``, safe to print or log."""
    try:
        parts = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "(unreadable DSN)"
    if parts.get("password"):
        parts["password"] = "***"
    return make_conninfo(**{key: str(value) for key, value in parts.items() if value is not None})


def connect(dsn: str, *, purpose: str, autocommit: bool = False) -> Connection:
    """Open a connection, naming the trainer part in ``pg_stat_activity``.

    :raises FleetError: when the server cannot be reached or refuses us.
    """
    try:
        return psycopg.connect(
            dsn,
            autocommit=autocommit,
            connect_timeout=CONNECT_TIMEOUT,
            application_name=f"trainer {purpose}",
        )
    except psycopg.Error as error:
        reason = _first_line(error)
        raise FleetError(f"cannot reach the fleet server ({redact(dsn)}): {reason}") from None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
