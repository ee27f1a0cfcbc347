"""One error type for everything that can go wrong with the history database.

SQLite reports problems as terse codes ("database is locked", "attempt to write
a readonly database"); :func:`store_error` turns them into a :class:`StoreError`
whose message says, in plain words, what happened and what to do about it, so
the screen can show it as is.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# SQLite's primary result codes (https://sqlite.org/rescode.html); extended codes
# keep the primary one in their low byte.
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


class StoreError(Exception):
    """The history database cannot be used; ``str(error)`` is a message for the user.

    ``reason`` is a short tag for code that reacts differently to each case:
    ``locked``, ``read-only``, ``full``, ``damaged``, ``cannot-open``,
    ``disk-error``, ``too-new`` or ``other``.
    """

    def __init__(self, message: str, *, reason: str = "other", path: Path | None = None):
        super().__init__(message)
        self.reason = reason
        self.path = path


def store_error(error: sqlite3.Error | OSError, path: Path, doing: str) -> StoreError:
    """A :class:`StoreError` explaining ``error``, which happened while ``doing`` (a verb
    phrase such as "saving the session")."""
    reason, advice = _classify(error, path)
    return StoreError(f"Could not finish {doing}: {advice}", reason=reason, path=path)


def _classify(error: sqlite3.Error | OSError, path: Path) -> tuple[str, str]:
    if isinstance(error, OSError):
        return "cannot-open", f"cannot use {path.parent} ({error.strerror or error})."
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(error).lower()
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in text:
        return "locked", (
            f"the history database {path} is locked by another program "
            "(is another trainer running?). Close it and try again."
        )
    if code == _SQLITE_READONLY or "readonly" in text or "read-only" in text:
        return "read-only", (
            f"the history database {path} is read-only. Check the permissions of the "
            "file and its folder, or point --data-dir somewhere writable."
        )
    if code == _SQLITE_FULL or "disk is full" in text:
        return "full", (
            f"the disk holding {path} is full. Free some space; sessions saved "
            "before this are kept."
        )
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text:
        return "damaged", (
            f"{path} is damaged or is not a trainer history database. Move it aside "
            "(it will not be deleted) and a new history will be started."
        )
    if code == _SQLITE_CANTOPEN:
        return "cannot-open", (
            f"cannot open {path}. Check that its folder exists and can be written to."
        )
    if code == _SQLITE_IOERR:
        return "disk-error", f"the disk reported an error with {path} ({error})."
    return "other", f"{error} ({path})."
