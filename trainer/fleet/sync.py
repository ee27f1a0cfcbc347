"""Offline-first sync: push the local outbox, pull what the coach decided.

The kiosk writes every session, moment and check to its SQLite history with a
ULID and an outbox entry (see :mod:`trainer.adapters.store.schema`). A sync
pass then:

1. **pushes** the outbox in batches, each in one server transaction: members
   enrolled, changed or removed here go through ``fleet.change_member`` (the
   latest change wins, a removal wins: see :mod:`trainer.fleet.schema`), sessions
   are upserted (a session is sent again whenever its status changes), moments
   and checks are inserted with ``ON CONFLICT (id) DO NOTHING``. Only after the
   server commits are the entries acknowledged locally. A pass cut short
   anywhere (server gone, connection killed, kiosk killed) leaves entries that
   the next pass sends again, and the ULIDs make the repeat a no-op: nothing is
   lost, nothing is doubled.
2. **pulls** the member roster (with changes and removals made at other kiosks),
   routine assignments, the newest routine pack when there is one newer than the
   kiosk's, members' latest check results, and the sessions that members signed
   in here lately made at other kiosks (their history follows them).

:class:`SyncClient` runs one pass (``trainer sync``); :class:`SyncWorker` runs
passes on its own daemon thread with capped exponential back-off while the
server is unreachable (``trainer sync --watch``, and inside the trainer). The
worker never touches the UI's objects: it opens its own local connection in its
own thread, and everything it does blocks only that thread.

The local store is reached only through :class:`LocalReplica` (structural: the
SQLite ``SessionStore`` satisfies it), and packs through :class:`PackSink`, so
this module does not import the store adapter.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import psycopg

from trainer.fleet.connection import Connection, FleetError, connect
from trainer.fleet.packs import Pack, PackError

log = logging.getLogger(__name__)

#: An outbox entry: ``(seq, kind, row)``; ``row`` is empty when it was deleted since.
OutboxEntry = tuple[int, str, Mapping[str, Any]]
#: Where the local history remembers how far the member check results were pulled.
_CHECKS_WATERMARK = "member_checks_received_up_to"
#: A member as the roster travels: ``(uid, name, code, badge, changed_at, removed)``.
RosterEntry = tuple[str, str, str | None, str | None, str | None, bool]
#: A member's history is followed this long after they sign in at a kiosk.
FOLLOW_HISTORY = timedelta(hours=12)
#: Sessions (with their moments and checks) per round trip of a history pull.
HISTORY_PAGE = 50
#: A pull that brings nothing new records its time only this often (the SD card).
HISTORY_PULL_STAMP = timedelta(minutes=2)


class LocalReplica(Protocol):
    """What sync needs from the local history (the SQLite store provides it)."""

    def outbox_batch(self, limit: int) -> Sequence[OutboxEntry]: ...

    def acknowledge(self, seqs: Iterable[int]) -> None: ...

    def outbox_size(self) -> int: ...

    def replace_assignments(self, assignments: Iterable[tuple[str, str, int]]) -> None: ...

    def merge_roster(self, members: Iterable[RosterEntry]) -> int: ...

    def followed_members(self, since: str) -> Sequence[tuple[str, str | None, str | None]]: ...

    def merge_member_history(
        self,
        member_uid: str,
        sessions: Sequence[Mapping[str, Any]],
        *,
        up_to: str | None,
        pulled_at: str,
    ) -> int: ...

    def merge_member_checks(self, checks: Iterable[tuple[str, str, str, str]]) -> None: ...

    def fleet_value(self, key: str) -> str | None: ...

    def set_fleet_value(self, key: str, value: str) -> None: ...

    def close(self) -> None: ...


class PackSink(Protocol):
    """Where pulled routine packs go (a folder of versions on the kiosk)."""

    def installed_version(self) -> int | None: ...

    def install(self, pack: Pack) -> None: ...


@dataclass(frozen=True)
class SyncReport:
    """What one pass did."""

    pushed: int = 0  # rows sent (sessions, moments and checks)
    batches: int = 0
    remaining: int = 0  # outbox entries still waiting
    assignments: int = 0
    members_added: int = 0  # members enrolled at other kiosks, now known here
    history_sessions: int = 0  # sessions of members signed in here, made elsewhere
    pack_version: int | None = None  # a pack installed by this pass
    pack_problem: str | None = None  # why a newer pack was refused (the last good one stays)


@dataclass(frozen=True)
class SyncStatus:
    """What the admin screen shows about sync."""

    last_success: float | None = None  # time.time() of the last whole pass
    last_error: str | None = None
    pending: int = 0
    failures: int = 0
    pack_problem: str | None = None


class Backoff:
    """Capped exponential back-off with jitter: 1 s, 2 s, 4 s ... up to ``cap``.

    Jitter (up to 20 % either way) keeps a gym's kiosks from all knocking at
    once when the server comes back.
    """

    def __init__(
        self, initial: float = 1.0, cap: float = 300.0, rng: random.Random | None = None
    ) -> None:
        self.initial, self.cap = initial, cap
        self.failures = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        delay = min(self.cap, self.initial * 2**self.failures)
        self.failures += 1
        return float(delay * self._rng.uniform(0.8, 1.2))

    def reset(self) -> None:
        self.failures = 0


_CHANGE_MEMBER = """
    SELECT fleet.change_member(%(ulid)s, %(name)s, %(code)s, %(badge)s,
        %(changed_at)s::timestamptz, %(removed)s)
"""
_UPSERT_SESSION = """
    INSERT INTO fleet.sessions (id, member_id, routine_id, routine_digest, routine_title,
        started_at, ended_at, status, current_moment, plan_size)
    VALUES (%(ulid)s, %(member_id)s, %(routine_id)s, %(routine_digest)s, %(routine_title)s,
        coalesce(%(started_at)s::timestamptz, now()), %(ended_at)s::timestamptz, %(status)s,
        %(current_moment)s, %(plan_size)s)
    ON CONFLICT (id) DO UPDATE SET
        status = excluded.status, ended_at = excluded.ended_at,
        current_moment = excluded.current_moment, member_id = excluded.member_id,
        updated_at = now()
"""
_INSERT_MOMENT = """
    INSERT INTO fleet.moments (id, session_id, moment_index, step_name, kind, side, set_number,
        planned_seconds, actual_seconds, paused_seconds, skipped, went_back, finished_at)
    VALUES (%(ulid)s, %(session_ulid)s, %(moment_index)s, %(step_name)s, %(kind)s, %(side)s,
        %(set_number)s, %(planned_seconds)s, %(actual_seconds)s, %(paused_seconds)s,
        %(skipped)s, %(went_back)s, coalesce(%(finished_at)s::timestamptz, now()))
    ON CONFLICT (id) DO NOTHING
"""
_INSERT_CHECK = """
    INSERT INTO fleet.checks (id, session_id, test_id, result, rating, at,
        left_value, right_value, value, unit, answer)
    VALUES (%(ulid)s, %(session_ulid)s, %(test_id)s, %(result)s, %(rating)s,
        coalesce(%(at)s::timestamptz, now()),
        %(left_value)s, %(right_value)s, %(value)s, %(unit)s, %(answer)s)
    ON CONFLICT (id) DO NOTHING
"""
#: Check columns a kiosk's history may lack (written before it recorded numbers).
_CHECK_VALUES = ("left_value", "right_value", "value", "unit", "answer")


class SyncClient:
    """One kiosk's link to the server; :meth:`sync_once` runs a whole pass.

    ``fault`` is called with a stage name between the statements of a batch
    (``"sessions"``, ``"moments"``, ``"checks"``) and before the commit
    (``"commit"``): the fault tests kill the connection there.
    """

    def __init__(
        self,
        dsn: str,
        local: LocalReplica,
        *,
        packs: PackSink | None = None,
        batch_size: int = 500,
        fault: Callable[[str, Connection], None] | None = None,
    ) -> None:
        self.dsn = dsn
        self.local = local
        self.packs = packs
        self.batch_size = max(1, batch_size)
        self._fault = fault
        self._connection: Connection | None = None
        #: A pack version this kiosk refused: not fetched again, a newer one is.
        self._refused_pack = 0

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def sync_once(self) -> SyncReport:
        """Push everything queued, then pull. Raises :class:`FleetError` if the server fails."""
        try:
            pushed, batches = self._push_all()
            assignments, members, pack = self._pull()
            history = self._pull_member_histories()
        except psycopg.Error as error:
            # A broken connection is not reused; the next pass reconnects.
            self.close()
            raise FleetError(f"sync failed: {str(error).strip().splitlines()[0]}") from error
        pack_version, pack_problem = self._install(pack)
        remaining = self.local.outbox_size()
        return SyncReport(
            pushed, batches, remaining, assignments, members, history, pack_version, pack_problem
        )

    def _server(self) -> Connection:
        if self._connection is None or self._connection.closed:
            self._connection = connect(self.dsn, purpose="sync")
        return self._connection

    def _push_all(self) -> tuple[int, int]:
        pushed = batches = 0
        while batch := self.local.outbox_batch(self.batch_size):
            pushed += self._push(batch)
            self.local.acknowledge(seq for seq, _, _ in batch)
            batches += 1
        return pushed, batches

    def _push(self, batch: Sequence[OutboxEntry]) -> int:
        members: dict[str, dict[str, Any]] = {}  # the latest state of each, once
        sessions: dict[str, dict[str, Any]] = {}
        moments: list[dict[str, Any]] = []
        checks: list[dict[str, Any]] = []
        for _, kind, row in batch:
            if not row:
                continue  # deleted locally since it was queued
            if kind == "member":
                members[row["ulid"]] = {
                    **row,
                    "changed_at": _timestamp(row.get("changed_at")),
                    "removed": row.get("removed_at") is not None,
                }
            elif kind == "session":
                sessions[row["ulid"]] = _session_parameters(row)
            elif kind == "moment":
                moments.append(_moment_parameters(row))
            elif kind == "check":
                checks.append(
                    {
                        **dict.fromkeys(_CHECK_VALUES),
                        **row,
                        "at": _timestamp(row.get("at")),
                    }
                )
        connection = self._server()
        with connection.transaction(), connection.cursor() as cursor:
            # Sessions before moments and checks: they refer to them.
            for stage, statement, rows in (
                ("members", _CHANGE_MEMBER, list(members.values())),
                ("sessions", _UPSERT_SESSION, list(sessions.values())),
                ("moments", _INSERT_MOMENT, moments),
                ("checks", _INSERT_CHECK, checks),
            ):
                if rows:
                    cursor.executemany(statement, rows)
                if self._fault is not None:
                    self._fault(stage, connection)
            if self._fault is not None:
                self._fault("commit", connection)
        return len(members) + len(sessions) + len(moments) + len(checks)

    def _pull(self) -> tuple[int, int, Pack | None]:
        connection = self._server()
        with connection.transaction():
            roster: list[RosterEntry] = [
                (str(uid), str(name), code, badge, _iso(changed_at), removed_at is not None)
                for uid, name, code, badge, changed_at, removed_at in connection.execute(
                    "SELECT id, name, code, badge, changed_at, removed_at FROM fleet.members"
                    " ORDER BY created_at, id"
                )
            ]
            assignments = [
                (str(member), str(routine), int(position))
                for member, routine, position in connection.execute(
                    "SELECT member_id, routine_id, position FROM fleet.assignments"
                )
            ]
            pack = self._newer_pack(connection)
        self.local.replace_assignments(assignments)
        members_added = self.local.merge_roster(roster)
        self._pull_member_checks(connection)
        return len(assignments), members_added, pack

    def _pull_member_checks(self, connection: Connection) -> None:
        """Check results members made anywhere since the last pull (their tighter side).

        The watermark is the server's arrival time, re-read with a margin: a check
        committed late with an earlier arrival stamp is not skipped, and taking
        one twice changes nothing (the newest per member and test is kept).
        """
        since = self.local.fleet_value(_CHECKS_WATERMARK) or "-infinity"
        with connection.transaction():
            rows = connection.execute(
                "SELECT member_id, test_id, result, at, received_at"
                " FROM fleet.member_checks_since(%s::timestamptz - interval '1 minute')",
                (since,),
            ).fetchall()
        if not rows:
            return
        self.local.merge_member_checks(
            (str(member), str(test), str(result), at.astimezone(UTC).isoformat())
            for member, test, result, at, _ in rows
        )
        newest = max(received for *_, received in rows)
        self.local.set_fleet_value(_CHECKS_WATERMARK, newest.isoformat())

    def _pull_member_histories(self) -> int:
        """The sessions members signed in here lately made at other kiosks; returns how
        many were new here.

        A page at a time from the member's watermark (the server's ``updated_at``
        of the newest session taken), re-read with a margin like the checks: a
        session committed late with an earlier stamp is not skipped, and taking one
        twice changes nothing.
        """
        connection = self._server()
        now = datetime.now(UTC)
        added = 0
        followed = self.local.followed_members((now - FOLLOW_HISTORY).isoformat("T", "seconds"))
        for member, up_to, pulled_at in followed:
            since = "-infinity"
            if up_to is not None:
                since = (datetime.fromisoformat(up_to) - timedelta(minutes=1)).isoformat()
            after, newest = "", None
            while True:  # each page starts after the last row of the one before
                with connection.transaction():
                    rows = connection.execute(
                        "SELECT * FROM fleet.member_history(%s, %s::timestamptz, %s, %s)",
                        (member, since, after, HISTORY_PAGE),
                    ).fetchall()
                if rows:
                    newest, after = rows[-1][10].isoformat(), rows[-1][0]
                    since = newest
                if rows or _older_than(pulled_at, now - HISTORY_PULL_STAMP):
                    added += self.local.merge_member_history(
                        member,
                        [_history_session(row) for row in rows],
                        up_to=newest,
                        pulled_at=now.isoformat(timespec="seconds"),
                    )
                if len(rows) < HISTORY_PAGE:
                    break
        return added

    def _install(self, pack: Pack | None) -> tuple[int | None, str | None]:
        """Install a pulled pack; a bad one is refused once, and the last good one stays."""
        if pack is None or self.packs is None:
            return None, None
        try:
            self.packs.install(pack)
        except PackError as error:
            self._refused_pack = pack.version
            log.error("%s", error)
            return None, str(error)
        return pack.version, None

    def _newer_pack(self, connection: Connection) -> Pack | None:
        if self.packs is None:
            return None
        installed = max(self.packs.installed_version() or 0, self._refused_pack)
        row = connection.execute(
            "SELECT version, digest, files FROM fleet.packs WHERE version > %s"
            " ORDER BY version DESC LIMIT 1",
            (installed,),
        ).fetchone()
        if row is None:
            return None
        version, digest, files = row
        return Pack(int(version), str(digest), {str(k): str(v) for k, v in dict(files).items()})


class SyncWorker:
    """Runs sync passes on a daemon thread until :meth:`stop`.

    ``open_local`` is called *in the worker thread* (an SQLite connection
    belongs to the thread that made it). After a successful pass the worker
    sleeps ``interval`` seconds (or until :meth:`nudge`); after a failure it
    backs off (1 s, 2 s, 4 s ... capped at ``backoff.cap``).
    """

    def __init__(
        self,
        dsn: str,
        open_local: Callable[[], LocalReplica],
        *,
        open_packs: Callable[[], PackSink | None] = lambda: None,
        interval: float = 30.0,
        batch_size: int = 500,
        backoff: Backoff | None = None,
        on_pass: Callable[[SyncReport | None, SyncStatus], None] | None = None,
    ) -> None:
        self.dsn = dsn
        self.interval = interval
        self.batch_size = batch_size
        self.backoff = backoff or Backoff()
        self._open_local = open_local
        self._open_packs = open_packs
        self._on_pass = on_pass
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._status = SyncStatus()
        self._lock = threading.Lock()

    @property
    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="trainer-sync", daemon=True)
        self._thread.start()

    def nudge(self) -> None:
        """Sync soon (a session just ended)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_in_this_thread(self) -> None:
        """``trainer sync --watch``: the same loop, in the caller's thread."""
        self._run()

    def _run(self) -> None:
        try:
            local = self._open_local()
        except Exception as error:  # a broken history must not kill the kiosk
            log.exception("sync: cannot open the local history")
            self._set_status(last_error=str(error))
            return
        client = SyncClient(self.dsn, local, packs=self._open_packs(), batch_size=self.batch_size)
        try:
            while not self._stop.is_set():
                wait = self._one_pass(client)
                self._wake.wait(wait)
                self._wake.clear()
        finally:
            client.close()
            local.close()

    def _one_pass(self, client: SyncClient) -> float:
        try:
            report = client.sync_once()
        except FleetError as error:
            delay = self.backoff.next_delay()
            log.warning("%s; next try in %.0f s", error, delay)
            self._set_status(last_error=str(error), failures=self.backoff.failures)
            self._notify(None)
            return delay
        except Exception as error:  # e.g. the local store failing: keep the thread alive
            delay = self.backoff.next_delay()
            log.exception("sync pass failed")
            self._set_status(last_error=str(error), failures=self.backoff.failures)
            self._notify(None)
            return delay
        self.backoff.reset()
        if report.pushed or report.pack_version:
            log.info(
                "sync: pushed %d rows in %d batches; pack %s",
                report.pushed,
                report.batches,
                report.pack_version or "unchanged",
            )
        self._set_status(
            last_success=time.time(),
            last_error=None,
            pending=report.remaining,
            failures=0,
            pack_problem=report.pack_problem or self.status.pack_problem,
        )
        self._notify(report)
        return self.interval

    def _set_status(self, **changes: Any) -> None:
        with self._lock:
            self._status = SyncStatus(**{**vars(self._status), **changes})

    def _notify(self, report: SyncReport | None) -> None:
        if self._on_pass is not None:
            self._on_pass(report, self.status)


def _timestamp(value: object) -> str | None:
    """An ISO time PostgreSQL will take, or None (the server then stamps its own)."""
    if not isinstance(value, str):
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return None
    return value


def _older_than(stamp: str | None, moment: datetime) -> bool:
    return stamp is None or datetime.fromisoformat(stamp) < moment


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def _local_time(stamp: str | None) -> str | None:
    """A server time as the kiosk's history writes times: local, with the offset."""
    if stamp is None:
        return None
    return datetime.fromisoformat(stamp).astimezone().isoformat(timespec="seconds")


def _history_session(row: Sequence[Any]) -> dict[str, Any]:
    """One row of ``fleet.member_history`` as the local history's columns."""
    ulid, kiosk, routine_id, digest, title, started, ended, status, current, size = row[:10]
    moments, checks = row[11], row[12]
    return {
        "ulid": ulid,
        "kiosk": kiosk,
        "routine_id": routine_id,
        "routine_digest": digest,
        "routine_title": title,
        "started_at": started.astimezone().isoformat(timespec="seconds"),
        "ended_at": ended.astimezone().isoformat(timespec="seconds") if ended else None,
        "status": status,
        "current_moment": current,
        "plan_size": size,
        "moments": [
            {
                **{key: moment[key] for key in _HISTORY_MOMENT_COLUMNS},
                "ulid": moment["id"],
                "finished_at": _local_time(moment["finished_at"]),
            }
            for moment in moments
        ],
        "checks": [
            {
                **{key: check.get(key) for key in _HISTORY_CHECK_COLUMNS},
                "ulid": check["id"],
                "at": _local_time(check["at"]),
            }
            for check in checks
        ],
    }


_HISTORY_MOMENT_COLUMNS = (
    "moment_index",
    "step_name",
    "kind",
    "side",
    "set_number",
    "planned_seconds",
    "actual_seconds",
    "paused_seconds",
    "skipped",
    "went_back",
)
_HISTORY_CHECK_COLUMNS = ("test_id", "result", "rating", *_CHECK_VALUES)


def _session_parameters(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "member_id": row.get("member_uid"),
        "started_at": _timestamp(row.get("started_at")),
        "ended_at": _timestamp(row.get("ended_at")),
    }


def _moment_parameters(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "skipped": bool(row["skipped"]),
        "went_back": bool(row["went_back"]),
        "finished_at": _timestamp(row.get("finished_at")),
    }
