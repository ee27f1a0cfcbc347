"""ULIDs: the ids every session, moment and check carries beyond this box.

A ULID is 128 bits: a 48-bit Unix time in milliseconds, then 80 random bits,
written as 26 characters of Crockford base 32. Ids made on different kiosks
never collide (80 random bits), sort roughly by creation time, and need no
coordination, so a kiosk can make them offline and the server can use them as
primary keys for idempotent inserts. A wrong kiosk clock only changes the sort
order, never uniqueness.
"""

from __future__ import annotations

import secrets
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_ulid(now: float | None = None) -> str:
    """A fresh ULID for ``now`` (seconds since the epoch; default: the wall clock)."""
    milliseconds = int((time.time() if now is None else now) * 1000) & ((1 << 48) - 1)
    value = (milliseconds << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def ulid_time(ulid: str) -> float:
    """The creation time (seconds since the epoch) encoded in ``ulid``."""
    value = 0
    for character in ulid.upper():
        value = (value << 5) | _CROCKFORD.index(character)
    return (value >> 80) / 1000
