"""The coach's questions, answered from the server (Textual-free).

* :meth:`Dashboard.members`: every member with their last session, sessions per
  week (over the last four weeks) and flags;
* :meth:`Dashboard.member_page`: one member's recent sessions, each left/right
  check as a series over time, and pain scores over time;
* :meth:`Dashboard.assign`: the routines a member's picker shows first, chosen
  among :meth:`Dashboard.routines` (those of the newest pack);
* :meth:`Dashboard.export_csv`: sessions and checks for a spreadsheet.

Flags (see :func:`flags_for`):

* **asymmetry worsening**: in one check, the last three results are one-sided
  (left or right tighter) more often than the three before them;
* **pain rising**: the mean of the last three pain scores is at least one point
  above the mean of the three before;
* **no session in 14 days** (or never).

The member list computes them from each member's last :data:`FLAG_SESSIONS`
sessions (enough for both windows of every check); a member's page from all.

Pain scores are the values (or, from older kiosks, the ratings) of checks
whose test id mentions pain (the bundled ``knee-pain`` check).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TextIO

from trainer.fleet.connection import Connection
from trainer.fleet.packs import pack_routines
from trainer.untrusted_text import spreadsheet_safe_cell

IDLE_DAYS = 14
#: Results compared by the trend flags: the last N against the N before.
TREND_WINDOW = 3
#: Weeks that "sessions per week" averages over.
WEEKS = 4
#: The member list's flags look at checks from this many of a member's latest sessions.
FLAG_SESSIONS = 4 * TREND_WINDOW

ASYMMETRY = {"left-tighter": -1, "even": 0, "right-tighter": 1}


@dataclass(frozen=True)
class MemberOverview:
    id: str
    name: str
    last_session: datetime | None
    sessions_per_week: float
    total_sessions: int
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckPoint:
    at: datetime
    result: str
    rating: float | None
    left_value: float | None = None
    right_value: float | None = None
    unit: str | None = None


@dataclass(frozen=True)
class SessionLine:
    started_at: datetime
    kiosk: str
    routine_title: str
    status: str
    moments: int


@dataclass(frozen=True)
class MemberPage:
    member: MemberOverview
    sessions: list[SessionLine]
    #: test id -> results oldest first (the left/right checks).
    checks: dict[str, list[CheckPoint]] = field(default_factory=dict)
    #: (when, score) oldest first.
    pain: list[tuple[datetime, int]] = field(default_factory=list)


def is_pain_check(test_id: str) -> bool:
    return "pain" in test_id


def flags_for(
    last_session: datetime | None,
    checks: dict[str, list[CheckPoint]],
    pain: Sequence[tuple[datetime, int]],
    now: datetime,
) -> tuple[str, ...]:
    """The flags a member's page and row show, most urgent first."""
    flags: list[str] = []
    if pain_rising([score for _, score in pain]):
        flags.append("pain rising")
    worse = [test for test, points in checks.items() if asymmetry_worsening(points)]
    if worse:
        flags.append("asymmetry worsening: " + ", ".join(sorted(worse)))
    if last_session is None or now - last_session > timedelta(days=IDLE_DAYS):
        flags.append(f"no session in {IDLE_DAYS} days")
    return tuple(flags)


def asymmetry_worsening(points: Sequence[CheckPoint]) -> bool:
    if len(points) < 2 * TREND_WINDOW:
        return False
    sided = [abs(ASYMMETRY.get(point.result, 0)) for point in points[-2 * TREND_WINDOW :]]
    return sum(sided[TREND_WINDOW:]) > sum(sided[:TREND_WINDOW])


def pain_rising(scores: Sequence[int]) -> bool:
    if len(scores) < 2 * TREND_WINDOW:
        return False
    before, recent = scores[-2 * TREND_WINDOW : -TREND_WINDOW], scores[-TREND_WINDOW:]
    return sum(recent) / TREND_WINDOW - sum(before) / TREND_WINDOW >= 1.0


_OVERVIEW = """
    WITH who AS (
        SELECT id, name FROM fleet.members
        -- the list leaves out members removed at a kiosk; their page still opens
        WHERE (%(member)s::text IS NULL AND removed_at IS NULL) OR id = %(member)s
        UNION
        SELECT DISTINCT s.member_id, NULL FROM fleet.sessions s
        WHERE s.member_id IS NOT NULL
          AND (%(member)s::text IS NULL OR s.member_id = %(member)s)
          AND NOT EXISTS (SELECT 1 FROM fleet.members m WHERE m.id = s.member_id)
    )
    SELECT who.id, who.name, stats.last_session, coalesce(stats.recent, 0),
           coalesce(stats.total, 0)
    FROM who
    LEFT JOIN LATERAL (
        SELECT max(started_at) AS last_session,
               count(*) FILTER (WHERE started_at > %(since)s) AS recent,
               count(*) AS total
        FROM fleet.sessions s WHERE s.member_id = who.id
    ) stats ON true
    ORDER BY lower(coalesce(who.name, who.id))
"""

_MEMBER_CHECKS = """
    SELECT c.test_id, c.at, c.result, coalesce(c.value, c.rating), c.left_value,
           c.right_value, c.unit
    FROM fleet.sessions s JOIN fleet.checks c ON c.session_id = s.id
    WHERE s.member_id = %s ORDER BY c.at, c.id
"""


class Dashboard:
    """Queries for the coach app, on one connection (a coach role's)."""

    def __init__(self, connection: Connection, *, now: datetime | None = None) -> None:
        self.connection = connection
        self._now = now
        self._pack_routines: tuple[int, list[tuple[str, str]]] | None = None

    def now(self) -> datetime:
        return self._now or datetime.now().astimezone()

    def members(self) -> list[MemberOverview]:
        with self.connection.transaction():
            rows = self._overview_rows(None)
            checks = self._checks_by_member([row[0] for row in rows])
        return [self._overview(row, *checks.get(row[0], ({}, []))) for row in rows]

    def member_page(self, member_id: str, *, sessions: int = 20) -> MemberPage:
        """One member's page; :class:`KeyError` if nobody has that id."""
        with self.connection.transaction():
            rows = self._overview_rows(member_id)
            if not rows:
                raise KeyError(member_id)
            lines = [
                SessionLine(*row)
                for row in self.connection.execute(
                    """
                    SELECT s.started_at, s.kiosk, s.routine_title, s.status,
                        (SELECT count(*) FROM fleet.moments m WHERE m.session_id = s.id)
                    FROM fleet.sessions s WHERE s.member_id = %s
                    ORDER BY s.started_at DESC LIMIT %s
                    """,
                    (member_id, sessions),
                )
            ]
            checks, pain = _split_checks(self.connection.execute(_MEMBER_CHECKS, (member_id,)))
        return MemberPage(self._overview(rows[0], checks, pain), lines, checks, pain)

    def _overview_rows(self, member_id: str | None) -> list[tuple[Any, ...]]:
        since = self.now() - timedelta(weeks=WEEKS)
        parameters = {"since": since, "member": member_id}
        return self.connection.execute(_OVERVIEW, parameters).fetchall()

    def _overview(
        self,
        row: tuple[Any, ...],
        checks: dict[str, list[CheckPoint]],
        pain: Sequence[tuple[datetime, int]],
    ) -> MemberOverview:
        member_id, name, last, recent, total = row
        return MemberOverview(
            id=member_id,
            name=name or f"member {member_id[:8]}",
            last_session=last,
            sessions_per_week=round(recent / WEEKS, 1),
            total_sessions=total,
            flags=flags_for(last, checks, pain, self.now()),
        )

    def assign(self, member_id: str, routine_ids: Sequence[str]) -> None:
        """Make ``routine_ids`` (in this order) the member's assigned routines."""
        with self.connection.transaction():
            self.connection.execute(
                "INSERT INTO fleet.members (id, name) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (member_id, f"member {member_id[:8]}"),
            )
            self.connection.execute(
                "DELETE FROM fleet.assignments WHERE member_id = %s", (member_id,)
            )
            with self.connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO fleet.assignments (member_id, routine_id, position)"
                    " VALUES (%s, %s, %s)",
                    [
                        (member_id, routine, position)
                        for position, routine in enumerate(routine_ids)
                    ],
                )

    def routines(self) -> list[tuple[str, str]]:
        """``(id, title)`` of the routines in the newest pack: what can be assigned."""
        row = self.connection.execute(
            "SELECT version, files FROM fleet.packs ORDER BY version DESC LIMIT 1"
        ).fetchone()
        self.connection.commit()
        if row is None:
            return []
        version, files = int(row[0]), dict(row[1])
        if self._pack_routines is None or self._pack_routines[0] != version:
            # Reading a pack's routines costs a catalog load: once per pack version.
            self._pack_routines = (version, pack_routines(files))
        return list(self._pack_routines[1])

    def assignments(self, member_id: str) -> list[str]:
        rows = self.connection.execute(
            "SELECT routine_id FROM fleet.assignments WHERE member_id = %s ORDER BY position",
            (member_id,),
        ).fetchall()
        self.connection.commit()
        return [str(row[0]) for row in rows]

    def export_csv(self, out: TextIO, member_id: str | None = None) -> int:
        """Write every session (one row per check, or one row if it has none); returns rows."""
        where = "WHERE s.member_id = %(member)s" if member_id else ""
        rows = self.connection.execute(
            f"""
            SELECT coalesce(m.name, s.member_id, 'guest'), s.member_id, s.kiosk, s.started_at,
                   s.ended_at, s.routine_id, s.status, c.test_id, c.result, c.rating
            FROM fleet.sessions s
            LEFT JOIN fleet.members m ON m.id = s.member_id
            LEFT JOIN fleet.checks c ON c.session_id = s.id
            {where}
            ORDER BY s.started_at, s.id, c.at
            """,
            {"member": member_id},
        ).fetchall()
        self.connection.commit()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                "member",
                "member_id",
                "kiosk",
                "started_at",
                "ended_at",
                "routine",
                "status",
                "check",
                "result",
                "rating",
            ]
        )
        for row in rows:
            writer.writerow([_cell(value) for value in row])
        return len(rows)

    def _checks_by_member(
        self, member_ids: Sequence[str]
    ) -> dict[str, tuple[dict[str, list[CheckPoint]], list[tuple[datetime, int]]]]:
        """The checks of each member's last :data:`FLAG_SESSIONS` sessions, for the flags.

        One index walk per member (``sessions_by_member``) instead of a pass over
        every check ever recorded: the member list stays quick at a year of a
        gym chain.
        """
        rows = self.connection.execute(
            """
            SELECT recent.member_id, c.test_id, c.at, c.result, coalesce(c.value, c.rating),
                   c.left_value, c.right_value, c.unit
            FROM unnest(%s::text[]) AS who(member_id)
            CROSS JOIN LATERAL (
                SELECT s.id, s.member_id FROM fleet.sessions s
                WHERE s.member_id = who.member_id
                ORDER BY s.started_at DESC LIMIT %s
            ) recent
            JOIN fleet.checks c ON c.session_id = recent.id
            ORDER BY c.at, c.id
            """,
            (list(member_ids), FLAG_SESSIONS),
        ).fetchall()
        grouped: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for member_id, *rest in rows:
            grouped[member_id].append(tuple(rest))
        return {member: _split_checks(points) for member, points in grouped.items()}


def _split_checks(
    rows: Any,
) -> tuple[dict[str, list[CheckPoint]], list[tuple[datetime, int]]]:
    checks: dict[str, list[CheckPoint]] = defaultdict(list)
    pain: list[tuple[datetime, int]] = []
    for test_id, at, result, score, left_value, right_value, unit in rows:
        if is_pain_check(test_id):
            if score is not None:
                pain.append((at, round(score)))
        else:
            checks[test_id].append(CheckPoint(at, result, score, left_value, right_value, unit))
    return dict(checks), pain


def _cell(value: object) -> object:
    """Times as ISO text; text a spreadsheet would run as a formula gets a leading quote."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return spreadsheet_safe_cell(value) if isinstance(value, str) else value
