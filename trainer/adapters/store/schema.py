"""The history database's tables, and the migrations that create and evolve them.

The schema version lives in SQLite's ``PRAGMA user_version``. ``MIGRATIONS[n]``
takes a database from version ``n`` to ``n + 1``; :func:`migrate` runs the
missing ones in order, each in its own transaction together with the version
bump, so a crash mid-upgrade leaves the database at a whole version. To change
the schema, *append* a migration; never edit one that has shipped.

``PRAGMA application_id`` marks the file as ours, so that pointing the trainer
at some other SQLite file is refused instead of scribbled on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from trainer.adapters.store.errors import StoreError

#: "TRNR" in ASCII: identifies a trainer history database.
APPLICATION_ID = 0x54524E52

_CREATE_V1: Sequence[str] = (
    """
    CREATE TABLE sessions (
        id              INTEGER PRIMARY KEY,
        routine_id      TEXT NOT NULL,
        routine_digest  TEXT NOT NULL,
        routine_title   TEXT NOT NULL,
        started_at      TEXT NOT NULL,   -- wall clock, ISO 8601 with UTC offset
        ended_at        TEXT,
        status          TEXT NOT NULL DEFAULT 'running'
                        CHECK (status IN ('running', 'finished', 'abandoned', 'interrupted')),
        current_moment  INTEGER NOT NULL DEFAULT 0,   -- where a resume picks up
        plan_size       INTEGER NOT NULL
    )
    """,
    "CREATE INDEX sessions_by_status ON sessions (status, started_at)",
    """
    CREATE TABLE moments (
        id               INTEGER PRIMARY KEY,
        session_id       INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        moment_index     INTEGER NOT NULL,
        step_name        TEXT NOT NULL,
        kind             TEXT NOT NULL,
        side             TEXT NOT NULL DEFAULT '',
        set_number       INTEGER NOT NULL DEFAULT 1,
        planned_seconds  REAL,            -- NULL for pedal-only moments
        actual_seconds   REAL NOT NULL,   -- excluding pauses
        paused_seconds   REAL NOT NULL DEFAULT 0,
        skipped          INTEGER NOT NULL DEFAULT 0 CHECK (skipped IN (0, 1)),
        went_back        INTEGER NOT NULL DEFAULT 0 CHECK (went_back IN (0, 1)),
        finished_at      TEXT NOT NULL
    )
    """,
    "CREATE INDEX moments_by_session ON moments (session_id, moment_index)",
    """
    CREATE TABLE checks (
        id          INTEGER PRIMARY KEY,
        session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        test_id     TEXT NOT NULL,
        result      TEXT NOT NULL CHECK (result IN ('left-tighter', 'even', 'right-tighter')),
        rating      INTEGER CHECK (rating BETWEEN 0 AND 10),
        at          TEXT NOT NULL
    )
    """,
    "CREATE INDEX checks_by_test ON checks (test_id, at)",
    f"PRAGMA application_id = {APPLICATION_ID}",
)

#: A random (version 4) UUID as text, made by SQLite itself.
_NEW_UUID = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||"
    " substr(lower(hex(randomblob(2))), 2) || '-' ||"
    " substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) ||"
    " '-' || lower(hex(randomblob(6)))"
)

#: Version 2: members. Each session belongs to a member, or to nobody (a kiosk
#: guest: ``member_id`` NULL). History from before members becomes the owner's,
#: the one member home mode trains as by default.
_ADD_MEMBERS_V2: Sequence[str] = (
    """
    CREATE TABLE members (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,   -- stable id (uuid4): a roster may come from a server
        name        TEXT NOT NULL,
        code        TEXT UNIQUE,            -- digits typed to sign in at a kiosk; NULL: none
        badge       TEXT UNIQUE,            -- the number a badge reader types; NULL: none
        is_owner    INTEGER NOT NULL DEFAULT 0 CHECK (is_owner IN (0, 1)),
        created_at  TEXT NOT NULL
    )
    """,
    "CREATE UNIQUE INDEX members_by_name ON members (name COLLATE NOCASE)",
    "CREATE UNIQUE INDEX members_one_owner ON members (is_owner) WHERE is_owner",
    f"""
    INSERT INTO members (uid, name, is_owner, created_at)
    VALUES ({_NEW_UUID}, 'owner', 1, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
    """,
    "ALTER TABLE sessions ADD COLUMN member_id INTEGER REFERENCES members (id) ON DELETE SET NULL",
    "UPDATE sessions SET member_id = (SELECT id FROM members WHERE is_owner)",
    "CREATE INDEX sessions_by_member ON sessions (member_id, started_at)",
)

#: A ULID-shaped id for rows written before ULIDs existed: "0" then 25 random
#: hex digits (all valid Crockford base-32 characters), unique like any ULID.
_LEGACY_ULID = "'0' || substr(hex(randomblob(13)), 1, 25)"

#: Version 3: the fleet (an optional PostgreSQL server of record). Every session,
#: moment and check gets a ULID, and every write queues an outbox entry in the
#: same transaction, so a sync can push later without losing or doubling
#: anything. Existing history is queued too: a box that joins a fleet uploads it.
_FLEET_SYNC_V3: Sequence[str] = (
    *(
        statement
        for table in ("sessions", "moments", "checks")
        for statement in (
            f"ALTER TABLE {table} ADD COLUMN ulid TEXT",
            f"UPDATE {table} SET ulid = {_LEGACY_ULID} WHERE ulid IS NULL",
            f"CREATE UNIQUE INDEX {table}_by_ulid ON {table} (ulid)",
        )
    ),
    """
    CREATE TABLE outbox (
        seq   INTEGER PRIMARY KEY,   -- push order: a session before its moments
        kind  TEXT NOT NULL CHECK (kind IN ('session', 'moment', 'check')),
        ulid  TEXT NOT NULL          -- the row to push, read as it is at push time
    )
    """,
    "INSERT INTO outbox (kind, ulid) SELECT 'session', ulid FROM sessions ORDER BY id",
    "INSERT INTO outbox (kind, ulid) SELECT 'moment', ulid FROM moments ORDER BY id",
    "INSERT INTO outbox (kind, ulid) SELECT 'check', ulid FROM checks ORDER BY id",
    # What the last pull from the server brought: routine assignments per member
    # (member ids are the server's), and small facts such as the pack version.
    """
    CREATE TABLE fleet_assignments (
        member_id   TEXT NOT NULL,
        routine_id  TEXT NOT NULL,
        position    INTEGER NOT NULL,
        PRIMARY KEY (member_id, routine_id)
    )
    """,
    "CREATE TABLE fleet_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)

#: Version 4: checks that record answers (routine format v2 ``record:``) keep them:
#: a number per side (``left_value``, ``right_value``) or one (``value``), in
#: ``unit`` ("cm", "score", or "choice" for the index of a choice), and ``answer``,
#: the answer as it was said ("Left 7.5 centimetres, Right 9 centimetres"). The
#: result column keeps the tighter side derived from the numbers.
_CHECK_VALUES_V4: Sequence[str] = (
    "ALTER TABLE checks ADD COLUMN left_value REAL",
    "ALTER TABLE checks ADD COLUMN right_value REAL",
    "ALTER TABLE checks ADD COLUMN value REAL",
    "ALTER TABLE checks ADD COLUMN unit TEXT",
    "ALTER TABLE checks ADD COLUMN answer TEXT",
)

#: Version 5: the latest check results of members made at *other* kiosks, from
#: the fleet server, so a member's tighter-side extra set follows them.
_FLEET_MEMBER_CHECKS_V5: Sequence[str] = (
    """
    CREATE TABLE fleet_member_checks (
        member_uid  TEXT NOT NULL,
        test_id     TEXT NOT NULL,
        result      TEXT NOT NULL,
        at          TEXT NOT NULL,   -- ISO 8601 with UTC offset
        PRIMARY KEY (member_uid, test_id)
    )
    """,
)

#: Version 6: whether a visit counts as *done* is the engine's rule
#: (:attr:`~trainer.engine.effects.MomentEntry.done`), written with each row, so
#: the history's queries read it instead of deciding again. Rows from before are
#: filled by the rule as it stood when they were written.
_MOMENT_DONE_V6: Sequence[str] = (
    "ALTER TABLE moments ADD COLUMN done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1))",
    "UPDATE moments SET done = NOT (skipped OR went_back)",
)

#: Version 7: members and their history travel between the kiosks of a fleet.
#:
#: * A rename, a new code or badge made here stamps ``members.changed_at`` (the
#:   fleet's last-write-wins rule compares it) and queues a ``member`` outbox entry
#:   (its ``ulid`` is the member's uid); a removal is remembered in
#:   ``removed_members`` until the server has it. Members enrolled here before are
#:   queued once (the server keeps what it already has of them).
#: * ``sessions.kiosk`` names the kiosk a session was made at when it came from the
#:   fleet server (a signed-in member's history from elsewhere); NULL for sessions
#:   made here. Those are never queued: they are the other kiosk's to send.
#: * ``fleet_history``: the members whose history this kiosk follows (signed in
#:   lately), and how far and when it last pulled it.
_FLEET_MEMBERS_TRAVEL_V7: Sequence[str] = (
    "ALTER TABLE members ADD COLUMN changed_at TEXT",
    "CREATE TABLE removed_members (uid TEXT PRIMARY KEY, removed_at TEXT NOT NULL)",
    # SQLite cannot change a CHECK constraint: the outbox is rebuilt with the new kind.
    """
    CREATE TABLE outbox_v7 (
        seq   INTEGER PRIMARY KEY,
        kind  TEXT NOT NULL CHECK (kind IN ('session', 'moment', 'check', 'member')),
        ulid  TEXT NOT NULL
    )
    """,
    "INSERT INTO outbox_v7 (seq, kind, ulid) SELECT seq, kind, ulid FROM outbox",
    "DROP TABLE outbox",
    "ALTER TABLE outbox_v7 RENAME TO outbox",
    "INSERT INTO outbox (kind, ulid) SELECT 'member', uid FROM members WHERE NOT is_owner",
    "ALTER TABLE sessions ADD COLUMN kiosk TEXT",
    """
    CREATE TABLE fleet_history (
        member_uid    TEXT PRIMARY KEY,
        wanted_at     TEXT NOT NULL,   -- the member's last sign-in here (UTC ISO 8601)
        pulled_at     TEXT,            -- the last whole pull of their history (UTC)
        pulled_up_to  TEXT             -- the server's updated_at of the newest row pulled
    )
    """,
)

#: ``MIGRATIONS[n]`` upgrades schema version ``n`` to ``n + 1``.
MIGRATIONS: Sequence[Sequence[str]] = (
    _CREATE_V1,
    _ADD_MEMBERS_V2,
    _FLEET_SYNC_V3,
    _CHECK_VALUES_V4,
    _FLEET_MEMBER_CHECKS_V5,
    _MOMENT_DONE_V6,
    _FLEET_MEMBERS_TRAVEL_V7,
)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(connection: sqlite3.Connection, path: Path) -> int:
    """Bring the database up to :data:`SCHEMA_VERSION`; returns the version found.

    The connection must be in autocommit mode (``isolation_level=None``) so that
    the explicit transactions here are the only ones.
    """
    _refuse_foreign_file(connection, path)
    found = schema_version(connection)
    if found > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer version of trainer (history format {found}; "
            f"this version knows up to {SCHEMA_VERSION}). Update trainer to use it.",
            reason="too-new",
            path=path,
        )
    for version in range(found, SCHEMA_VERSION):
        connection.execute("BEGIN IMMEDIATE")
        try:
            # Re-check inside the write lock: another process may have migrated.
            if schema_version(connection) != version:
                connection.execute("ROLLBACK")
                continue
            for statement in MIGRATIONS[version]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {version + 1}")
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
    return found


def _refuse_foreign_file(connection: sqlite3.Connection, path: Path) -> None:
    application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
    if application_id == APPLICATION_ID:
        return
    has_tables = connection.execute(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
    ).fetchone()[0]
    if application_id != 0 or has_tables:
        raise StoreError(
            f"{path} is an SQLite database but not a trainer history. Choose another "
            "--data-dir, or move the file aside.",
            reason="damaged",
            path=path,
        )
