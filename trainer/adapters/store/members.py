"""Members: the people whose sessions the history keeps apart.

Every session belongs to one member, or to nobody (a kiosk *guest*). A member
has a name, an optional sign-in **code** (digits typed at the kiosk) and an
optional **badge** (the number a USB RFID/NFC reader types). One member is the
**owner**: home mode trains as the owner unless told otherwise, and history
from before members existed became the owner's.

Besides its integer key each member has a stable text ``uid`` (a UUID), so a
roster can come from a server and match rows here whatever their keys.

Read and change members through ``store.roster`` (a :class:`Roster`); bad
input raises :class:`MemberError` with a message for the user and changes
nothing.

Every change but the owner's also queues a ``member`` entry in the fleet outbox
(in the same transaction), and a rename or a new code or badge stamps
``changed_at``: with a fleet server, the change reaches every kiosk, where the
latest change wins and a removal wins over any change (see
:mod:`trainer.fleet.schema`, version 6). Without one the queue is never read.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer.adapters.store.database import SessionStore

NAME_MAX = 40
CODE_PATTERN = re.compile(r"[0-9]{4,12}")
#: What badge readers type: decimal or hexadecimal card numbers.
BADGE_PATTERN = re.compile(r"[0-9A-F]{4,32}")


class MemberError(ValueError):
    """A member command that cannot be done as asked (unknown name, code taken, ...)."""


@dataclass(frozen=True)
class Member:
    id: int
    uid: str
    name: str
    code: str | None
    badge: str | None
    is_owner: bool
    created_at: str


def clean_name(name: str) -> str:
    """``name`` with spaces tidied; :class:`MemberError` if it cannot be a member's name."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise MemberError("a member's name cannot be empty")
    if len(cleaned) > NAME_MAX:
        raise MemberError(f"a member's name is at most {NAME_MAX} characters")
    if not cleaned.isprintable():
        raise MemberError("a member's name cannot contain control characters")
    return cleaned


def clean_code(code: str) -> str:
    code = code.strip()
    if not CODE_PATTERN.fullmatch(code):
        raise MemberError("a member code is 4 to 12 digits")
    return code


def clean_badge(badge: str) -> str:
    badge = badge.strip().upper()
    if not BADGE_PATTERN.fullmatch(badge):
        raise MemberError("a badge number is 4 to 32 digits (or hex digits A-F)")
    return badge


class Roster:
    """The members of one history database (``store.roster``)."""

    def __init__(self, store: SessionStore) -> None:
        self._store = store

    # -- reading ------------------------------------------------------------------

    def all(self) -> list[Member]:
        """Every member, the owner first, then by name."""
        rows = self._store.read_rows(
            "SELECT * FROM members ORDER BY is_owner DESC, name COLLATE NOCASE"
        )
        return [_member(row) for row in rows]

    def owner(self) -> Member:
        rows = self._store.read_rows("SELECT * FROM members WHERE is_owner")
        if not rows:  # only if someone removed it by hand
            raise MemberError("this history has no owner member")
        return _member(rows[0])

    def find(self, name: str) -> Member | None:
        """The member called ``name`` (any case), or None."""
        rows = self._store.read_rows(
            "SELECT * FROM members WHERE name = ? COLLATE NOCASE", (" ".join(name.split()),)
        )
        return _member(rows[0]) if rows else None

    def get(self, name: str) -> Member:
        """The member called ``name``; :class:`MemberError` naming the known ones if none."""
        member = self.find(name)
        if member is None:
            known = ", ".join(m.name for m in self.all()) or "none"
            raise MemberError(f"no member called '{name}' (members: {known})")
        return member

    def by_id(self, member_id: int) -> Member | None:
        rows = self._store.read_rows("SELECT * FROM members WHERE id = ?", (member_id,))
        return _member(rows[0]) if rows else None

    def by_code(self, code: str) -> Member | None:
        rows = self._store.read_rows("SELECT * FROM members WHERE code = ?", (code.strip(),))
        return _member(rows[0]) if rows else None

    def by_badge(self, badge: str) -> Member | None:
        rows = self._store.read_rows(
            "SELECT * FROM members WHERE badge = ?", (badge.strip().upper(),)
        )
        return _member(rows[0]) if rows else None

    def session_counts(self) -> dict[int | None, int]:
        """Sessions per member id (None: guests)."""
        rows = self._store.read_rows(
            "SELECT member_id, count(*) AS n FROM sessions GROUP BY member_id"
        )
        return {row["member_id"]: int(row["n"]) for row in rows}

    # -- changing -----------------------------------------------------------------

    def add(
        self, name: str, *, code: str | None = None, badge: str | None = None, created_at: str
    ) -> Member:
        name = clean_name(name)
        code = clean_code(code) if code is not None else None
        badge = clean_badge(badge) if badge is not None else None
        with self._changing("adding the member") as db:
            self._check_free(db, name=name, code=code, badge=badge)
            cursor = db.execute(
                "INSERT INTO members (uid, name, code, badge, created_at) VALUES (?, ?, ?, ?, ?)",
                (uid := str(uuid.uuid4()), name, code, badge, created_at),
            )
            member_id = cursor.lastrowid
            _queue_change(db, uid)
        assert member_id is not None
        added = self.by_id(member_id)
        assert added is not None
        return added

    def rename(self, member: Member, new_name: str) -> Member:
        new_name = clean_name(new_name)
        with self._changing("renaming the member") as db:
            self._check_free(db, name=new_name, member=member)
            _change(db, member, "name", new_name)
        return self._reloaded(member)

    def set_code(self, member: Member, code: str | None) -> Member:
        """Give ``member`` a sign-in code (None: take it away)."""
        code = clean_code(code) if code is not None else None
        with self._changing("setting the member code") as db:
            self._check_free(db, code=code, member=member)
            _change(db, member, "code", code)
        return self._reloaded(member)

    def set_badge(self, member: Member, badge: str | None) -> Member:
        """Register a badge number for ``member`` (None: forget it)."""
        badge = clean_badge(badge) if badge is not None else None
        with self._changing("registering the badge") as db:
            self._check_free(db, badge=badge, member=member)
            _change(db, member, "badge", badge)
        return self._reloaded(member)

    def remove(self, member: Member, *, delete_history: bool) -> int:
        """Remove ``member``; returns how many of their sessions were deleted.

        Without ``delete_history`` their sessions stay, belonging to nobody (like
        a guest's): totals keep counting them, no member ever sees them again.
        The owner cannot be removed (rename it instead).
        """
        if member.is_owner:
            raise MemberError(
                f"'{member.name}' is the owner (home mode trains as the owner): "
                "rename it instead of removing it"
            )
        with self._changing("removing the member") as db:
            deleted = 0
            if delete_history:
                deleted = db.execute(
                    "DELETE FROM sessions WHERE member_id = ?", (member.id,)
                ).rowcount
            # Copies of their sessions at other kiosks (a fleet's) are not this box's to keep.
            db.execute(
                "DELETE FROM sessions WHERE member_id = ? AND kiosk IS NOT NULL", (member.id,)
            )
            db.execute("DELETE FROM fleet_history WHERE member_uid = ?", (member.uid,))
            db.execute("DELETE FROM members WHERE id = ?", (member.id,))
            db.execute(
                "INSERT OR REPLACE INTO removed_members (uid, removed_at) VALUES (?, ?)",
                (member.uid, change_stamp()),
            )
            _queue_change(db, member.uid)
        return deleted

    def clear_history(self, member: Member) -> int:
        """Delete every session (with its moments and checks) of ``member``; returns how many."""
        with self._changing("clearing the member's history") as db:
            return db.execute("DELETE FROM sessions WHERE member_id = ?", (member.id,)).rowcount

    # -- helpers ------------------------------------------------------------------

    def _changing(self, doing: str) -> AbstractContextManager[sqlite3.Connection]:
        return self._store.writing(doing)

    def _reloaded(self, member: Member) -> Member:
        reloaded = self.by_id(member.id)
        if reloaded is None:
            raise MemberError(f"'{member.name}' was removed meanwhile")
        return reloaded

    @staticmethod
    def _check_free(
        db: sqlite3.Connection,
        *,
        name: str | None = None,
        code: str | None = None,
        badge: str | None = None,
        member: Member | None = None,
    ) -> None:
        """Raise :class:`MemberError` if another member already has this name, code or badge."""
        other = member.id if member is not None else -1
        checks = (
            ("name", name, "name = ? COLLATE NOCASE", "there is already a member called '{}'"),
            ("code", code, "code = ?", "another member already has that code"),
            ("badge", badge, "badge = ?", "that badge is already registered to another member"),
        )
        for _, value, where, message in checks:
            if value is None:
                continue
            found = db.execute(
                f"SELECT name FROM members WHERE {where} AND id != ?", (value, other)
            ).fetchone()
            if found is not None:
                raise MemberError(message.format(found[0]))


def change_stamp() -> str:
    """When a member change is made: UTC, to the microsecond (two changes in one
    second still have an order for the fleet's last-write-wins rule)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _change(db: sqlite3.Connection, member: Member, column: str, value: str | None) -> None:
    """Set one of ``member``'s ``name``, ``code`` or ``badge``, stamped and queued."""
    db.execute(
        f"UPDATE members SET {column} = ?, changed_at = ? WHERE id = ?",
        (value, change_stamp(), member.id),
    )
    if not member.is_owner:
        _queue_change(db, member.uid)


def _queue_change(db: sqlite3.Connection, uid: str) -> None:
    """Queue a member for the fleet server (the owner stays on its box)."""
    db.execute("INSERT INTO outbox (kind, ulid) VALUES ('member', ?)", (uid,))


def _member(row: sqlite3.Row) -> Member:
    values = {field.name: row[field.name] for field in fields(Member)}
    values["is_owner"] = bool(values["is_owner"])
    return Member(**values)
