"""Finding and opening the connection to the fleet server.

The DSN (a libpq connection string or URI) comes from ``--dsn``, else from
``$TRAINER_FLEET_DSN``, else from the file ``fleet.dsn`` in the config folder
(``hardware/install.sh --server DSN`` writes it, readable by the trainer's user
only). A kiosk's DSN holds its password, so it is kept out of config.toml, out
of routine files and out of the session history, and every message that shows
a DSN shows it through :func:`redact`.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from trainer.fleet.dsn import DSN_ENV, dsn_file, find_dsn

#: Seconds to wait for the server before counting it as down.
CONNECT_TIMEOUT = 5


#: A connection whose rows are plain tuples (psycopg's default row factory).
Connection: TypeAlias = psycopg.Connection[tuple[Any, ...]]


class FleetError(Exception):
    """A fleet operation failed; the message says what to do, without any password."""


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


def server_name(dsn: str) -> str:
    """``database@host`` for messages: where, without who or any password."""
    try:
        parts = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "(unreadable DSN)"
    return f"{parts.get('dbname') or 'default database'}@{parts.get('host') or 'localhost'}"


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
