"""The session log: an SQLite file in the user's data folder.

Tables (see :mod:`trainer.adapters.store.schema`): ``sessions`` (one row per
session, with its status and the moment a resume would pick up at), ``moments``
(one row per visit to a moment: planned and actual seconds, skipped, went back,
paused) and ``checks`` (left/right check answers).

Durability choices, for a Raspberry Pi whose plug may be pulled at any moment:

* **WAL journal.** A writer never blocks readers (``trainer history`` can run
  beside a session) and a commit is one append to the log.
* **synchronous = FULL.** In WAL mode ``NORMAL`` survives a crashed *process*
  but may lose the last commits on a *power cut*. A session commits about once
  every 30 seconds, so the extra fsync per commit costs nothing noticeable and
  buys "a moment shown as done is on disk".
* **One transaction per finished moment**, committed before the next moment is
  logged, so a ``kill -9`` or power cut loses at most the moment in progress.
* **An outbox for the fleet.** Every session, moment and check gets a ULID, and
  each write queues an ``outbox`` entry in the same transaction; a sync worker
  (optional, see :mod:`trainer.fleet.sync`) reads :meth:`SessionStore.outbox_batch`
  and acknowledges what the server has, so nothing is lost or sent twice.
* Every SQLite failure becomes a :class:`StoreError` with a plain message; a
  failed write rolls back only itself, never rows already committed.

Use a store from one thread (the UI's), and close it when done (it is a context
manager).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any, Literal, TypeAlias

from trainer import paths
from trainer.adapters.store.errors import store_error
from trainer.adapters.store.members import Roster
from trainer.adapters.store.schema import migrate, schema_version
from trainer.adapters.store.ulid import new_ulid
from trainer.engine.effects import MomentEntry as MomentEntry  # the store keeps this type

DATABASE_NAME = "history.sqlite3"
#: Seconds to wait for another connection's write lock before reporting "locked".
DEFAULT_BUSY_TIMEOUT = 1.0

SessionStatus = Literal["running", "finished", "abandoned", "interrupted"]
Connector = Callable[..., sqlite3.Connection]


class Everyone(Enum):
    """No filter on whose sessions are read (``trainer history`` without ``--member``)."""

    EVERYONE = "everyone"


EVERYONE = Everyone.EVERYONE
#: Whose sessions to read: a member's id, None for guests' sessions, or EVERYONE.
Who: TypeAlias = int | Everyone | None


def _whose(who: Who, column: str) -> tuple[str, tuple[Any, ...]]:
    """A WHERE condition on ``column`` (a sessions.member_id) for ``who``."""
    if who is EVERYONE:
        return "1", ()
    if who is None:
        return f"{column} IS NULL", ()
    return f"{column} = ?", (who,)


def default_database_path(data_dir: Path | None = None) -> Path:
    """``history.sqlite3`` in ``data_dir`` (default: :func:`trainer.paths.data_dir`)."""
    return (data_dir if data_dir is not None else paths.data_dir()) / DATABASE_NAME


def wall_clock_now() -> str:
    """The local time as ISO 8601 with its UTC offset, as stored in the log."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class SessionRow:
    id: int
    routine_id: str
    routine_digest: str
    routine_title: str
    started_at: str
    ended_at: str | None
    status: SessionStatus
    current_moment: int
    plan_size: int
    member_id: int | None = None  # None: a guest's session
    #: The kiosk it was made at, for a member's session pulled from the fleet
    #: server; None for a session made on this box.
    kiosk: str | None = None


@dataclass(frozen=True)
class MomentRow:
    session_id: int
    entry: MomentEntry
    finished_at: str


@dataclass(frozen=True)
class CheckRow:
    session_id: int
    test_id: str
    result: str
    rating: int | None
    at: str
    #: A ``record`` check's answers (schema version 4): per side, or one value...
    left_value: float | None = None
    right_value: float | None = None
    value: float | None = None
    #: ...in this unit ("cm", "score", "choice"), and as they were said.
    unit: str | None = None
    answer: str | None = None


@dataclass(frozen=True)
class SessionOverview:
    """A session with the totals ``trainer history`` lists."""

    session: SessionRow
    moments_done: int
    moments_skipped: int
    active_seconds: float
    paused_seconds: float
    last_activity: str | None
    member: str | None = None  # the member's name; None for a guest
    member_uid: str | None = None

    @property
    def duration_seconds(self) -> float:
        """Wall-clock length: start to end (or to the last logged moment if unfinished)."""
        end = self.session.ended_at or self.last_activity
        if end is None:
            return 0.0
        delta = datetime.fromisoformat(end) - datetime.fromisoformat(self.session.started_at)
        return max(0.0, delta.total_seconds())


class SessionStore:
    """Reads and writes the session log. Open with :meth:`open`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self.path = path

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        timeout: float = DEFAULT_BUSY_TIMEOUT,
        check_writable: bool = True,
        connect: Connector = sqlite3.connect,
    ) -> SessionStore:
        """Open (creating if needed) and migrate the database at ``path``.

        ``check_writable`` tries a write straight away, so a read-only file is
        reported now rather than at the end of the first moment. ``connect``
        exists for fault-injection tests.
        """
        path = Path(path) if path is not None else default_database_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise store_error(error, path, "opening the session history") from None
        try:
            connection = connect(str(path), timeout=timeout, isolation_level=None)
        except sqlite3.Error as error:
            raise store_error(error, path, "opening the session history") from None
        try:
            _configure(connection)
            migrate(connection, path)
            if check_writable:
                _probe_write(connection)
        except sqlite3.Error as error:
            connection.close()
            raise store_error(error, path, "opening the session history") from None
        except BaseException:
            connection.close()
            raise
        return cls(connection, path)

    @property
    def connection(self) -> sqlite3.Connection:
        """The underlying connection, for diagnostics and fault-injection tests."""
        return self._connection

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def busy_timeout(self, seconds: float) -> Iterator[None]:
        """Within the block, wait at most ``seconds`` for another program's lock (a retry
        from the UI thread must not stall the screen for the full timeout)."""
        (before,) = self._connection.execute("PRAGMA busy_timeout").fetchone()
        self._connection.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
        try:
            yield
        finally:
            self._connection.execute(f"PRAGMA busy_timeout = {int(before)}")

    @property
    def journal_mode(self) -> str:
        return str(self._connection.execute("PRAGMA journal_mode").fetchone()[0])

    @property
    def schema_version(self) -> int:
        return schema_version(self._connection)

    @property
    def roster(self) -> Roster:
        """The members whose sessions this history keeps apart."""
        return Roster(self)

    def writing(self, doing: str) -> AbstractContextManager[sqlite3.Connection]:
        """One committed transaction (for :class:`Roster`): see :meth:`_writing`."""
        return self._writing(doing)

    def read_rows(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """Rows of a query, failures as :class:`StoreError` (for :class:`Roster`)."""
        return self._rows(sql, parameters)

    # -- writing --------------------------------------------------------------

    @contextmanager
    def _writing(self, doing: str) -> Iterator[sqlite3.Connection]:
        """One committed transaction; on failure, roll back and raise :class:`StoreError`."""
        connection = self._connection
        try:
            connection.execute("BEGIN IMMEDIATE")
            yield connection
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            _roll_back(connection)
            raise store_error(error, self.path, doing) from None
        except BaseException:
            _roll_back(connection)
            raise

    def start_session(
        self,
        *,
        routine_id: str,
        digest: str,
        title: str,
        plan_size: int,
        started_at: str,
        start_index: int = 0,
        member_id: int | None = None,
    ) -> int:
        """Log a new running session; returns its id.

        Only one session runs at a time on a device, so any other session still
        marked running (a crash the user chose not to resume) becomes
        ``interrupted`` in the same transaction.
        """
        with self._writing("starting the session log") as db:
            _queue_sessions(db, "status = 'running'")
            db.execute(
                "UPDATE sessions SET status = 'interrupted' WHERE status = 'running'",
            )
            cursor = db.execute(
                "INSERT INTO sessions (routine_id, routine_digest, routine_title, started_at,"
                " status, current_moment, plan_size, member_id, ulid)"
                " VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?)",
                (
                    routine_id,
                    digest,
                    title,
                    started_at,
                    start_index,
                    plan_size,
                    member_id,
                    new_ulid(),
                ),
            )
            session_id = cursor.lastrowid
            _queue_sessions(db, "id = ?", (session_id,))
        assert session_id is not None
        return session_id

    def record_moment(
        self, session_id: int, entry: MomentEntry, *, finished_at: str, next_index: int
    ) -> None:
        """Log one visit to a moment and move the resume point, in one commit."""
        with self._writing("saving the finished moment") as db:
            db.execute(
                "INSERT INTO moments (session_id, moment_index, step_name, kind, side,"
                " set_number, planned_seconds, actual_seconds, paused_seconds, skipped,"
                " went_back, done, finished_at, ulid)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    entry.moment_index,
                    entry.step_name,
                    entry.kind,
                    entry.side,
                    entry.set_number,
                    entry.planned_seconds,
                    entry.actual_seconds,
                    entry.paused_seconds,
                    int(entry.skipped),
                    int(entry.went_back),
                    int(entry.done),  # the engine's rule, kept so no query repeats it
                    finished_at,
                    ulid := new_ulid(),
                ),
            )
            _queue(db, "moment", ulid)
            db.execute(
                "UPDATE sessions SET current_moment = ? WHERE id = ?", (next_index, session_id)
            )

    def record_check(
        self,
        session_id: int,
        *,
        test_id: str,
        result: str,
        rating: int | None,
        at: str,
        values: Sequence[tuple[str, float]] = (),
        unit: str | None = None,
        answer: str | None = None,
    ) -> None:
        """Save a check's result; a ``record`` check also its ``values`` by side ("" for one)."""
        by_side = dict(values)
        with self._writing("saving the check result") as db:
            db.execute(
                "INSERT INTO checks (session_id, test_id, result, rating, at, ulid,"
                " left_value, right_value, value, unit, answer)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    test_id,
                    result,
                    rating,
                    at,
                    ulid := new_ulid(),
                    by_side.get("left"),
                    by_side.get("right"),
                    by_side.get(""),
                    unit or None,
                    answer or None,
                ),
            )
            _queue(db, "check", ulid)

    def resume_session(self, session_id: int, moment_index: int) -> None:
        """Mark a session running again from ``moment_index`` (after a resume)."""
        with self._writing("resuming the session log") as db:
            db.execute(
                "UPDATE sessions SET status = 'running', ended_at = NULL, current_moment = ?"
                " WHERE id = ?",
                (moment_index, session_id),
            )
            _queue_sessions(db, "id = ?", (session_id,))

    def finish_session(self, session_id: int, status: SessionStatus, ended_at: str) -> None:
        with self._writing("closing the session log") as db:
            db.execute(
                "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
                (status, ended_at, session_id),
            )
            _queue_sessions(db, "id = ?", (session_id,))

    def mark_interrupted(self, session_id: int) -> None:
        """A crashed session the user will not resume; it stays in the history as is."""
        with self._writing("updating the session log") as db:
            db.execute(
                "UPDATE sessions SET status = 'interrupted' WHERE id = ? AND status = 'running'",
                (session_id,),
            )
            _queue_sessions(db, "id = ?", (session_id,))

    # -- the fleet outbox and what the server sent -----------------------------

    def outbox_batch(self, limit: int) -> list[tuple[int, str, dict[str, Any]]]:
        """The oldest ``limit`` queued entries as ``(seq, kind, row)``, in push order.

        ``row`` is the session, moment or check as it is *now* (a session queued
        at its start is sent with its final status if it has ended since), with
        ``ulid`` and, for moments and checks, ``session_ulid``. An entry whose
        row has been deleted since (a cleared history) comes with an empty row:
        acknowledge it without sending anything.
        """
        entries = self._rows("SELECT seq, kind, ulid FROM outbox ORDER BY seq LIMIT ?", (limit,))
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for kind, query in _OUTBOX_ROWS.items():
            wanted = [entry["ulid"] for entry in entries if entry["kind"] == kind]
            for start in range(0, len(wanted), 400):  # SQLite's parameter limit
                chunk = tuple(wanted[start : start + 400])
                marks = ",".join("?" * len(chunk))
                for row in self._rows(query.format(marks), chunk * query.count("{0}")):
                    rows[kind, row["ulid"]] = dict(row)
        return [
            (entry["seq"], entry["kind"], rows.get((entry["kind"], entry["ulid"]), {}))
            for entry in entries
        ]

    def acknowledge(self, seqs: Iterable[int]) -> None:
        """Drop outbox entries the server has confirmed."""
        seqs = list(seqs)
        with self._writing("updating the sync outbox") as db:
            for start in range(0, len(seqs), 500):
                chunk = seqs[start : start + 500]
                db.execute(f"DELETE FROM outbox WHERE seq IN ({','.join('?' * len(chunk))})", chunk)

    def outbox_size(self) -> int:
        """How many entries wait to be pushed."""
        return int(self._rows("SELECT count(*) AS n FROM outbox")[0]["n"])

    def merge_roster(
        self, members: Iterable[tuple[str, str, str | None, str | None, str | None, bool]]
    ) -> int:
        """Take the fleet roster ``(uid, name, code, badge, changed_at, removed)``; returns
        how many members were new here.

        A member new here is added; one changed on the server after the last change
        made here (``changed_at``, UTC ISO) takes the server's name, code and badge;
        one removed on the server is removed here (their sessions stay, belonging to
        nobody; copies of their sessions at other kiosks go). A member removed here
        stays removed. A name, code or badge that a different member here already
        uses is not taken over: the name gets the start of the uid appended, the code
        or badge is left out, so nobody can sign in as someone else.
        """
        here = {row["uid"]: row for row in self._rows("SELECT * FROM members")}
        removed_here = {row["uid"] for row in self._rows("SELECT uid FROM removed_members")}
        work = []
        for uid, name, code, badge, changed_at, removed in members:
            member = here.get(uid)
            if uid in removed_here or (member is not None and member["is_owner"]):
                continue
            if removed:
                if member is not None:
                    work.append(("remove", uid, name, code, badge, changed_at))
            elif member is None:
                work.append(("add", uid, name, code, badge, changed_at))
            elif (
                changed_at is not None
                and _later(changed_at, member["changed_at"])
                and (name, code, badge) != (member["name"], member["code"], member["badge"])
            ):
                work.append(("change", uid, name, code, badge, changed_at))
        if not work:
            return 0  # nothing new: no write, no lock
        with self._writing("taking the members from the fleet server") as db:
            for action, uid, name, code, badge, changed_at in work:
                if action == "remove":
                    _forget_member(db, uid)
                    continue
                name, code, badge = _fitting(db, uid, name, code, badge)
                if action == "add":
                    db.execute(
                        "INSERT INTO members (uid, name, code, badge, created_at, changed_at)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (uid, name, code, badge, wall_clock_now(), changed_at),
                    )
                else:
                    db.execute(
                        "UPDATE members SET name = ?, code = ?, badge = ?, changed_at = ?"
                        " WHERE uid = ?",
                        (name, code, badge, changed_at, uid),
                    )
        return sum(1 for action, *_ in work if action == "add")

    # -- members' history from other kiosks ---------------------------------------

    def follow_member_history(self, member_uid: str) -> None:
        """``member_uid`` signed in here: pull their sessions at other kiosks for a while."""
        with self._writing("following the member's history") as db:
            db.execute(
                "INSERT INTO fleet_history (member_uid, wanted_at) VALUES (?, ?)"
                " ON CONFLICT (member_uid) DO UPDATE SET wanted_at = excluded.wanted_at",
                (member_uid, datetime.now(UTC).isoformat(timespec="seconds")),
            )

    def followed_members(self, since: str) -> list[tuple[str, str | None, str | None]]:
        """``(member_uid, pulled_up_to, pulled_at)`` of members signed in here after
        ``since`` (UTC ISO)."""
        rows = self._rows(
            "SELECT member_uid, pulled_up_to, pulled_at FROM fleet_history f"
            " WHERE wanted_at > ? AND EXISTS (SELECT 1 FROM members m WHERE m.uid = f.member_uid)"
            " ORDER BY wanted_at DESC",
            (since,),
        )
        return [(row["member_uid"], row["pulled_up_to"], row["pulled_at"]) for row in rows]

    def history_pulled_at(self, member_uid: str) -> str | None:
        """When the member's sessions at other kiosks were last pulled (UTC ISO), or None."""
        rows = self._rows("SELECT pulled_at FROM fleet_history WHERE member_uid = ?", (member_uid,))
        return rows[0]["pulled_at"] if rows else None

    def merge_member_history(
        self,
        member_uid: str,
        sessions: Sequence[Mapping[str, Any]],
        *,
        up_to: str | None,
        pulled_at: str,
    ) -> int:
        """Keep a member's sessions made at other kiosks (with their moments and checks).

        Each session is a mapping with the ``sessions`` columns (``ulid``, ``kiosk``,
        ``routine_id``, ... ``plan_size``) and lists of ``moments`` and ``checks``
        (mappings with their tables' columns and ``ulid``). Nothing here is queued: it
        is the other kiosk's to send. ``up_to`` is the server's watermark to remember;
        ``pulled_at`` when this pull began. Returns how many sessions were new here.
        """
        added = 0
        with self._writing("saving the member's sessions at other kiosks") as db:
            member = db.execute("SELECT id FROM members WHERE uid = ?", (member_uid,)).fetchone()
            if member is None:
                return 0
            for session in sessions:
                found = db.execute(
                    "SELECT id, kiosk FROM sessions WHERE ulid = ?", (session["ulid"],)
                ).fetchone()
                if found is not None and found[1] is None:
                    continue  # made on this box (e.g. before it was given a new role)
                values = {**session, "member_id": member[0]}
                if found is None:
                    cursor = db.execute(
                        "INSERT INTO sessions (ulid, kiosk, member_id, routine_id, routine_digest,"
                        " routine_title, started_at, ended_at, status, current_moment, plan_size)"
                        " VALUES (:ulid, :kiosk, :member_id, :routine_id, :routine_digest,"
                        " :routine_title, :started_at, :ended_at, :status, :current_moment,"
                        " :plan_size)",
                        values,
                    )
                    session_id, added = cursor.lastrowid, added + 1
                else:
                    session_id = found[0]
                    db.execute(
                        "UPDATE sessions SET status = :status, ended_at = :ended_at,"
                        " current_moment = :current_moment WHERE id = :id",
                        {**values, "id": session_id},
                    )
                db.executemany(
                    "INSERT INTO moments (ulid, session_id, moment_index, step_name, kind, side,"
                    " set_number, planned_seconds, actual_seconds, paused_seconds, skipped,"
                    " went_back, done, finished_at) VALUES (:ulid, :session_id, :moment_index,"
                    " :step_name, :kind, :side, :set_number, :planned_seconds, :actual_seconds,"
                    " :paused_seconds, :skipped, :went_back, :done, :finished_at)"
                    " ON CONFLICT (ulid) DO NOTHING",
                    [
                        # done by the engine's rule, as for the moments made here
                        {**moment, "session_id": session_id, "done": moment_entry(moment).done}
                        for moment in session["moments"]
                    ],
                )
                db.executemany(
                    "INSERT INTO checks (ulid, session_id, test_id, result, rating, at,"
                    " left_value, right_value, value, unit, answer) VALUES (:ulid, :session_id,"
                    " :test_id, :result, :rating, :at, :left_value, :right_value, :value, :unit,"
                    " :answer) ON CONFLICT (ulid) DO NOTHING",
                    [{**check, "session_id": session_id} for check in session["checks"]],
                )
            db.execute(
                "UPDATE fleet_history SET pulled_at = ?, pulled_up_to = coalesce(?, pulled_up_to)"
                " WHERE member_uid = ?",
                (pulled_at, up_to, member_uid),
            )
        return added

    def replace_assignments(self, assignments: Iterable[tuple[str, str, int]]) -> None:
        """Store the server's routine assignments ``(member_id, routine_id, position)``.

        Writes (and so syncs the SD card) only when they changed.
        """
        assignments = list(assignments)
        current = self._rows(
            "SELECT member_id, routine_id, position FROM fleet_assignments"
            " ORDER BY member_id, position, routine_id"
        )
        if [tuple(row) for row in current] == sorted(assignments, key=lambda a: (a[0], a[2], a[1])):
            return
        with self._writing("saving routine assignments") as db:
            db.execute("DELETE FROM fleet_assignments")
            db.executemany(
                "INSERT INTO fleet_assignments (member_id, routine_id, position) VALUES (?, ?, ?)",
                assignments,
            )

    def assigned_routines(self, member_id: str) -> list[str]:
        """The routine ids a coach assigned to ``member_id``, in the coach's order."""
        rows = self._rows(
            "SELECT routine_id FROM fleet_assignments WHERE member_id = ? ORDER BY position",
            (member_id,),
        )
        return [str(row["routine_id"]) for row in rows]

    def merge_member_checks(self, checks: Iterable[tuple[str, str, str, str]]) -> None:
        """Keep the newest ``(member_uid, test_id, result, at)`` per member and test."""
        with self._writing("saving members' check results from the fleet") as db:
            db.executemany(
                "INSERT INTO fleet_member_checks (member_uid, test_id, result, at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (member_uid, test_id) DO UPDATE SET"
                " result = excluded.result, at = excluded.at WHERE excluded.at > at",
                list(checks),
            )

    def member_checks_elsewhere(self, member_uid: str) -> list[tuple[str, str, str]]:
        """A member's latest ``(test_id, result, at)`` per test from other kiosks."""
        rows = self._rows(
            "SELECT test_id, result, at FROM fleet_member_checks WHERE member_uid = ?",
            (member_uid,),
        )
        return [(row["test_id"], row["result"], row["at"]) for row in rows]

    def fleet_value(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM fleet_state WHERE key = ?", (key,))
        return str(rows[0]["value"]) if rows else None

    def set_fleet_value(self, key: str, value: str) -> None:
        with self._writing("saving sync state") as db:
            db.execute(
                "INSERT INTO fleet_state (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- reading --------------------------------------------------------------

    def _rows(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        try:
            cursor = self._connection.execute(sql, parameters)
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()
        except sqlite3.Error as error:
            raise store_error(error, self.path, "reading the session history") from None

    def session(self, session_id: int) -> SessionRow | None:
        rows = self._rows("SELECT * FROM sessions WHERE id = ?", (session_id,))
        return _session_row(rows[0]) if rows else None

    def running_sessions(self) -> list[SessionRow]:
        """Sessions still marked running, newest first: after a crash, the one to resume."""
        rows = self._rows("SELECT * FROM sessions WHERE status = 'running' ORDER BY id DESC")
        return [_session_row(row) for row in rows]

    def recent_sessions(self, limit: int = 20, *, who: Who = EVERYONE) -> list[SessionOverview]:
        """The latest ``limit`` sessions of ``who``, newest first, with their totals."""
        condition, parameters = _whose(who, "s.member_id")
        rows = self._rows(
            f"""
            SELECT s.*,
                (SELECT count(DISTINCT moment_index) FROM moments m
                  WHERE m.session_id = s.id AND done) AS done,
                (SELECT count(DISTINCT moment_index) FROM moments m
                  WHERE m.session_id = s.id AND skipped AND moment_index NOT IN
                    (SELECT moment_index FROM moments d
                      WHERE d.session_id = s.id AND done)) AS skipped,
                (SELECT coalesce(sum(actual_seconds), 0) FROM moments m
                  WHERE m.session_id = s.id) AS active,
                (SELECT coalesce(sum(paused_seconds), 0) FROM moments m
                  WHERE m.session_id = s.id) AS paused,
                (SELECT max(finished_at) FROM moments m WHERE m.session_id = s.id) AS last_at,
                p.name AS member_name, p.uid AS member_uid
            FROM sessions s LEFT JOIN members p ON p.id = s.member_id
            WHERE {condition} ORDER BY s.started_at DESC, s.id DESC LIMIT ?
            """,
            (*parameters, max(0, limit)),
        )
        return [
            SessionOverview(
                _session_row(row),
                int(row["done"]),
                int(row["skipped"]),
                float(row["active"]),
                float(row["paused"]),
                row["last_at"],
                row["member_name"],
                row["member_uid"],
            )
            for row in rows
        ]

    def moments(self, session_id: int) -> list[MomentRow]:
        """Every logged visit of a session, in the order they happened."""
        rows = self._rows("SELECT * FROM moments WHERE session_id = ? ORDER BY id", (session_id,))
        return [
            MomentRow(
                row["session_id"],
                moment_entry(row),
                row["finished_at"],
            )
            for row in rows
        ]

    def completed_moments(self, session_id: int) -> list[int]:
        """Indices of the moments a session completed (not skipped, not left going back)."""
        rows = self._rows(
            "SELECT DISTINCT moment_index FROM moments WHERE session_id = ?"
            " AND done ORDER BY moment_index",
            (session_id,),
        )
        return [int(row["moment_index"]) for row in rows]

    def checks(self, session_id: int | None = None, *, who: Who = EVERYONE) -> list[CheckRow]:
        """Check results of ``who``, oldest first (of one session, or all)."""
        condition, parameters = _whose(who, "s.member_id")
        if session_id:
            condition, parameters = f"{condition} AND c.session_id = ?", (*parameters, session_id)
        rows = self._rows(
            "SELECT c.* FROM checks c JOIN sessions s ON s.id = c.session_id"
            f" WHERE {condition} ORDER BY c.at, c.id",
            parameters,
        )
        return [
            CheckRow(
                row["session_id"],
                row["test_id"],
                row["result"],
                row["rating"],
                row["at"],
                row["left_value"],
                row["right_value"],
                row["value"],
                row["unit"],
                row["answer"],
            )
            for row in rows
        ]


#: Each outbox kind's rows as they are now, for ``IN ({0})`` a list of ulids.
_OUTBOX_ROWS = {
    # The member travels as their stable uid, the same on every box.
    "session": "SELECT s.*, m.uid AS member_uid FROM sessions s"
    " LEFT JOIN members m ON m.id = s.member_id WHERE s.ulid IN ({0})",
    **{
        kind: f"SELECT t.*, s.ulid AS session_ulid FROM {table} t"
        " JOIN sessions s ON s.id = t.session_id WHERE t.ulid IN ({0})"
        for kind, table in (("moment", "moments"), ("check", "checks"))
    },
    # A member as they are, or their removal (the row is gone then).
    "member": "SELECT uid AS ulid, name, code, badge, changed_at, NULL AS removed_at"
    " FROM members WHERE uid IN ({0}) UNION ALL"
    " SELECT uid, NULL, NULL, NULL, NULL, removed_at FROM removed_members WHERE uid IN ({0})",
}


def _later(stamp: str, than: str | None) -> bool:
    """Whether ISO time ``stamp`` comes after ``than`` (None: never stamped)."""
    if than is None:
        return True
    try:
        return datetime.fromisoformat(stamp) > datetime.fromisoformat(than)
    except ValueError:
        return False


def _fitting(
    db: sqlite3.Connection, uid: str, name: str, code: str | None, badge: str | None
) -> tuple[str, str | None, str | None]:
    """``name``, ``code`` and ``badge`` for member ``uid``, minus what another member has."""
    taken = "SELECT 1 FROM members WHERE {} AND uid != ?"
    if db.execute(taken.format("name = ? COLLATE NOCASE"), (name, uid)).fetchone():
        name = f"{name} ({uid[:6]})"
    if code is not None and db.execute(taken.format("code = ?"), (code, uid)).fetchone():
        code = None
    if badge is not None and db.execute(taken.format("badge = ?"), (badge, uid)).fetchone():
        badge = None
    return name, code, badge


def _forget_member(db: sqlite3.Connection, uid: str) -> None:
    """Remove a member the fleet removed: sessions made here stay, belonging to nobody;
    the copies of their sessions at other kiosks go."""
    db.execute(
        "DELETE FROM sessions WHERE kiosk IS NOT NULL"
        " AND member_id = (SELECT id FROM members WHERE uid = ?)",
        (uid,),
    )
    db.execute("DELETE FROM fleet_history WHERE member_uid = ?", (uid,))
    db.execute("DELETE FROM members WHERE uid = ?", (uid,))


def _queue(db: sqlite3.Connection, kind: str, ulid: str) -> None:
    db.execute("INSERT INTO outbox (kind, ulid) VALUES (?, ?)", (kind, ulid))


def _queue_sessions(db: sqlite3.Connection, where: str, parameters: tuple[Any, ...] = ()) -> None:
    """Queue the sessions matching ``where`` for a push (their state is about to change)."""
    db.execute(
        f"INSERT INTO outbox (kind, ulid) SELECT 'session', ulid FROM sessions WHERE {where}",
        parameters,
    )


def _configure(connection: sqlite3.Connection) -> None:
    # journal_mode answers with the mode in force: a filesystem without shared
    # memory support keeps "delete", which is still safe, only slower for readers.
    connection.execute("PRAGMA journal_mode = WAL").fetchone()
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")


def _roll_back(connection: sqlite3.Connection) -> None:
    # SQLite rolls back by itself after some errors (e.g. disk full); a failing
    # rollback must not hide the error that caused it.
    if connection.in_transaction:
        with suppress(sqlite3.Error):
            connection.execute("ROLLBACK")


def _probe_write(connection: sqlite3.Connection) -> None:
    """Fail now if the database cannot be written (read-only file, folder or mount)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = schema_version(connection)
        connection.execute(f"PRAGMA user_version = {version}")
    finally:
        if connection.in_transaction:
            connection.execute("ROLLBACK")


def _session_row(row: sqlite3.Row) -> SessionRow:
    return SessionRow(**{field.name: row[field.name] for field in fields(SessionRow)})


def moment_entry(values: sqlite3.Row | Mapping[str, Any]) -> MomentEntry:
    """The :class:`MomentEntry` read back from a row of the ``moments`` table."""
    entry = {field.name: values[field.name] for field in fields(MomentEntry)}
    # SQLite stores booleans as 0 and 1.
    entry["skipped"], entry["went_back"] = bool(entry["skipped"]), bool(entry["went_back"])
    return MomentEntry(**entry)
